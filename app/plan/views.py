"""Indicator and handlingsplan screens (blueprint "plan", /strategi). Thin callers of
app.plan.indicators and app.plan.action_plan. Focus areas stay in app.admin."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from app.auth.decorators import permission_required
from app.companies import picker
from app.core.errors import DomainError
from app.core.forms import options
from app.core.pagination import Page
from app.core.permissions import Perm, can
from app.core.time import local_today, utcnow
from app.core.timeline import TimelineFilter, timeline_for
from app.core.web import page_arg, submit
from app.extensions import db
from app.plan import action_plan as plan
from app.plan import indicators as ind
from app.plan.forms import ActivityForm, IndicatorFocusAreasForm, IndicatorForm, IndicatorValueForm, LinkForm
from app.plan.indicator_areas import focus_area_ids_of, set_indicator_focus_areas
from app.plan.indicators import trend_chart
from app.strategy import queries as strategy_queries

bp = Blueprint("plan", __name__, url_prefix="/strategi")


# --------------------------------------------------------------------------- indicators


@bp.route("/indikatorer")
@permission_required(Perm.VIEW_REPORTS)
def indicators():
    statuses = ind.indicator_statuses()
    groups: dict[str, list[ind.IndicatorStatus]] = {}
    for status in statuses:
        groups.setdefault(status.indicator.group, []).append(status)
    return render_template(
        "plan/indicators.html",
        groups=groups,
        group_labels=ind.GROUPS,
        trend_chart=trend_chart,
        can_manage=can(current_user, Perm.MANAGE_CATALOGUES),
    )


def _indicator_form(indicator: ind.Indicator | None = None) -> IndicatorForm:
    form = IndicatorForm(obj=indicator)
    form.strategy_id.choices = options((s.id, s.name) for s in strategy_queries.list_strategies())
    if indicator is not None and request.method == "GET":
        form.version.data = str(indicator.version)
    return form


@bp.route("/indikatorer/ny", methods=["GET", "POST"])
@permission_required(Perm.MANAGE_CATALOGUES)
def indicator_new():
    form = _indicator_form()
    if done := submit(
        form,
        lambda: ind.create_indicator(form.to_input(), actor=current_user),
        success=_("Indikatorn är skapad."),
        redirect_to=lambda indicator: url_for("plan.indicator_edit", indicator_id=indicator.id),
    ):
        return done
    return render_template("plan/indicator_form.html", form=form, indicator=None)


@bp.route("/indikatorer/<int:indicator_id>", methods=["GET", "POST"])
@permission_required(Perm.MANAGE_CATALOGUES)
def indicator_edit(indicator_id: int):
    indicator = ind.get_indicator_or_404(indicator_id)
    form = _indicator_form(indicator)
    if done := submit(
        form,
        lambda: ind.update_indicator(
            indicator, form.to_input(), actor=current_user, expected_version=form.expected_version
        ),
        success=_("Indikatorn är sparad."),
        redirect_to=url_for("plan.indicator_edit", indicator_id=indicator.id),
    ):
        return done
    return _indicator_page(indicator, form, IndicatorValueForm(formdata=None))


def _focus_areas_form(indicator: ind.Indicator, *, posted: bool = False) -> IndicatorFocusAreasForm:
    """The indicator's focus areas as checkboxes: the active areas, and a retired one only while
    the indicator is linked to it (so it can be unlinked, not newly chosen)."""
    linked = focus_area_ids_of(indicator.id)
    form = IndicatorFocusAreasForm(prefix="fa", formdata=None if not posted else request.form)
    form.focus_area_ids.choices = [
        (a.id, f"{a.name} ({_('avslutat')})" if a.is_retired else a.name)
        for a in strategy_queries.list_focus_areas()
        if not a.is_retired or a.id in linked
    ]
    if not posted:
        form.focus_area_ids.data = sorted(linked)
        form.version.data = str(indicator.version)
    return form


def _indicator_page(
    indicator: ind.Indicator,
    form: IndicatorForm,
    value_form: IndicatorValueForm,
    focus_form: IndicatorFocusAreasForm | None = None,
):
    status = ind.evaluate(indicator, indicator.values)
    return render_template(
        "plan/indicator_form.html", form=form, indicator=indicator, value_form=value_form,
        focus_form=focus_form or _focus_areas_form(indicator), status=status, chart=trend_chart(status),
    )  # fmt: skip


@bp.route("/indikatorer/<int:indicator_id>/fokusomraden", methods=["POST"])
@permission_required(Perm.MANAGE_CATALOGUES)
def indicator_focus_areas(indicator_id: int):
    indicator = ind.get_indicator_or_404(indicator_id)
    focus_form = _focus_areas_form(indicator, posted=True)
    if done := submit(
        focus_form,
        lambda: set_indicator_focus_areas(
            indicator,
            focus_form.focus_area_ids.data or [],
            actor=current_user,
            now=utcnow(),
            expected_version=focus_form.expected_version,
        ),
        success=lambda changed: (
            _("Indikatorns fokusområden är sparade.")
            if changed
            else _("Fokusområdena var redan de valda; inget ändrades.")
        ),
        redirect_to=url_for("plan.indicator_edit", indicator_id=indicator.id) + "#fokusomraden",
    ):
        return done
    indicator = ind.get_indicator_or_404(indicator_id)
    page = _indicator_page(
        indicator, _indicator_form(indicator), IndicatorValueForm(formdata=None), focus_form
    )
    return page, 400


@bp.route("/indikatorer/<int:indicator_id>/varden", methods=["POST"])
@permission_required(Perm.MANAGE_CATALOGUES)
def indicator_value_save(indicator_id: int):
    indicator = ind.get_indicator_or_404(indicator_id)
    value_form = IndicatorValueForm()
    if done := submit(
        value_form,
        lambda: ind.set_indicator_value(indicator, value_form.to_input(), actor=current_user),
        success=lambda _value: _("Värdet för %(year)s är sparat.", year=value_form.year.data),
        redirect_to=url_for("plan.indicator_edit", indicator_id=indicator.id) + "#varden",
    ):
        return done
    indicator = ind.get_indicator_or_404(indicator_id)
    return _indicator_page(indicator, _indicator_form(indicator), value_form), 400


# This POST and the handlingsplan's link/unlink stay hand-written: they flash a missing value or
# link, or a record kind the user may not see, and go back; `submit` would answer 403/404 pages.
@bp.route("/indikatorer/<int:indicator_id>/varden/<int:year>/ta-bort", methods=["POST"])
@permission_required(Perm.MANAGE_CATALOGUES)
def indicator_value_delete(indicator_id: int, year: int):
    indicator = ind.get_indicator_or_404(indicator_id)
    try:
        ind.delete_indicator_value(indicator, year, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Värdet för %(year)s är borttaget.", year=year), "success")
    return redirect(url_for("plan.indicator_edit", indicator_id=indicator.id) + "#varden")


# --------------------------------------------------------------------------- handlingsplan


def _focus_arg() -> int | None:
    value = request.args.get("focus", "")
    return int(value) if value.isdigit() else None


@bp.route("/handlingsplan")
@permission_required(Perm.VIEW_REPORTS)
def action_plan():
    focus = _focus_arg()
    activities = plan.list_activities(focus)
    by_area: dict[int, list[plan.ActionPlanActivity]] = {}
    for activity in activities:
        by_area.setdefault(activity.focus_area_id, []).append(activity)
    return render_template(
        "plan/action_plan.html",
        areas=strategy_queries.list_focus_areas(),
        by_area=by_area,
        focus=focus,
        counts=plan.link_counts([a.id for a in activities]),
        today=local_today(),
        can_edit=can(current_user, Perm.EDIT_ACTION_PLAN),
    )


def _activity_form(activity: plan.ActionPlanActivity | None = None) -> ActivityForm:
    form = ActivityForm(obj=activity)
    areas = strategy_queries.list_focus_areas(include_retired=activity is not None)
    form.focus_area_id.choices = options((a.id, a.name) for a in areas)
    if activity is None and request.method == "GET" and _focus_arg():
        form.focus_area_id.data = _focus_arg()
    if activity is not None and request.method == "GET":
        form.version.data = str(activity.version)
    return form


@bp.route("/handlingsplan/ny", methods=["GET", "POST"])
@permission_required(Perm.EDIT_ACTION_PLAN)
def activity_new():
    form = _activity_form()
    if done := submit(
        form,
        lambda: plan.create_activity(form.to_input(), actor=current_user),
        success=_("Aktiviteten är tillagd i handlingsplanen."),
        redirect_to=lambda activity: url_for("plan.activity_detail", activity_id=activity.id),
    ):
        return done
    return render_template("plan/activity_form.html", form=form, activity=None)


@bp.route("/handlingsplan/<int:activity_id>")
@permission_required(Perm.VIEW_REPORTS)
def activity_detail(activity_id: int):
    activity = plan.get_activity_or_404(activity_id, with_links=False)
    can_edit = can(current_user, Perm.EDIT_ACTION_PLAN)
    picked = (
        picker.read(request.args, actor=current_user, where="handlingsplan") if can_edit else None
    )  # untranslated: audit
    if picked is not None and not request.args.get("company") and not request.args.get("q"):
        picked.error = ""
    return render_template(
        "plan/activity_detail.html",
        activity=activity,
        records=plan.linked_records_page(
            activity, viewer=current_user, page=page_arg("links_page"), per_page=LINKS_PER_PAGE
        ),
        link_form=LinkForm(formdata=None),
        picked=picked,
        candidates=_link_candidates(picked.company, page_arg()) if picked and picked.company else None,
        today=local_today(),
        can_edit=can_edit,
    )


# The chosen company's contacts and cases to link, a page at a time (the timeline's newest first).
CANDIDATES_PER_PAGE = 20
# The activity's linked contacts and cases, a page at a time (?links_page=).
LINKS_PER_PAGE = 25


def _link_candidates(company, page: int) -> Page[dict]:
    """One page of the chosen company's contacts and lots cases to link, as its timeline shows
    them to the user (a restricted one under its neutral title): [{kind, record_id, at, title}].

    The timeline's providers take a limit, not an offset: page n asks for n × 20 + 1 items
    (a constant number of statements; rows grow with the page number, not with the company)."""
    per = CANDIDATES_PER_PAGE
    adapter = current_app.url_map.bind("")
    kinds = {"interactions.detail": ("interaction", "interaction_id"), "cases.detail": ("case", "case_id")}
    out = []
    for item in timeline_for(
        company, current_user, TimelineFilter(kinds=frozenset({"kontakt", "arende"}), limit=page * per + 1)
    ):
        try:
            endpoint, args = adapter.match(urlsplit(item.url or "").path)
        except HTTPException:
            continue
        if endpoint in kinds:
            kind, key = kinds[endpoint]
            out.append({"kind": kind, "record_id": args[key], "at": item.at, "title": item.title})
    return Page(out[(page - 1) * per : page * per], page, per, has_next=len(out) > page * per)


@bp.route("/handlingsplan/<int:activity_id>/andra", methods=["GET", "POST"])
@permission_required(Perm.EDIT_ACTION_PLAN)
def activity_edit(activity_id: int):
    activity = plan.get_activity_or_404(activity_id)
    form = _activity_form(activity)
    if done := submit(
        form,
        lambda: plan.update_activity(
            activity, form.to_input(), actor=current_user, expected_version=form.expected_version
        ),
        success=_("Aktiviteten är sparad."),
        redirect_to=url_for("plan.activity_detail", activity_id=activity.id),
    ):
        return done
    return render_template("plan/activity_form.html", form=form, activity=activity)


@bp.route("/handlingsplan/<int:activity_id>/ta-bort", methods=["POST"])
@permission_required(Perm.EDIT_ACTION_PLAN)
def activity_delete(activity_id: int):
    activity = plan.get_activity_or_404(activity_id)
    return submit(
        None,
        lambda: plan.delete_activity(activity, actor=current_user),
        success=_("Aktiviteten är borttagen ur handlingsplanen."),
        redirect_to=url_for("plan.action_plan"),
    )


@bp.route("/handlingsplan/<int:activity_id>/kopplingar", methods=["POST"])
@permission_required(Perm.EDIT_ACTION_PLAN)
def activity_link(activity_id: int):
    activity = plan.get_activity_or_404(activity_id)
    form = LinkForm()
    if form.validate_on_submit():
        try:
            plan.link_record(activity, kind=form.kind.data, record_id=form.record_id.data, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Kopplingen är sparad."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for("plan.activity_detail", activity_id=activity_id) + "#kopplingar")


@bp.route("/handlingsplan/<int:activity_id>/kopplingar/<int:link_id>/ta-bort", methods=["POST"])
@permission_required(Perm.EDIT_ACTION_PLAN)
def activity_unlink(activity_id: int, link_id: int):
    activity = plan.get_activity_or_404(activity_id)
    try:
        plan.unlink_record(activity, link_id, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Kopplingen är borttagen."), "success")
    return redirect(url_for("plan.activity_detail", activity_id=activity_id) + "#kopplingar")
