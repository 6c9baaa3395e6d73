"""Lots-case screens on blueprint "cases": lists and export, intake and editing, and the case
page with its status and note forms. The case page's other forms post to their own modules on
the same blueprint: permit rows (permit_views), actions and referrals (action_views), lotsmöten
(meeting_views) and survey results (survey_views, also the public survey page on blueprint
"survey"). The admin case-type catalogue is here too. Views are thin: parse, call a service
through app.core.web.submit (which commits or rolls back), redirect."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app.auth import userpick
from app.auth.decorators import permission_required
from app.cases import permits, queries, rules, services, surveys, workflow
from app.cases.deadlines import STATE_LABELS
from app.cases.forms import (
    ActionForm,
    ActionResultForm,
    CaseForm,
    NoteForm,
    PermitForm,
    ReferralForm,
    ReferralOutcomeForm,
    SimpleForm,
    StatusForm,
)
from app.cases.queries import VIEWS, CaseFilter
from app.core.calendar import working_day_on_or_after
from app.core.downloads import spreadsheet_response
from app.core.forms import filter_arg, filter_id, options
from app.core.permissions import Perm, can
from app.core.time import local_today, to_local
from app.core.web import flash_form_errors, page_arg, render_committed, submit
from app.extensions import db

bp = Blueprint("cases", __name__, url_prefix="/arenden")


def editable_case(case_id: int):
    """The case, if the user may change it (403 otherwise; 404 when there is none)."""
    case = queries.get_case_or_404(case_id)
    if not rules.can_edit(current_user, case):
        abort(403)
    return case


def case_url(case, anchor: str) -> str:
    return url_for("cases.detail", case_id=case.id, _anchor=anchor)


@bp.app_context_processor
def _case_helpers():
    return {
        "CASE_STATUS_LABELS": workflow.STATUS_LABELS,
        "CASE_OUTCOME_LABELS": workflow.OUTCOME_LABELS,
        "DEADLINE_LABELS": STATE_LABELS,
    }


# --------------------------------------------------------------------------- lists, export


def _filter() -> CaseFilter:
    # A value absent from the query string means no filter; an unusable one is named on the page.
    args = MultiDict(request.args)
    if args.get("status"):
        args["status"] = workflow.status_code(args["status"])  # a code from before migration 0021
    return CaseFilter(
        view=filter_arg(args, "vy", VIEWS, "oppna", _("Visa")),
        status=filter_arg(args, "status", workflow.STATUS_LABELS, "", _("Status")),
        case_type_id=filter_id(args, "typ", _("Ärendetyp")),
        responsible_id=responsible_filter().data,
    )


def responsible_filter():
    return userpick.filter_field(request.args, "ansvarig", _("Ansvarig"), pool="arenden")


@bp.route("")
@permission_required(Perm.VIEW_CASES)
def list():  # noqa: A001 - endpoint name "cases.list" is fixed by the navigation
    flt = _filter()
    today = local_today()
    near = permits.near_days()
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
    _l("Ärende-id"),
    _l("Rubrik"),
    _l("Företag"),
    _l("Ärendetyp"),
    _l("Status"),
    _l("Utfall"),
    _l("Ansvarig"),
    _l("Prioritet"),
    _l("Inkom"),
    _l("Ålder (dagar)"),
    _l("Avslutat"),
    _l("Diarienummer"),
    _l("Närmaste frist"),
    _l("Fristläge"),
]


def _export_rows(flt: CaseFilter, user):
    today = local_today()
    near = permits.near_days()
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
                str(case.status_label),
                str(case.outcome_label),
                case.responsible.name,
                str(case.priority_label),
                case.intake_on,
                case.age_days(today),
                to_local(case.closed_at).date() if case.closed_at else None,
                case.diarienummer,
                flag[0] if flag else None,
                str(STATE_LABELS[flag[1]]) if flag else "",
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
    summary = f"Export av lotsärenden ({flt.view}, {fmt})"  # untranslated: audit trail
    audit.record(current_user, "export", "lots_cases", None, summary=summary)
    db.session.commit()
    return spreadsheet_response(
        fmt,
        [str(header) for header in EXPORT_HEADERS],
        _export_rows(flt, current_user._get_current_object()),
        name=_("lotsärenden-%(date)s", date=stamp),
        sheet_title=_("Lotsärenden"),
    )


# --------------------------------------------------------------------------- new, edit


def _fill_case_form(form: CaseForm, company_id: int | None, case=None) -> None:
    from app.companies.queries import contact_persons
    from app.strategy.queries import list_focus_areas, selectable_focus_areas

    types = queries.case_types(include_retired=False)
    if case is not None and all(t.id != case.case_type_id for t in types):
        types.append(case.case_type)
    form.case_type_id.choices = options([(None, _("Välj ärendetyp"))] + [(t.id, t.name) for t in types])
    areas = selectable_focus_areas()
    if case is not None and all(a.id != case.focus_area_id for a in areas):
        areas += [a for a in list_focus_areas() if a.id == case.focus_area_id]
    form.focus_area_id.choices = options([(None, _("Välj fokusområde"))] + [(a.id, a.label) for a in areas])
    people = contact_persons(company_id) if company_id else []
    form.contact_person_id.choices = options(
        [(None, _("Ingen vald"))] + [(p.id, p.name + (f" ({p.email})" if p.email else "")) for p in people]
    )
    if case is not None:
        # Who is already on the case stays, even if since deactivated.
        form.responsible_user_id.keep([case.responsible_user_id])
        form.participant_ids.keep(u.id for u in queries.participants(case.id))


@bp.route("/nytt", methods=["GET", "POST"])
@permission_required(Perm.EDIT_CASES)
def new():
    from app.companies import picker

    posted = request.method == "POST"
    picked = picker.read_request(actor=current_user, where="nytt lotsärende")  # untranslated: audit
    if (to_company_form := picker.new_company_redirect(picked, "cases.new")) is not None:
        return to_company_form
    # Back from "Nytt företag": the fields the user had typed come back in the query string.
    carried = picker.carried_formdata(request.args) if not posted else None
    form = CaseForm(formdata=carried) if carried is not None else CaseForm()
    _fill_case_form(form, picked.id)
    form.company_id.data = str(picked.id or "")
    if not posted and carried is None:
        form.responsible_user_id.data = current_user.id
        form.intake_on.data = local_today()
    if (
        posted
        and not picked.searched
        and (
            done := submit(
                form,
                lambda: services.create_case(form.to_input(), actor=current_user),
                success=lambda case: _("Ärendet ”%(title)s” är registrerat.", title=case.title),
                redirect_to=lambda case: url_for("cases.detail", case_id=case.id),
            )
        )
    ):
        return done
    if not posted:
        picked.error = ""  # a search from the query string shows its choices without an error
    return render_template("cases/form.html", form=form, company=picked.company, case=None, picked=picked)


@bp.route("/<int:case_id>/andra", methods=["GET", "POST"])
@permission_required(Perm.EDIT_CASES)
def edit(case_id: int):
    case = editable_case(case_id)
    form = CaseForm(obj=case)
    _fill_case_form(form, case.company_id, case)
    if request.method == "GET":
        form.participant_ids.data = [u.id for u in queries.participants(case.id)]
        form.company_id.data = str(case.company_id)
    if done := submit(
        form,
        lambda: services.update_case(
            case, form.to_input(), actor=current_user, expected_version=form.expected_version
        ),
        success=_("Ärendet är sparat."),
        redirect_to=url_for("cases.detail", case_id=case.id),
    ):
        return done
    return render_template("cases/form.html", form=form, company=case.company, case=case)


# --------------------------------------------------------------------------- the case page


def _detail_context(case, **forms) -> dict:
    from app.catalogues.queries import list_partners, list_permit_types
    from app.companies.queries import contact_persons

    today = local_today()
    full = services.read_case(case, actor=current_user)
    context = {
        "case": case,
        "full": full,
        "today": today,
        "title": case.title if full else rules.RESTRICTED_TITLE,
    }
    if not full:
        return context
    may_edit = rules.can_edit(current_user, case)
    status_form = forms.get("status_form") or StatusForm()
    status_form.status.choices = options(
        (s, workflow.status_label(s)) for s in workflow.allowed_targets(case.status)
    )
    if not forms.get("status_form"):
        status_form.version.data = case.version
    permit_form = forms.get("permit_form") or PermitForm(prefix="permit")
    permit_form.permit_type_id.choices = options(
        [(None, _("Välj tillstånd"))] + [(p.id, p.name) for p in list_permit_types(include_retired=False)]
    )
    action_form = forms.get("action_form") or ActionForm(prefix="action")
    if not forms.get("action_form"):
        action_form.assignee_id.data = current_user.id
        action_form.due_on.data = working_day_on_or_after(today + timedelta(weeks=1))
    referral_form = forms.get("referral_form") or ReferralForm()
    referral_form.partner_id.choices = options(
        [(None, _("Välj partner"))] + [(p.id, p.name) for p in list_partners(include_retired=False)]
    )
    context.update(
        may_edit=may_edit and case.is_open,
        may_reopen=may_edit and not case.is_open,
        participants=queries.participants(case.id),
        history=queries.history(case.id),
        permits=queries.permit_rows(case, today=today, near_days=permits.near_days()),
        actions=queries.actions(case.id),
        referrals=queries.referrals(case.id),
        contacts=_shown_contacts(queries.linked_contacts(case.id)),
        meetings=queries.meetings(case.id),
        invitation=queries.survey_invitation(case.id),
        survey_recipient=surveys.survey_recipient(case),
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
    case = queries.get_case_or_404(case_id)
    # Committed after rendering: the audit "view" event of a restricted case.
    return render_committed("cases/detail.html", **_detail_context(case))


def rerender(case_id: int, **forms):
    """The case page again with a form that was refused (its errors shown), status 400. The
    case is loaded anew: a refused service call was rolled back."""
    case = queries.get_case_or_404(case_id)
    return render_committed("cases/detail.html", **_detail_context(case, **forms)), 400


@bp.route("/<int:case_id>/status", methods=["POST"])
@permission_required(Perm.EDIT_CASES)
def change_status(case_id: int):
    case = editable_case(case_id)
    form = StatusForm()
    form.status.choices = options((s, workflow.status_label(s)) for s in workflow.STATUS_LABELS)
    back = case_url(case, "arendestatus")
    if not form.validate_on_submit():
        # An invalid post goes back with the reasons (never a silent redirect); a change the
        # service refuses is shown on the form below (submit validates once more: cheap).
        flash_form_errors(form)
        return redirect(back)
    change = services.StatusChange(
        status=form.status.data,
        outcome=form.outcome.data or None,
        note=form.note.data or "",
        send_survey=bool(form.send_survey.data),
    )
    return submit(
        form,
        lambda: services.change_status(
            case, change, actor=current_user, expected_version=form.expected_version
        ),
        success=lambda changed: _("Ärendet har status ”%(status)s”.", status=changed.status_label),
        redirect_to=back,
    ) or rerender(case_id, status_form=form)


@bp.route("/<int:case_id>/anteckning", methods=["POST"])
@permission_required(Perm.EDIT_CASES)
def add_note(case_id: int):
    case = editable_case(case_id)
    form = NoteForm()
    return submit(
        form,
        lambda: services.add_note(case, form.text.data, kind=form.kind.data, actor=current_user),
        success=_("Anteckningen är sparad."),
        redirect_to=case_url(case, "historik"),
    ) or rerender(case_id, note_form=form)
