"""Lotsmöten of a lots case, with invitations by e-mail.

* Every change raises the meeting's `sequence`, so a new invitation replaces the old one in
  calendars; invitations go through the outbox with the .ics attached (app.cases.calendar).
* Cancelling a meeting whose invitation went out sends METHOD:CANCEL to the same people.
* An .ics leaves the system: for a restricted case it names no company, title, agenda or place.

Every function takes `actor` (and `now` where time matters), checks permissions, flushes and
never commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from app.audit import services as audit
from app.auth.models import User
from app.cases.calendar import MeetingInvite, Person, build_meeting_ics, meeting_uid
from app.cases.models import CasePermit, LotsCase, LotsMeeting, LotsMeetingGuest
from app.cases.rules import active_users, case_of, record_event, require_edit, require_open
from app.catalogues.models import PermitType
from app.companies.models import Company, ContactPerson
from app.core import restriction
from app.core.db import check_version
from app.core.errors import Conflict, ValidationError
from app.core.time import utcnow
from app.extensions import db

MAX_MEETING = timedelta(hours=12)
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


def calendar_host() -> str:
    """The host part of lotsmöte UIDs: BASE_URL's host name (stable per installation)."""
    return urlsplit(current_app.config["BASE_URL"]).hostname or "lotsbok.local"


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


def default_agenda(case: LotsCase) -> str:
    """The agenda a new meeting starts with: the case, one line per permit row, next steps."""
    lines = ["Genomgång av ärendet och företagets planer"]  # untranslated: stored, and mailed in Swedish
    rows = db.session.execute(
        sa.select(PermitType.name, CasePermit.authority)
        .join(CasePermit, CasePermit.permit_type_id == PermitType.id)
        .where(CasePermit.case_id == case.id)
        .order_by(CasePermit.id)
    ).all()
    for name, authority in rows:
        lines.append(f"{name}" + (f" ({authority})" if authority else ""))
    lines.append("Tidplan, ordning för ansökningarna och nästa steg")  # untranslated: as above
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))


def _validate_meeting(data: MeetingInput) -> None:
    if data.starts_at is None:
        raise ValidationError(_("Ange när mötet börjar."), field="starts_at")
    if data.ends_at is None:
        raise ValidationError(_("Ange när mötet slutar."), field="ends_at")
    if data.starts_at.tzinfo is None or data.ends_at.tzinfo is None:
        raise ValueError("meeting times must be timezone-aware")
    if data.ends_at <= data.starts_at:
        raise ValidationError(_("Mötet måste sluta efter att det börjar."), field="ends_at")
    if data.ends_at - data.starts_at > MAX_MEETING:
        raise ValidationError(_("Ett lotsmöte kan vara högst 12 timmar."), field="ends_at")
    if len(data.place.strip()) > 200:
        raise ValidationError(_("Högst 200 tecken."), field="place")
    for guest in data.other_guests:
        if not guest.name.strip():
            raise ValidationError(_("Varje extern deltagare behöver ett namn."), field="other_guests")
        if guest.email and not _EMAIL.match(guest.email.strip()):
            raise ValidationError(
                _("Ogiltig e-postadress: %(email)s", email=guest.email), field="other_guests"
            )


def _guests(case: LotsCase, data: MeetingInput) -> list[LotsMeetingGuest]:
    guests = []
    if data.contact_person_ids:
        people = list(
            db.session.scalars(
                sa.select(ContactPerson).where(ContactPerson.id.in_(set(data.contact_person_ids)))
            )
        )
        if len(people) != len(set(data.contact_person_ids)) or any(
            p.company_id != case.company_id for p in people
        ):
            raise ValidationError(_("Välj kontaktpersoner på ärendets företag."), field="contact_person_ids")
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


