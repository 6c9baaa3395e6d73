"""Lots cases: intake, editing, the status workflow and notes, and moving cases when companies
merge. The other parts of a case have their own modules: permit rows (app.cases.permits),
actions and referrals (app.cases.actions), lotsmöten (app.cases.meetings) and the survey
(app.cases.surveys); what they share is in app.cases.rules.

Rules kept here (not in forms or views):

* Status changes follow app.cases.workflow (closing needs an outcome, reopening a reason);
  every change writes a CaseEvent (the case's and the company's timeline) and an audit event.
* Restriction ("kan innehålla uppgifter som omfattas av sekretess"), as for contacts: a
  restricted case shows its title, description and history only to its responsible lots, its
  participants and roles with Perm.VIEW_RESTRICTED; each such read is audited (action "view").
  Others with Perm.VIEW_CASES see it summarised ("Lotsärende med begränsad åtkomst").
* Closing a case may create a SurveyInvitation for the case's contact person (see
  app.cases.surveys for sending and answering).

Every function takes `actor` (and `now` where time matters), checks permissions, flushes and
never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from app.audit import services as audit
from app.auth.models import User
from app.cases import workflow
from app.cases.models import (
    INTAKE_CHANNELS,
    PRIORITIES,
    CaseEvent,
    CaseType,
    LotsCase,
    lots_case_participants,
)
from app.cases.permits import refresh_case_clocks
from app.cases.rules import (
    RESTRICTED_TITLE,
    active_users,
    can_read,
    past_or_today,
    record_event,
    require_edit,
)
from app.cases.surveys import invite_to_survey, withdraw_survey
from app.companies.lookup import live_company
from app.companies.models import Company, ContactPerson
from app.core import restriction
from app.core.codes import swedish
from app.core.db import check_version
from app.core.errors import ValidationError
from app.core.permissions import Perm, can, require
from app.core.time import local_today, utcnow
from app.extensions import db
from app.strategy.models import FocusArea
from app.strategy.services import ensure_selectable

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
    organizer: str = ""
    expected_visitors: int | None = None


@dataclass(frozen=True)
class StatusChange:
    status: str
    outcome: str | None = None
    note: str = ""
    send_survey: bool = True


# ---------------------------------------------------------------------------------------------
# Reading


def shown_cases(actor: User | None, cases: Sequence[LotsCase]) -> list:
    """The cases as `actor` may see them: a restricted case the actor may not read is masked
    (title "Lotsärende med begränsad åtkomst", no description, no event fields); one it may
    read is an audited read. One query for a page."""
    verdicts = restriction.judge(actor, cases, case=lambda c: c.id)
    return [
        restriction.shown(
            actor,
            v,
            c,
            title=RESTRICTED_TITLE,
            description="",
            event_place="",
            organizer="",
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
        restriction.record_read(actor, "case", case.id, where="ärendets sida")  # untranslated: audit trail
        db.session.flush()
    return True


# ---------------------------------------------------------------------------------------------
# Validation helpers


def _company(company_id: int | None) -> Company:
    return live_company(company_id, merged=_("Företaget har slagits samman med ett annat; välj det."))


def _case_type(case_type_id: int | None, existing: LotsCase | None) -> CaseType:
    case_type = db.session.get(CaseType, case_type_id) if case_type_id else None
    if case_type is None:
        raise ValidationError(_("Välj en ärendetyp."), field="case_type_id")
    keeps_old = existing is not None and existing.case_type_id == case_type.id
    if case_type.retired_at is not None and not keeps_old:
        raise ValidationError(
            _("Ärendetypen ”%(name)s” används inte längre för nya ärenden.", name=case_type.name),
            field="case_type_id",
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
        raise ValidationError(_("Välj en aktiv användare med behörighet."), field=field_name)
    return user


def _contact_person(person_id: int | None, company: Company) -> ContactPerson | None:
    if not person_id:
        return None
    person = db.session.get(ContactPerson, person_id)
    if person is None or person.company_id != company.id:
        raise ValidationError(_("Kontaktpersonen hör inte till företaget."), field="contact_person_id")
    return person


def _validate_case(data: CaseInput, today: date) -> None:
    title = data.title.strip()
    if not title:
        raise ValidationError(_("Ge ärendet en rubrik."), field="title")
    if len(title) > 200:
        raise ValidationError(_("Rubriken får vara högst 200 tecken."), field="title")
    if data.priority not in PRIORITIES:
        raise ValidationError(_("Välj en prioritet."), field="priority")
    if data.intake_channel and data.intake_channel not in INTAKE_CHANNELS:
        raise ValidationError(_("Välj en kanal."), field="intake_channel")
    past_or_today(data.intake_on, today, "intake_on", _("Datum för inkommet kan inte ligga i framtiden."))
    if len(data.diarienummer.strip()) > 40:
        raise ValidationError(_("Diarienumret får vara högst 40 tecken."), field="diarienummer")
    if data.expected_visitors is not None and data.expected_visitors < 0:
        raise ValidationError(_("Antalet besökare kan inte vara negativt."), field="expected_visitors")


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
        case.organizer = data.organizer.strip()
        case.expected_visitors = data.expected_visitors
    else:
        # The event fields belong to evenemang cases only; other types never keep them.
        case.event_date = None
        case.event_place = ""
        case.organizer = ""
        case.expected_visitors = None


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
        status=workflow.CaseStatus.RECEIVED.value,
    )
    _apply_case(case, data, case_type, today)
    case.participants = [u for u in active_users(data.participant_ids) if u.id != responsible.id]
    db.session.add(case)
    db.session.flush()
    record_event(case, "created", actor=actor, now=now, text=case.title, to_status=case.status)
    summary = f"Lotsärende ”{case.title}” för {company.name} registrerat"  # untranslated: audit trail
    audit.record_create(actor, case, summary=summary)
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
    require_edit(actor, case)
    check_version(case, expected_version)
    now = now or utcnow()
    today = local_today(now)
    _validate_case(data, today)
    if data.company_id is not None and data.company_id != case.company_id:
        raise ValidationError(_("Ett ärende kan inte flyttas till ett annat företag."), field="company_id")
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
        u for u in active_users(data.participant_ids, current_participants) if u.id != responsible_id
    ]
    _apply_case(case, data, case_type, today)
    case.focus_area_id = area.id
    case.responsible_user_id = responsible_id
    case.contact_person_id = person.id if person else None
    before = sorted(u.id for u in current_participants)
    after = sorted(u.id for u in participants)
    case.participants = participants
    summary = f"Lotsärende ”{case.title}” ändrat"  # untranslated: audit trail
    changes = audit.record_update(actor, case, summary=summary)
    if before != after:
        audit.record(
            actor,
            "update",
            "lots_cases",
            case.id,
            summary="Deltagare i lotsärende ändrade",  # untranslated: audit trail
            changes={"participants": [before, after]},
        )
    if changes or before != after:
        text = ", ".join(sorted(changes)) or "deltagare"  # untranslated: stored as a case event
        record_event(case, "edited", actor=actor, now=now, text=text)
    db.session.flush()
    if case.event_date != old_event_date:
        refresh_case_clocks(case)
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
    require_edit(actor, case)
    check_version(case, expected_version)
    now = now or utcnow()
    workflow.check_transition(case.status, change.status, change.outcome, change.note)
    old = case.status
    reopening = workflow.is_reopening(old, change.status)
    case.status = change.status
    if change.status == workflow.CaseStatus.CLOSED:
        case.outcome = change.outcome
        case.closed_at = now
    else:
        case.outcome = None
        case.closed_at = None
    label = swedish(lambda: workflow.status_label(change.status)).lower()  # stored in the audit trail
    what = "öppnat igen" if reopening else label  # untranslated: audit trail
    audit.record_update(actor, case, summary=f"Lotsärende ”{case.title}”: {what}")  # untranslated: audit
    record_event(
        case,
        "status",
        actor=actor,
        now=now,
        text=change.note.strip(),
        from_status=old,
        to_status=change.status,
        outcome=case.outcome,
    )
    db.session.flush()
    if change.status == workflow.CaseStatus.CLOSED and change.send_survey:
        invite_to_survey(case, now=now)
    if reopening:
        withdraw_survey(case, now=now)
    return case


def add_note(
    case: LotsCase, text: str, *, actor: User, kind: str = "note", now: datetime | None = None
) -> CaseEvent:
    """A note on the case's history; kind "returned" records what came back from someone.

    Raises PermissionDenied, ValidationError. Flushes.
    """
    require_edit(actor, case)
    if kind not in ("note", "returned"):
        raise ValidationError(_("Okänd sorts anteckning."), field="kind")
    if not text.strip():
        raise ValidationError(_("Skriv något i anteckningen."), field="text")
    now = now or utcnow()
    event = record_event(case, kind, actor=actor, now=now, text=text.strip())
    db.session.flush()
    summary = f"Anteckning i lotsärende {case.id}"  # untranslated: audit trail
    audit.record(actor, "create", "case_events", event.id, summary=summary, now=now)
    return event


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
