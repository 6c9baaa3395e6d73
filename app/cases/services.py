"""Lots cases: intake, editing, the status workflow, notes, permit rows, actions, referrals,
lotsmöten with invitations, and the satisfaction survey.

Rules kept here (not in forms or views):

* Status changes follow app.cases.workflow (closing needs an outcome, reopening a reason);
  every change writes a CaseEvent (the case's and the company's timeline) and an audit event.
* Restriction ("kan innehålla uppgifter som omfattas av sekretess"), as for contacts: a
  restricted case shows its title, description and history only to its responsible lots, its
  participants and roles with Perm.VIEW_RESTRICTED; each such read is audited (action "view").
  Others with Perm.VIEW_CASES see it summarised ("Lotsärende med begränsad åtkomst").
* Permit rows keep their statutory clock dates denormalised (see app.cases.models).
* Actions handed to a department or a person are follow-ups (app.followups) with `case_id`;
  what came back is the follow-up's done note and a "returned" CaseEvent.
* Referrals are the contact log's Referral rows with `case_id` (app.interactions).
* Lotsmöten: every change raises `sequence`; invitations go through the outbox with the .ics
  attached; cancelling a meeting whose invitation went out sends METHOD:CANCEL to the same
  people.
* Closing a case may create a SurveyInvitation for the case's contact person (see
  app.cases.surveys for sending and answering).

Every function takes `actor` (and `now` where time matters), checks permissions, flushes and
never commits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm.attributes import set_committed_value

from app.audit import services as audit
from app.auth.models import User
from app.cases import workflow
from app.cases.calendar import MeetingInvite, Person, build_meeting_ics, meeting_uid
from app.cases.models import (
    INTAKE_CHANNELS,
    PERMIT_OUTCOMES,
    PRIORITIES,
    CaseEvent,
    CasePermit,
    CaseType,
    LotsCase,
    LotsMeeting,
    LotsMeetingGuest,
    SurveyInvitation,
    lots_case_participants,
)
from app.cases.statutory import (
    DEFAULT_NEAR_DAYS,
    PermitDates,
    StatutoryTime,
    apply_by,
    clock_start,
    expected_decision_on,
)
from app.catalogues.models import PermitType
from app.catalogues.services import ensure_permit_type_selectable
from app.companies.models import Company, ContactPerson
from app.core import restriction
from app.core.clock_hooks import ClockImpact
from app.core.db import check_version
from app.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.core.permissions import Perm, can, require
from app.core.time import local_today, utcnow
from app.extensions import db
from app.strategy.models import FocusArea
from app.strategy.services import ensure_selectable

RESTRICTED_TITLE = restriction.neutral("case")
MAX_MEETING = timedelta(hours=12)
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


# ---------------------------------------------------------------------------------------------
# Settings


def near_days() -> int:
    """How many days before a deadline it counts as near (LOTSBOK_STATUTORY_NEAR_DAYS)."""
    return int(current_app.config.get("LOTSBOK_STATUTORY_NEAR_DAYS", DEFAULT_NEAR_DAYS))


def survey_delay() -> timedelta:
    """How long after closing the survey is sent (LOTSBOK_SURVEY_DELAY_DAYS, default 3)."""
    return timedelta(days=int(current_app.config.get("LOTSBOK_SURVEY_DELAY_DAYS", 3)))


def calendar_host() -> str:
    """The host part of lotsmöte UIDs: BASE_URL's host name (stable per installation)."""
    return urlsplit(current_app.config["BASE_URL"]).hostname or "lotsbok.local"


# ---------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class CaseInput:
    """A new case or an edit. responsible_user_id None means the actor; intake_on None today."""

    company_id: int | None
    title: str
    case_type_id: int | None
    focus_area_id: int | None
    description: str = ""
    contact_person_id: int | None = None
    priority: str = "normal"
    responsible_user_id: int | None = None
    participant_ids: tuple[int, ...] = ()
    intake_channel: str | None = None
    intake_on: date | None = None
    diarienummer: str = ""
    is_restricted: bool = False
    event_date: date | None = None
    event_place: str = ""
    organiser: str = ""
    expected_visitors: int | None = None


@dataclass(frozen=True)
class StatusChange:
    status: str
    outcome: str | None = None
    note: str = ""
    send_survey: bool = True


@dataclass(frozen=True)
class PermitInput:
    """A permit row. `completion_requested_on` (föreläggande om komplettering) and
    `own_initiative_on` only for permit types under PBL's three-week rule.
    `request_date_unknown` None keeps the row's stored mark (see CasePermit)."""

    permit_type_id: int | None
    authority: str = ""
    submitted_on: date | None = None
    complete_on: date | None = None
    completion_requested_on: date | None = None
    own_initiative_on: tuple[date, ...] = ()
    request_date_unknown: bool | None = None
    extended: bool = False
    decision_on: date | None = None
    outcome: str | None = None
    note: str = ""


@dataclass(frozen=True)
class ActionInput:
    """An action handed to a person (a user) – optionally naming the department – with a due date."""

    title: str
    due_on: date | None
    assignee_id: int | None = None
    handed_to: str = ""
    note: str = ""


@dataclass(frozen=True)
class Guest:
    name: str
    email: str = ""
    contact_person_id: int | None = None


@dataclass(frozen=True)
class MeetingInput:
    starts_at: datetime | None
    ends_at: datetime | None
    place: str = ""
    agenda: str = ""
    minutes: str = ""
    user_ids: tuple[int, ...] = ()
    contact_person_ids: tuple[int, ...] = ()
    other_guests: tuple[Guest, ...] = field(default=())


# ---------------------------------------------------------------------------------------------
# Who may see and do what


def can_read(actor: User | None, case: LotsCase) -> bool:
    """May `actor` open the case and see its content (title, description, history, permits,
    meetings)? VIEW_CASES, and the one rule for restricted records (app.core.restriction)."""
    return can(actor, Perm.VIEW_CASES) and restriction.may_read(actor, "case", case)


def can_edit(actor: User | None, case: LotsCase) -> bool:
    return can(actor, Perm.EDIT_CASES) and can_read(actor, case)


