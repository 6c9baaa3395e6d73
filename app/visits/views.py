"""Company-visit screens: list, month calendar, proposals, plan/change/cancel, the visit brief,
recording, statistics, and the admin pages for the question bank and the yearly target.
Thin: they call app.visits.services/queries/brief and commit."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.audit import services as audit
from app.auth.decorators import permission_required
from app.companies.lookup import resolve_company_id
from app.companies.queries import contact_persons
from app.core.calendar import working_day_on_or_after
from app.core.downloads import ICS_TYPE, file_response
from app.core.forms import filter_arg, options
from app.core.permissions import Perm, can
from app.core.time import local_today, to_local, utcnow
from app.core.web import page_arg, render_committed, submit
from app.strategy.queries import selectable_focus_areas
from app.visits import invitations, queries, services
from app.visits.brief import build_brief
from app.visits.calendar import month_calendar, weekday_names
from app.visits.forms import (
    MAX_PROMISE_ROWS,
    CancelForm,
    RecordForm,
    TargetForm,
    VisitForm,
)
from app.visits.models import CANCELLED, DONE, LEDNING, OFFICE, PLANNED, CompanyVisit
from app.visits.promises import promises_by_visit

bp = Blueprint("visits", __name__)


def _visit(visit_id: int) -> CompanyVisit:
    return services.load_visit(visit_id)


# ---------------------------------------------------------------------------------------------
# Lists


@bp.route("/besok", endpoint="list")
@permission_required(Perm.VIEW_VISITS)
def list_view():
    which = filter_arg(request.args, "visa", queries.LIST_FILTERS, "upcoming", _("Visa"))
    page = queries.list_visits(
        which, current_user, page=page_arg(), per_page=current_app.config["LOTSBOK_PAGE_SIZE"]
    )
    return render_template(
        "visits/list.html",
        page=page,
        which=which,
        filters=queries.LIST_FILTERS,
        can_edit=can(current_user, Perm.EDIT_VISITS),
        LEDNING=LEDNING,
        OFFICE=OFFICE,
    )


@bp.route("/besok/kalender")
@permission_required(Perm.VIEW_VISITS)
def calendar():
    raw = request.args.get("manad", "")
    try:
        year, month = (int(x) for x in raw.split("-"))
        first = date(year, month, 1)
    except ValueError:
        first = local_today().replace(day=1)
    return render_template("visits/calendar.html", cal=month_calendar(first), weekdays=weekday_names())


@bp.route("/besok/forslag")
@permission_required(Perm.VIEW_VISITS)
def proposals():
    return render_template(
        "visits/proposals.html",
        proposals=queries.proposals(current_user),
        per_reason=queries.PROPOSALS_PER_REASON,
        can_edit=can(current_user, Perm.EDIT_VISITS),
    )


@bp.route("/besok/statistik")
@permission_required(Perm.VIEW_VISITS)
def stats():
    today = local_today()
    year = request.args.get("ar", type=int) or today.year
    if not 2000 <= year <= 2100:
        year = today.year
    return render_template("visits/stats.html", stats=queries.visit_stats(year), today=today)


# ---------------------------------------------------------------------------------------------
# One visit


@bp.route("/besok/<int:visit_id>")
@permission_required(Perm.VIEW_VISITS)
def detail(visit_id: int):
    visit = _visit(visit_id)
    promises = promises_by_visit([visit.id], reader=current_user).get(visit.id, [])
    form = CancelForm(formdata=None)
    form.version.data = str(visit.version)
    return render_template(
        "visits/detail.html",
        visit=visit,
        promises=promises,
        cancel_form=form,
        today=local_today(),
        can_edit=can(current_user, Perm.EDIT_VISITS),
        LEDNING=LEDNING,
        OFFICE=OFFICE,
    )


def _prepare_visit_form(form: VisitForm, company_id: int | None) -> None:
    persons = contact_persons(company_id) if company_id else []
    form.host_contact_person_id.choices = options(
        [(None, _("– Ingen / skriv namnet nedan –"))] + [(p.id, _person_label(p)) for p in persons]
    )
    form.focus_area_ids.choices = options((a.id, a.name) for a in selectable_focus_areas())


def _person_label(person) -> str:
    return f"{person.name}, {person.title}" if person.title else person.name


def _company_id_of(form: VisitForm) -> int | None:
    if (form.company.data or "").strip() and not str(form.company_id.data or "").isdigit():
        return resolve_company_id(form.company_id.data, form.company.data)
    return int(form.company_id.data) if str(form.company_id.data or "").isdigit() else None


@bp.route("/besok/nytt", methods=["GET", "POST"])
@permission_required(Perm.EDIT_VISITS)
def new():
    from app.companies import picker

    posted = request.method == "POST"
    picked = picker.read_request(actor=current_user, where="företagsbesök")  # untranslated: audit
    if (to_company_form := picker.new_company_redirect(picked, "visits.new")) is not None:
        return to_company_form
    # Back from "Nytt företag": the fields the user had typed come back in the query string.
    carried = picker.carried_formdata(request.args) if not posted else None
    form = VisitForm(formdata=carried) if carried is not None else VisitForm()
    company = picked.company
    form.company_id.data = str(company.id) if company else ""
    if not posted and carried is None:
        side = form.ledning_ids if current_user.role == "ledning" else form.office_ids
        side.data = [current_user.id]
        # A week ahead, on a working day (not a weekend, holiday or day the kommun closed).
        form.starts_on.data = working_day_on_or_after(local_today() + timedelta(weeks=1))
    _prepare_visit_form(form, company.id if company else None)

    def saved(visit: CompanyVisit) -> str:
        if visit.status == PLANNED:
            return _(
                "Besöket hos %(company)s är sparat. Inbjudan är skickad till deltagarna.",
                company=visit.company.name,
            )
        return _("Besöket hos %(company)s är sparat.", company=visit.company.name)

    # "Sök företag" (no JavaScript): the form again with the choices or the chosen company's hosts, unsaved.
    if (
        posted
        and not picked.searched
        and (
            done := submit(
                form,
                lambda: services.create_visit(
                    form.to_input(company.id if company else None), actor=current_user
                ),
                success=saved,
                redirect_to=lambda visit: url_for("visits.detail", visit_id=visit.id),
            )
        )
    ):
        return done
    if not posted:
        picked.error = ""  # a search from the query string shows its choices without an error
    return render_template("visits/form.html", form=form, visit=None, company=company, picked=picked)


@bp.route("/besok/vardar")
@permission_required(Perm.EDIT_VISITS)
def host_choices():
    """JSON: the active contact persons of `?company_id=`, the visit form's host choices."""
    company_id = request.args.get("company_id", type=int)
    persons = contact_persons(company_id) if company_id else []
    return jsonify([{"id": p.id, "name": p.name, "label": _person_label(p)} for p in persons])


