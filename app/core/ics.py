"""iCalendar (RFC 5545 / iTIP RFC 5546) meeting invitations: REQUEST and CANCEL, for any feature.

Generalised from the lots-case feature's lotsmöte helper (app/cases/calendar.py, which now
builds on this module): the caller passes the UID ("<kind>-<id>@<host>") and the PRODID, so
company visits and lotsmöten share one writer.

Pure: plain values in, bytes out; no database, no Flask. Outlook/Exchange compatibility
(domain.md §6.2):

* METHOD:REQUEST for an invitation or an update, METHOD:CANCEL with STATUS:CANCELLED when the
  meeting is cancelled. The calendar's METHOD matches the MIME part's `method=` parameter.
* A stable UID per meeting, the same for every update and the cancellation.
* SEQUENCE: the meeting's counter, raised by the caller's service on every change it sends out
  (and on cancelling), so calendar clients accept the newer version.
* Times in TZID=Europe/Stockholm with a compact VTIMEZONE (yearly RRULEs: last Sunday of March
  and October, EU summer time since 1996) that works for any year.
* ORGANIZER, and each attendee with CUTYPE=INDIVIDUAL, ROLE=REQ-PARTICIPANT,
  PARTSTAT=NEEDS-ACTION and RSVP=TRUE (attendees without an address, and duplicate addresses,
  are left out).

The per-user subscription feed (METHOD:PUBLISH) is a different thing: app.followups.calendar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vText

from app.core.time import STOCKHOLM

TZID = "Europe/Stockholm"
REQUEST, CANCEL = "REQUEST", "CANCEL"


@dataclass(frozen=True)
class Person:
    """An organizer or attendee: a display name and an e-mail address (may be empty)."""

    name: str
    email: str


@dataclass(frozen=True)
class Invitation:
    """The values one .ics needs. `starts_at`/`ends_at` are aware datetimes (any zone)."""

    uid: str
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
    prodid: str = "-//Lotsbok//Lotsbok//SV"
    extra: dict[str, str] = field(default_factory=dict)  # more VEVENT properties (CATEGORIES …)

    @property
    def method(self) -> str:
        return CANCEL if self.cancelled else REQUEST


def stockholm_vtimezone() -> Timezone:
    """Europe/Stockholm as a compact VTIMEZONE with the EU summer-time rules (last Sunday of
    March 02:00 → CEST, last Sunday of October 03:00 → CET), the form Outlook itself writes.
    (icalendar's generated block lists every switch as RDATEs and stops in 2037.)"""
    tz = Timezone()
    tz.add("tzid", TZID)
    tz.add("x-lic-location", TZID)
    daylight = TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("tzoffsetfrom", timedelta(hours=1))
    daylight.add("tzoffsetto", timedelta(hours=2))
    # VTIMEZONE onsets are local wall-clock times without a zone (RFC 5545 3.6.5).
    daylight.add("dtstart", datetime(1970, 3, 29, 2, 0, 0))  # noqa: DTZ001
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    standard = TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("tzoffsetfrom", timedelta(hours=2))
    standard.add("tzoffsetto", timedelta(hours=1))
    standard.add("dtstart", datetime(1970, 10, 25, 3, 0, 0))  # noqa: DTZ001
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    tz.add_component(daylight)
    tz.add_component(standard)
    return tz


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


def invitation_ics(invite: Invitation) -> bytes:
    """The .ics of an invitation, update or cancellation (CRLF line endings, folded lines).

    Raises ValueError for naive datetimes or an end that is not after the start.
    """
    if invite.starts_at.tzinfo is None or invite.ends_at.tzinfo is None:
        raise ValueError("meeting times must be timezone-aware")
    if invite.ends_at <= invite.starts_at:
        raise ValueError("a meeting must end after it starts")
    cal = Calendar()
    cal.add("prodid", invite.prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", invite.method)
    cal.add_component(stockholm_vtimezone())

    event = Event()
    event.add("uid", invite.uid)
    event.add("sequence", invite.sequence)
    event.add("dtstamp", (invite.stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0))
    event.add("dtstart", invite.starts_at.astimezone(STOCKHOLM).replace(microsecond=0))
    event.add("dtend", invite.ends_at.astimezone(STOCKHOLM).replace(microsecond=0))
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
