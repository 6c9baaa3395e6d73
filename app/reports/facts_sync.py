"""Keeping the report facts in step with the contacts, in the same transaction (docs/ARCHITECTURE.md
"Rapporter" → "Report facts"); app.reports.facts reads them and re-exports what is here.

Two derived tables (app.reports.models):

* `report_contact_days` (day, focus_area_id, user_id, kind) → contacts. Three families of rows:
  per kind (focus area 0, user 0), per focus area and kind (primary OR additional area, user 0)
  and per user (author OR participant, focus area 0, kind ''); and, under kind PERMITS, the
  contacts that concerned permits (every and per focus area). Sums over any range of days.
* `report_company_days` (focus_area_id, company_id, day, prev_day): a marker per company,
  focus area (0 = any) and day with a counted contact, with the company's previous marked day.
  Distinct counts are not additive; "companies reached in [a, b)" = markers with a ≤ day < b
  whose prev_day is NULL or < a (each company's first marker in the range) – a plain COUNT over
  an index range, exact for any day range.

How they stay right:

* `after_flush` (registered on every Session by init_app): the contacts created, changed in a
  counted column (time, kind, focus areas, company, author, participants, permit guidance rows,
  deleted_at) or
  deleted in the flush mark their old and new Stockholm days and companies; those days and
  companies are recomputed from the rows (`sync_days`, `sync_companies`) before the flush
  returns. Every path through the ORM – services, imports, API, CLI, tests' factories – is
  covered without a call of its own. Bulk Core UPDATEs bypass the ORM: the one that touches a
  counted column (the company merge moving contacts) calls `sync_companies` itself.
* Recomputing is diff-based (compare what the rows give with what is stored, write only the
  differences), so the same functions repair drift: `flask reports rebuild-facts` (everything)
  and the nightly job `reports.reconcile_facts` (the last months; logs what it repaired).
* `flask generate-data` bulk-loads with Core and rebuilds the facts once at the end.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.core.time import local_midnight_utc, to_local
from app.interactions.models import (
    Interaction,
    PermitGuidance,
    interaction_focus_areas,
    interaction_participants,
)
from app.reports.company_periods import (  # noqa: F401 - re-exported for app.reports.facts
    _MONTH_KEYS,
    GRAINS,
    NO_PREVIOUS,
    _add_months,
    _aligned_start,
    _cmonths_t,
    _has_month_pairs,
    _month_pairs,
    _period_rows,
    _periods_t,
    _rebuild_company_periods,
    _shift_company_months,
    _shift_company_periods,
)
from app.reports.models import CompanyDayFact, ContactDayFact, UserMonthFact

log = logging.getLogger("lotsbok.reports")

EVERY = 0  # focus_area_id / user_id of the rows that are not per focus area / per user
# report_contact_days.kind of the rows counting the contacts that concerned permits (have permit
# guidance rows; the figure "contacts.permits"), every and per focus area – not a contact kind.
PERMITS = "concerns_permits"
_i = Interaction.__table__.c
_guidance = PermitGuidance.__table__
_days = ContactDayFact.__table__
_marks = CompanyDayFact.__table__
_months_t = UserMonthFact.__table__
# The columns whose change moves a contact between facts (other columns: notes, subject … do not).
COUNTED = (
    "occurred_at",
    "kind",
    "focus_area_id",
    "company_id",
    "author_id",
    "deleted_at",
    "other_focus_areas",
    "participants",
    "permit_guidance",
)
_CHUNK = 500


def local_day(moment: Any) -> date:
    return to_local(moment).date()


def _chunks(values: Iterable[Any], size: int = _CHUNK) -> Iterator[list[Any]]:
    items = sorted(values)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _kind(value: Any) -> str:
    return str(getattr(value, "value", value))


# =========================================================================== reading the rows


def _contacts(conn: sa.Connection, where: list[Any], *, permits: bool = True) -> list[tuple[Any, ...]]:
    """(id, local day, kind, focus areas, users, company, concerns permits) of the counted
    contacts matching `where` (permits=False: the last is always False, one query fewer)."""
    base = [_i.deleted_at.is_(None), *where]
    rows = conn.execute(
        sa.select(_i.id, _i.occurred_at, _i.kind, _i.focus_area_id, _i.author_id, _i.company_id).where(*base)
    ).all()
    if not rows:
        return []
    ids = None if not where else [row[0] for row in rows]
    extra_focus = _linked(conn, interaction_focus_areas.c.focus_area_id, ids)
    extra_users = _linked(conn, interaction_participants.c.user_id, ids)
    with_permits = _linked(conn, _guidance.c.permit_type_id, ids) if permits else {}
    return [
        (
            iid,
            local_day(at),
            _kind(kind),
            {fa, *extra_focus.get(iid, ())},
            {uid, *extra_users.get(iid, ())},
            cid,
            iid in with_permits,
        )
        for iid, at, kind, fa, uid, cid in rows
    ]


def _linked(conn: sa.Connection, column: sa.Column, ids: list[int] | None) -> dict[int, set[int]]:
    """{contact: the values of `column` in its link table} for these contacts (None: all), by
    primary key – a join on the period would make SQLite read the whole link table."""
    link = column.table.c
    out: dict[int, set[int]] = defaultdict(set)
    stmt = sa.select(link.interaction_id, column)
    for chunk in [None] if ids is None else _chunks(ids):
        for iid, value in conn.execute(stmt if chunk is None else stmt.where(link.interaction_id.in_(chunk))):
            out[iid].add(value)
    return out


def _in_days(first: date, end: date) -> list[Any]:
    return [_i.occurred_at >= local_midnight_utc(first), _i.occurred_at < local_midnight_utc(end)]


def expected_days(conn: sa.Connection, first: date, end: date) -> dict[tuple[date, int, int, str], int]:
    """The rows of report_contact_days for the days [first, end), computed from the contacts."""
    return _day_rows(_contacts(conn, _in_days(first, end)))


def _day_rows(contacts: Iterable[tuple[Any, ...]]) -> dict[tuple[date, int, int, str], int]:
    out: dict[tuple[date, int, int, str], int] = defaultdict(int)
    for _, day, kind, areas, users, _, permits in contacts:
        out[(day, EVERY, EVERY, kind)] += 1
        for fa in areas:
            out[(day, fa, EVERY, kind)] += 1
        if permits:
            out[(day, EVERY, EVERY, PERMITS)] += 1
            for fa in areas:
                out[(day, fa, EVERY, PERMITS)] += 1
        for uid in users:
            out[(day, EVERY, uid, "")] += 1
    return out


def expected_markers(
    conn: sa.Connection, company_ids: Iterable[int]
) -> dict[tuple[int, int, date], date | None]:
    """The rows of report_company_days of these companies, computed from their contacts."""
    out: dict[tuple[int, int, date], date | None] = {}
    for chunk in _chunks(set(company_ids)):
        out.update(_marker_rows(_contacts(conn, [_i.company_id.in_(chunk)], permits=False)))
    return out


def _marker_rows(contacts: Iterable[tuple[Any, ...]]) -> dict[tuple[int, int, date], date | None]:
    days: dict[tuple[int, int], set[date]] = defaultdict(set)
    for _, day, _, areas, _, cid, _ in contacts:
        days[(EVERY, cid)].add(day)
        for fa in areas:
            days[(fa, cid)].add(day)
    out: dict[tuple[int, int, date], date | None] = {}
    for (fa, cid), marked in days.items():
        prev = None
        for day in sorted(marked):
            out[(fa, cid, day)] = prev
            prev = day
    return out


# =========================================================================== writing the facts


def _apply(
    conn: sa.Connection,
    table: sa.Table,
    keys: tuple[str, ...],
    value: str,
    stored: dict[tuple, Any],
    expected: dict[tuple, Any],
) -> int:
    """Make the stored rows equal the expected ones; returns the number of rows changed."""
    gone = [k for k in stored if k not in expected]
    new = [k for k in expected if k not in stored]
    changed = [k for k in expected if k in stored and stored[k] != expected[k]]
    if gone or changed:
        # One primary-key DELETE per row (executemany): SQLite does not use the key for a
        # row-value IN list and would read the whole table.
        stmt = sa.delete(table).where(*(table.c[k] == sa.bindparam(f"k_{k}") for k in keys))
        conn.execute(stmt, [{f"k_{k}": v for k, v in zip(keys, key, strict=True)} for key in gone + changed])
    rows = [dict(zip(keys, k, strict=True), **{value: expected[k]}) for k in new + changed]
    for start in range(0, len(rows), 5000):
        conn.execute(sa.insert(table), rows[start : start + 5000])
    return len(gone) + len(new) + len(changed)


def sync_days(conn: sa.Connection, first: date, end: date) -> int:
    """Recompute report_contact_days for [first, end) from the contacts; returns rows repaired."""
    c = _days.c
    stored = {
        (day, fa, uid, kind): n
        for day, fa, uid, kind, n in conn.execute(
            sa.select(c.day, c.focus_area_id, c.user_id, c.kind, c.contacts).where(
                c.day >= first, c.day < end
            )
        )
    }
    expected = expected_days(conn, first, end)
    repaired = _apply(conn, _days, ("day", "focus_area_id", "user_id", "kind"), "contacts", stored, expected)
    return repaired + _sync_user_months(conn, first, end, stored, expected)


def _month(day: date) -> date:
    return day.replace(day=1)


def _sync_user_months(
    conn: sa.Connection, first: date, end: date, stored: dict[tuple, int], expected: dict[tuple, int]
) -> int:
    """Keep report_user_months equal to the sums of the per-user day rows. Whole months are
    summed from `expected`; a part of a month gets the change of its day rows added."""
    m = _months_t.c
    whole = first == _month(first) and end == _month(end)
    sums: dict[tuple[date, int], int] = defaultdict(int)
    if whole:
        for (day, _, uid, _), n in expected.items():
            if uid != EVERY:
                sums[(_month(day), uid)] += n
        old = dict(
            ((month, uid), n)
            for month, uid, n in conn.execute(
                sa.select(m.month, m.user_id, m.contacts).where(m.month >= first, m.month < end)
            )
        )
        return _apply(conn, _months_t, ("month", "user_id"), "contacts", old, sums)
    for key in stored.keys() | expected.keys():
        day, _, uid, _ = key
        if uid != EVERY and expected.get(key, 0) != stored.get(key, 0):
            sums[(_month(day), uid)] += expected.get(key, 0) - stored.get(key, 0)
    if not sums:
        return 0
    old: dict[tuple[date, int], int] = {}
    for month in {month for month, _ in sums}:
        old.update(
            ((month, uid), n)
            for uid, n in conn.execute(
                sa.select(m.user_id, m.contacts).where(
                    m.month == month, m.user_id.in_([u for mo, u in sums if mo == month])
                )
            )
        )
    new = {key: old.get(key, 0) + change for key, change in sums.items()}
    return _apply(conn, _months_t, ("month", "user_id"), "contacts", old, {k: n for k, n in new.items() if n})


def sync_companies(conn: sa.Connection, company_ids: Iterable[int]) -> int:
    """Recompute report_company_days of these companies; returns rows repaired."""
    ids = {cid for cid in company_ids if cid is not None}
    if not ids:
        return 0
    c = _marks.c
    stored: dict[tuple, Any] = {}
    for chunk in _chunks(ids):
        stored.update(
            ((fa, cid, day), prev)
            for fa, cid, day, prev in conn.execute(
                sa.select(c.focus_area_id, c.company_id, c.day, c.prev_day).where(c.company_id.in_(chunk))
            )
        )
    expected = expected_markers(conn, ids)
    repaired = _apply(conn, _marks, ("focus_area_id", "company_id", "day"), "prev_day", stored, expected)
    repaired += _shift_company_months(conn, stored, expected)
    return repaired + _shift_company_periods(conn, stored.keys(), expected.keys())


def _day_runs(days: Iterable[date]) -> Iterator[tuple[date, date]]:
    """Consecutive days as half-open ranges."""
    first = prev = None
    for day in sorted(set(days)):
        if prev is not None and day != prev + timedelta(days=1):
            yield first, prev + timedelta(days=1)
            first = None
        if first is None:
            first = day
        prev = day
    if first is not None:
        yield first, prev + timedelta(days=1)


def sync(conn: sa.Connection, days: Iterable[date], company_ids: Iterable[int]) -> int:
    repaired = sum(sync_days(conn, first, end) for first, end in _day_runs(days))
    return repaired + sync_companies(conn, company_ids)


def _contact_span(conn: sa.Connection) -> tuple[date, date] | None:
    lo, hi = conn.execute(sa.select(sa.func.min(_i.occurred_at), sa.func.max(_i.occurred_at))).one()
    if lo is None:
        return None
    return local_day(lo), local_day(hi) + timedelta(days=1)


def _months(first: date, end: date) -> Iterator[tuple[date, date]]:
    start = first
    while start < end:
        nxt = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        yield start, min(nxt, end)
        start = nxt


def _fill_empty(conn: sa.Connection) -> int:
    """Fill empty fact tables in one pass over the contacts (migration, generate-data)."""
    contacts = _contacts(conn, [])
    days = _day_rows(contacts)
    markers = _marker_rows(contacts)
    months: dict[tuple[date, int], int] = defaultdict(int)
    for (day, _, uid, _), n in days.items():
        if uid != EVERY:
            months[(_month(day), uid)] += n
    return (
        _apply(conn, _days, ("day", "focus_area_id", "user_id", "kind"), "contacts", {}, days)
        + _apply(conn, _months_t, ("month", "user_id"), "contacts", {}, months)
        + _apply(conn, _marks, ("focus_area_id", "company_id", "day"), "prev_day", {}, markers)
        + _apply(
            conn,
            _periods_t,
            ("grain", "start", "focus_area_id"),
            "companies",
            {},
            _period_rows((fa, day, prev) for (fa, _, day), prev in markers.items()),
        )
        + (
            _apply(
                conn,
                _cmonths_t,
                _MONTH_KEYS,
                "markers",
                {},
                _month_pairs((fa, day, prev) for (fa, _, day), prev in markers.items()),
            )
            if _has_month_pairs(conn)
            else 0
        )
    )


def rebuild(conn: sa.Connection, since: date | None = None) -> int:
    """Recompute the facts from the contacts – everything, or the days from `since` (and the
    markers of every company with a contact since then). Returns the rows repaired."""
    if since is None and all(
        conn.scalar(sa.select(sa.func.count()).select_from(t)) == 0
        for t in (_days, _months_t, _marks, _periods_t, *([_cmonths_t] if _has_month_pairs(conn) else []))
    ):
        return _fill_empty(conn)
    span = _contact_span(conn)
    c = _days.c
    stored_lo = conn.scalar(sa.select(sa.func.min(c.day)))
    stored_hi = conn.scalar(sa.select(sa.func.max(c.day)))
    bounds = [d for d in (span[0] if span else None, stored_lo) if d is not None]
    ends = [
        d for d in (span[1] if span else None, stored_hi and stored_hi + timedelta(days=1)) if d is not None
    ]
    repaired = 0
    if bounds:
        first = _month(max(min(bounds), since) if since else min(bounds))
        last = max(ends)
        last = last if last == _month(last) else _month(last + timedelta(days=31))
        for start, end in _months(first, last):
            repaired += sync_days(conn, start, end)
    if since is None:
        ids = set(conn.scalars(sa.select(_i.company_id).distinct()))
        ids |= set(conn.scalars(sa.select(_marks.c.company_id).distinct()))
    else:
        ids = set(
            conn.scalars(
                sa.select(_i.company_id).where(_i.occurred_at >= local_midnight_utc(since)).distinct()
            )
        )
        ids |= set(conn.scalars(sa.select(_marks.c.company_id).where(_marks.c.day >= since).distinct()))
    return repaired + sync_companies(conn, ids) + _rebuild_company_periods(conn, since)


# =========================================================================== the flush hook


def _values(state: Any, attr: str) -> list[Any]:
    """The current and (if changed in this flush) previous values of a scalar attribute."""
    hist = state.attrs[attr].history
    return [v for v in (*hist.added, *hist.unchanged, *hist.deleted) if v is not None]


def _touched(session: Session) -> tuple[set[date], set[int]]:
    days: set[date] = set()
    companies: set[int] = set()
    guided: set[int] = set()  # contacts whose permit guidance rows were written on their own
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, PermitGuidance):
            guided.update(_values(sa.inspect(obj), "interaction_id"))
        if not isinstance(obj, Interaction):
            continue
        state = sa.inspect(obj)
        if obj in session.dirty and not any(state.attrs[a].history.has_changes() for a in COUNTED):
            continue
        days.update(local_day(at) for at in _values(state, "occurred_at"))
        companies.update(_values(state, "company_id"))
    if guided:
        at = session.connection().scalars(sa.select(_i.occurred_at).where(_i.id.in_(sorted(guided))))
        days.update(local_day(moment) for moment in at)
    return days, companies


def after_flush(session: Session, flush_context: Any) -> None:
    days, companies = _touched(session)
    if days or companies:
        sync(session.connection(), days, companies)


def resync_merged(source: Any, target: Any, actor: Any) -> int:
    """Company merge handler: the source's contacts now belong to the target (moved with a bulk
    UPDATE by app.interactions); recompute both companies' markers. Moves nothing itself."""
    from app.extensions import db

    sync_companies(db.session.connection(), (source.id, target.id))
    return 0


def rebuild_all() -> int:
    """Every fact table from the rows: the contact facts and the record facts."""
    from app.extensions import db
    from app.reports import record_facts

    conn = db.session.connection()
    return rebuild(conn) + record_facts.rebuild(conn)


def init_app() -> None:
    from app.reports import record_facts

    if not sa.event.contains(Session, "after_flush", after_flush):
        sa.event.listen(Session, "after_flush", after_flush)
    record_facts.init_app()
