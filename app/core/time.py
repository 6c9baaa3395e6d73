"""Time helpers: the one place that reads the clock, and Stockholm calendar arithmetic.

Everything is stored in UTC and shown in Europe/Stockholm. Services take `now` explicitly so
tests (and catch-up jobs) can control time; `utcnow()` is only the default.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def to_local(moment: datetime) -> datetime:
    """A UTC (aware) datetime in Stockholm time."""
    return moment.astimezone(STOCKHOLM)


def local_today(now: datetime | None = None) -> date:
    """Today's date in Stockholm."""
    return to_local(now or utcnow()).date()


def local_midnight_utc(day: date) -> datetime:
    """The UTC instant at which `day` starts in Stockholm (handles DST switch days)."""
    return datetime.combine(day, time.min, tzinfo=STOCKHOLM).astimezone(UTC)


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of a Stockholm calendar day in UTC; 23 or 25 hours long on DST days."""
    return local_midnight_utc(day), local_midnight_utc(day + timedelta(days=1))


def local_datetime(day: date, at: time) -> datetime:
    """A Stockholm wall-clock date and time as an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=STOCKHOLM).astimezone(UTC)