def shown_cases(actor: User | None, cases: Sequence[LotsCase]) -> list:
    """The cases as `actor` may see them: a restricted case the actor may not read is masked
    (title "Lotsärende med begränsad åtkomst", no description, no event fields); one it may
    read is an audited read. One query for a page."""
    verdicts = restriction.judge(actor, cases, case=lambda c: c.id)
    return [
        restriction.shown(
            actor, v, c, title=RESTRICTED_TITLE, description="", event_place="", organiser="",
        )
        for v, c in zip(verdicts, cases, strict=True)
    ]


def read_case(case: LotsCase, *, actor: User, now: datetime | None = None) -> bool:
    """Open a case for `actor`: True if the full content may be shown, False for the summary.

    A full read of a restricted case is recorded in the audit trail (action "view") in the
    caller's transaction. Raises PermissionDenied without VIEW_CASES.
    """
    require(actor, Perm.VIEW_CASES)
    if not can_read(actor, case):
        return False
    if case.is_restricted:
        restriction.record_read(actor, "case", case.id, where="ärendets sida")
        db.session.flush()
    return True


def _require_edit(actor: User, case: LotsCase) -> None:
    require(actor, Perm.EDIT_CASES)
    if not can_read(actor, case):
        raise PermissionDenied("Ärendet har begränsad åtkomst och kan bara ändras av dess deltagare.")


def _require_open(case: LotsCase) -> None:
    if not case.is_open:
        raise Conflict("Ärendet är avslutat. Öppna det igen för att ändra det.")


# ---------------------------------------------------------------------------------------------
# Validation helpers


def _company(company_id: int | None) -> Company:
    company = db.session.get(Company, company_id) if company_id else None
    if company is None or company.deleted_at is not None:
        raise ValidationError("Välj ett företag.", field="company_id")
    if company.merged_into_id is not None:
        raise ValidationError("Företaget har slagits samman med ett annat; välj det.", field="company_id")
    return company


def _case_type(case_type_id: int | None, existing: LotsCase | None) -> CaseType:
    case_type = db.session.get(CaseType, case_type_id) if case_type_id else None
    if case_type is None:
        raise ValidationError("Välj en ärendetyp.", field="case_type_id")
    keeps_old = existing is not None and existing.case_type_id == case_type.id
    if case_type.retired_at is not None and not keeps_old:
        raise ValidationError(
            f"Ärendetypen ”{case_type.name}” används inte längre för nya ärenden.", field="case_type_id"
        )
    return case_type


def _focus_area(focus_area_id: int | None, existing: LotsCase | None) -> FocusArea:
    area = db.session.get(FocusArea, focus_area_id) if focus_area_id else None
    if existing is not None and area is not None and area.id == existing.focus_area_id:
        return area  # an old case keeps its (possibly retired) focus area
    return ensure_selectable(area)


def _active_user(user_id: int | None, field_name: str, *, perm: Perm) -> User:
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.is_active or not can(user, perm):
        raise ValidationError("Välj en aktiv användare med behörighet.", field=field_name)
    return user


def _participants(ids: Sequence[int], existing: Sequence[User] = ()) -> list[User]:
    """Active users (from any department); ones already on the record may stay if deactivated."""
    if not ids:
        return []
    kept = {u.id for u in existing}
    users = list(db.session.scalars(sa.select(User).where(User.id.in_(set(ids)))))
    if len(users) != len(set(ids)) or any(not u.is_active and u.id not in kept for u in users):
        raise ValidationError("Välj aktiva användare som deltagare.", field="participant_ids")
    return sorted(users, key=lambda u: u.name)


def _contact_person(person_id: int | None, company: Company) -> ContactPerson | None:
    if not person_id:
        return None
    person = db.session.get(ContactPerson, person_id)
    if person is None or person.company_id != company.id:
        raise ValidationError("Kontaktpersonen hör inte till företaget.", field="contact_person_id")
    return person


def _past_or_today(value: date | None, today: date, field_name: str, label: str) -> None:
    if value is not None and value > today:
        raise ValidationError(f"{label} kan inte ligga i framtiden.", field=field_name)


def _validate_case(data: CaseInput, today: date) -> None:
    title = data.title.strip()
    if not title:
        raise ValidationError("Ge ärendet en rubrik.", field="title")
    if len(title) > 200:
        raise ValidationError("Rubriken får vara högst 200 tecken.", field="title")
    if data.priority not in PRIORITIES:
        raise ValidationError("Välj en prioritet.", field="priority")
    if data.intake_channel and data.intake_channel not in INTAKE_CHANNELS:
        raise ValidationError("Välj en kanal.", field="intake_channel")
    _past_or_today(data.intake_on, today, "intake_on", "Datum för inkommet")
    if len(data.diarienummer.strip()) > 40:
        raise ValidationError("Diarienumret får vara högst 40 tecken.", field="diarienummer")
    if data.expected_visitors is not None and data.expected_visitors < 0:
        raise ValidationError("Antalet besökare kan inte vara negativt.", field="expected_visitors")


def _apply_case(case: LotsCase, data: CaseInput, case_type: CaseType, today: date) -> None:
    case.title = data.title.strip()
    case.description = data.description.strip()
    case.case_type_id = case_type.id
    case.priority = data.priority
    case.intake_channel = data.intake_channel or None
    case.intake_on = data.intake_on or case.intake_on or today
    case.diarienummer = data.diarienummer.strip()
    case.is_restricted = data.is_restricted
    if case_type.is_event:
        case.event_date = data.event_date
        case.event_place = data.event_place.strip()
        case.organiser = data.organiser.strip()
        case.expected_visitors = data.expected_visitors
    else:
        # The event fields belong to evenemang cases only; other types never keep them.
        case.event_date = None
        case.event_place = ""
        case.organiser = ""
        case.expected_visitors = None


def _event(
    case: LotsCase,
    kind: str,
    *,
    actor: User | None,
    now: datetime,
    text: str = "",
    from_status: str | None = None,
    to_status: str | None = None,
    outcome: str | None = None,
) -> CaseEvent:
    event = CaseEvent(
        case_id=case.id,
        at=now,
        kind=kind,
        actor_id=actor.id if actor else None,
        from_status=from_status,
        to_status=to_status,
        outcome=outcome,
        text=text,
    )
    db.session.add(event)
    return event


# ---------------------------------------------------------------------------------------------
# Cases


