"""iCalendar (RFC 5545) invitations for lotsmöten.

The iTIP writing itself (METHOD, VTIMEZONE for Europe/Stockholm, ORGANIZER/ATTENDEE parameters,
STATUS, DTSTAMP) is shared with company visits in app.core.ics; this module only decides what a
lotsmöte's invitation says. Pure: takes a `MeetingInvite` (plain values), returns bytes.

* METHOD:REQUEST for an invitation or an update, METHOD:CANCEL with STATUS:CANCELLED when the
  meeting is cancelled. The mail's MIME part carries the same `method=` parameter.
* A stable UID, "lotsmote-{id}@{host}", so every update replaces the same calendar entry.
* SEQUENCE: the meeting's counter, raised by the service on every change (and on cancelling),
  so calendar clients accept the newer version.
* ORGANIZER is the responsible lots; each participant with an e-mail address is an ATTENDEE
  (once, however often the address was given; app.core.ics drops duplicates).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.core.ics import CANCEL, REQUEST, Invitation, Person, invitation_ics

__all__ = ["MeetingInvite", "Person", "build_meeting_ics", "meeting_uid", "method_for"]

PRODID = "-//Lotsbok//Lotsmöten//SV"  # untranslated: the product identifier of the .ics, not a text


@dataclass(frozen=True)
class MeetingInvite:
    """The values one .ics needs. `starts_at`/`ends_at` are aware datetimes (any zone)."""

    meeting_id: int
    host: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    organizer: Person
    attendees: Sequence[Person] = ()
    location: str = ""
    description: str = ""
    url: str | None = None
    cancelled: bool = False
    stamp: datetime | None = None  # DTSTAMP; now (UTC) when None


def meeting_uid(meeting_id: int, host: str) -> str:
    """The stable UID of a lotsmöte: the same for every update and the cancellation."""
    return f"lotsmote-{meeting_id}@{host}"


def method_for(invite: MeetingInvite) -> str:
    return CANCEL if invite.cancelled else REQUEST


def build_meeting_ics(invite: MeetingInvite) -> bytes:
    """The .ics of a lotsmöte invitation, update or cancellation (CRLF line endings).

    Raises ValueError for naive times or an end not after the start.
    """
    return invitation_ics(
        Invitation(
            uid=meeting_uid(invite.meeting_id, invite.host),
            sequence=invite.sequence,
            starts_at=invite.starts_at,
            ends_at=invite.ends_at,
            summary=invite.summary,
            organizer=invite.organizer,
            attendees=tuple(invite.attendees),
            location=invite.location,
            description=invite.description,
            url=invite.url,
            cancelled=invite.cancelled,
            stamp=invite.stamp,
            prodid=PRODID,
            extra={"categories": "Lotsmöte"},  # untranslated: the .ics goes out in Swedish with the mail
        )
    )
