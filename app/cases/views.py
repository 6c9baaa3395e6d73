"""Lots-case screens: lists and export, intake, the case page with its forms (status, notes,
permit rows, actions, referrals, meetings), .ics downloads, survey results, the admin case-type
catalogue, and the public survey page (blueprint "survey", no sign-in). Thin: parse, call a
service, commit, redirect."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth import userpick
from app.auth.decorators import permission_required
from app.cases import queries, services, workflow
from app.cases.forms import (
    ActionForm,
    ActionResultForm,
    CaseForm,
    MeetingForm,
    NoteForm,
    PermitForm,
    ReferralForm,
    ReferralOutcomeForm,
    SimpleForm,
    StatusForm,
)
from app.cases.models import PERMIT_OUTCOMES
from app.cases.queries import VIEWS, CaseFilter
from app.cases.statutory import STATE_LABELS
from app.cases.survey import FACTOR_FIELDS, NKI_FIELDS, NKI_QUESTIONS, SERVICE_FACTORS, parse_scale
from app.cases.surveys import (
    ALREADY_ANSWERED,
    SurveyAnswer,
    invitation_for_token,
    submit_answer,
    survey_results,
)
from app.core.calendar import working_day_on_or_after
from app.core.downloads import ICS_TYPE, file_response, spreadsheet_response
from app.core.errors import Conflict, DomainError, NotFound
from app.core.permissions import Perm, can
from app.core.time import local_today, to_local
from app.core.web import apply_errors, page_arg
from app.extensions import db

bp = Blueprint("cases", __name__, url_prefix="/arenden")
public_bp = Blueprint("survey", __name__)


def _version(form) -> int | None:
    value = form.version.data
    return int(value) if value and str(value).isdigit() else None


def _case_or_404(case_id: int):
    try:
        return queries.get_case_or_404(case_id)
    except NotFound:
        abort(404)


def _editable_case_or_403(case_id: int):
    case = _case_or_404(case_id)
    if not services.can_edit(current_user, case):
        abort(403)
    return case


@bp.app_context_processor
def _case_helpers():
    return {
        "CASE_STATUS_LABELS": workflow.STATUS_LABELS,
        "CASE_OUTCOME_LABELS": workflow.OUTCOME_LABELS,
        "DEADLINE_LABELS": STATE_LABELS,
    }


# --------------------------------------------------------------------------- lists, export


def _filter() -> CaseFilter:
    view = request.args.get("vy", "oppna")
    if view not in VIEWS:
        view = "oppna"

    def _int(name: str) -> int | None:
        value = request.args.get(name, "")
        return int(value) if value.isdigit() else None

    status = request.args.get("status", "")
    return CaseFilter(
        view=view,
        status=status if status in workflow.STATUS_LABELS else "",
        case_type_id=_int("typ"),
        responsible_id=responsible_filter().data,
    )


def responsible_filter():
    return userpick.filter_field(request.args, "ansvarig", "Ansvarig", pool="arenden")


@bp.route("")
@permission_required(Perm.VIEW_CASES)
def list():  # noqa: A001 - endpoint name "cases.list" is fixed by the navigation
    flt = _filter()
    today = local_today()
    near = services.near_days()
    page = queries.list_cases(flt, user=current_user, today=today, near_days=near, page=page_arg())
    shown = services.shown_cases(current_user, [*page.items])
    # Permit rows inherit their case's restriction: no deadline of a case the reader may not read.
    readable = [c.id for c in shown if not getattr(c, "masked", False)]
    return render_template(
        "cases/list.html",
        flt=flt,
        page=dataclasses.replace(page, items=shown),
        views=VIEWS,
        today=today,
        flags=queries.deadline_flags(readable, today=today, near_days=near),
        case_types=queries.case_types(),
        responsible=responsible_filter(),
        export_args={k: v for k, v in request.args.items() if k != "page"},
    )


EXPORT_HEADERS = [
    "Ärende-id", "Rubrik", "Företag", "Ärendetyp", "Status", "Utfall", "Ansvarig", "Prioritet",
    "Inkom", "Ålder (dagar)", "Avslutat", "Diarienummer", "Närmaste frist", "Fristläge",
]


def _export_rows(flt: CaseFilter, user):
    today = local_today()
    near = services.near_days()
    batch: list = []

    def flush(rows):
        # An export leaves the system: judged as read by nobody (app.core.restriction), so a
        # restricted case has neither its title nor its permit deadlines in it.
        rows = services.shown_cases(None, rows)
        flags = queries.deadline_flags(
            [c.id for c in rows if not getattr(c, "masked", False)], today=today, near_days=near
        )
        for case in rows:
            flag = flags.get(case.id)
            yield [
                case.id,
                case.title,
                case.company.name,
                case.case_type.name,
                case.status_label,
                case.outcome_label,
                case.responsible.name,
                case.priority_label,
                case.intake_on,
                case.age_days(today),
                to_local(case.closed_at).date() if case.closed_at else None,
                case.diarienummer,
                flag[0] if flag else None,
                STATE_LABELS[flag[1]] if flag else "",
            ]

    for case in queries.export_cases(flt, user=user, today=today, near_days=near):
        batch.append(case)
        if len(batch) >= 500:
            yield from flush(batch)
            batch = []
    if batch:
        yield from flush(batch)


@bp.route("/export.<any(csv, xlsx):fmt>")
@permission_required(Perm.VIEW_CASES)
def export(fmt: str):
    from app.audit import services as audit

    flt = _filter()
    stamp = local_today().isoformat()
    audit.record(current_user, "export", "lots_cases", None, summary=f"Export av lotsärenden ({flt.view}, {fmt})")
    db.session.commit()
    return spreadsheet_response(
        fmt, EXPORT_HEADERS, _export_rows(flt, current_user._get_current_object()), name=f"lotsärenden-{stamp}", sheet_title="Lotsärenden"
    )


# --------------------------------------------------------------------------- new, edit


def _fill_case_form(form: CaseForm, company_id: int | None, case=None) -> None:
    from app.companies.queries import contact_persons
    from app.strategy.queries import list_focus_areas, selectable_focus_areas

    types = queries.case_types(include_retired=False)
    if case is not None and all(t.id != case.case_type_id for t in types):
        types.append(case.case_type)
    form.case_type_id.choices = [(None, "Välj ärendetyp")] + [(t.id, t.name) for t in types]
    areas = selectable_focus_areas()
    if case is not None and all(a.id != case.focus_area_id for a in areas):
        areas += [a for a in list_focus_areas() if a.id == case.focus_area_id]
    form.focus_area_id.choices = [(None, "Välj fokusområde")] + [(a.id, a.label) for a in areas]
    people = contact_persons(company_id) if company_id else []
    form.contact_person_id.choices = [(None, "Ingen vald")] + [
        (p.id, p.name + (f" ({p.email})" if p.email else "")) for p in people
    ]
    if case is not None:
        # Who is already on the case stays, even if since deactivated.
        form.responsible_user_id.keep([case.responsible_user_id])
        form.participant_ids.keep(u.id for u in queries.participants(case.id))


def _company_search(q: str) -> list:
    from app.companies.queries import CompanyFilter, company_select, personal_ids_in
    from app.companies.services import audit_personal_id_lookup

    if not q.strip():
        return []
    audit_personal_id_lookup(current_user, personal_ids_in(q), where="nytt lotsärende")
    return [*db.session.scalars(company_select(CompanyFilter(q=q.strip()[:100])).limit(20))]


@bp.route("/nytt", methods=["GET", "POST"])
@permission_required(Perm.EDIT_CASES)
def new():
    from app.companies.models import Company

    company_id = request.values.get("company_id", type=int)
    company = db.session.get(Company, company_id) if company_id else None
    if company is None or not company.is_live:
        q = request.args.get("q", "")
        return render_template("cases/choose_company.html", q=q, companies=_company_search(q))
    form = CaseForm()
    _fill_case_form(form, company.id)
    if request.method == "GET":
        form.company_id.data = str(company.id)
        form.responsible_user_id.data = current_user.id
        form.intake_on.data = local_today()
    if form.validate_on_submit():
        try:
            case = services.create_case(form.to_input(), actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Ärendet ”{case.title}” är registrerat.", "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/form.html", form=form, company=company, case=None)


@bp.route("/<int:case_id>/andra", methods=["GET", "POST"])
@permission_required(Perm.EDIT_CASES)
def edit(case_id: int):
    case = _editable_case_or_403(case_id)
    form = CaseForm(obj=case)
    _fill_case_form(form, case.company_id, case)
    if request.method == "GET":
        form.participant_ids.data = [u.id for u in queries.participants(case.id)]
        form.company_id.data = str(case.company_id)
    if form.validate_on_submit():
        try:
            services.update_case(case, form.to_input(), actor=current_user, expected_version=_version(form))
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash("Ärendet är sparat.", "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/form.html", form=form, company=case.company, case=case)


# --------------------------------------------------------------------------- the case page


def _detail_context(case, **forms) -> dict:
    from app.catalogues.queries import list_partners, list_permit_types
    from app.companies.queries import contact_persons

    today = local_today()
    full = services.read_case(case, actor=current_user)
    context = {"case": case, "full": full, "today": today, "title": case.title if full else services.RESTRICTED_TITLE}
    if not full:
        return context
    may_edit = services.can_edit(current_user, case)
    status_form = forms.get("status_form") or StatusForm()
    status_form.status.choices = [(s, workflow.status_label(s)) for s in workflow.allowed_targets(case.status)]
    if not forms.get("status_form"):
        status_form.version.data = case.version
    permit_form = forms.get("permit_form") or PermitForm(prefix="permit")
    permit_form.permit_type_id.choices = [(None, "Välj tillstånd")] + [
        (p.id, p.name) for p in list_permit_types(include_retired=False)
    ]
    action_form = forms.get("action_form") or ActionForm(prefix="action")
    if not forms.get("action_form"):
        action_form.assignee_id.data = current_user.id
        action_form.due_on.data = working_day_on_or_after(today + timedelta(weeks=1))
    referral_form = forms.get("referral_form") or ReferralForm()
    referral_form.partner_id.choices = [(None, "Välj partner")] + [
        (p.id, p.name) for p in list_partners(include_retired=False)
    ]
    context.update(
        may_edit=may_edit and case.is_open,
        may_reopen=may_edit and not case.is_open,
        participants=queries.participants(case.id),
        history=queries.history(case.id),
        permits=queries.permit_rows(case, today=today, near_days=services.near_days()),
        actions=queries.actions(case.id),
        referrals=queries.referrals(case.id),
        contacts=_shown_contacts(queries.linked_contacts(case.id)),
        meetings=queries.meetings(case.id),
        invitation=queries.survey_invitation(case.id),
        survey_recipient=services.survey_recipient(case),
        company_people=contact_persons(case.company_id),
        status_form=status_form,
        note_form=forms.get("note_form") or NoteForm(),
        permit_form=permit_form,
        action_form=action_form,
        result_form=ActionResultForm(),
        referral_form=referral_form,
        referral_outcome_form=ReferralOutcomeForm(),
        button_form=SimpleForm(),
        can_edit_followups=can(current_user, Perm.EDIT_FOLLOWUPS),
        has_contacts_view="interactions.new" in _endpoints(),
    )
    return context


def _shown_contacts(contacts: list) -> list:
    """Contacts linked to the case, as the reader may see them (a restricted contact has its
    own participants)."""
    from app.interactions.queries import shown_contacts

    return shown_contacts(current_user, contacts)


def _endpoints() -> set[str]:
    from flask import current_app

    return set(current_app.view_functions)


@bp.route("/<int:case_id>")
@permission_required(Perm.VIEW_CASES)
def detail(case_id: int):
    case = _case_or_404(case_id)
    context = _detail_context(case)
    html = render_template("cases/detail.html", **context)
    db.session.commit()  # the audit "view" event of a restricted case (after rendering: commit expires)
    return html


def _rerender(case, status: int = 400, **forms):
    context = _detail_context(case, **forms)
    html = render_template("cases/detail.html", **context)
    db.session.commit()
    return html, status


@bp.route("/<int:case_id>/status", methods=["POST"])
@permission_required(Perm.EDIT_CASES)
def change_status(case_id: int):
    case = _editable_case_or_403(case_id)
    form = StatusForm()
    form.status.choices = [(s, workflow.status_label(s)) for s in workflow.STATUS_LABELS]
    if form.validate_on_submit():
        change = services.StatusChange(
            status=form.status.data,
            outcome=form.outcome.data or None,
            note=form.note.data or "",
            send_survey=bool(form.send_survey.data),
        )
        try:
            services.change_status(case, change, actor=current_user, expected_version=_version(form))
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
            case = _case_or_404(case_id)
            return _rerender(case, status_form=form)
        db.session.commit()
        flash(f"Ärendet har status ”{case.status_label}”.", "success")
    else:
        # Never a silent redirect: say why nothing changed.
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="arendestatus"))


@bp.route("/<int:case_id>/anteckning", methods=["POST"])
@permission_required(Perm.EDIT_CASES)
def add_note(case_id: int):
    case = _editable_case_or_403(case_id)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            services.add_note(case, form.text.data, kind=form.kind.data, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
            return _rerender(_case_or_404(case_id), note_form=form)
        db.session.commit()
        flash("Anteckningen är sparad.", "success")
        return redirect(url_for("cases.detail", case_id=case.id, _anchor="historik"))
    return _rerender(case, note_form=form)


# --------------------------------------------------------------------------- permit rows


@bp.route("/<int:case_id>/tillstand", methods=["POST"])
@permission_required(Perm.EDIT_CASES)
def permit_add(case_id: int):
    from app.catalogues.queries import list_permit_types

    case = _editable_case_or_403(case_id)
    form = PermitForm(prefix="permit")
    form.permit_type_id.choices = [(None, "Välj")] + [(p.id, p.name) for p in list_permit_types()]
    if form.validate_on_submit():
        try:
            services.add_permit(case, form.to_input(), actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
            return _rerender(_case_or_404(case_id), permit_form=form)
        db.session.commit()
        flash("Tillståndet är tillagt.", "success")
        return redirect(url_for("cases.detail", case_id=case.id, _anchor="tillstand"))
    return _rerender(case, permit_form=form)


@bp.route("/<int:case_id>/tillstand/<int:permit_id>", methods=["GET", "POST"])
@permission_required(Perm.EDIT_CASES)
def permit_edit(case_id: int, permit_id: int):
    from app.catalogues.models import PermitType

    case = _editable_case_or_403(case_id)
    try:
        row = queries.get_permit_or_404(case.id, permit_id)
    except NotFound:
        abort(404)
    permit_type = db.session.get(PermitType, row.permit_type_id)
    form = PermitForm(obj=row)
    form.permit_type_id.choices = [(permit_type.id, permit_type.name)]
    if request.method == "GET":
        form.outcome.data = row.outcome or ""
    if form.validate_on_submit():
        try:
            services.update_permit(
                row, form.to_input(with_unknown_mark=row.request_date_unknown), actor=current_user,
                expected_version=_version(form),
            )
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"{permit_type.name} är sparat.", "success")
            return redirect(url_for("cases.detail", case_id=case.id, _anchor="tillstand"))
    return render_template(
        "cases/permit_form.html", form=form, case=case, row=row, permit_type=permit_type,
        delete_form=SimpleForm(), outcomes=PERMIT_OUTCOMES,
    )


@bp.route("/<int:case_id>/tillstand/<int:permit_id>/ta-bort", methods=["POST"])
@permission_required(Perm.EDIT_CASES)
def permit_remove(case_id: int, permit_id: int):
    case = _editable_case_or_403(case_id)
    try:
        row = queries.get_permit_or_404(case.id, permit_id)
    except NotFound:
        abort(404)
    if SimpleForm().validate_on_submit():
        services.remove_permit(row, actor=current_user)
        db.session.commit()
        flash("Tillståndsraden är borttagen.", "success")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="tillstand"))


# --------------------------------------------------------------------------- actions, referrals


@bp.route("/<int:case_id>/atgarder", methods=["POST"])
@permission_required(Perm.EDIT_CASES)
def action_add(case_id: int):
    case = _editable_case_or_403(case_id)
    form = ActionForm(prefix="action")
    if form.validate_on_submit():
        try:
            services.add_action(case, form.to_input(), actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
            return _rerender(_case_or_404(case_id), action_form=form)
        db.session.commit()
        flash("Åtgärden är lämnad över och finns bland uppföljningarna.", "success")
        return redirect(url_for("cases.detail", case_id=case.id, _anchor="atgarder"))
    return _rerender(case, action_form=form)


@bp.route("/<int:case_id>/atgarder/<int:followup_id>/klar", methods=["POST"])
@permission_required(Perm.EDIT_CASES)
def action_done(case_id: int, followup_id: int):
    case = _editable_case_or_403(case_id)
    form = ActionResultForm()
    if not form.validate_on_submit():
        flash("Skriv vad som kom tillbaka.", "error")
        return redirect(url_for("cases.detail", case_id=case.id, _anchor="atgarder"))
    try:
        services.record_action_result(case, followup_id, form.result.data, actor=current_user)
    except NotFound:
        db.session.rollback()
        abort(404)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash("Återkopplingen är sparad.", "success")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="atgarder"))


@bp.route("/<int:case_id>/hanvisningar", methods=["POST"])
@permission_required(Perm.EDIT_CASES)
def referral_add(case_id: int):
    from app.catalogues.queries import list_partners

    case = _editable_case_or_403(case_id)
    form = ReferralForm()
    form.partner_id.choices = [(None, "Välj")] + [(p.id, p.name) for p in list_partners()]
    if form.validate_on_submit():
        try:
            services.add_referral(
                case, partner_id=form.partner_id.data, reason=form.reason.data,
                referred_on=form.referred_on.data, actor=current_user,
            )
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
            return _rerender(_case_or_404(case_id), referral_form=form)
        db.session.commit()
        flash("Hänvisningen är sparad.", "success")
        return redirect(url_for("cases.detail", case_id=case.id, _anchor="hanvisningar"))
    return _rerender(case, referral_form=form)


@bp.route("/<int:case_id>/hanvisningar/<int:referral_id>/utfall", methods=["POST"])
@permission_required(Perm.EDIT_CASES)
def referral_outcome(case_id: int, referral_id: int):
    case = _editable_case_or_403(case_id)
    form = ReferralOutcomeForm()
    if not form.validate_on_submit():
        flash("Skriv vad hänvisningen ledde till.", "error")
    else:
        try:
            services.record_referral_outcome(case, referral_id, form.outcome.data, actor=current_user)
        except NotFound:
            db.session.rollback()
            abort(404)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash("Utfallet är sparat.", "success")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="hanvisningar"))


# --------------------------------------------------------------------------- meetings


def _fill_meeting_form(form: MeetingForm, case) -> None:
    from app.companies.queries import contact_persons

    form.contact_person_ids.choices = [
        (p.id, p.name + (f" ({p.email})" if p.email else " (ingen e-post)")) for p in contact_persons(case.company_id)
    ]


@bp.route("/<int:case_id>/moten/nytt", methods=["GET", "POST"])
@permission_required(Perm.EDIT_CASES)
def meeting_new(case_id: int):
    from datetime import time

    case = _editable_case_or_403(case_id)
    form = MeetingForm()
    _fill_meeting_form(form, case)
    if request.method == "GET":
        form.day.data = working_day_on_or_after(local_today() + timedelta(days=7))
        form.start.data = time(9, 0)
        form.end.data = time(10, 0)
        form.agenda.data = services.default_agenda(case)
        form.user_ids.data = [u.id for u in [case.responsible, *queries.participants(case.id)]]
        if case.contact_person_id:
            form.contact_person_ids.data = [case.contact_person_id]
    if form.validate_on_submit():
        try:
            meeting = services.create_meeting(case, form.to_input(), actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash("Lotsmötet är planerat. Skicka inbjudan när deltagarna är klara.", "success")
            return redirect(url_for("cases.detail", case_id=case.id, _anchor=f"mote-{meeting.id}"))
    return render_template("cases/meeting_form.html", form=form, case=case, meeting=None)


@bp.route("/<int:case_id>/moten/<int:meeting_id>", methods=["GET", "POST"])
@permission_required(Perm.EDIT_CASES)
def meeting_edit(case_id: int, meeting_id: int):
    case = _editable_case_or_403(case_id)
    try:
        meeting = queries.get_meeting_or_404(case.id, meeting_id)
    except NotFound:
        abort(404)
    users, guests = services.meeting_people(meeting)
    form = MeetingForm(obj=meeting)
    _fill_meeting_form(form, case)
    form.user_ids.keep(u.id for u in users)  # an old participant stays, even if since deactivated
    if request.method == "GET":
        start, end = to_local(meeting.starts_at), to_local(meeting.ends_at)
        form.day.data, form.start.data, form.end.data = start.date(), start.time(), end.time()
        form.user_ids.data = [u.id for u in users]
        form.contact_person_ids.data = [g.contact_person_id for g in guests if g.contact_person_id]
        form.other_guests.data = "\n".join(
            f"{g.name} <{g.email}>" if g.email else g.name for g in guests if not g.contact_person_id
        )
    if form.validate_on_submit():
        try:
            services.update_meeting(meeting, form.to_input(), actor=current_user, expected_version=_version(form))
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash("Mötet är sparat." + (" Skicka en uppdaterad inbjudan." if meeting.invitation_outdated else ""), "success")
            return redirect(url_for("cases.detail", case_id=case.id, _anchor=f"mote-{meeting.id}"))
    return render_template(
        "cases/meeting_form.html", form=form, case=case, meeting=meeting, users=users, guests=guests,
        button_form=SimpleForm(),
    )


@bp.route("/<int:case_id>/moten/<int:meeting_id>/skicka", methods=["POST"])
@permission_required(Perm.EDIT_CASES)
def meeting_send(case_id: int, meeting_id: int):
    case = _editable_case_or_403(case_id)
    try:
        meeting = queries.get_meeting_or_404(case.id, meeting_id)
    except NotFound:
        abort(404)
    if SimpleForm().validate_on_submit():
        try:
            queued = services.send_meeting_invitation(meeting, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(f"Inbjudan ligger i utkorgen till {queued} mottagare." if queued else "Inbjudan var redan skickad.", "success")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor=f"mote-{meeting.id}"))


@bp.route("/<int:case_id>/moten/<int:meeting_id>/stall-in", methods=["POST"])
@permission_required(Perm.EDIT_CASES)
def meeting_cancel(case_id: int, meeting_id: int):
    case = _editable_case_or_403(case_id)
    try:
        meeting = queries.get_meeting_or_404(case.id, meeting_id)
    except NotFound:
        abort(404)
    if SimpleForm().validate_on_submit():
        try:
            services.cancel_meeting(meeting, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash("Mötet är inställt." + (" Deltagarna får ett återbud." if meeting.invited_at else ""), "success")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor=f"mote-{meeting.id}"))


@bp.route("/<int:case_id>/moten/<int:meeting_id>.ics")
@permission_required(Perm.VIEW_CASES)
def meeting_ics(case_id: int, meeting_id: int):
    case = _case_or_404(case_id)
    if not services.can_read(current_user, case):
        abort(403)
    try:
        meeting = queries.get_meeting_or_404(case.id, meeting_id)
    except NotFound:
        abort(404)
    method = "CANCEL" if meeting.is_cancelled else "REQUEST"
    return file_response(services.meeting_ics(meeting, case), f"{ICS_TYPE}; method={method}", f"lotsmöte-{meeting.id}.ics")


# --------------------------------------------------------------------------- survey results


@bp.route("/enkatresultat")
@permission_required(Perm.VIEW_CASES)
def survey_results_page():
    today = local_today()

    def _date(name: str, default: date) -> date:
        try:
            return date.fromisoformat(request.args.get(name, ""))
        except ValueError:
            return default

    start = _date("fran", date(today.year, 1, 1))
    end = _date("till", today)
    error = None
    try:
        results = survey_results(start, end, actor=current_user)
    except DomainError as exc:
        error, results = exc.message, survey_results(end, end, actor=current_user)
    return render_template(
        "cases/survey_results.html", results=results, start=start, end=end, error=error,
        factors=SERVICE_FACTORS,
    )


# --------------------------------------------------------------------------- public survey


def _survey_values() -> tuple[SurveyAnswer, dict[str, str]]:
    errors: dict[str, str] = {}
    values: dict[str, int | None] = {}
    for name in NKI_FIELDS + FACTOR_FIELDS:
        try:
            values[name] = parse_scale(request.form.get(name), required=name in NKI_FIELDS)
        except ValueError:
            values[name] = None
            errors[name] = "Välj ett alternativ." if name in NKI_FIELDS else "Välj ett giltigt alternativ."
    answer = SurveyAnswer(
        q_overall=values["q_overall"],
        q_expectations=values["q_expectations"],
        q_ideal=values["q_ideal"],
        factors={name: values[name] for name in FACTOR_FIELDS},
        free_text=(request.form.get("free_text") or "")[:5000],
    )
    return answer, errors


@public_bp.route("/enkat/<token>", methods=["GET", "POST"])
def answer(token: str):
    """The public survey page: no sign-in, Swedish, works without JavaScript. The token is
    never logged or shown; referrer is off so it does not leak to linked pages."""
    try:
        invitation = invitation_for_token(token)
    except NotFound:
        return render_template("cases/survey_message.html", title="Länken fungerar inte",
                               message="Länken till enkäten är ogiltig eller har gått ut."), 404
    if invitation.used_at is not None:
        return _already_answered()
    form = SimpleForm()
    errors: dict[str, str] = {}
    submitted: dict[str, str] = {}
    if request.method == "POST":
        submitted = {k: v for k, v in request.form.items() if k != "csrf_token"}
        if not form.validate_on_submit():
            errors["form"] = "Formuläret hade gått ut. Skicka igen."
        else:
            answer_, errors = _survey_values()
            if not errors:
                try:
                    submit_answer(token, answer_)
                except Conflict:
                    db.session.rollback()
                    return _already_answered()
                except DomainError as exc:
                    db.session.rollback()
                    errors[exc.field or "form"] = exc.message
                else:
                    db.session.commit()
                    return _no_referrer(render_template(
                        "cases/survey_message.html", title="Tack för dina svar!",
                        message="Dina svar hjälper oss att bli bättre på att hjälpa företag.",
                    ))
    response = render_template(
        "cases/survey.html", form=form, questions=NKI_QUESTIONS, factors=SERVICE_FACTORS,
        errors=errors, submitted=submitted, scale=range(1, 11),
    )
    return _no_referrer(response, 400 if errors else 200)


def _already_answered():
    return _no_referrer(render_template(
        "cases/survey_message.html", title=ALREADY_ANSWERED,
        message="Tack! Den här enkäten har redan besvarats, och varje länk kan bara användas en gång.",
    ), 409)


def _no_referrer(body, status: int = 200) -> Response:
    from flask import make_response

    response = make_response(body, status)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response