def create_case(data: CaseInput, *, actor: User, now: datetime | None = None) -> LotsCase:
    """Register a new case (status inkommet).

    Raises PermissionDenied, ValidationError. Flushes; the caller commits.
    """
    require(actor, Perm.EDIT_CASES)
    now = now or utcnow()
    today = local_today(now)
    _validate_case(data, today)
    company = _company(data.company_id)
    case_type = _case_type(data.case_type_id, None)
    area = _focus_area(data.focus_area_id, None)
    responsible = _active_user(
        data.responsible_user_id or actor.id, "responsible_user_id", perm=Perm.EDIT_CASES
    )
    person = _contact_person(data.contact_person_id, company)
    case = LotsCase(
        company_id=company.id,
        contact_person_id=person.id if person else None,
        focus_area_id=area.id,
        responsible_user_id=responsible.id,
        created_by_id=actor.id,
        status=workflow.CaseStatus.INKOMMET.value,
    )
    _apply_case(case, data, case_type, today)
    case.participants = [u for u in _participants(data.participant_ids) if u.id != responsible.id]
    db.session.add(case)
    db.session.flush()
    _event(case, "created", actor=actor, now=now, text=case.title, to_status=case.status)
    audit.record_create(actor, case, summary=f"Lotsärende ”{case.title}” för {company.name} registrerat")
    return case


