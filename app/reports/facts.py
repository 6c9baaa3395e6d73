"""Report facts: the contact figures pre-aggregated per Stockholm day, kept in step with the
contacts in the same transaction (docs/ARCHITECTURE.md "Rapporter" → "Report facts").

Two derived tables (app.reports.models): `report_contact_days` (contacts per day, kind, focus
area and user) and `report_company_days` (a marker per company, focus area and day with a
counted contact, with the company's previous marked day), with their monthly/periodic sums.
How they are computed and kept right – the flush hook, the diff-based recomputation, the nightly
reconcile – is app.reports.facts_sync (re-exported here). This module reads them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from app.reports.facts_sync import (
    COUNTED,
    EVERY,
    GRAINS,
    _add_months,
    _aligned_start,
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
from app.reports.models import CompanyDayFact, CompanyPeriodFact, ContactDayFact, UserMonthFact

__all__ = [
    "COUNTED",
    "EVERY",
    "GRAINS",
    "CompanyDayFact",
    "CompanyPeriodFact",
    "ContactDayFact",
    "UserMonthFact",
    "after_flush",
    "companies_reached",
    "contacts_by_focus",
    "contacts_by_kind",
    "contacts_by_user",
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
    from app.extensions import db

    c = _days.c
    rows = db.session.execute(
        sa.select(c.kind, sa.func.sum(c.contacts))
        .where(*_in_period(_days, period), c.focus_area_id == (focus_area_id or EVERY), c.user_id == EVERY)
        .group_by(c.kind)
    )
    return {kind: int(n) for kind, n in rows if n}


def contacts_by_focus(period: Any, focus_area_ids: Iterable[int]) -> dict[int, int]:
    from app.extensions import db

    c = _days.c
    rows = db.session.execute(
        sa.select(c.focus_area_id, sa.func.sum(c.contacts))
        .where(c.focus_area_id.in_(list(focus_area_ids)), c.user_id == EVERY, *_in_period(_days, period))
        .group_by(c.focus_area_id)
    )
    return {fa: int(n) for fa, n in rows if n}


def contacts_by_user(period: Any) -> dict[int, int]:
    """{user: contacts as author or participant} of the period: the whole months from
    report_user_months, the days before the first and after the last whole month from the
    per-user day rows."""
    from app.extensions import db

    c, m = _days.c, _months_t.c
    first_whole = (
        period.start if period.start == _month(period.start) else _month(period.start + timedelta(days=31))
    )
    end_whole = _month(period.end)
    out: dict[int, int] = defaultdict(int)
    rows: list[Any] = []
    if first_whole < end_whole:
        edges = [(period.start, first_whole), (end_whole, period.end)]
        rows += db.session.execute(
            sa.select(m.user_id, sa.func.sum(m.contacts))
            .where(m.month >= first_whole, m.month < end_whole)
            .group_by(m.user_id)
        ).all()
    else:
        edges = [(period.start, period.end)]
    for lo, hi in edges:
        if lo < hi:
            rows += db.session.execute(
                sa.select(c.user_id, sa.func.sum(c.contacts))
                .where(c.focus_area_id == EVERY, c.user_id != EVERY, c.day >= lo, c.day < hi)
                .group_by(c.user_id)
            ).all()
    for uid, n in rows:
        out[uid] += int(n)
    return {uid: n for uid, n in out.items() if n}


def companies_reached(period: Any, focus_area_ids: Iterable[int]) -> dict[int, int]:
    """{focus area (0 = any): distinct companies with a counted contact in the period}. A
    calendar month, quarter or year reads report_company_periods; any other range counts each
    company's first marker in it (the one whose previous day lies before the range)."""
    from app.extensions import db

    ids = list(focus_area_ids)
    for grain, months in GRAINS.items():
        if period.start == _aligned_start(period.start, months) and period.end == _add_months(
            period.start, months
        ):
            p = _periods_t.c
            return dict(
                db.session.execute(
                    sa.select(p.focus_area_id, p.companies).where(
                        p.grain == grain, p.start == period.start, p.focus_area_id.in_(ids)
                    )
                ).all()
            )
    c = _marks.c
    rows = db.session.execute(
        sa.select(c.focus_area_id, sa.func.count())
        .where(
            c.focus_area_id.in_(ids),
            *_in_period(_marks, period),
            sa.or_(c.prev_day.is_(None), c.prev_day < period.start),
        )
        .group_by(c.focus_area_id)
    )
    return {fa: int(n) for fa, n in rows}
