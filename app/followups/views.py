"""Follow-up screens: the list (with one-click done/snooze), create/edit, settings and the
public calendar feed. Thin: parse, call a service through `submit` (app.core.web)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app.auth import userpick
from app.auth.decorators import permission_required
from app.core.downloads import ICS_TYPE, file_response
from app.core.errors import DomainError, ValidationError
from app.core.forms import filter_arg
from app.core.permissions import Perm, can
from app.core.redirects import safe_next
from app.core.time import local_today, utcnow
from app.core.web import page_arg, submit
from app.extensions import db
from app.followups import queries, services
from app.followups.calendar import build_feed, feed_url
from app.followups.forms import ActionForm, FollowUpForm, SettingsForm
from app.followups.models import OPEN, STATUS_LABELS, FollowUp

bp = Blueprint("followups", __name__)

PERIODS = {
    "all": _l("Alla datum"),
    "overdue": _l("Försenade"),
    "today": _l("Idag"),
    "week": _l("Till och med denna vecka"),
}


def _wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _next_url() -> str:
    """Where a follow-up form goes back to: its `next` (a same-site path), else the list."""
    return safe_next(request.form.get("next") or request.args.get("next") or url_for("followups.list"))


def _get_visible(followup_id: int) -> FollowUp:
    """The follow-up, if the user may see it and read what it says (a follow-up of a restricted
    contact or case inherits its restriction; opening it is an audited read)."""
    followup = queries.get_followup_or_404(followup_id)
    if not queries.can_view(current_user, followup):
        abort(403)
    if queries.shown_followups(current_user, [followup])[0] is not followup:
        abort(403)
    return followup


@bp.route("/uppfoljningar", endpoint="list")
@permission_required(Perm.VIEW_FOLLOWUPS)
def list_view():
    see_others = queries.can_see_others(current_user)
    who = request.args.get("assignee", "me")
    # Someone else: picked by name (the user picker `person`), or an id in a link (?assignee=7).
    args = request.args
    if who.isdigit() and "person" not in args:
        args = MultiDict({**args.to_dict(), "person": who})
    person = (
        userpick.filter_field(args, "person", _("Annan person"), pool="uppfoljning") if see_others else None
    )
    if person is not None and person.data:
        assignee_id: int | None = person.data
        who = str(person.data)
    elif not see_others or who != "all":
        assignee_id = current_user.id
        who = "me"
    else:
        assignee_id = None
    # A value absent from the query string means the default; an unusable one is named on the page.
    status = filter_arg(request.args, "status", (*STATUS_LABELS, "all"), OPEN, _("Status"))
    period = filter_arg(request.args, "period", PERIODS, "all", _("När"))
    flt = queries.FollowUpFilter(assignee_id=assignee_id, status=status, period=period)
    page = queries.list_followups(flt, page=page_arg(), per_page=current_app.config["LOTSBOK_PAGE_SIZE"])
    page = dataclasses.replace(page, items=queries.shown_followups(current_user, list(page.items)))
    return render_template(
        "followups/list.html",
        page=page,
        flt=flt,
        who=who,
        see_others=see_others,
        person=person,
        statuses=STATUS_LABELS,
        periods=PERIODS,
        today=local_today(),
        can_edit=can(current_user, Perm.EDIT_FOLLOWUPS),
    )


def _picked(followup: FollowUp | None = None):
    """The form's company picker (app.companies.picker): the posted one, or on GET the
    follow-up's company / `?company_id=` (a company page's "Ny uppföljning")."""
    from app.companies import picker

    if request.method == "POST":
        return picker.read(request.form, actor=current_user, where="uppföljning")  # untranslated: audit
    if followup is not None:
        return picker.read({"company_id": str(followup.company_id or "")}, actor=current_user, where="")
    return picker.read(request.args, actor=current_user, where="uppföljning")  # untranslated: audit


def _new_company(picked, back: str):
    """ "Nytt företag": the company form, coming back here with what was typed."""
    from app.companies import picker

    return redirect(picker.new_company_url(back, request.form, picked.text))


def _save_with(picked, call: Callable[[], object]) -> Callable[[], object]:
    """The save, refused while the picker names no company although something was typed."""

    def save():
        if picked.error:
            raise ValidationError(picked.error, field="company")
        return call()

    return save


@bp.route("/uppfoljningar/ny", methods=["GET", "POST"])
@permission_required(Perm.EDIT_FOLLOWUPS)
def new():
    from app.companies import picker

    picked = _picked()
    if picked.wants_new and request.method == "POST":
        return _new_company(picked, url_for("followups.new"))
    carried = picker.carried_formdata(request.args) if request.method == "GET" else None
    form = FollowUpForm(formdata=carried) if carried is not None else FollowUpForm()
    if request.method == "GET" and carried is None:
        form.assignee_id.data = current_user.id
    form.company_id.data = str(picked.id or "")
    if not picked.searched and (
        done := submit(
            form,
            _save_with(
                picked, lambda: services.create_followup(form.to_input(picked.id), actor=current_user)
            ),
            success=lambda followup: _(
                "Uppföljningen ”%(title)s” är sparad till %(date)s.",
                title=followup.title,
                date=followup.due_on.isoformat(),
            ),
            redirect_to=_next_url(),
        )
    ):
        return done
    if request.method == "GET":
        picked.error = ""
    return render_template(
        "followups/form.html",
        form=form,
        followup=None,
        company=picked.company,
        picked=picked,
        next_url=request.values.get("next", ""),
    )


@bp.route("/uppfoljningar/<int:followup_id>", methods=["GET", "POST"])
@permission_required(Perm.EDIT_FOLLOWUPS)
def edit(followup_id: int):
    followup = _get_visible(followup_id)
    form = FollowUpForm(obj=followup)
    fixed = followup.source == "cadence"  # a key company's contact reminder stays on its company
    picked = _picked(None if request.method == "POST" and not fixed else followup)
    if picked.wants_new and request.method == "POST" and not fixed:
        return _new_company(picked, url_for("followups.edit", followup_id=followup.id))
    if request.method == "GET":
        form.version.data = str(followup.version)

    def save():
        if not followup.is_open:
            raise ValidationError(
                _("Uppföljningen är %(status)s och kan inte ändras.", status=followup.status_label.lower())
            )
        return services.update_followup(
            followup, form.to_input(picked.id), actor=current_user, expected_version=form.expected_version
        )

    if not picked.searched and (
        done := submit(
            form, _save_with(picked, save), success=_("Uppföljningen är sparad."), redirect_to=_next_url()
        )
    ):
        return done
    if request.method == "GET":
        picked.error = ""
    return render_template(
        "followups/form.html",
        form=form,
        followup=followup,
        company=followup.company,
        picked=picked,
        next_url=request.values.get("next", ""),
    )


def _act(followup: FollowUp, call: Callable[[], object], message: Callable[[], str]):
    """One click on the list (done, snooze, cancel). A plain form post goes through `submit`;
    the list's fetch() (X-Requested-With: fetch) gets the same outcome as JSON, so the row can
    be updated in place."""
    if not _wants_json():
        return submit(
            None, call, success=lambda _result: message(), redirect_to=_next_url(), errors_to=_next_url()
        )
    try:
        call()
    except DomainError as exc:
        db.session.rollback()
        return jsonify(ok=False, message=exc.message), exc.status_code
    db.session.commit()
    return jsonify(
        ok=True,
        message=message(),
        status=followup.status,
        status_label=followup.status_label,
        due_on=followup.due_on.isoformat(),
        version=followup.version,
    )


@bp.route("/uppfoljningar/<int:followup_id>/klar", methods=["POST"])
@permission_required(Perm.EDIT_FOLLOWUPS)
def complete(followup_id: int):
    followup = _get_visible(followup_id)
    version = ActionForm().expected_version
    return _act(
        followup,
        lambda: services.complete_followup(
            followup, actor=current_user, note=request.form.get("note", ""), expected_version=version
        ),
        lambda: _("”%(title)s” är klar.", title=followup.title),
    )


def _snooze_until() -> date:
    raw_date = request.form.get("until", "")
    if raw_date:
        try:
            return date.fromisoformat(raw_date)
        except ValueError:
            raise ValidationError(_("Ange datumet som ÅÅÅÅ-MM-DD."), field="until") from None
    days = request.form.get("days", "1")
    return services.snooze_days(int(days) if days.isdigit() and 0 < int(days) <= 366 else 1)


@bp.route("/uppfoljningar/<int:followup_id>/skjut-upp", methods=["POST"])
@permission_required(Perm.EDIT_FOLLOWUPS)
def snooze(followup_id: int):
    followup = _get_visible(followup_id)
    version = ActionForm().expected_version
    return _act(
        followup,
        lambda: services.snooze_followup(
            followup, _snooze_until(), actor=current_user, expected_version=version
        ),
        lambda: _(
            "”%(title)s” är uppskjuten till %(date)s.", title=followup.title, date=followup.due_on.isoformat()
        ),
    )


@bp.route("/uppfoljningar/<int:followup_id>/avbryt", methods=["POST"])
@permission_required(Perm.EDIT_FOLLOWUPS)
def cancel(followup_id: int):
    followup = _get_visible(followup_id)
    version = ActionForm().expected_version
    return _act(
        followup,
        lambda: services.cancel_followup(followup, actor=current_user, expected_version=version),
        lambda: _("”%(title)s” är avbruten.", title=followup.title),
    )


@bp.route("/mina-installningar", methods=["GET", "POST"])
@permission_required(Perm.VIEW_START)
def settings():
    form = SettingsForm(obj=current_user)
    if request.method == "GET" and current_user.monthly_summary_enabled is None:
        # Not chosen yet: show the role default (chef yes, others no; app.reports.summary).
        form.monthly_summary_enabled.data = current_user.role == "chef"
    if done := submit(
        form,
        lambda: services.update_mail_settings(
            current_user,
            digest_enabled=form.digest_enabled.data,
            monthly_summary_enabled=form.monthly_summary_enabled.data
            if can(current_user, Perm.VIEW_REPORTS)
            else None,
            actor=current_user,
        ),
        success=_("Inställningarna är sparade."),
        redirect_to=url_for("followups.settings"),
    ):
        return done
    feed = services.feed_for(current_user)
    return render_template(
        "followups/settings.html",
        form=form,
        feed=feed,
        feed_url=feed_url(feed.token) if feed else None,
        has_followups=can(current_user, Perm.VIEW_FOLLOWUPS),
        has_reports=can(current_user, Perm.VIEW_REPORTS),
    )


@bp.route("/mina-installningar/kalenderlank", methods=["POST"])
@permission_required(Perm.VIEW_START)
def calendar_token():
    back = url_for("followups.settings") + "#kalender"
    return submit(
        None,
        lambda: services.regenerate_calendar_token(current_user, actor=current_user),
        success=_("Din kalenderlänk är skapad. En tidigare länk fungerar inte längre."),
        redirect_to=back,
        errors_to=back,
    )


@bp.route("/kalender/<token>.ics")
def calendar_feed(token: str):
    """Public (calendar apps cannot sign in): the secret token is the credential. Not through
    `submit`: the only write is a usage statistic, and a locked database must not fail the feed."""
    user = services.user_for_token(token)
    if user is None:
        abort(404)
    now = utcnow()
    body = build_feed(user, now)
    feed = services.feed_for(user)
    if feed is not None and (feed.last_used_at is None or (now - feed.last_used_at).total_seconds() > 3600):
        feed.last_used_at = now  # at most one write an hour per subscriber; only a statistic
        try:
            db.session.commit()
        except sa.exc.OperationalError:
            db.session.rollback()
    response = file_response(body, ICS_TYPE, "lotsbok.ics", inline=True)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
