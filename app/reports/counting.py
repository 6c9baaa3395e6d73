"""The numbers behind the figures: every scalar and grouped value of one scope, by aggregate
queries (COUNT / GROUP BY in SQL; nothing loops over contacts in Python; only the days-to-close
percentiles are computed in Python, over the cases closed in the period). The record predicates
come from the features (app.reports.predicates); the contact figures without a user filter
from the report facts (app.reports.facts)."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app.cases.models import CasePermit, LotsCase
from app.cases.report_queries import days_to_close, survey_nki
from app.extensions import db
from app.followups.models import FollowUp
from app.interactions import report_queries as contacts
from app.interactions.models import Referral
from app.reports import facts, record_facts
from app.reports import predicates as P
from app.reports.base import Scope
from app.strategy.models import FocusArea
from app.visits.models import CompanyVisit
from app.visits.report_queries import visits_by_focus, visits_by_user


def count(stmt: sa.Select) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0


def count_where(model: Any, conds: Iterable[sa.ColumnElement[bool]], *, join: Any = None) -> int:
    stmt = sa.select(sa.func.count()).select_from(model)
    if join is not None:
        stmt = stmt.join(join)
    return db.session.scalar(stmt.where(*conds)) or 0


def grouped(column: Any, model: Any, conds: Iterable[sa.ColumnElement[bool]]) -> dict[Any, int]:
    stmt = sa.select(column, sa.func.count()).select_from(model).where(*conds).group_by(column)
    return dict(db.session.execute(stmt).all())


def median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def percentile(values: list[int], pct: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least pct % of values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return float(ordered[rank - 1])


def contact_values(scope: Scope) -> tuple[int, int, dict[str, int], dict[int, int], dict[int, int], int]:
    """(contacts, companies reached, by kind, by focus area, companies by focus area, contacts
    that concerned permits).

    Without a user filter from the report facts (app.reports.facts); with one from the rows
    (a user's contacts are few, and the facts have no user × focus area × company rows). Under
    a focus-area filter only that area's row is shown, so the per-area values are that area's."""
    if scope.user_id:
        total, companies = contacts.contacts_and_companies(scope)
        by_focus, companies_by_area = contacts.focus_counts(scope)
        permits = contacts.contacts_concerning_permits(scope)
        return total, companies, contacts.contacts_by_kind(scope), by_focus, companies_by_area, permits
    period, fa = scope.period, scope.focus_area_id
    by_kind, permits = facts.kinds_and_permits(period, fa)
    total = sum(by_kind.values())
    if fa:
        companies = facts.companies_reached(period, [fa]).get(fa, 0)
        return total, companies, by_kind, {fa: total}, {fa: companies}, permits
    area_ids = list(db.session.scalars(sa.select(FocusArea.id)))
    reached = facts.companies_reached(period, [facts.EVERY, *area_ids])
    by_focus = facts.contacts_by_focus(period, area_ids)
    return total, reached.pop(facts.EVERY, 0), by_kind, by_focus, reached, permits


def _sum(values: dict[tuple[int, int], int], fa: int, detail: int | None = None) -> int:
    return sum(n for (area, d), n in values.items() if area == fa and (detail is None or d == detail))


def _closed_days(values: dict[tuple[int, int], int], fa: int) -> list[int]:
    """The days-to-close of each closed case, from the (focus area, days) histogram."""
    return sorted(d for (area, d), n in values.items() if area == fa for _ in range(n))


def record_values(scope: Scope) -> dict[str, Any]:
    """The case, visit, follow-up and referral figures the record facts serve
    (app.reports.record_facts): every one of a scope without a user filter; under a focus-area
    filter the case and visit figures (the follow-ups and referrals take their parents' focus
    areas and stay on the rows). One statement per scope."""
    if scope.user_id:
        return {}
    t = record_facts.totals(scope.period)
    fa = scope.focus_area_id or facts.EVERY
    new, closed, visits = t[record_facts.CASE_NEW], t[record_facts.CASE_CLOSED], t[record_facts.VISIT]
    closed_days = _closed_days(closed, fa)

    def by_area(values: dict[tuple[int, int], int]) -> dict[int, int]:
        if scope.focus_area_id:
            n = _sum(values, fa)
            return {fa: n} if n else {}
        areas: dict[int, int] = defaultdict(int)
        for (area, _d), n in values.items():
            if area != facts.EVERY:
                areas[area] += n
        return dict(areas)

    out: dict[str, Any] = {
        "visits.done": _sum(visits, fa),
        "visits.ledning": _sum(visits, fa, 1),
        "visits.focus": by_area(visits),
        "cases.new": _sum(new, fa),
        "cases.closed": len(closed_days),
        "cases.days_median": median(closed_days),
        "cases.days_p90": percentile(closed_days, 90),
        "cases.large_new": _sum(new, fa, 1),
        "cases.new_focus": by_area(new),
        "cases.closed_focus": by_area(closed),
    }
    if not scope.focus_area_id:
        done, referrals = t[record_facts.FOLLOWUP], t[record_facts.REFERRAL]
        out["followups.on_time"] = _sum(done, facts.EVERY, 1)
        out["followups.late"] = _sum(done, facts.EVERY, 0)
        out["referrals.total"] = _sum(referrals, facts.EVERY)
        out["referrals.partner"] = {d: n for (area, d), n in referrals.items() if area == facts.EVERY}
    return out


def _from_rows(key: str, scope: Scope, now: datetime) -> Any:
    """One figure from the rows (scopes and figures the record facts do not serve)."""
    if key in ("cases.closed", "cases.days_median", "cases.days_p90"):
        closed_days = days_to_close(scope)
        return {
            "cases.closed": len(closed_days),
            "cases.days_median": median(closed_days),
            "cases.days_p90": percentile(closed_days, 90),
        }[key]
    return {
        "visits.done": lambda: count_where(CompanyVisit, P.visits_where(scope)),
        "visits.ledning": lambda: count_where(CompanyVisit, P.visits_where(scope, with_ledning=True)),
        "visits.focus": lambda: visits_by_focus(scope),
        "cases.new": lambda: count_where(LotsCase, P.cases_new_where(scope)),
        "cases.large_new": lambda: count_where(LotsCase, P.cases_large_new_where(scope)),
        "cases.new_focus": lambda: grouped(LotsCase.focus_area_id, LotsCase, P.cases_new_where(scope)),
        "cases.closed_focus": lambda: grouped(LotsCase.focus_area_id, LotsCase, P.cases_closed_where(scope)),
        "followups.on_time": lambda: count_where(FollowUp, P.followups_done_where(scope, on_time=True)),
        "followups.late": lambda: count_where(FollowUp, P.followups_done_where(scope, on_time=False)),
        "referrals.total": lambda: count_where(Referral, P.referrals_where(scope)),
        "referrals.partner": lambda: grouped(Referral.partner_id, Referral, P.referrals_where(scope)),
    }[key]()


ROW_KEYS = (
    "visits.done",
    "visits.ledning",
    "visits.focus",
    "cases.new",
    "cases.closed",
    "cases.days_median",
    "cases.days_p90",
    "cases.large_new",
    "cases.new_focus",
    "cases.closed_focus",
    "followups.on_time",
    "followups.late",
    "referrals.total",
    "referrals.partner",
)


def row_values(scope: Scope, now: datetime) -> dict[str, Any]:
    """The figures record_values serves, computed from the rows (the facts' oracle in the tests)."""
    return {key: _from_rows(key, scope, now) for key in ROW_KEYS}


def _permits_passed(scope: Scope, now: datetime) -> int:
    # The join to the case only when the scope filters on the case (focus area, user).
    join = LotsCase if scope.focus_area_id or scope.user_id else None
    return count_where(CasePermit, P.permits_passed_where(scope, now), join=join)


def values(scope: Scope, now: datetime) -> dict[str, Any]:
    """Every scalar and grouped figure of one scope, as plain numbers (keyed as the figure
    specifications in app.reports.specs name them)."""
    answers, nki = survey_nki(scope)
    total, companies, by_kind, by_focus, companies_by_area, permits = contact_values(scope)
    recorded = record_values(scope)
    out: dict[str, Any] = {
        "contacts.total": total,
        "contacts.companies": companies,
        "contacts.kind": by_kind,
        "contacts.permits": permits,
        "contacts.focus": by_focus,
        "contacts.companies_focus": companies_by_area,
        "cases.open": count_where(LotsCase, P.cases_open_where(scope, now)),
        "cases.over90": count_where(LotsCase, P.cases_long_open_where(scope, now)),
        "permits.passed": _permits_passed(scope, now),
        "followups.overdue": count_where(FollowUp, P.followups_overdue_where(scope, now)),
        "survey.answers": answers,
        "survey.nki": nki,
    }
    if "cases.closed" not in recorded:
        closed_days = days_to_close(scope)
        recorded.update(
            {
                "cases.closed": len(closed_days),
                "cases.days_median": median(closed_days),
                "cases.days_p90": percentile(closed_days, 90),
            }
        )
    for key in ROW_KEYS:
        out[key] = recorded[key] if key in recorded else _from_rows(key, scope, now)
    return out


def user_values(scope: Scope, now: datetime) -> dict[str, dict[int, int]]:
    """{per-user figure: {user: value}} (the chef's table)."""
    if not scope.user_id and not scope.focus_area_id:
        # From the facts without a focus-area or user filter (contacts as author or participant).
        return {
            "contacts": facts.contacts_by_user(scope.period),
            **record_facts.per_user(scope.period),
            "followups_overdue": grouped(
                FollowUp.assignee_id, FollowUp, P.followups_overdue_where(scope, now)
            ),
        }
    return user_row_values(scope, now)


def user_row_values(scope: Scope, now: datetime) -> dict[str, dict[int, int]]:
    """user_values from the rows (a scope with a focus-area or user filter; the tests' oracle)."""
    by_user = facts.contacts_by_user(scope.period) if not scope.user_id and not scope.focus_area_id else None
    return {
        "contacts": by_user if by_user is not None else contacts.contacts_by_user(scope),
        "cases_new": grouped(LotsCase.responsible_user_id, LotsCase, P.cases_new_where(scope)),
        "cases_closed": grouped(LotsCase.responsible_user_id, LotsCase, P.cases_closed_where(scope)),
        "followups_on_time": grouped(
            FollowUp.assignee_id, FollowUp, P.followups_done_where(scope, on_time=True)
        ),
        "followups_late": grouped(
            FollowUp.assignee_id, FollowUp, P.followups_done_where(scope, on_time=False)
        ),
        "followups_overdue": grouped(FollowUp.assignee_id, FollowUp, P.followups_overdue_where(scope, now)),
        "visits": visits_by_user(scope),
    }
