"""iCalendar (RFC 5545) invitations for lotsmöten, built with the `icalendar` package.

Pure: takes a `MeetingInvite` (plain values) and returns bytes; no database, no Flask.

Outlook/Exchange compatibility (domain.md §6.2):

* METHOD:REQUEST for an invitation or an update, METHOD:CANCEL with STATUS:CANCELLED when the
  meeting is cancelled. The calendar's METHOD matches the MIME part's `method=` parameter.
* A stable UID, "lotsmote-{id}@{host}", so every update replaces the same calendar entry.
* SEQUENCE: the meeting's counter, raised by the service on every change (and on cancelling),
  so calendar clients accept the newer version.
* Times in TZID=Europe/Stockholm, with a compact VTIMEZONE (yearly RRULEs: last Sunday of March
  and October, as EU summer time has been since 1996) that works for any year.
* ORGANIZER is the responsible lots; each participant is an ATTENDEE with
  ROLE=REQ-PARTICIPANT, PARTSTAT=NEEDS-ACTION and RSVP=TRUE.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vText

from app.core.time import STOCKHOLM

PRODID = "-//Lotsbok//Lotsmöten//SV"
TZID = "Europe/Stockholm"


@dataclass(frozen=True)
class Person:
    """A participant or organiser: a display name and an e-mail address (may be empty)."""

    name: str
    email: str


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
    extra: dict[str, str] = field(default_factory=dict)


def meeting_uid(meeting_id: int, host: str) -> str:
    """The stable UID of a lotsmöte: the same for every update and the cancellation."""
    return f"lotsmote-{meeting_id}@{host}"


def stockholm_vtimezone() -> Timezone:
    """VTIMEZONE for Europe/Stockholm with yearly rules (CET/CEST)."""
    tz = Timezone()
    tz.add("tzid", TZID)
    tz.add("x-lic-location", TZID)
    daylight = TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("tzoffsetfrom", _offset(1))
    daylight.add("tzoffsetto", _offset(2))
    # VTIMEZONE onsets are local wall-clock times without a zone (RFC 5545 3.6.5).
    daylight.add("dtstart", datetime(1970, 3, 29, 2, 0, 0))  # noqa: DTZ001
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    standard = TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("tzoffsetfrom", _offset(2))
    standard.add("tzoffsetto", _offset(1))
    standard.add("dtstart", datetime(1970, 10, 25, 3, 0, 0))  # noqa: DTZ001
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    tz.add_component(daylight)
    tz.add_component(standard)
    return tz


def _offset(hours: int) -> timedelta:
    return timedelta(hours=hours)


def _address(person: Person, *, attendee: bool) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = vText(person.name)
    if attendee:
        address.params["CUTYPE"] = vText("INDIVIDUAL")
        address.params["ROLE"] = vText("REQ-PARTICIPANT")
        address.params["PARTSTAT"] = vText("NEEDS-ACTION")
        address.params["RSVP"] = vText("TRUE")
    return address


def method_for(invite: MeetingInvite) -> str:
    return "CANCEL" if invite.cancelled else "REQUEST"


def build_meeting_ics(invite: MeetingInvite) -> bytes:
    """The .ics file of a lotsmöte invitation, update or cancellation (CRLF line endings)."""
    if invite.starts_at.tzinfo is None or invite.ends_at.tzinfo is None:
        raise ValueError("meeting times must be timezone-aware")
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method_for(invite))
    cal.add_component(stockholm_vtimezone())

    event = Event()
    event.add("uid", meeting_uid(invite.meeting_id, invite.host))
    event.add("sequence", invite.sequence)
    event.add("dtstamp", (invite.stamp or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", invite.starts_at.astimezone(STOCKHOLM))
    event.add("dtend", invite.ends_at.astimezone(STOCKHOLM))
    event.add("summary", invite.summary)
    if invite.location:
        event.add("location", invite.location)
    if invite.description:
        event.add("description", invite.description)
    if invite.url:
        event.add("url", invite.url)
    event.add("status", "CANCELLED" if invite.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", _address(invite.organizer, attendee=False))
    seen: set[str] = set()
    for person in invite.attendees:
        key = person.email.strip().lower()
        if not key or key in seen:
            continue  # no address: cannot be invited; duplicates would get two requests
        seen.add(key)
        event.add("attendee", _address(person, attendee=True))
    for name, value in invite.extra.items():
        event.add(name, value)
    cal.add_component(event)
    return cal.to_ical()
