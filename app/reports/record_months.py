"""The record facts summed per calendar month (`report_record_months`, migration 0026; a user's
closed cases without their days to close, see `month_key`): a
period of up to five years reads its whole months here and only its edge days (at most a month
at each end) from `report_record_days` – ≈ 20 times fewer rows for the totals and the chef's
per-user table than summing the days.

Kept in step by app.reports.record_facts.sync, which adds the change of the day rows it writes
to their months (diff-based, in the same transaction); `rebuild` recomputes months from the day
rows (the nightly reconcile, `flask reports rebuild-facts`)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from app.reports.models import RecordDayFact, RecordMonthFact

_days = RecordDayFact.__table__
_t = RecordMonthFact.__table__
_KEYS = ("family", "user_id", "month", "focus_area_id", "detail")
Key = tuple[str, int, date, int, int]


def month_key(family: str, uid: int, day: date, fa: int, detail: int) -> Key:
    """The month row a day row adds to. A user's closed cases are only counted (the days to
    close are read for the totals, user 0), so their month rows drop the detail."""
    return (family, uid, _month(day), fa, 0 if family == "case_closed" and uid else detail)


def _month(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return _month(_month(day) + timedelta(days=31))


def shift(conn: sa.Connection, stored: dict[tuple, int], expected: dict[tuple, int]) -> int:
    """Add the change from `stored` to `expected` day rows ({(family, user, day, focus area,
    detail): n}) to their months; returns month rows written."""
    from app.reports.facts_sync import _apply

    change: dict[Key, int] = defaultdict(int)
    for key in stored.keys() | expected.keys():
        diff = expected.get(key, 0) - stored.get(key, 0)
        if diff:
            change[month_key(*key)] += diff
    change = {key: n for key, n in change.items() if n}
    if not change:
        return 0
    c = _t.c
    old: dict[Key, int] = {}
    # One statement per family and month touched (a flush touches a day or two), reading only
    # the touched users' rows: a month holds a row per user, focus area and detail.
    for family, month in {(k[0], k[2]) for k in change}:
        users = {k[1] for k in change if k[0] == family and k[2] == month}
        old.update(
            ((family, uid, month, fa, detail), n)
            for uid, fa, detail, n in conn.execute(
                sa.select(c.user_id, c.focus_area_id, c.detail, c.n).where(
                    c.family == family, c.month == month, c.user_id.in_(users)
                )
            )
            if (family, uid, month, fa, detail) in change
        )
    new = {key: old.get(key, 0) + n for key, n in change.items()}
    return _apply(conn, _t, _KEYS, "n", old, {key: n for key, n in new.items() if n})


def rebuild(conn: sa.Connection, family: str, first: date, end: date) -> int:
    """Recompute the family's months that touch [first, end) from its day rows."""
    from app.reports.facts_sync import _apply

    lo, hi = _month(first), _next_month(end - timedelta(days=1))
    d, c = _days.c, _t.c
    expected: dict[Key, int] = defaultdict(int)
    for uid, day, fa, detail, n in conn.execute(
        sa.select(d.user_id, d.day, d.focus_area_id, d.detail, d.n).where(
            d.family == family, d.day >= lo, d.day < hi
        )
    ):
        expected[month_key(family, uid, day, fa, detail)] += n
    stored = {
        (family, uid, month, fa, detail): n
        for uid, month, fa, detail, n in conn.execute(
            sa.select(c.user_id, c.month, c.focus_area_id, c.detail, c.n).where(
                c.family == family, c.month >= lo, c.month < hi
            )
        )
    }
    return _apply(conn, _t, _KEYS, "n", stored, {k: n for k, n in expected.items() if n})


def rows(period: Any, columns: list[str], *where: Any) -> sa.Subquery:
    """The rows to sum for `period`: the whole months from report_record_months and the edge
    days from report_record_days, as one subquery with `columns` (names shared by both tables)
    and `where` (a function of a table's columns) applied to each part."""
    first_whole = period.start if period.start == _month(period.start) else _next_month(period.start)
    end_whole = _month(period.end)
    parts: list[sa.Select] = []
    if first_whole < end_whole:
        m = _t.c
        parts.append(
            sa.select(*(m[col] for col in columns)).where(
                *(cond(m) for cond in where), m.month >= first_whole, m.month < end_whole
            )
        )
        edges = [(period.start, first_whole), (end_whole, period.end)]
    else:
        edges = [(period.start, period.end)]
    d = _days.c
    parts += [
        sa.select(*(d[col] for col in columns)).where(*(cond(d) for cond in where), d.day >= lo, d.day < hi)
        for lo, hi in edges
        if lo < hi
    ]
    return (sa.union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