def update_case(
    case: LotsCase,
    data: CaseInput,
    *,
    actor: User,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> LotsCase:
    """Edit a case's facts (not its status). The company cannot change (merge moves cases).

    Raises PermissionDenied, StaleEdit, ValidationError. Flushes.
    """
    _require_edit(actor, case)
    check_version(case, expected_version)
    now = now or utcnow()
    today = local_today(now)
    _validate_case(data, today)
    if data.company_id is not None and data.company_id != case.company_id:
        raise ValidationError("Ett ärende kan inte flyttas till ett annat företag.", field="company_id")
    company = _company(case.company_id)
    case_type = _case_type(data.case_type_id, case)
    area = _focus_area(data.focus_area_id, case)
    responsible_id = data.responsible_user_id or case.responsible_user_id
    if responsible_id != case.responsible_user_id:
        _active_user(responsible_id, "responsible_user_id", perm=Perm.EDIT_CASES)
    person = _contact_person(data.contact_person_id, company)
    old_event_date = case.event_date
    current_participants = _load_participants(case)
    participants = [
        u for u in _participants(data.participant_ids, current_participants) if u.id != responsible_id
    ]
    _apply_case(case, data, case_type, today)
    case.focus_area_id = area.id
    case.responsible_user_id = responsible_id
    case.contact_person_id = person.id if person else None
    before = sorted(u.id for u in current_participants)
    after = sorted(u.id for u in participants)
    case.participants = participants
    changes = audit.record_update(actor, case, summary=f"Lotsärende ”{case.title}” ändrat")
    if before != after:
        audit.record(
            actor, "update", "lots_cases", case.id,
            summary="Deltagare i lotsärende ändrade", changes={"participants": [before, after]},
        )
    if changes or before != after:
        _event(case, "edited", actor=actor, now=now, text=", ".join(sorted(changes)) or "deltagare")
    db.session.flush()
    if case.event_date != old_event_date:
        for row in _permit_rows(case.id):
            _refresh_clock(row, case)
        db.session.flush()
    return case


def _load_participants(case: LotsCase) -> list[User]:
    """The case's participants, also put into the (lazy="raise") collection so it can be
    replaced without an implicit load."""
    users = list(
        db.session.scalars(
            sa.select(User)
            .join(lots_case_participants, lots_case_participants.c.user_id == User.id)
            .where(lots_case_participants.c.case_id == case.id)
            .order_by(User.name)
        )
    )
    set_committed_value(case, "participants", users)
    return users


def change_status(
    case: LotsCase,
    change: StatusChange,
    *,
    actor: User,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> LotsCase:
    """Move a case through the workflow (see app.cases.workflow for the table and rules).

    Closing sets outcome and closed_at and, with `send_survey`, invites the contact person to
    the survey (see `invite_to_survey`). Reopening clears them and withdraws an unsent survey.
    Raises PermissionDenied, StaleEdit, ValidationError, Conflict. Flushes.
    """
    _require_edit(actor, case)
    check_version(case, expected_version)
    now = now or utcnow()
    workflow.check_transition(case.status, change.status, change.outcome, change.note)
    old = case.status
    reopening = workflow.is_reopening(old, change.status)
    case.status = change.status
    if change.status == workflow.CaseStatus.AVSLUTAT:
        case.outcome = change.outcome
        case.closed_at = now
    else:
        case.outcome = None
        case.closed_at = None
    label = workflow.status_label(change.status)
    audit.record_update(
        actor, case,
        summary=f"Lotsärende ”{case.title}”: {'öppnat igen' if reopening else label.lower()}",
    )
    _event(
        case, "status", actor=actor, now=now, text=change.note.strip(),
        from_status=old, to_status=change.status, outcome=case.outcome,
    )
    db.session.flush()
    if change.status == workflow.CaseStatus.AVSLUTAT and change.send_survey:
        invite_to_survey(case, now=now)
    if reopening:
        _withdraw_survey(case, now=now)
    return case


def add_note(
    case: LotsCase, text: str, *, actor: User, kind: str = "note", now: datetime | None = None
) -> CaseEvent:
    """A note on the case's history; kind "returned" records what came back from someone.

    Raises PermissionDenied, ValidationError. Flushes.
    """
    _require_edit(actor, case)
    if kind not in ("note", "returned"):
        raise ValidationError("Okänd sorts anteckning.", field="kind")
    if not text.strip():
        raise ValidationError("Skriv något i anteckningen.", field="text")
    now = now or utcnow()
    event = _event(case, kind, actor=actor, now=now, text=text.strip())
    db.session.flush()
    audit.record(actor, "create", "case_events", event.id, summary=f"Anteckning i lotsärende {case.id}", now=now)
    return event


# ---------------------------------------------------------------------------------------------
# Permit rows


def _permit_rows(case_id: int) -> list[CasePermit]:
    return list(db.session.scalars(sa.select(CasePermit).where(CasePermit.case_id == case_id)))


def _clock_dates(row: CasePermit, case: LotsCase, permit_type: PermitType) -> tuple[date | None, date | None]:
    """The (expected decision date, "ansök senast") a row should have with this catalogue row."""
    expected = expected_decision_on(
        StatutoryTime.from_permit_type(permit_type),
        submitted_on=row.submitted_on,
        complete_on=row.complete_on,
        extended=row.extended,
        completion_requested_on=row.completion_requested_on,
        own_initiative_on=row.own_initiative_dates,
        request_date_unknown=row.request_date_unknown,
    )
    return expected, apply_by(case.event_date, permit_type.lead_time_weeks)


def _refresh_clock(row: CasePermit, case: LotsCase, permit_type: PermitType | None = None) -> None:
    """Recompute the denormalised expected decision date and "ansök senast" of a row."""
    permit_type = permit_type or db.session.get(PermitType, row.permit_type_id)
    row.expected_decision_on, row.apply_by = _clock_dates(row, case, permit_type)


def _validate_permit(
    data: PermitInput, permit_type: PermitType, today: date, *, request_date_unknown: bool = False
) -> None:
    for value, name, label in (
        (data.submitted_on, "submitted_on", "Inlämningsdatumet"),
        (data.completion_requested_on, "completion_requested_on", "Datumet för föreläggandet"),
        (data.complete_on, "complete_on", "Datumet för komplett ansökan"),
        (data.decision_on, "decision_on", "Beslutsdatumet"),
        (max(data.own_initiative_on, default=None), "own_initiative_on", "Ett datum för underlag"),
    ):
        _past_or_today(value, today, name, label)
    if (data.complete_on or data.completion_requested_on or data.own_initiative_on) and not data.submitted_on:
        raise ValidationError("Ange när ansökan lämnades in.", field="submitted_on")
    if data.complete_on and data.submitted_on and data.complete_on < data.submitted_on:
        raise ValidationError(
            "Ansökan kan inte ha blivit komplett före inlämningen.", field="complete_on"
        )
    if data.decision_on and data.submitted_on and data.decision_on < data.submitted_on:
        raise ValidationError("Beslutet kan inte vara före inlämningen.", field="decision_on")
    if data.outcome and data.outcome not in PERMIT_OUTCOMES:
        raise ValidationError("Välj ett giltigt beslut.", field="outcome")
    if data.outcome and not data.decision_on:
        raise ValidationError("Ange beslutsdatum.", field="decision_on")
    if data.decision_on and not data.outcome:
        raise ValidationError("Ange vad beslutet blev.", field="outcome")
    if data.extended and not permit_type.extension_value:
        raise ValidationError(f"Handläggningstiden för {permit_type.name} kan inte förlängas.", field="extended")
    if len(data.authority.strip()) > 200:
        raise ValidationError("Högst 200 tecken.", field="authority")
    _validate_three_week_dates(data, permit_type, request_date_unknown)
    if data.extended:
        time = StatutoryTime.from_permit_type(permit_type)
        dates = PermitDates(
            data.submitted_on, data.complete_on, data.completion_requested_on, data.own_initiative_on,
            request_date_unknown=request_date_unknown,
        )
        if time is not None and clock_start(time, dates).on is None:
            raise ValidationError("Tiden kan förlängas först när den har börjat räknas.", field="extended")


def _validate_three_week_dates(data: PermitInput, permit_type: PermitType, request_date_unknown: bool) -> None:
    """The dates of PBL's three-week rule (statutory.py): only for the types it governs, in an
    order that can have happened."""
    if not permit_type.pbl_three_week_rule:
        if data.completion_requested_on or data.own_initiative_on:
            field = "completion_requested_on" if data.completion_requested_on else "own_initiative_on"
            raise ValidationError(
                f"Föreläggande och underlag på eget initiativ registreras bara för typer där PBL:s "
                f"treveckorsregel gäller, inte för {permit_type.name}.",
                field=field,
            )
        return
    submitted, requested, completed = data.submitted_on, data.completion_requested_on, data.complete_on
    if requested and submitted and requested < submitted:
        raise ValidationError(
            "Föreläggandet om komplettering kan inte vara före inlämningen.", field="completion_requested_on"
        )
    if requested and completed and completed < requested:
        raise ValidationError(
            "Kompletteringen kan inte ha kommit in före föreläggandet om komplettering.", field="complete_on"
        )
    if completed and submitted and completed > submitted and not requested and not request_date_unknown:
        raise ValidationError(
            f"Ange när nämnden förelade om komplettering: för {permit_type.name} räknas tiden från "
            "kompletteringen bara efter ett föreläggande inom tre veckor (PBL 9 kap. 22 och 27 §§). "
            "Kom underlaget på sökandens eget initiativ, ange det under underlag på eget initiativ.",
            field="completion_requested_on",
        )
    for added in data.own_initiative_on:
        if submitted and added < submitted:
            raise ValidationError(
                f"Underlaget {added.isoformat()} kan inte ha kommit före inlämningen.", field="own_initiative_on"
            )
        if data.decision_on and added > data.decision_on:
            raise ValidationError(
                f"Underlaget {added.isoformat()} kan inte ha kommit efter beslutet.", field="own_initiative_on"
            )


def _apply_permit_dates(row: CasePermit, data: PermitInput) -> None:
    row.submitted_on = data.submitted_on
    row.complete_on = data.complete_on
    row.completion_requested_on = data.completion_requested_on
    row.own_initiative_on = [d.isoformat() for d in sorted(set(data.own_initiative_on))] or None
    if data.request_date_unknown is not None:
        row.request_date_unknown = data.request_date_unknown
    if row.completion_requested_on is not None:
        row.request_date_unknown = False  # the date is known now
    row.extended = data.extended
    row.decision_on = data.decision_on
    row.outcome = data.outcome or None


def add_permit(case: LotsCase, data: PermitInput, *, actor: User, now: datetime | None = None) -> CasePermit:
    """Add a permit or authority-area row from the catalogue. The department defaults to the
    catalogue's deciding body. Raises PermissionDenied, ValidationError, Conflict. Flushes."""
    _require_edit(actor, case)
    _require_open(case)
    now = now or utcnow()
    permit_type = ensure_permit_type_selectable(
        db.session.get(PermitType, data.permit_type_id) if data.permit_type_id else None
    )
    _validate_permit(data, permit_type, local_today(now))
    row = CasePermit(
        case_id=case.id,
        permit_type_id=permit_type.id,
        authority=data.authority.strip() or permit_type.deciding_body[:200],
        note=data.note.strip(),
        request_date_unknown=False,
    )
    _apply_permit_dates(row, replace(data, request_date_unknown=False))
    _refresh_clock(row, case, permit_type)
    db.session.add(row)
    audit.record_create(actor, row, summary=f"{permit_type.name} tillagt i lotsärende {case.id}")
    _event(case, "permit", actor=actor, now=now, text=f"{permit_type.name} ({row.authority})".strip())
    db.session.flush()
    return row


def update_permit(
    row: CasePermit,
    data: PermitInput,
    *,
    actor: User,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CasePermit:
    """Record dates, extension, decision and outcome of a permit row (the type stays).

    Raises PermissionDenied, StaleEdit, ValidationError. Flushes.
    """
    case = _case_of(row.case_id)
    _require_edit(actor, case)
    check_version(row, expected_version)
    now = now or utcnow()
    permit_type = db.session.get(PermitType, row.permit_type_id)
    unknown = row.request_date_unknown if data.request_date_unknown is None else data.request_date_unknown
    _validate_permit(data, permit_type, local_today(now), request_date_unknown=unknown)
    was_decided = row.decision_on is not None
    row.authority = data.authority.strip() or row.authority
    _apply_permit_dates(row, data)
    row.note = data.note.strip()
    _refresh_clock(row, case, permit_type)
    changes = audit.record_update(actor, row, summary=f"{permit_type.name} i lotsärende {case.id} ändrat")
    if changes:
        if row.decision_on and not was_decided:
            text = f"{permit_type.name}: {row.outcome_label.lower()} {row.decision_on.isoformat()}"
        else:
            text = f"{permit_type.name}: uppgifter ändrade"
        _event(case, "permit", actor=actor, now=now, text=text)
    db.session.flush()
    return row


def remove_permit(row: CasePermit, *, actor: User, now: datetime | None = None) -> None:
    """Remove a permit row entered by mistake (audited with its values). Flushes."""
    case = _case_of(row.case_id)
    _require_edit(actor, case)
    now = now or utcnow()
    permit_type = db.session.get(PermitType, row.permit_type_id)
    audit.record_delete(actor, row, summary=f"{permit_type.name} borttaget ur lotsärende {case.id}")
    _event(case, "permit", actor=actor, now=now, text=f"{permit_type.name} borttaget")
    db.session.delete(row)
    db.session.flush()


def _rows_to_recompute(permit_type_id: int | None, include_decided: bool):
    """(row, case) pairs, streamed, with the case joined (no query per row)."""
    stmt = sa.select(CasePermit, LotsCase).join(LotsCase, LotsCase.id == CasePermit.case_id)
    if not include_decided:
        stmt = stmt.where(CasePermit.decision_on.is_(None))
    if permit_type_id is not None:
        stmt = stmt.where(CasePermit.permit_type_id == permit_type_id)
    return db.session.execute(stmt.order_by(CasePermit.id).execution_options(yield_per=500))


def recompute_clocks(*, include_decided: bool = False) -> int:
    """Refresh every undecided permit row's dates from the catalogue (a permit-type edit does
    this by itself for its own rows). `include_decided` also rewrites the deadline of decided
    rows, which the reports compare decisions against. Returns how many rows changed. Flushes."""
    changed = 0
    types: dict[int, PermitType] = {}
    for row, case in _rows_to_recompute(None, include_decided):
        permit_type = types.get(row.permit_type_id) or types.setdefault(
            row.permit_type_id, db.session.get(PermitType, row.permit_type_id)
        )
        before = (row.expected_decision_on, row.apply_by)
        _refresh_clock(row, case, permit_type)
        if (row.expected_decision_on, row.apply_by) != before:
            changed += 1
    db.session.flush()
    return changed


def permit_type_clock_impact(permit_type: PermitType) -> ClockImpact:
    """How many undecided rows of `permit_type` (and open cases) would get other dates if the
    type were saved as it now stands in the session. Writes nothing."""
    rows, open_cases = 0, set()
    with db.session.no_autoflush:
        for row, case in _rows_to_recompute(permit_type.id, False):
            if _clock_dates(row, case, permit_type) != (row.expected_decision_on, row.apply_by):
                rows += 1
                if case.status != workflow.CaseStatus.AVSLUTAT:
                    open_cases.add(case.id)
    return ClockImpact(rows, len(open_cases))


def recompute_permit_type_clocks(permit_type: PermitType) -> int:
    """Refresh the undecided rows of one permit type after it was saved. Flushes."""
    changed = 0
    for row, case in _rows_to_recompute(permit_type.id, False):
        before = (row.expected_decision_on, row.apply_by)
        _refresh_clock(row, case, permit_type)
        changed += (row.expected_decision_on, row.apply_by) != before
    db.session.flush()
    return changed


def _case_of(case_id: int) -> LotsCase:
    case = db.session.get(LotsCase, case_id)
    if case is None:
        raise NotFound("Ärendet finns inte.")
    return case


# ---------------------------------------------------------------------------------------------
# Actions (follow-ups) and referrals


def add_action(case: LotsCase, data: ActionInput, *, actor: User, now: datetime | None = None):
    """Hand an action to a person (and department) with a due date: a follow-up on the case.

    Raises PermissionDenied, ValidationError, Conflict. Flushes. Returns the FollowUp.
    """
    from app.followups import services as followups

    _require_edit(actor, case)
    _require_open(case)
    require(actor, Perm.EDIT_FOLLOWUPS)
    now = now or utcnow()
    note = data.note.strip()
    if data.handed_to.strip():
        note = f"Lämnad till: {data.handed_to.strip()}" + (f"\n{note}" if note else "")
    followup = followups.create_followup(
        followups.FollowUpInput(
            title=data.title,
            due_on=data.due_on,
            note=note,
            assignee_id=data.assignee_id,
            company_id=case.company_id,
            case_id=case.id,
            source="case",
        ),
        actor=actor,
        now=now,
    )
    assignee = db.session.get(User, followup.assignee_id)
    who = assignee.name + (f" ({data.handed_to.strip()})" if data.handed_to.strip() else "")
    _event(case, "action", actor=actor, now=now, text=f"{followup.title} → {who}, senast {followup.due_on.isoformat()}")
    db.session.flush()
    return followup


def record_action_result(
    case: LotsCase,
    followup_id: int,
    result: str,
    *,
    actor: User,
    now: datetime | None = None,
):
    """What came back from an action: completes the follow-up with `result` as its note and
    writes it on the case's history. Raises PermissionDenied, NotFound, ValidationError,
    Conflict (already closed). Flushes."""
    from app.followups import services as followups
    from app.followups.models import FollowUp

    _require_edit(actor, case)
    followup = db.session.get(FollowUp, followup_id)
    if followup is None or followup.case_id != case.id:
        raise NotFound("Åtgärden finns inte i ärendet.")
    if not result.strip():
        raise ValidationError("Skriv vad som kom tillbaka.", field="result")
    now = now or utcnow()
    followups.complete_followup(followup, actor=actor, note=result.strip(), now=now)
    _event(case, "returned", actor=actor, now=now, text=f"{followup.title}: {result.strip()}")
    db.session.flush()
    return followup


def add_referral(
    case: LotsCase,
    *,
    partner_id: int | None,
    reason: str,
    referred_on: date | None,
    actor: User,
    now: datetime | None = None,
):
    """Refer the case's company to an external partner (the contact log's Referral, with
    case_id). Raises PermissionDenied, ValidationError. Flushes. Returns the Referral."""
    from app.interactions.services import ReferralInput
    from app.interactions.services import add_referral as add_referral_row

    _require_edit(actor, case)
    now = now or utcnow()
    referral = add_referral_row(
        ReferralInput(
            partner_id=partner_id,
            reason=reason,
            referred_on=referred_on,
            company_id=case.company_id,
            case_id=case.id,
        ),
        actor=actor,
        now=now,
    )
    from app.catalogues.models import ReferralPartner

    partner = db.session.get(ReferralPartner, referral.partner_id)
    _event(case, "referral", actor=actor, now=now, text=f"Hänvisat till {partner.name}: {referral.reason}")
    db.session.flush()
    return referral


def record_referral_outcome(
    case: LotsCase,
    referral_id: int,
    outcome: str,
    *,
    actor: User,
    now: datetime | None = None,
):
    """What came of a referral from the case (the contact log's service) and a history entry."""
    from app.catalogues.models import ReferralPartner
    from app.interactions.services import get_referral
    from app.interactions.services import record_referral_outcome as record_outcome

    _require_edit(actor, case)
    referral = get_referral(referral_id)
    if referral.case_id != case.id:
        raise NotFound("Hänvisningen hör inte till ärendet.")
    now = now or utcnow()
    record_outcome(referral, outcome, actor=actor, now=now)
    partner = db.session.get(ReferralPartner, referral.partner_id)
    _event(case, "returned", actor=actor, now=now, text=f"{partner.name}: {referral.outcome}")
    db.session.flush()
    return referral


# ---------------------------------------------------------------------------------------------
# Merge


def move_cases_on_merge(source: Company, target: Company, actor: User | None) -> int:
    """Merge handler: the source company's cases move to the surviving company.

    A plain UPDATE (no version bump): the case itself did not change. Contact persons move
    with the company's own merge handler, so the case's contact person stays valid.
    """
    moved = db.session.execute(
        sa.update(LotsCase).where(LotsCase.company_id == source.id).values(company_id=target.id),
        execution_options={"synchronize_session": "evaluate"},
    ).rowcount
    return moved or 0


# ---------------------------------------------------------------------------------------------
# Lotsmöten


def default_agenda(case: LotsCase) -> str:
    """The agenda a new meeting starts with: the case, one line per permit row, next steps."""
    lines = ["Genomgång av ärendet och företagets planer"]
    rows = db.session.execute(
        sa.select(PermitType.name, CasePermit.authority)
        .join(CasePermit, CasePermit.permit_type_id == PermitType.id)
        .where(CasePermit.case_id == case.id)
        .order_by(CasePermit.id)
    ).all()
    for name, authority in rows:
        lines.append(f"{name}" + (f" ({authority})" if authority else ""))
    lines.append("Tidplan, ordning för ansökningarna och nästa steg")
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))


def _validate_meeting(data: MeetingInput) -> None:
    if data.starts_at is None:
        raise ValidationError("Ange när mötet börjar.", field="starts_at")
    if data.ends_at is None:
        raise ValidationError("Ange när mötet slutar.", field="ends_at")
    if data.starts_at.tzinfo is None or data.ends_at.tzinfo is None:
        raise ValueError("meeting times must be timezone-aware")
    if data.ends_at <= data.starts_at:
        raise ValidationError("Mötet måste sluta efter att det börjar.", field="ends_at")
    if data.ends_at - data.starts_at > MAX_MEETING:
        raise ValidationError("Ett lotsmöte kan vara högst 12 timmar.", field="ends_at")
    if len(data.place.strip()) > 200:
        raise ValidationError("Högst 200 tecken.", field="place")
    for guest in data.other_guests:
        if not guest.name.strip():
            raise ValidationError("Varje extern deltagare behöver ett namn.", field="other_guests")
        if guest.email and not _EMAIL.match(guest.email.strip()):
            raise ValidationError(f"Ogiltig e-postadress: {guest.email}", field="other_guests")


def _guests(case: LotsCase, data: MeetingInput) -> list[LotsMeetingGuest]:
    guests = []
    if data.contact_person_ids:
        people = list(
            db.session.scalars(sa.select(ContactPerson).where(ContactPerson.id.in_(set(data.contact_person_ids))))
        )
        if len(people) != len(set(data.contact_person_ids)) or any(
            p.company_id != case.company_id for p in people
        ):
            raise ValidationError("Välj kontaktpersoner på ärendets företag.", field="contact_person_ids")
        guests += [LotsMeetingGuest(contact_person_id=p.id, name=p.name, email=p.email) for p in people]
    guests += [
        LotsMeetingGuest(name=g.name.strip()[:120], email=g.email.strip()[:254]) for g in data.other_guests
    ]
    return guests


def _meeting_snapshot(meeting: LotsMeeting) -> tuple:
    return (
        sorted(u.id for u in meeting.internal_participants),
        sorted((g.contact_person_id or 0, g.name, g.email) for g in meeting.guests),
    )


def create_meeting(case: LotsCase, data: MeetingInput, *, actor: User, now: datetime | None = None) -> LotsMeeting:
    """Plan a lotsmöte on an open case. An empty agenda gets `default_agenda(case)`.

    Raises PermissionDenied, ValidationError, Conflict. Flushes; the UID is
    "lotsmote-{id}@{host}" and SEQUENCE starts at 0.
    """
    _require_edit(actor, case)
    _require_open(case)
    _validate_meeting(data)
    now = now or utcnow()
    meeting = LotsMeeting(
        case_id=case.id,
        uid=f"pending-{case.id}-{now.timestamp()}-{actor.id}",
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        place=data.place.strip(),
        agenda=data.agenda.strip() or default_agenda(case),
        minutes=data.minutes.strip(),
        sequence=0,
        created_by_id=actor.id,
    )
    meeting.internal_participants = _participants(data.user_ids)
    meeting.guests = _guests(case, data)
    db.session.add(meeting)
    db.session.flush()
    meeting.uid = meeting_uid(meeting.id, calendar_host())
    audit.record_create(actor, meeting, summary=f"Lotsmöte planerat i lotsärende {case.id}")
    _event(case, "meeting", actor=actor, now=now, text=f"Lotsmöte planerat {_when(meeting)}")
    db.session.flush()
    return meeting


def update_meeting(
    meeting: LotsMeeting,
    data: MeetingInput,
    *,
    actor: User,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> LotsMeeting:
    """Change a meeting (time, place, participants, agenda, minutes). Any change raises
    SEQUENCE, so a new invitation replaces the old one in calendars. Raises PermissionDenied,
    StaleEdit, ValidationError, Conflict (cancelled). Flushes."""
    case = _case_of(meeting.case_id)
    _require_edit(actor, case)
    check_version(meeting, expected_version)
    if meeting.is_cancelled:
        raise Conflict("Mötet är inställt och kan inte ändras.")
    _validate_meeting(data)
    now = now or utcnow()
    users, guests = meeting_people(meeting)
    set_committed_value(meeting, "internal_participants", users)
    set_committed_value(meeting, "guests", guests)
    before = _meeting_snapshot(meeting)
    fields = ("starts_at", "ends_at", "place", "agenda", "minutes")
    before_fields = tuple(getattr(meeting, name) for name in fields)
    meeting.starts_at = data.starts_at
    meeting.ends_at = data.ends_at
    meeting.place = data.place.strip()
    meeting.agenda = data.agenda.strip()
    meeting.minutes = data.minutes.strip()
    meeting.internal_participants = _participants(data.user_ids, meeting.internal_participants)
    new_guests = _guests(case, data)
    if sorted((g.contact_person_id or 0, g.name, g.email) for g in new_guests) != before[1]:
        meeting.guests = new_guests
    # Compared by value: the participant queries above may already have autoflushed.
    changed = tuple(getattr(meeting, name) for name in fields) != before_fields
    changed = changed or _meeting_snapshot(meeting) != before
    if changed:
        meeting.sequence += 1
        audit.record(
            actor, "update", "lots_meetings", meeting.id,
            summary=f"Lotsmöte i lotsärende {case.id} ändrat",
            changes={
                name: [audit._plain(old), audit._plain(getattr(meeting, name))]
                for name, old in zip(fields, before_fields, strict=True)
                if old != getattr(meeting, name)
            } or None,
            now=now,
        )
        if _meeting_snapshot(meeting) != before:
            audit.record(actor, "update", "lots_meetings", meeting.id, summary="Mötesdeltagare ändrade", now=now)
        _event(case, "meeting", actor=actor, now=now, text=f"Lotsmöte ändrat ({_when(meeting)})")
    db.session.flush()
    return meeting


def cancel_meeting(meeting: LotsMeeting, *, actor: User, now: datetime | None = None) -> LotsMeeting:
    """Cancel a meeting: SEQUENCE is raised and, if an invitation went out, a METHOD:CANCEL
    message is queued to the same people. Raises PermissionDenied, Conflict. Flushes."""
    case = _case_of(meeting.case_id)
    _require_edit(actor, case)
    if meeting.is_cancelled:
        raise Conflict("Mötet är redan inställt.")
    now = now or utcnow()
    meeting.cancelled_at = now
    meeting.sequence += 1
    audit.record_update(actor, meeting, summary=f"Lotsmöte i lotsärende {case.id} inställt")
    _event(case, "meeting", actor=actor, now=now, text=f"Lotsmöte {_when(meeting)} inställt")
    db.session.flush()
    if meeting.invited_at is not None:
        _queue_invitations(meeting, case, actor=actor, now=now)
    return meeting


def _when(meeting: LotsMeeting) -> str:
    from app.core.time import to_local

    start = to_local(meeting.starts_at)
    return f"{start:%Y-%m-%d %H:%M}–{to_local(meeting.ends_at):%H:%M}"


def meeting_people(meeting: LotsMeeting) -> tuple[list[User], list[LotsMeetingGuest]]:
    users = list(
        db.session.scalars(
            sa.select(User)
            .join(LotsMeeting.internal_participants)
            .where(LotsMeeting.id == meeting.id)
            .order_by(User.name)
        )
    )
    guests = list(
        db.session.scalars(
            sa.select(LotsMeetingGuest).where(LotsMeetingGuest.meeting_id == meeting.id).order_by(LotsMeetingGuest.id)
        )
    )
    return users, guests


def meeting_invite(
    meeting: LotsMeeting, case: LotsCase, *, now: datetime | None = None, recipient: Person | None = None
) -> MeetingInvite:
    """The plain values of a meeting's .ics (organiser: the case's responsible lots).

    An .ics leaves the system (e-mail, a downloaded file, a synced phone), so it is judged as
    read by nobody (app.core.restriction): for a restricted case it says only that a lotsmöte
    exists ("Lotsmöte med begränsad åtkomst – öppna i Lotsbok"), with its time and a link –
    no company, title, agenda, place, and no other participants than the organiser and
    `recipient` (each invited person gets their own copy)."""
    from app.mail.render import external_url

    users, guests = meeting_people(meeting)
    responsible = db.session.get(User, case.responsible_user_id)
    url = external_url("cases.detail", case_id=case.id)
    everyone = [Person(u.name, u.email) for u in users] + [Person(g.name, g.email) for g in guests]
    if restriction.judge_one(None, case, case=lambda c: c.id).restricted:
        summary = restriction.neutral_for_mail("meeting")
        attendees = [recipient] if recipient is not None else []
        location = ""
        description = f"Plats, dagordning och deltagare finns i Lotsbok: {url}"
    else:
        company = db.session.get(Company, case.company_id)
        summary = f"Lotsmöte: {company.name} – {case.title}"
        attendees, location, description = everyone, meeting.place, meeting.agenda
    return MeetingInvite(
        meeting_id=meeting.id,
        host=calendar_host(),
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=summary,
        organizer=Person(responsible.name, responsible.email),
        attendees=attendees,
        location=location,
        description=description,
        url=url,
        cancelled=meeting.is_cancelled,
        stamp=now,
    )


def meeting_ics(meeting: LotsMeeting, case: LotsCase, *, now: datetime | None = None) -> bytes:
    return build_meeting_ics(meeting_invite(meeting, case, now=now))


def _invitees(meeting: LotsMeeting, case: LotsCase) -> list[Person]:
    """Organiser and participants with an e-mail address, each address once."""
    users, guests = meeting_people(meeting)
    responsible = db.session.get(User, case.responsible_user_id)
    people = [Person(responsible.name, responsible.email)]
    people += [Person(u.name, u.email) for u in users] + [Person(g.name, g.email) for g in guests]
    seen: set[str] = set()
    result = []
    for person in people:
        address = person.email.strip().lower()
        if address and address not in seen:
            seen.add(address)
            result.append(person)
    return result


def _queue_invitations(meeting: LotsMeeting, case: LotsCase, *, actor: User, now: datetime) -> int:
    from app.mail.services import MailAttachment, queue_mail

    method = "CANCEL" if meeting.is_cancelled else "REQUEST"
    queued = 0
    for person in _invitees(meeting, case):
        invite = meeting_invite(meeting, case, now=now, recipient=person)
        attachment = MailAttachment(
            filename="inbjudan.ics" if method == "REQUEST" else "installt.ics",
            content_type=f"text/calendar; method={method}; charset=utf-8",
            data=build_meeting_ics(invite),
        )
        address = person.email.strip()
        key = f"lotsmote:{meeting.id}:{meeting.sequence}:{address.lower()}"[:200]
        if queue_mail(
            address,
            "cases/lotsmote",
            key,
            now=now,
            attachments=[attachment],
            meeting=meeting,
            invite=invite,
            cancelled=meeting.is_cancelled,
            recipient_name=person.name,
        ):
            queued += 1
    return queued


def send_meeting_invitation(meeting: LotsMeeting, *, actor: User, now: datetime | None = None) -> int:
    """Queue the meeting's invitation (or update) with its .ics to the organiser and every
    participant with an e-mail address, through the outbox. Idempotent per SEQUENCE: sending
    again without a change queues nothing. Returns how many messages were queued.

    Raises PermissionDenied, Conflict (cancelled), ValidationError (nobody to invite). Flushes.
    """
    case = _case_of(meeting.case_id)
    _require_edit(actor, case)
    if meeting.is_cancelled:
        raise Conflict("Mötet är inställt.")
    now = now or utcnow()
    users, guests = meeting_people(meeting)
    if not any(p.email.strip() for p in [*users, *guests]):
        raise ValidationError("Ingen deltagare har en e-postadress.", field="participants")
    queued = _queue_invitations(meeting, case, actor=actor, now=now)
    first = meeting.invited_at is None
    meeting.invited_at = now
    meeting.invited_sequence = meeting.sequence
    audit.record_update(actor, meeting, summary=f"Inbjudan till lotsmöte skickad ({queued} mottagare)")
    _event(
        case, "meeting", actor=actor, now=now,
        text=("Inbjudan" if first else "Uppdaterad inbjudan") + f" till lotsmöte {_when(meeting)} skickad",
    )
    db.session.flush()
    return queued


# ---------------------------------------------------------------------------------------------
# Survey invitation on closing (sending and answering: app.cases.surveys)


def survey_recipient(case: LotsCase) -> ContactPerson | None:
    """The contact person a survey would go to: has an e-mail, is active, has neither opted
    out nor objected (ContactPerson.accepts_mailings)."""
    if case.contact_person_id is None:
        return None
    person = db.session.get(ContactPerson, case.contact_person_id)
    if person is None or not person.email.strip() or not person.accepts_mailings or not person.is_active:
        return None
    return person


def invite_to_survey(case: LotsCase, *, now: datetime | None = None) -> SurveyInvitation | None:
    """On closing: schedule the survey for `survey_delay()` later, if the contact person can
    get it. One survey per case: if one was already sent, nothing happens; a withdrawn unsent
    one is scheduled again. Returns the invitation or None. Flushes."""
    now = now or utcnow()
    if survey_recipient(case) is None:
        return None
    invitation = db.session.scalar(sa.select(SurveyInvitation).where(SurveyInvitation.case_id == case.id))
    if invitation is not None:
        if invitation.sent_at is not None:
            return None
        invitation.withdrawn_at = None
        invitation.send_after = now + survey_delay()
    else:
        invitation = SurveyInvitation(case_id=case.id, created_at=now, send_after=now + survey_delay())
        db.session.add(invitation)
    _event(
        case, "survey", actor=None, now=now,
        text=f"Enkät skickas tidigast {(now + survey_delay()).date().isoformat()}",
    )
    db.session.flush()
    return invitation


def _withdraw_survey(case: LotsCase, *, now: datetime) -> None:
    invitation = db.session.scalar(
        sa.select(SurveyInvitation).where(
            SurveyInvitation.case_id == case.id,
            SurveyInvitation.sent_at.is_(None),
            SurveyInvitation.withdrawn_at.is_(None),
        )
    )
    if invitation is not None:
        invitation.withdrawn_at = now
        _event(case, "survey", actor=None, now=now, text="Enkäten skickas inte: ärendet öppnades igen")
        db.session.flush()