@bp.route("/besok/<int:visit_id>/andra", methods=["GET", "POST"])
@permission_required(Perm.EDIT_VISITS)
def edit(visit_id: int):
    visit = _visit(visit_id)
    if not visit.is_upcoming:
        flash(
            _("Besöket är %(status)s och kan inte ändras.", status=str(visit.status_label).lower()), "error"
        )
        return redirect(url_for("visits.detail", visit_id=visit.id))
    form = VisitForm(obj=visit)
    if request.method == "GET":
        local = to_local(visit.starts_at)
        form.version.data = str(visit.version)
        form.company_id.data = str(visit.company_id)
        form.company.data = visit.company.name
        form.starts_on.data = local.date()
        form.starts_time.data = local.time()
        form.ends_time.data = to_local(visit.ends_at).time()
        form.ledning_ids.data = [p.user_id for p in visit.participants if p.side == LEDNING]
        form.office_ids.data = [p.user_id for p in visit.participants if p.side == OFFICE]
        form.focus_area_ids.data = [a.id for a in visit.focus_areas]
    _prepare_visit_form(form, visit.company_id)
    # Retired focus areas and former participants stay choosable on the visit that has them.
    known = {c.value for c in form.focus_area_ids.choices}
    form.focus_area_ids.choices += options((a.id, a.name) for a in visit.focus_areas if a.id not in known)
    form.ledning_ids.keep(p.user_id for p in visit.participants if p.side == LEDNING)
    form.office_ids.keep(p.user_id for p in visit.participants if p.side == OFFICE)
    if done := submit(
        form,
        lambda: services.update_visit(
            visit,
            form.to_input(_company_id_of(form)),
            actor=current_user,
            expected_version=form.expected_version,
        ),
        success=_("Besöket är ändrat."),
        redirect_to=url_for("visits.detail", visit_id=visit.id),
    ):
        return done
    return render_template("visits/form.html", form=form, visit=visit, company=visit.company)


@bp.route("/besok/<int:visit_id>/stall-in", methods=["POST"])
@permission_required(Perm.EDIT_VISITS)
def cancel(visit_id: int):
    visit = _visit(visit_id)
    form = CancelForm()
    back = url_for("visits.detail", visit_id=visit_id)
    if not form.validate_on_submit():
        flash(_("Besöket kunde inte ställas in. Försök igen."), "error")
        return redirect(back)
    return submit(
        None,
        lambda: services.cancel_visit(
            visit, actor=current_user, reason=form.reason.data or "", expected_version=form.expected_version
        ),
        success=_("Besöket är inställt. Deltagarna får en avbokning."),
        redirect_to=back,
        errors_to=back,
    )


