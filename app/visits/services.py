"""Planning, changing, cancelling and recording company visits; the question bank and the
yearly target (admin). What a visit must satisfy is checked in app.visits.checks; the .ics
invitations are built and queued by app.visits.invitations.

Rules kept in the services (not in forms or views):

* Kommunledning and företagslotsar plan and record visits (Perm.EDIT_VISITS); chef reads.
* A visit is föreslaget (preliminary: nothing is sent), planerat (invitations sent), genomfört
  (recorded) or inställt. Only föreslaget and planerat visits can be changed or cancelled, and
  only they can be recorded.
* A planned visit has at least one participant from kommunledning. Participants from
  kommunledning have the role ledning; from the näringslivskontor lots or chef. Nobody is on
  both sides.
* Invitations (.ics, METHOD:REQUEST) go to every participant through the mail outbox when a
  visit becomes planerat, and again (SEQUENCE + 1) when a planned visit's time, place, company,
  purpose or participants change; a removed participant gets METHOD:CANCEL, and cancelling a
  planned visit sends CANCEL to everybody. The UID never changes.
* Recording turns the visit into a contact of kind "besök hos företaget" (app.interactions) and
  each promise into a follow-up with source "visit" and the visit's id (app.followups); the
  visit becomes genomfört in the same transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.audit import services as audit
from app.auth.models import User
from app.core.codes import swedish
from app.core.db import check_version
from app.core.errors import NotFound, ValidationError
from app.core.permissions import Perm, require
from app.core.time import local_today, to_local, utcnow
from app.extensions import db
from app.visits.checks import check_promises, checked_focus_areas, require_upcoming, validate_visit
from app.visits.invitations import send_invitations, uid_host
from app.visits.models import (
    CANCELLED,
    DONE,
    PLANNED,
    PROPOSED,
    STATUS_LABELS,
    CompanyVisit,
    VisitParticipant,
    VisitTarget,
)


@dataclass(frozen=True)
class VisitInput:
    """A new visit or an edit (all of it: an edit replaces the participant and focus lists).

    `starts_at`/`ends_at` are aware datetimes; `status` is föreslaget or planerat.
    """

    company_id: int | None
    starts_at: datetime | None
    ends_at: datetime | None
    status: str = PLANNED
    place: str = ""
    ledning_ids: tuple[int, ...] = ()
    office_ids: tuple[int, ...] = ()
    host_contact_person_id: int | None = None
    host_name: str = ""
    purpose: str = ""
    focus_area_ids: tuple[int, ...] = ()
    key_messages: str = ""


@dataclass(frozen=True)
class PromiseInput:
    """A promise made on the visit ("vi återkommer om detaljplanen"): who keeps it, by when."""

    text: str
    owner_id: int | None
    due_on: date | None


@dataclass(frozen=True)
class RecordInput:
    """What happened on the visit: it becomes a contact and its promises follow-ups."""

    focus_area_id: int | None
    notes: str = ""
    other_focus_area_ids: tuple[int, ...] = ()
    is_restricted: bool = False
    promises: tuple[PromiseInput, ...] = field(default_factory=tuple)


# ---------------------------------------------------------------------------------------------
# Loading


def load_visit(visit_id: int) -> CompanyVisit:
    """A visit with company, host, organizer, participants (and their users) and focus areas
    loaded. Raises NotFound."""
    visit = db.session.scalar(
        sa.select(CompanyVisit)
        .where(CompanyVisit.id == visit_id)
        .options(
            selectinload(CompanyVisit.company),
            selectinload(CompanyVisit.host),
            selectinload(CompanyVisit.organizer),
            selectinload(CompanyVisit.participants).selectinload(VisitParticipant.user),
            selectinload(CompanyVisit.focus_areas),
        )
    )
    if visit is None:
        raise NotFound(_("Besöket finns inte."))
    return visit


# ---------------------------------------------------------------------------------------------
# Plan, change, cancel


def _apply(visit: CompanyVisit, data: VisitInput, validated) -> None:
    company, starts_at, ends_at, people, host, areas = validated
    visit.company = company
    visit.company_id = company.id
    visit.status = data.status
    visit.starts_at = starts_at
    visit.ends_at = ends_at
    visit.place = data.place.strip()
    visit.host = host
    visit.host_contact_person_id = host.id if host else None
    visit.host_name = "" if host else data.host_name.strip()
    visit.purpose = data.purpose.strip()
    visit.key_messages = data.key_messages.strip()
    visit.focus_areas = areas
    by_user = {p.user_id: p for p in visit.participants}
    rows = []
    for user, side in people:
        row = by_user.get(user.id) or VisitParticipant(user_id=user.id, user=user)
        row.side = side
        rows.append(row)
    visit.participants = rows


def create_visit(data: VisitInput, *, actor: User, now: datetime | None = None) -> CompanyVisit:
    """Plan (or propose) a visit; the actor is its organizer.

    A planned visit's invitations go to the outbox in the same transaction. Raises
    PermissionDenied, ValidationError. Flushes; the caller commits.
    """
    require(actor, Perm.EDIT_VISITS)
    now = now or utcnow()
    validated = validate_visit(data, None)
    visit = CompanyVisit(
        uid=f"besok-{uuid.uuid4().hex}@{uid_host()}",
        sequence=0,
        organizer_id=actor.id,
        organizer=actor,
        participants=[],
        focus_areas=[],
    )
    _apply(visit, data, validated)
    db.session.add(visit)
    status = swedish(lambda: visit.status_label).lower()  # the audit trail is a Swedish record
    audit.record_create(
        actor,
        visit,
        summary=f"Företagsbesök hos {visit.company.name} {status}",  # untranslated: audit trail
    )
    _audit_lists(
        actor,
        visit,
        {
            "participants": [[], _participant_ids(visit)],
            "focus_areas": [[], sorted(a.id for a in visit.focus_areas)],
        },
    )
    if visit.status == PLANNED:
        send_invitations(visit, [p.user for p in visit.participants], cancelled=False, now=now)
    return visit


def _participant_ids(visit: CompanyVisit) -> list[str]:
    return sorted(f"{p.side}:{p.user_id}" for p in visit.participants)


def _audit_lists(actor: User, visit: CompanyVisit, changes: dict[str, list[Any]]) -> None:
    changes = {k: v for k, v in changes.items() if v[0] != v[1]}
    if changes:
        audit.record(
            actor,
            "update",
            "company_visits",
            visit.id,
            summary="Deltagare/fokusområden",  # untranslated: audit trail
            changes=changes,
        )


# Changes to these columns are news for the participants' calendars.
_INVITATION_FIELDS = (
    "company_id",
    "starts_at",
    "ends_at",
    "place",
    "purpose",
    "host_contact_person_id",
    "host_name",
)


def update_visit(
    visit: CompanyVisit,
    data: VisitInput,
    *,
    actor: User,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CompanyVisit:
    """Change a föreslaget or planerat visit (needs load_visit's relationships).

    föreslaget → planerat sends the invitations; a planned visit whose time, place, company,
    purpose, host or participants change gets SEQUENCE + 1 and an updated invitation to every
    participant, and a removed participant a cancellation. planerat → föreslaget is refused
    (cancel instead: the invitations are out). Raises PermissionDenied, StaleEdit, Conflict,
    ValidationError. Flushes.
    """
    require(actor, Perm.EDIT_VISITS)
    check_version(visit, expected_version)
    require_upcoming(visit)
    now = now or utcnow()
    if visit.status == PLANNED and data.status == PROPOSED:
        raise ValidationError(
            _("Inbjudningarna är redan skickade. Ställ in besöket om det inte blir av."), field="status"
        )
    validated = validate_visit(data, visit)
    was_planned = visit.status == PLANNED
    before_people = {p.user_id: p.user for p in visit.participants}
    before_ids = _participant_ids(visit)
    before_areas = sorted(a.id for a in visit.focus_areas)
    _apply(visit, data, validated)
    changes = audit.pending_changes(visit)
    after_ids = _participant_ids(visit)
    after_areas = sorted(a.id for a in visit.focus_areas)
    list_changes = {"participants": [before_ids, after_ids], "focus_areas": [before_areas, after_areas]}
    news = any(f in changes for f in _INVITATION_FIELDS) or before_ids != after_ids
    current = {p.user_id: p.user for p in visit.participants}
    if was_planned and news:
        visit.sequence += 1
    elif not changes and (before_ids != after_ids or before_areas != after_areas):
        visit.updated_at = now  # only lists changed: bump the version so a concurrent editor notices
    if changes:
        audit.record_update(
            actor,
            visit,
            summary=f"Företagsbesök hos {visit.company.name} ändrat",  # untranslated: audit trail
        )
    _audit_lists(actor, visit, list_changes)
    db.session.flush()
    if visit.status == PLANNED and (not was_planned or news):
        send_invitations(visit, list(current.values()), cancelled=False, now=now)
    if was_planned:
        removed = [u for uid, u in before_people.items() if uid not in current]
        send_invitations(visit, removed, cancelled=True, now=now)
    return visit


def cancel_visit(
    visit: CompanyVisit,
    *,
    actor: User,
    reason: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CompanyVisit:
    """Cancel a föreslaget or planerat visit; a planned one sends METHOD:CANCEL (SEQUENCE + 1)
    to every participant. Raises PermissionDenied, StaleEdit, Conflict. Flushes."""
    require(actor, Perm.EDIT_VISITS)
    check_version(visit, expected_version)
    require_upcoming(visit)
    now = now or utcnow()
    was_planned = visit.status == PLANNED
    visit.status = CANCELLED
    visit.cancelled_at = now
    visit.cancel_reason = reason.strip()
    if was_planned:
        visit.sequence += 1
    audit.record_update(
        actor,
        visit,
        summary=f"Företagsbesök hos {visit.company.name} inställt",  # untranslated: audit trail
    )
    db.session.flush()
    if was_planned:
        send_invitations(visit, [p.user for p in visit.participants], cancelled=True, now=now)
    return visit


# ---------------------------------------------------------------------------------------------
# Recording


def record_visit(
    visit: CompanyVisit,
    data: RecordInput,
    *,
    actor: User,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CompanyVisit:
    """Record a visit that took place (needs load_visit's relationships).

    Logs a contact of kind "besök hos företaget" at the visit's start (focus areas, notes, the
    participants, the host if a contact person) through app.interactions.services.log_contact,
    turns each promise into a follow-up (owner, due date, source "visit", the visit's id)
    through app.followups.services.create_followup, adds the recorded focus areas to the
    visit's, and marks the visit genomfört. Raises
    PermissionDenied, StaleEdit, Conflict (not upcoming), ValidationError (also for a visit
    that has not started yet). Flushes; the caller commits.
    """
    from app.followups import services as followups
    from app.interactions import services as contacts
    from app.interactions.models import InteractionKind
    from app.interactions.validation import MAX_DURATION_MINUTES

    require(actor, Perm.EDIT_VISITS)
    check_version(visit, expected_version)
    require_upcoming(visit)
    now = now or utcnow()
    if visit.starts_at > now:
        raise ValidationError(_("Besöket har inte börjat än. Registrera det när det har ägt rum."))
    if data.focus_area_id is None:
        raise ValidationError(_("Välj besökets huvudsakliga fokusområde."), field="focus_area_id")
    promises = check_promises(data.promises, local_today(now))
    subject = "Företagsbesök av kommunledningen"  # untranslated: the contact's subject is stored
    if visit.purpose:
        subject = f"Företagsbesök: {visit.purpose}"  # untranslated: the contact's subject is stored
    minutes = int((visit.ends_at - visit.starts_at).total_seconds() // 60)
    contact = contacts.log_contact(
        contacts.ContactInput(
            kind=InteractionKind.VISIT.value,
            occurred_at=visit.starts_at,
            company_id=visit.company_id,
            focus_area_id=data.focus_area_id,
            subject=subject[:200],
            notes=data.notes,
            duration_minutes=min(minutes, MAX_DURATION_MINUTES),
            other_focus_area_ids=data.other_focus_area_ids,
            contact_person_ids=(visit.host_contact_person_id,) if visit.host_contact_person_id else (),
            participant_ids=tuple(p.user_id for p in visit.participants),
            is_restricted=data.is_restricted,
        ),
        actor=actor,
        authorised_by=Perm.EDIT_VISITS,
        form_token=f"visit-{visit.id}",
        now=now,
    )
    for promise, owner in promises:
        followups.create_followup(
            followups.FollowUpInput(
                title=promise.text.strip(),
                due_on=promise.due_on,
                assignee_id=owner.id,
                company_id=visit.company_id,
                interaction_id=contact.id,
                visit_id=visit.id,
                source="visit",
                note=f"Utlovat vid företagsbesöket {to_local(visit.starts_at):%Y-%m-%d}.",  # untranslated: stored note
            ),
            actor=actor,
            authorised_by=Perm.EDIT_VISITS,
            now=now,
        )
    # The statistics count visits per focus area: what was discussed counts, as well as what
    # was planned to be raised.
    recorded = checked_focus_areas(
        (data.focus_area_id, *data.other_focus_area_ids), visit.focus_areas, field_name="focus_area_id"
    )
    visit.focus_areas = list({a.id: a for a in (*visit.focus_areas, *recorded)}.values())
    visit.status = DONE
    visit.interaction_id = contact.id
    visit.recorded_at = now
    visit.recorded_by_id = actor.id
    audit.record_update(
        actor,
        visit,
        summary=f"Företagsbesök hos {visit.company.name} genomfört ({len(promises)} löften)",  # untranslated: audit
    )
    db.session.flush()
    return visit


# ---------------------------------------------------------------------------------------------
# Company merge


def move_visits_on_merge(source: Any, target: Any, actor: Any) -> int:
    """Merge handler: the source company's visits move to the surviving company.

    A host contact person moves with the company (the company register's own handler moves the
    contact persons), so host ids stay valid. Plain UPDATE, no version bump.
    """
    moved = db.session.execute(
        sa.update(CompanyVisit).where(CompanyVisit.company_id == source.id).values(company_id=target.id),
        execution_options={"synchronize_session": "evaluate"},
    ).rowcount
    return moved or 0


# ---------------------------------------------------------------------------------------------
# The yearly target (admin); the question bank is app.visits.question_bank


def set_target(year: int, target_count: int, *, actor: User) -> VisitTarget:
    """Set how many visits kommunledning aims for in `year` (creates or replaces the target).

    Raises PermissionDenied, ValidationError. Flushes.
    """
    require(actor, Perm.MANAGE_CATALOGUES)
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Ange ett årtal."), field="year")
    if not 0 <= target_count <= 10_000:
        raise ValidationError(_("Ange ett mål mellan 0 och 10 000 besök."), field="target_count")
    target = db.session.scalar(sa.select(VisitTarget).where(VisitTarget.year == year))
    if target is None:
        target = VisitTarget(year=year, target_count=target_count)
        db.session.add(target)
        audit.record_create(
            actor,
            target,
            summary=f"Mål för företagsbesök {year}: {target_count}",  # untranslated: audit trail
        )
    else:
        target.target_count = target_count
        audit.record_update(
            actor,
            target,
            summary=f"Mål för företagsbesök {year}: {target_count}",  # untranslated: audit trail
        )
        db.session.flush()
    return target


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)
