"""Companies reached per aligned period and per month pair (docs/ARCHITECTURE.md "Report
facts"): report_company_periods (grain m/q/y) and report_company_months (the markers per month
and month of the previous marker), both derived from the markers of report_company_days and
kept in step by app.reports.facts_sync.sync_companies (diffs of a company's markers) or rebuilt
from them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa

from app.reports.models import CompanyDayFact, CompanyMonthFact, CompanyPeriodFact

_marks = CompanyDayFact.__table__
_periods_t = CompanyPeriodFact.__table__
_cmonths_t = CompanyMonthFact.__table__
NO_PREVIOUS = date(1900, 1, 1)  # report_company_months.prev_month of a company's first marker
_MONTH_KEYS = ("focus_area_id", "month", "prev_month")
GRAINS = {"m": 1, "q": 3, "y": 12}  # the aligned periods of report_company_periods, in months


def _month(day: date) -> date:
    return day.replace(day=1)


def _apply(*args: Any) -> int:
    from app.reports.facts_sync import _apply as apply

    return apply(*args)


def _month_pairs(markers: Iterable[tuple[int, date, date | None]]) -> dict[tuple[int, date, date], int]:
    """report_company_months from (focus area, day, prev_day) markers."""
    out: dict[tuple[int, date, date], int] = defaultdict(int)
    for fa, day, prev in markers:
        month, prev_month = _month(day), (_month(prev) if prev is not None else NO_PREVIOUS)
        if prev_month != month:
            out[(fa, month, prev_month)] += 1
    return out


def _shift_company_months(conn: sa.Connection, before: dict[tuple, Any], after: dict[tuple, Any]) -> int:
    """Adjust report_company_months by the markers of some companies going from `before` to
    `after` ({(focus area, company, day): prev_day}, both complete for those companies)."""
    change = _month_pairs((fa, day, prev) for (fa, _, day), prev in after.items())
    for key, n in _month_pairs((fa, day, prev) for (fa, _, day), prev in before.items()).items():
        change[key] -= n
    change = {key: n for key, n in change.items() if n}
    if not change:
        return 0
    m = _cmonths_t.c
    lookup = sa.select(m.markers).where(
        m.focus_area_id == sa.bindparam("f"), m.month == sa.bindparam("m"), m.prev_month == sa.bindparam("p")
    )
    stored: dict[tuple, int] = {}
    for fa, month, prev_month in change:
        n = conn.scalar(lookup, {"f": fa, "m": month, "p": prev_month})
        if n is not None:
            stored[(fa, month, prev_month)] = n
    new = {key: stored.get(key, 0) + n for key, n in change.items()}
    new.update({key: n for key, n in stored.items() if key not in new})
    return _apply(
        conn,
        _cmonths_t,
        _MONTH_KEYS,
        "markers",
        stored,
        {key: n for key, n in new.items() if n > 0},
    )


def _aligned_start(day: date, months: int) -> date:
    index = (day.year * 12 + day.month - 1) // months * months
    return date(index // 12, index % 12 + 1, 1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _presence(markers: Iterable[tuple[int, int, date]]) -> set[tuple[str, date, int, int]]:
    """(grain, start, focus area, company) of every aligned period a company has a marker in."""
    return {
        (grain, _aligned_start(day, months), fa, cid)
        for fa, cid, day in markers
        for grain, months in GRAINS.items()
    }


def _shift_company_periods(conn: sa.Connection, before: Iterable[tuple], after: Iterable[tuple]) -> int:
    """Adjust report_company_periods by the companies that entered or left an aligned period
    when their markers went from `before` to `after` (both complete for those companies)."""
    old_presence, new_presence = _presence(before), _presence(after)
    change: dict[tuple[str, date, int], int] = defaultdict(int)
    for grain, start, fa, _ in old_presence - new_presence:
        change[(grain, start, fa)] -= 1
    for grain, start, fa, _ in new_presence - old_presence:
        change[(grain, start, fa)] += 1
    change = defaultdict(int, {key: n for key, n in change.items() if n})
    if not change:
        return 0
    p = _periods_t.c
    stored: dict[tuple, int] = {}
    lookup = sa.select(p.companies).where(
        p.grain == sa.bindparam("g"), p.start == sa.bindparam("s"), p.focus_area_id == sa.bindparam("f")
    )
    for grain, start, fa in change:
        n = conn.scalar(lookup, {"g": grain, "s": start, "f": fa})
        if n is not None:
            stored[(grain, start, fa)] = n
    new = {key: stored.get(key, 0) + change[key] for key in change}
    new.update({key: n for key, n in stored.items() if key not in new})
    return _apply(
        conn,
        _periods_t,
        ("grain", "start", "focus_area_id"),
        "companies",
        stored,
        {key: n for key, n in new.items() if n > 0},
    )


def _period_rows(markers: Iterable[tuple[int, date, date | None]]) -> dict[tuple[str, date, int], int]:
    """report_company_periods from (focus area, day, prev_day) markers: a company counts in an
    aligned period at its first marker in it."""
    out: dict[tuple[str, date, int], int] = defaultdict(int)
    for fa, day, prev in markers:
        for grain, months in GRAINS.items():
            start = _aligned_start(day, months)
            if prev is None or prev < start:
                out[(grain, start, fa)] += 1
    return out


def _has_month_pairs(conn: sa.Connection) -> bool:
    """Whether report_company_months exists: the fill of migration 0017 runs this module before
    0026 creates it."""
    return sa.inspect(conn).has_table(_cmonths_t.name)


def _rebuild_company_periods(conn: sa.Connection, since: date | None) -> int:
    """report_company_periods and report_company_months from the markers (all, or from the
    year of `since`)."""
    c, p, m = _marks.c, _periods_t.c, _cmonths_t.c
    first = _aligned_start(since, 12) if since else None
    markers = conn.execute(
        sa.select(c.focus_area_id, c.day, c.prev_day).where(*([c.day >= first] if first else []))
    ).all()
    repaired = 0
    if _has_month_pairs(conn):
        stored_months = {
            (fa, month, prev_month): n
            for fa, month, prev_month, n in conn.execute(
                sa.select(m.focus_area_id, m.month, m.prev_month, m.markers).where(
                    *([m.month >= first] if first else [])
                )
            )
        }
        repaired = _apply(conn, _cmonths_t, _MONTH_KEYS, "markers", stored_months, _month_pairs(markers))
    stored = {
        (grain, start, fa): n
        for grain, start, fa, n in conn.execute(
            sa.select(p.grain, p.start, p.focus_area_id, p.companies).where(
                *([p.start >= first] if first else [])
            )
        )
    }
    return repaired + _apply(
        conn, _periods_t, ("grain", "start", "focus_area_id"), "companies", stored, _period_rows(markers)
    )