@bp.route("/besok/<int:visit_id>/inbjudan.ics")
@permission_required(Perm.VIEW_VISITS)
def ics(visit_id: int):
    visit = _visit(visit_id)
    if not visit.is_upcoming and visit.status != CANCELLED:
        flash(_("Besöket är redan genomfört."), "info")
        return redirect(url_for("visits.detail", visit_id=visit.id))
    body = invitations.build_invitation(visit, cancelled=visit.status == CANCELLED)
    method = "CANCEL" if visit.status == CANCELLED else "REQUEST"
    return file_response(
        body,
        f"{ICS_TYPE}; method={method}",
        f"besök-{visit.id}.ics",  # untranslated: the Swedish .ics's file name
    )


def _prepare_record_form(form: RecordForm, visit: CompanyVisit) -> None:
    areas = selectable_focus_areas()
    form.focus_area_id.choices = options([(None, _("– Välj –"))] + [(a.id, a.name) for a in areas])
    form.other_focus_area_ids.choices = options((a.id, a.name) for a in areas)


@bp.route("/besok/<int:visit_id>/registrera", methods=["GET", "POST"])
@permission_required(Perm.EDIT_VISITS)
def record(visit_id: int):
    visit = _visit(visit_id)
    if not visit.is_upcoming:
        flash(_("Besöket är %(status)s.", status=str(visit.status_label).lower()), "info")
        return redirect(url_for("visits.detail", visit_id=visit.id))
    form = RecordForm()
    if request.method == "GET":
        form.version.data = str(visit.version)
        if visit.focus_areas:
            form.focus_area_id.data = visit.focus_areas[0].id
            form.other_focus_area_ids.data = [a.id for a in visit.focus_areas[1:]]
    if request.method == "POST" and "more" in request.form and len(form.promises) < MAX_PROMISE_ROWS:
        # "Fler rader" without JavaScript: show the form again with one more empty row.
        form.promises.append_entry()
        _prepare_record_form(form, visit)
        return render_template("visits/record.html", form=form, visit=visit)
    _prepare_record_form(form, visit)

    def recorded(_visit: CompanyVisit) -> str:
        n = len(form.to_input().promises)
        if not n:
            return _("Besöket är registrerat som kontakt.")
        return ngettext(
            # The Swedish text was always the plural form ("1 löften"): kept as it was.
            "Besöket är registrerat som kontakt och %(num)s löften är uppföljningar.",
            "Besöket är registrerat som kontakt och %(num)s löften är uppföljningar.",
            n,
        )

    if done := submit(
        form,
        lambda: services.record_visit(
            visit, form.to_input(), actor=current_user, expected_version=form.expected_version
        ),
        success=recorded,
        redirect_to=url_for("visits.detail", visit_id=visit.id),
    ):
        return done
    return render_template("visits/record.html", form=form, visit=visit)


# ---------------------------------------------------------------------------------------------
# The brief


def _render_brief(company_id: int, visit: CompanyVisit | None):
    brief = build_brief(company_id, actor=current_user, visit=visit)
    # A brief compiles much of what we know about a company: opening it is logged.
    audit.record(
        current_user,
        "view",
        "companies",
        company_id,
        summary=f"Besöksunderlag visat{f' (besök {visit.id})' if visit else ''}",  # untranslated: audit trail
    )
    # Rendered before committing: the commit expires every loaded object, and the brief's
    # relationships are loaded eagerly once (lazy="raise" elsewhere).
    return render_committed("visits/brief.html", brief=brief, printed_at=utcnow(), DONE=DONE)


@bp.route("/besok/<int:visit_id>/underlag")
@permission_required(Perm.VIEW_VISITS)
def brief(visit_id: int):
    visit = _visit(visit_id)
    return _render_brief(visit.company_id, visit)


@bp.route("/besok/foretag/<int:company_id>/underlag")
@permission_required(Perm.VIEW_VISITS)
def company_brief(company_id: int):
    return _render_brief(company_id, None)


# ---------------------------------------------------------------------------------------------
# Admin: the yearly target (the question bank is a catalogue screen: question_bank.py)


@bp.route("/admin/besok/mal", methods=["GET", "POST"])
@permission_required(Perm.MANAGE_CATALOGUES)
def targets():
    form = TargetForm()
    if request.method == "GET":
        form.year.data = local_today().year
    if done := submit(
        form,
        lambda: services.set_target(form.year.data, form.target_count.data, actor=current_user),
        success=lambda _target: _("Målet för %(year)s är sparat.", year=form.year.data),
        redirect_to=url_for("visits.targets"),
    ):
        return done
    return render_template("visits/targets.html", form=form, targets=queries.targets())