def create_meeting(
    case: LotsCase, data: MeetingInput, *, actor: User, now: datetime | None = None
) -> LotsMeeting:
    """Plan a lotsmöte on an open case. An empty agenda gets `default_agenda(case)`.

    Raises PermissionDenied, ValidationError, Conflict. Flushes; the UID is
    "lotsmote-{id}@{host}" and SEQUENCE starts at 0.
    """
    require_edit(actor, case)
    require_open(case)
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
    meeting.internal_participants = active_users(data.user_ids)
    meeting.guests = _guests(case, data)
    db.session.add(meeting)
    db.session.flush()
    meeting.uid = meeting_uid(meeting.id, calendar_host())
    summary = f"Lotsmöte planerat i lotsärende {case.id}"  # untranslated: audit trail
    audit.record_create(actor, meeting, summary=summary)
    text = f"Lotsmöte planerat {_when(meeting)}"  # untranslated: stored as a case event
    record_event(case, "meeting", actor=actor, now=now, text=text)
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
    case = case_of(meeting.case_id)
    require_edit(actor, case)
    check_version(meeting, expected_version)
    if meeting.is_cancelled:
        raise Conflict(_("Mötet är inställt och kan inte ändras."))
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
    meeting.internal_participants = active_users(data.user_ids, meeting.internal_participants)
    new_guests = _guests(case, data)
    if sorted((g.contact_person_id or 0, g.name, g.email) for g in new_guests) != before[1]:
        meeting.guests = new_guests
    # Compared by value: the participant queries above may already have autoflushed.
    changed = tuple(getattr(meeting, name) for name in fields) != before_fields
    changed = changed or _meeting_snapshot(meeting) != before
    if changed:
        meeting.sequence += 1
        audit.record(
            actor,
            "update",
            "lots_meetings",
            meeting.id,
            summary=f"Lotsmöte i lotsärende {case.id} ändrat",  # untranslated: audit trail
            changes={
                name: [audit._plain(old), audit._plain(getattr(meeting, name))]
                for name, old in zip(fields, before_fields, strict=True)
                if old != getattr(meeting, name)
            }
            or None,
            now=now,
        )
        if _meeting_snapshot(meeting) != before:
            summary = "Mötesdeltagare ändrade"  # untranslated: audit trail
            audit.record(actor, "update", "lots_meetings", meeting.id, summary=summary, now=now)
        text = f"Lotsmöte ändrat ({_when(meeting)})"  # untranslated: stored as a case event
        record_event(case, "meeting", actor=actor, now=now, text=text)
    db.session.flush()
    return meeting


def cancel_meeting(meeting: LotsMeeting, *, actor: User, now: datetime | None = None) -> LotsMeeting:
    """Cancel a meeting: SEQUENCE is raised and, if an invitation went out, a METHOD:CANCEL
    message is queued to the same people. Raises PermissionDenied, Conflict. Flushes."""
    case = case_of(meeting.case_id)
    require_edit(actor, case)
    if meeting.is_cancelled:
        raise Conflict(_("Mötet är redan inställt."))
    now = now or utcnow()
    meeting.cancelled_at = now
    meeting.sequence += 1
    summary = f"Lotsmöte i lotsärende {case.id} inställt"  # untranslated: audit trail
    audit.record_update(actor, meeting, summary=summary)
    text = f"Lotsmöte {_when(meeting)} inställt"  # untranslated: stored as a case event
    record_event(case, "meeting", actor=actor, now=now, text=text)
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
            sa.select(LotsMeetingGuest)
            .where(LotsMeetingGuest.meeting_id == meeting.id)
            .order_by(LotsMeetingGuest.id)
        )
    )
    return users, guests


def meeting_invite(
    meeting: LotsMeeting, case: LotsCase, *, now: datetime | None = None, recipient: Person | None = None
) -> MeetingInvite:
    """The plain values of a meeting's .ics (organizer: the case's responsible lots).

    An .ics leaves the system (e-mail, a downloaded file, a synced phone), so it is judged as
    read by nobody (app.core.restriction): for a restricted case it says only that a lotsmöte
    exists ("Lotsmöte med begränsad åtkomst – öppna i Lotsbok"), with its time and a link –
    no company, title, agenda, place, and no other participants than the organizer and
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
        summary = f"Lotsmöte: {company.name} – {case.title}"  # untranslated: the .ics is mailed in Swedish
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
    """Organizer and participants with an e-mail address, each address once."""
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
    """Queue the meeting's invitation (or update) with its .ics to the organizer and every
    participant with an e-mail address, through the outbox. Idempotent per SEQUENCE: sending
    again without a change queues nothing. Returns how many messages were queued.

    Raises PermissionDenied, Conflict (cancelled), ValidationError (nobody to invite). Flushes.
    """
    case = case_of(meeting.case_id)
    require_edit(actor, case)
    if meeting.is_cancelled:
        raise Conflict(_("Mötet är inställt."))
    now = now or utcnow()
    users, guests = meeting_people(meeting)
    if not any(p.email.strip() for p in [*users, *guests]):
        raise ValidationError(_("Ingen deltagare har en e-postadress."), field="participants")
    queued = _queue_invitations(meeting, case, actor=actor, now=now)
    first = meeting.invited_at is None
    meeting.invited_at = now
    meeting.invited_sequence = meeting.sequence
    summary = f"Inbjudan till lotsmöte skickad ({queued} mottagare)"  # untranslated: audit trail
    audit.record_update(actor, meeting, summary=summary)
    invitation = "Inbjudan" if first else "Uppdaterad inbjudan"  # untranslated: stored as a case event
    text = f"{invitation} till lotsmöte {_when(meeting)} skickad"  # untranslated: stored as a case event
    record_event(case, "meeting", actor=actor, now=now, text=text)
    db.session.flush()
    return queued
