"""Report facts of the other figures: cases, follow-ups, visits and referrals per Stockholm day
(docs/ARCHITECTURE.md "Rapporter" → "Report facts"), kept in step with the rows in the same
transaction as app.reports.facts_sync keeps the contact facts.

One table, `report_record_days` (app.reports.models.RecordDayFact): (family, user, day, focus
area, detail) → n, 0 = every. The families and what they count (the same predicates as
app/<feature>/report_queries.py):

| family | day | detail | rows |
|---|---|---|---|
| case_new | intake_on | 1 = large establishment | every, per focus area, per responsible user |
| case_closed | Stockholm day of closed_at (status closed) | days from intake to closing | every, per focus area, per responsible user |
| followup_done | done_on (status done) | 1 = on time (done_on ≤ due_on) | every, per assignee |
| visit_done | Stockholm day of starts_at (status done) | 1 = with kommunledningen | every, per focus area of the visit, per organizer or participant |
| referral | referred_on | partner | every |

How they stay right: `after_flush` takes the cases, follow-ups, visits (and their participants
and focus areas), referrals and case types (the large-establishment flag) new, deleted or
changed in a counted column in the flush and recomputes their old and new days of the family
from the rows (diff-based, as the contact facts). `do_orm_execute` does the same for a bulk
ORM UPDATE/DELETE of those tables (the retention job deleting old follow-ups, a merge moving
rows): it reads the days the statement touches before it runs and recomputes them after.
`rebuild` (called by app.reports.facts_sync.rebuild: the nightly reconcile, `flask reports
rebuild-facts`, the bulk load) recomputes any range.

As-of figures (cases open at the period's end, open longer than 90 days, overdue follow-ups,
passed permit deadlines) and the survey stay on the rows, as do scopes with a user filter and
the follow-up and referral figures under a focus-area filter (those take the focus area of the
contact, case or visit they hang on).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.cases.models import CaseType, LotsCase
from app.cases.workflow import CaseStatus
from app.core.time import local_midnight_utc, to_local
from app.followups.models import DONE as FOLLOWUP_DONE
from app.followups.models import FollowUp
from app.interactions.models import Referral
from app.reports import record_months
from app.reports.models import RecordDayFact
from app.visits.models import DONE as VISIT_DONE
from app.visits.models import LEDNING, CompanyVisit, VisitParticipant, visit_focus_areas

EVERY = 0
_t = RecordDayFact.__table__
_KEYS = ("family", "user_id", "day", "focus_area_id", "detail")
CASE_NEW, CASE_CLOSED, FOLLOWUP, VISIT, REFERRAL = (
    "case_new",
    "case_closed",
    "followup_done",
    "visit_done",
    "referral",
)
FAMILIES = (CASE_NEW, CASE_CLOSED, FOLLOWUP, VISIT, REFERRAL)
Key = tuple[str, int, date, int, int]


def _local_day(moment: Any) -> date:
    return to_local(moment).date()


# =========================================================================== the rows


def _utc_range(column: Any, first: date, end: date) -> list[Any]:
    return [column >= local_midnight_utc(first), column < local_midnight_utc(end)]


def _expected(conn: sa.Connection, family: str, first: date, end: date) -> dict[Key, int]:
    out: dict[Key, int] = defaultdict(int)

    def add(
        day: date, detail: int, areas: Iterable[int | None] = (), users: Iterable[int | None] = ()
    ) -> None:
        out[(family, EVERY, day, EVERY, detail)] += 1
        for fa in {a for a in areas if a}:
            out[(family, EVERY, day, fa, detail)] += 1
        for uid in {u for u in users if u}:
            out[(family, uid, day, EVERY, detail)] += 1

    if family == CASE_NEW:
        c = LotsCase.__table__.c
        large = sa.select(CaseType.id).where(CaseType.is_large_establishment.is_(True))
        rows = conn.execute(
            sa.select(c.intake_on, sa.case((c.case_type_id.in_(large), 1), else_=0), c.focus_area_id, c.responsible_user_id)
            .where(c.intake_on >= first, c.intake_on < end)
        )  # fmt: skip
        for day, is_large, fa, uid in rows:
            add(day, int(is_large), [fa], [uid])
    elif family == CASE_CLOSED:
        c = LotsCase.__table__.c
        rows = conn.execute(
            sa.select(c.closed_at, c.intake_on, c.focus_area_id, c.responsible_user_id).where(
                c.status == CaseStatus.CLOSED.value, *_utc_range(c.closed_at, first, end)
            )
        )
        for closed_at, intake_on, fa, uid in rows:
            day = _local_day(closed_at)
            add(day, max(0, (day - intake_on).days), [fa], [uid])
    elif family == FOLLOWUP:
        f = FollowUp.__table__.c
        rows = conn.execute(
            sa.select(f.done_on, f.due_on, f.assignee_id).where(
                f.status == FOLLOWUP_DONE, f.done_on >= first, f.done_on < end
            )
        )
        for done_on, due_on, uid in rows:
            add(done_on, int(done_on <= due_on), users=[uid])
    elif family == VISIT:
        v, p = CompanyVisit.__table__.c, VisitParticipant.__table__.c
        visits = conn.execute(
            sa.select(v.id, v.starts_at, v.organizer_id).where(
                v.status == VISIT_DONE, *_utc_range(v.starts_at, first, end)
            )
        ).all()
        areas: dict[int, list[int]] = defaultdict(list)
        people: dict[int, list[tuple[int, str]]] = defaultdict(list)
        ids = [vid for vid, *_ in visits]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for vid, fa in conn.execute(
                sa.select(visit_focus_areas.c.visit_id, visit_focus_areas.c.focus_area_id).where(
                    visit_focus_areas.c.visit_id.in_(chunk)
                )
            ):
                areas[vid].append(fa)
            for vid, uid, side in conn.execute(
                sa.select(p.visit_id, p.user_id, p.side).where(p.visit_id.in_(chunk))
            ):
                people[vid].append((uid, side))
        for vid, starts_at, organizer in visits:
            ledning = int(any(side == LEDNING for _, side in people[vid]))
            add(_local_day(starts_at), ledning, areas[vid], [organizer, *(u for u, _ in people[vid])])
    elif family == REFERRAL:
        r = Referral.__table__.c
        for day, partner in conn.execute(
            sa.select(r.referred_on, r.partner_id).where(r.referred_on >= first, r.referred_on < end)
        ):
            add(day, partner)
    return out


def sync(conn: sa.Connection, family: str, first: date, end: date, *, months: bool = True) -> int:
    """Recompute one family's rows for the days [first, end) from the rows, and add the change
    to its months (app.reports.record_months; months=False: the fill of migration 0022, before
    0026 creates them); returns rows repaired."""
    from app.reports.facts_sync import _apply

    c = _t.c
    stored = {
        (family, uid, day, fa, detail): n
        for uid, day, fa, detail, n in conn.execute(
            sa.select(c.user_id, c.day, c.focus_area_id, c.detail, c.n).where(
                c.family == family, c.day >= first, c.day < end
            )
        )
    }
    expected = _expected(conn, family, first, end)
    repaired = _apply(conn, _t, _KEYS, "n", stored, expected)
    return repaired + (record_months.shift(conn, stored, expected) if months and repaired else 0)


def sync_days(conn: sa.Connection, touched: dict[str, set[date]]) -> int:
    from app.reports.facts_sync import _day_runs

    return sum(
        sync(conn, family, first, end) for family, days in touched.items() for first, end in _day_runs(days)
    )


def _span(conn: sa.Connection, family: str) -> tuple[date, date] | None:
    bounds = {
        CASE_NEW: LotsCase.__table__.c.intake_on,
        CASE_CLOSED: LotsCase.__table__.c.closed_at,
        FOLLOWUP: FollowUp.__table__.c.done_on,
        VISIT: CompanyVisit.__table__.c.starts_at,
        REFERRAL: Referral.__table__.c.referred_on,
    }[family]
    lo, hi = conn.execute(sa.select(sa.func.min(bounds), sa.func.max(bounds))).one()
    c = _t.c
    slo, shi = conn.execute(sa.select(sa.func.min(c.day), sa.func.max(c.day)).where(c.family == family)).one()
    firsts = [d for d in (lo, slo) if d is not None]
    lasts = [d for d in (hi, shi) if d is not None]
    if not firsts:
        return None
    as_day = [d if type(d) is date else _local_day(d) for d in firsts]
    as_last = [d if type(d) is date else _local_day(d) for d in lasts]
    # One day of slack on each side: a UTC bound may fall on either side of local midnight.
    return min(as_day) - timedelta(days=1), max(as_last) + timedelta(days=2)


def rebuild(conn: sa.Connection, since: date | None = None, *, months: bool = True) -> int:
    """Recompute every family from the rows (everything, or from `since`), a year at a time,
    then its months from the day rows (months=False: not the months, see `sync`)."""
    repaired = 0
    for family in FAMILIES:
        span = _span(conn, family)
        if span is None:
            continue
        first = max(span[0], since) if since else span[0]
        start = first
        while first < span[1]:
            end = min(first + timedelta(days=366), span[1])
            repaired += sync(conn, family, first, end, months=months)
            first = end
        if months and start < span[1]:
            repaired += record_months.rebuild(conn, family, start, span[1])
    return repaired


# =========================================================================== keeping them right

# The attributes whose change moves a record between facts, per model, and the families it feeds.
_COUNTED: dict[type, tuple[str, ...]] = {
    LotsCase: ("intake_on", "closed_at", "status", "focus_area_id", "responsible_user_id", "case_type_id"),
    FollowUp: ("status", "done_on", "due_on", "assignee_id"),
    CompanyVisit: ("status", "starts_at", "organizer_id", "focus_areas"),
    Referral: ("referred_on", "partner_id"),
}


def _values(state: Any, attr: str) -> list[Any]:
    hist = state.attrs[attr].history
    return [v for v in (*hist.added, *hist.unchanged, *hist.deleted) if v is not None]


def _days_of(obj: Any, state: Any, touched: dict[str, set[date]]) -> None:
    if isinstance(obj, LotsCase):
        touched[CASE_NEW].update(_values(state, "intake_on"))
        touched[CASE_CLOSED].update(_local_day(at) for at in _values(state, "closed_at"))
    elif isinstance(obj, FollowUp):
        touched[FOLLOWUP].update(_values(state, "done_on"))
    elif isinstance(obj, CompanyVisit):
        touched[VISIT].update(_local_day(at) for at in _values(state, "starts_at"))
    elif isinstance(obj, Referral):
        touched[REFERRAL].update(_values(state, "referred_on"))


def after_flush(session: Session, flush_context: Any) -> None:
    touched: dict[str, set[date]] = defaultdict(set)
    visit_ids: set[int] = set()
    large_types: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        kind = type(obj)
        if kind in _COUNTED:
            state = sa.inspect(obj)
            if obj in session.dirty and not any(state.attrs[a].history.has_changes() for a in _COUNTED[kind]):
                continue
            _days_of(obj, state, touched)
        elif kind is VisitParticipant:
            visit_ids.update(_values(sa.inspect(obj), "visit_id"))
        elif kind is CaseType and sa.inspect(obj).attrs.is_large_establishment.history.has_changes():
            large_types.add(obj.id)
    if not (touched or visit_ids or large_types):
        return
    conn = session.connection()
    if visit_ids:
        v = CompanyVisit.__table__.c
        touched[VISIT].update(
            _local_day(at) for at in conn.scalars(sa.select(v.starts_at).where(v.id.in_(sorted(visit_ids))))
        )
    if large_types:
        c = LotsCase.__table__.c
        touched[CASE_NEW].update(
            conn.scalars(sa.select(c.intake_on).where(c.case_type_id.in_(sorted(large_types))).distinct())
        )
    sync_days(conn, touched)


_BULK_DAYS: dict[type, list[tuple[str, Any, bool]]] = {
    # (family, the day column, stored in UTC)
    LotsCase: [(CASE_NEW, LotsCase.intake_on, False), (CASE_CLOSED, LotsCase.closed_at, True)],
    FollowUp: [(FOLLOWUP, FollowUp.done_on, False)],
    CompanyVisit: [(VISIT, CompanyVisit.starts_at, True)],
    Referral: [(REFERRAL, Referral.referred_on, False)],
}


def do_orm_execute(state: Any) -> Any:
    """A bulk ORM UPDATE/DELETE of a counted table: note the days it touches, run it, and
    recompute those days."""
    if not (state.is_update or state.is_delete):
        return None
    mapper = state.bind_mapper
    entity = mapper.class_ if mapper is not None else None
    if entity not in _BULK_DAYS:
        return None
    where = state.statement.whereclause
    conn = state.session.connection()
    touched: dict[str, set[date]] = defaultdict(set)
    for family, column, utc in _BULK_DAYS[entity]:
        stmt = sa.select(column).distinct()
        if where is not None:
            stmt = stmt.where(where)
        days = {d for d in conn.scalars(stmt) if d is not None}
        touched[family].update(_local_day(d) if utc else d for d in days)
    result = state.invoke_statement()
    sync_days(conn, touched)
    return result


def init_app() -> None:
    if not sa.event.contains(Session, "after_flush", after_flush):
        sa.event.listen(Session, "after_flush", after_flush)
    if not sa.event.contains(Session, "do_orm_execute", do_orm_execute):
        sa.event.listen(Session, "do_orm_execute", do_orm_execute)


# =========================================================================== reading


def totals(period: Any) -> dict[str, dict[tuple[int, int], int]]:
    """{family: {(focus area, detail): n}} of the period (focus area 0 = every) – one statement:
    the whole months from report_record_months, the edge days from report_record_days."""
    out: dict[str, dict[tuple[int, int], int]] = {family: {} for family in FAMILIES}
    # family IN (…): one primary-key range (family, user 0, months or days) per family.
    c = record_months.rows(
        period,
        ["family", "focus_area_id", "detail", "n"],
        lambda t: t.family.in_(FAMILIES),
        lambda t: t.user_id == EVERY,
    ).c
    rows = sa.select(c.family, c.focus_area_id, c.detail, sa.func.sum(c.n))
    for family, fa, detail, n in sa_execute(rows.group_by(c.family, c.focus_area_id, c.detail)):
        if n:
            out[family][(fa, detail)] = int(n)
    return out


# The per-user figures (app.reports.counting.user_values keys): (family, detail or None = any).
USER_FIGURES = {
    "cases_new": (CASE_NEW, None),
    "cases_closed": (CASE_CLOSED, None),
    "followups_on_time": (FOLLOWUP, 1),
    "followups_late": (FOLLOWUP, 0),
    "visits": (VISIT, None),
}


def per_user(period: Any) -> dict[str, dict[int, int]]:
    """{per-user figure: {user: n}} of the period – one statement, one row per user (the sums
    per figure as conditional columns; whole months and edge days as in `totals`)."""
    families = [family for family, _ in USER_FIGURES.values()]
    c = record_months.rows(
        period,
        ["family", "user_id", "detail", "n"],
        lambda t: t.family.in_(families),
        lambda t: t.user_id != EVERY,
    ).c
    columns = [
        sa.func.sum(
            sa.case(
                (sa.and_(c.family == family, *([] if detail is None else [c.detail == detail])), c.n), else_=0
            )
        )
        for family, detail in USER_FIGURES.values()
    ]
    stmt = sa.select(c.user_id, *columns).group_by(c.user_id)
    out: dict[str, dict[int, int]] = {key: {} for key in USER_FIGURES}
    for uid, *sums in sa_execute(stmt):
        for key, n in zip(USER_FIGURES, sums, strict=True):
            if n:
                out[key][uid] = int(n)
    return out


def sa_execute(stmt: sa.Select) -> Any:
    from app.extensions import db

    return db.session.execute(stmt)
