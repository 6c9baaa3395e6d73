"""Report periods: a month, quarter, year or custom range of Stockholm calendar days.

A period is a half-open range of Stockholm dates [start, end). Its UTC edges are the instants
at which those days begin in Stockholm (app.core.time.local_midnight_utc), so a contact at
23:30 UTC on 31 January belongs to February (00:30 Stockholm time), and the March and October
months are 743 and 745 hours long. Every figure uses `start_utc`/`end_utc` for timestamps and
`start`/`end` for date columns (due_on, done_on, intake_on), so the two never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.errors import ValidationError
from app.core.time import local_midnight_utc, local_today

MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
KINDS = {MONTH: _l("Månad"), QUARTER: _l("Kvartal"), YEAR: _l("År"), CUSTOM: _l("Valfri period")}

# Lower case, as they stand inside a sentence ("mars 2025"); English capitalises them.
MONTH_NAMES = [
    _l("januari"),
    _l("februari"),
    _l("mars"),
    _l("april"),
    _l("maj"),
    _l("juni"),
    _l("juli"),
    _l("augusti"),
    _l("september"),
    _l("oktober"),
    _l("november"),
    _l("december"),
]

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
# A custom period may not be longer than this: figures over decades are not what the
# dashboard is for, and it bounds the work one request can ask for (issue 18: any period up
# to five years within the dashboard's time limit).
MAX_CUSTOM_DAYS = 5 * 366


def _add_months(day: date, months: int) -> date:
    """The first of the month `months` after `day`'s month (day must be a first)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → 28 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Period:
    """[start, end) in Stockholm calendar days; `kind` says how it was chosen."""

    kind: str
    start: date
    end: date  # exclusive

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValidationError(_("Periodens slut måste vara efter dess början."), field="end")

    # -- edges -------------------------------------------------------------------------------
    @property
    def start_utc(self) -> datetime:
        """The UTC instant the period starts (midnight Stockholm time)."""
        return local_midnight_utc(self.start)

    @property
    def end_utc(self) -> datetime:
        """The UTC instant the period ends (exclusive; midnight Stockholm time)."""
        return local_midnight_utc(self.end)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def contains(self, moment: datetime) -> bool:
        return self.start_utc <= moment < self.end_utc

    # -- neighbours --------------------------------------------------------------------------
    def year_earlier(self) -> Period:
        """The same period one year earlier (same month, quarter, year or dates)."""
        return Period(self.kind, _shift_year(self.start, -1), _shift_year(self.end, -1))

    def previous(self) -> Period:
        """The period just before this one, of the same length kind."""
        if self.kind == MONTH:
            return month_period(_add_months(self.start, -1))
        if self.kind == QUARTER:
            return Period(QUARTER, _add_months(self.start, -3), self.start)
        if self.kind == YEAR:
            return Period(YEAR, date(self.start.year - 1, 1, 1), self.start)
        return Period(CUSTOM, self.start - timedelta(days=self.days), self.start)

    # -- presentation ------------------------------------------------------------------------
    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return f"{MONTH_NAMES[self.start.month - 1]} {self.start.year}"
        if self.kind == QUARTER:
            return _(
                "kvartal %(quarter)s %(year)s", quarter=(self.start.month - 1) // 3 + 1, year=self.start.year
            )
        if self.kind == YEAR:
            return str(self.start.year)
        return f"{self.start.isoformat()} – {self.last_day.isoformat()}"

    @property
    def month_key(self) -> str:
        """YYYY-MM of the first month (the monthly summary's key)."""
        return f"{self.start.year:04d}-{self.start.month:02d}"

    def to_args(self) -> dict[str, str]:
        """Query parameters that `period_from_args` turns back into this period."""
        if self.kind == MONTH:
            return {"period": MONTH, "month": self.month_key}
        if self.kind == QUARTER:
            return {
                "period": QUARTER,
                "year": str(self.start.year),
                "quarter": str((self.start.month - 1) // 3 + 1),
            }
        if self.kind == YEAR:
            return {"period": YEAR, "year": str(self.start.year)}
        return {"period": CUSTOM, "from": self.start.isoformat(), "to": self.last_day.isoformat()}


def month_period(first: date) -> Period:
    first = first.replace(day=1)
    return Period(MONTH, first, _add_months(first, 1))


def quarter_period(year: int, quarter: int) -> Period:
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(_("Kvartalet måste vara 1–4."), field="quarter")
    start = date(year, 3 * (quarter - 1) + 1, 1)
    return Period(QUARTER, start, _add_months(start, 3))


def year_period(year: int) -> Period:
    return Period(YEAR, date(year, 1, 1), date(year + 1, 1, 1))


def custom_period(first_day: date, last_day: date) -> Period:
    """An inclusive range of days [first_day, last_day]."""
    if last_day < first_day:
        raise ValidationError(_("Slutdatum måste vara samma dag som eller efter startdatum."), field="to")
    if (last_day - first_day).days >= MAX_CUSTOM_DAYS:
        raise ValidationError(_("En valfri period får vara högst fem år."), field="to")
    return Period(CUSTOM, first_day, last_day + timedelta(days=1))


def parse_month(text: str) -> Period:
    """'2025-03' → March 2025. Raises ValidationError for anything else."""
    match = _MONTH_RE.match((text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise ValidationError(_("Ange månaden som ÅÅÅÅ-MM, till exempel 2025-03."), field="month")
    return month_period(date(int(match.group(1)), int(match.group(2)), 1))


def current_month(now: datetime | None = None) -> Period:
    return month_period(local_today(now))


def previous_month(now: datetime | None = None) -> Period:
    """The calendar month before the current Stockholm month (the monthly summary's month)."""
    return current_month(now).previous()


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def period_from_args(args: Mapping[str, str], now: datetime | None = None) -> Period:
    """The period that dashboard query parameters describe; the previous month by default.

    Unreadable values fall back to defaults rather than failing (a hand-edited URL still
    shows a page); only a custom range that is backwards or too long raises ValidationError.
    """
    kind = args.get("period", MONTH)
    today = local_today(now)
    if kind == QUARTER:
        quarter = _int(args.get("quarter"), (today.month - 1) // 3 + 1)
        return quarter_period(_int(args.get("year"), today.year), min(max(quarter, 1), 4))
    if kind == YEAR:
        return year_period(min(max(_int(args.get("year"), today.year), 1900), 9998))
    if kind == CUSTOM:
        try:
            first = date.fromisoformat(args.get("from", ""))
            last = date.fromisoformat(args.get("to", ""))
        except ValueError:
            return previous_month(now)
        return custom_period(first, last)
    try:
        return parse_month(args.get("month", ""))
    except ValidationError:
        return previous_month(now)
