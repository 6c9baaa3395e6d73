"""Report facts: the contact figures pre-aggregated per Stockholm day, kept in step with the
contacts in the same transaction (docs/ARCHITECTURE.md "Rapporter" → "Report facts").

Two derived tables (app.reports.models): `report_contact_days` (contacts per day, kind, focus
area and user) and `report_company_days` (a marker per company, focus area and day with a
counted contact, with the company's previous marked day), with their monthly/periodic sums.
How they are computed and kept right – the flush hook, the diff-based recomputation, the nightly
reconcile – is app.reports.facts_sync (re-exported here). This module reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from app.reports.facts_sync import (
    COUNTED,
    EVERY,
    GRAINS,
    PERMITS,
    _add_months,
    _aligned_start,
    _cmonths_t,
    _days,
    _marks,
    _month,
    _months_t,
    _periods_t,
    after_flush,
    expected_days,
    expected_markers,
    init_app,
    local_day,
    rebuild,
    rebuild_all,
    resync_merged,
    sync,
    sync_companies,
    sync_days,
)
from app.reports.models import (
    CompanyDayFact,
    CompanyMonthFact,
    CompanyPeriodFact,
    ContactDayFact,
    UserMonthFact,
)

__all__ = [
    "COUNTED",
    "EVERY",
    "GRAINS",
    "CompanyDayFact",
    "CompanyMonthFact",
    "CompanyPeriodFact",
    "ContactDayFact",
    "UserMonthFact",
    "after_flush",
    "companies_reached",
    "contacts_by_focus",
    "contacts_by_kind",
    "contacts_by_user",
    "contacts_concerning_permits",
    "kinds_and_permits",
    "expected_days",
    "expected_markers",
    "init_app",
    "local_day",
    "rebuild",
    "rebuild_all",
    "resync_merged",
    "sync",
    "sync_companies",
    "sync_days",
]


# =========================================================================== reading the facts
# Exact for any range of Stockholm days (a Period). app.reports.counting uses them for scopes
# without a user filter; a user's own figures are few rows and read the contacts themselves.


def _in_period(table: sa.Table, period: Any) -> list[Any]:
    return [table.c.day >= period.start, table.c.day < period.end]


def contacts_by_kind(period: Any, focus_area_id: int | None = None) -> dict[str, int]:
    """{kind: contacts} of the period (of one focus area: primary or additional)."""
    return kinds_and_permits(period, focus_area_id)[0]


def contacts_concerning_permits(period: Any, focus_area_id: int | None = None) -> int:
    """Contacts of the period that concerned permits (of one focus area: primary or additional)."""
    return kinds_and_permits(period, focus_area_id)[1]


def kinds_and_permits(period: Any, focus_area_id: int | None = None) -> tuple[dict[str, int], int]:
    """(contacts_by_kind, contacts_concerning_permits) in one statement."""
    from app.extensions import db

    c = _days.c
    rows = db.session.execute(
        sa.select(c.kind, sa.func.sum(c.contacts))
        .where(*_in_period(_days, period), c.focus_area_id == (focus_area_id or EVERY), c.user_id == EVERY)
        .group_by(c.kind)
    )
    by_kind = {kind: int(n) for kind, n in rows if n}
    return by_kind, by_kind.pop(PERMITS, 0)


def contacts_by_focus(period: Any, focus_area_ids: Iterable[int]) -> dict[int, int]:
    from app.extensions import db

    c = _days.c
    rows = db.session.execute(
        sa.select(c.focus_area_id, sa.func.sum(c.contacts))
        .where(
            c.focus_area_id.in_(list(focus_area_ids)),
            c.user_id == EVERY,
            *_in_period(_days, period),
            c.kind != PERMITS,
        )
        .group_by(c.focus_area_id)
    )
    return {fa: int(n) for fa, n in rows if n}


def contacts_by_user(period: Any) -> dict[int, int]:
    """{user: contacts as author or participant} of the period: the whole months from
    report_user_months, the days before the first and after the last whole month from the
    per-user day rows – one statement, whatever the period."""
    from app.extensions import db

    c, m = _days.c, _months_t.c
    first_whole = (
        period.start if period.start == _month(period.start) else _month(period.start + timedelta(days=31))
    )
    end_whole = _month(period.end)
    parts: list[sa.Select] = []
    if first_whole < end_whole:
        edges = [(period.start, first_whole), (end_whole, period.end)]
        parts.append(
            sa.select(m.user_id.label("uid"), m.contacts.label("n")).where(
                m.month >= first_whole, m.month < end_whole
            )
        )
    else:
        edges = [(period.start, period.end)]
    parts += [
        sa.select(c.user_id.label("uid"), c.contacts.label("n")).where(
            c.focus_area_id == EVERY, c.user_id != EVERY, c.day >= lo, c.day < hi
        )
        for lo, hi in edges
        if lo < hi
    ]
    both = (sa.union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
    rows = db.session.execute(sa.select(both.c.uid, sa.func.sum(both.c.n)).group_by(both.c.uid))
    return {uid: int(n) for uid, n in rows if n}


def companies_reached(period: Any, focus_area_ids: Iterable[int]) -> dict[int, int]:
    """{focus area (0 = any): distinct companies with a counted contact in the period}.

    A calendar month, quarter or year reads its row of report_company_periods. Any other range
    [a, b) counts each company's first marker in it – the marker with a <= day < b whose
    prev_day is NULL or < a – in one statement of up to four parts, so five years cost about as
    much as two months: with A0 = the month of a, A1 = the first whole month from a and B0 =
    the month of b,

    * the days [a, A1) and [B0, b): the markers themselves (at most a month each);
    * the whole months [A1, B0): report_company_months, month in [A1, B0) and prev_month < A0;
    * plus, when a is not the 1st, the markers of those months whose prev_day lies in [A0, a)
      (index ix_report_company_days_prev_day: at most a month of prev_days).

    A range with no whole month inside is just the markers of its days."""
    from app.extensions import db

    ids = list(focus_area_ids)
    start, end = period.start, period.end
    for grain, months in GRAINS.items():
        if start == _aligned_start(start, months) and end == _add_months(start, months):
            p = _periods_t.c
            return dict(
                db.session.execute(
                    sa.select(p.focus_area_id, p.companies).where(
                        p.grain == grain, p.start == start, p.focus_area_id.in_(ids)
                    )
                ).all()
            )
    c, m = _marks.c, _cmonths_t.c
    first_seen = sa.or_(c.prev_day.is_(None), c.prev_day < start)

    def marked(lo: Any, hi: Any) -> sa.Select:
        return (
            sa.select(c.focus_area_id.label("fa"), sa.func.count().label("n"))
            .where(c.focus_area_id.in_(ids), c.day >= lo, c.day < hi, first_seen)
            .group_by(c.focus_area_id)
        )

    a0 = _month(start)
    a1 = start if start == a0 else _add_months(a0, 1)
    b0 = _month(end)
    if a1 >= b0:
        parts = [marked(start, end)]
    else:
        parts = [
            sa.select(m.focus_area_id.label("fa"), sa.func.sum(m.markers).label("n"))
            .where(m.focus_area_id.in_(ids), m.month >= a1, m.month < b0, m.prev_month < a0)
            .group_by(m.focus_area_id)
        ]
        if start < a1:
            parts.append(marked(start, a1))
            parts.append(
                sa.select(c.focus_area_id.label("fa"), sa.func.count().label("n"))
                .where(
                    c.focus_area_id.in_(ids), c.prev_day >= a0, c.prev_day < start, c.day >= a1, c.day < b0
                )
                .group_by(c.focus_area_id)
            )
        if b0 < end:
            parts.append(marked(b0, end))
    both = sa.union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    rows = db.session.execute(sa.select(both.c.fa, sa.func.sum(both.c.n)).group_by(both.c.fa))
    return {fa: int(n) for fa, n in rows if n}
