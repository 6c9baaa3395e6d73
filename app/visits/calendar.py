"""The month calendar of company visits (Monday–Sunday weeks, Stockholm days, holidays and days
the kommun closed marked)."""

from __future__ import annotations

import calendar as calmod
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from babel.dates import get_day_names
from flask_babel import format_date, get_locale

from app.core.calendar import closed_days, holiday_name
from app.core.time import local_midnight_utc, local_today, to_local
from app.extensions import db
from app.followups.services import add_months
from app.visits.models import CANCELLED, CompanyVisit
from app.visits.queries import with_people


@dataclass(frozen=True)
class CalendarDay:
    day: date
    in_month: bool
    is_today: bool
    visits: list[CompanyVisit]
    holiday: str | None = None  # a named holiday, afton or closed day (app.core.calendar)


@dataclass(frozen=True)
class MonthCalendar:
    first: date
    weeks: list[list[CalendarDay]]
    prev_month: date
    next_month: date

    @property
    def label(self) -> str:
        """The month in the reader's language (Babel): "januari 2026", "January 2026"."""
        return format_date(self.first, "LLLL y")

    @property
    def visit_days(self) -> list[CalendarDay]:
        """The month's days that have visits (the list form for small screens)."""
        return [d for week in self.weeks for d in week if d.in_month and d.visits]


def weekday_names() -> list[str]:
    """Monday–Sunday in the reader's language, capitalised as a column heading ("Måndag",
    "Monday"), from Babel's locale data."""
    names = get_day_names("wide", locale=get_locale())
    return [names[i][:1].upper() + names[i][1:] for i in range(7)]


def _holiday(day: date) -> str | None:
    """A named holiday or a day the kommun closed; ordinary weekends need no label."""
    name = holiday_name(day) or closed_days().get(day)
    return name[:1].upper() + name[1:] if name else None


def month_calendar(first: date, *, now: datetime | None = None) -> MonthCalendar:
    """The visits (not cancelled) of a Stockholm calendar month, laid out Monday–Sunday."""
    first = first.replace(day=1)
    next_first = add_months(first, 1)
    grid_start = first - timedelta(days=first.weekday())
    days_in_month = calmod.monthrange(first.year, first.month)[1]
    last = first + timedelta(days=days_in_month - 1)
    grid_end = last + timedelta(days=6 - last.weekday())
    visits = db.session.scalars(
        with_people(
            sa.select(CompanyVisit)
            .where(
                CompanyVisit.starts_at >= local_midnight_utc(first),
                CompanyVisit.starts_at < local_midnight_utc(next_first),
                CompanyVisit.status != CANCELLED,
            )
            .order_by(CompanyVisit.starts_at, CompanyVisit.id)
            .limit(500)
        )
    ).all()
    by_day: dict[date, list[CompanyVisit]] = defaultdict(list)
    for visit in visits:
        by_day[to_local(visit.starts_at).date()].append(visit)
    today = local_today(now)
    weeks = []
    day = grid_start
    while day <= grid_end:
        weeks.append(
            [
                CalendarDay(d, d.month == first.month, d == today, by_day.get(d, []), _holiday(d))
                for d in (day + timedelta(days=i) for i in range(7))
            ]
        )
        day += timedelta(days=7)
    return MonthCalendar(first, weeks, add_months(first, -1), next_first)
