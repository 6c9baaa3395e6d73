"""The per-user calendar feed (iCalendar, RFC 5545) and its registry of event sources.

Follow-ups are one source; other features add theirs in their init_app:

    from app.followups.calendar import CalendarEvent, register_calendar_source

    def planned_visits(user, now) -> list[CalendarEvent]: ...   # only `user`'s own items!
    register_calendar_source(app, planned_visits)

A source must return only what belongs to `user`: the feed is read without signing in, by
whoever holds the secret address.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask, current_app
from icalendar import Calendar, Event

from app.core.time import STOCKHOLM, local_datetime, utcnow
from app.mail.render import external_url, external_url_or_none


@dataclass(frozen=True)
class CalendarEvent:
    """`start` is a date (all-day event) or an aware datetime; `end` defaults to start + 1 day
    or start + 30 minutes. `uid` must be stable and unique: "<kind>-<id>@<host>"."""

    uid: str
    summary: str
    start: date | datetime
    end: date | datetime | None = None
    description: str = ""
    url: str | None = None
    location: str = ""


CalendarSource = Callable[[Any, datetime], Iterable[CalendarEvent]]
_KEY = "lotsbok_calendar_sources"


def register_calendar_source(app: Flask, source: CalendarSource) -> None:
    """Add `source(user, now) -> events` to every user's calendar feed."""
    app.extensions.setdefault(_KEY, []).append(source)


def feed_host() -> str:
    from urllib.parse import urlsplit

    return urlsplit(current_app.config["BASE_URL"]).hostname or "lotsbok"


def followup_events(user: Any, now: datetime) -> list[CalendarEvent]:
    """The user's open follow-ups: all-day events, or 30 minutes at their time. The feed leaves
    the system (read without signing in, synced to phones): a follow-up of a restricted
    contact or case says only "Uppföljning med begränsad åtkomst – öppna i Lotsbok"."""
    from app.followups.queries import open_for_feed, shown_followups

    events = []
    for f in shown_followups(user, open_for_feed(user), outside=True):
        start: date | datetime = f.due_on
        if f.due_time is not None:
            start = local_datetime(f.due_on, f.due_time)
        if getattr(f, "masked", False):
            summary = f.title
        else:
            summary = (
                f"Uppföljning: {f.title}"  # untranslated: the .ics feed is Swedish (no session), like mail
            )
            if f.company:
                summary += f" – {f.company.name}"
        url = external_url("followups.list", _anchor=f"uppfoljning-{f.id}", assignee="me")
        company_url = (
            external_url_or_none("companies.detail", company_id=f.company_id) if f.company_id else None
        )
        description = "\n".join(x for x in (f.note, company_url or "", url) if x)
        events.append(
            CalendarEvent(
                uid=f"followup-{f.id}@{feed_host()}",
                summary=summary,
                start=start,
                description=description,
                url=url,
            )
        )
    return events


def _ical_value(value: date | datetime) -> date | datetime:
    # Timed events go out in UTC ("Z"): valid without a VTIMEZONE block in every client.
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return value


def build_feed(user: Any, now: datetime | None = None) -> bytes:
    """The user's whole calendar as iCalendar bytes (every registered source)."""
    now = now or utcnow()
    cal = Calendar()
    cal.add("prodid", "-//Lotsbok//Uppföljningar//SV")  # untranslated: product id, not a text
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Lotsbok – {user.name}")  # untranslated: the .ics feed is Swedish
    cal.add("x-wr-timezone", str(STOCKHOLM))
    cal.add("x-published-ttl", "PT1H")  # Outlook: how often to refresh
    sources = [followup_events, *current_app.extensions.get(_KEY, [])]
    stamp = now.astimezone(UTC).replace(microsecond=0)
    for source in sources:
        for item in source(user, now):
            event = Event()
            event.add("uid", item.uid)
            event.add("dtstamp", stamp)
            event.add("summary", item.summary)
            start = _ical_value(item.start)
            if item.end is not None:
                end = _ical_value(item.end)
            elif isinstance(start, datetime):
                end = start + timedelta(minutes=30)
            else:
                end = start + timedelta(days=1)
            event.add("dtstart", start)
            event.add("dtend", end)
            if item.description:
                event.add("description", item.description)
            if item.url:
                event.add("url", item.url)
            if item.location:
                event.add("location", item.location)
            event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
            cal.add_component(event)
    return cal.to_ical()


def feed_url(token: str) -> str:
    return external_url("followups.calendar_feed", token=token)
