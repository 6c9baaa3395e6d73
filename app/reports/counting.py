"""The numbers behind the figures: every scalar and grouped value of one scope, by aggregate
queries (COUNT / GROUP BY in SQL; nothing loops over contacts in Python; only the days-to-close
percentiles are computed in Python, over the cases closed in the period). The record predicates
come from the features (app.reports.predicates); the contact figures without a user filter
from the report facts (app.reports.facts)."""

from __future__ import annotations

import math
import statistics
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
from app.reports import facts
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


def contact_values(scope: Scope) -> tuple[int, int, dict[str, int], dict[int, int], dict[int, int]]:
    """(contacts, companies reached, by kind, by focus area, companies by focus area).

    Without a user filter from the report facts (app.reports.facts); with one from the rows
    (a user's contacts are few, and the facts have no user × focus area × company rows). Under
    a focus-area filter only that area's row is shown, so the per-area values are that area's."""
    if scope.user_id:
        total, companies = contacts.contacts_and_companies(scope)
        by_focus, companies_by_area = contacts.focus_counts(scope)
        return total, companies, contacts.contacts_by_kind(scope), by_focus, companies_by_area
    period, fa = scope.period, scope.focus_area_id
    by_kind = facts.contacts_by_kind(period, fa)
    total = sum(by_kind.values())
    if fa:
        companies = facts.companies_reached(period, [fa]).get(fa, 0)
        return total, companies, by_kind, {fa: total}, {fa: companies}
    area_ids = list(db.session.scalars(sa.select(FocusArea.id)))
    reached = facts.companies_reached(period, [facts.EVERY, *area_ids])
    return total, reached.pop(facts.EVERY, 0), by_kind, facts.contacts_by_focus(period, area_ids), reached


def values(scope: Scope, now: datetime) -> dict[str, Any]:
    """Every scalar and grouped figure of one scope, as plain numbers (keyed as the figure
    specifications in app.reports.specs name them)."""
    closed_days = days_to_close(scope)
    answers, nki = survey_nki(scope)
    total, companies, by_kind, by_focus, companies_by_area = contact_values(scope)
    return {
        "contacts.total": total,
        "contacts.companies": companies,
        "contacts.kind": by_kind,
        "contacts.permits": contacts.contacts_concerning_permits(scope),
        "contacts.focus": by_focus,
        "contacts.companies_focus": companies_by_area,
        "visits.done": count_where(CompanyVisit, P.visits_where(scope)),
        "visits.ledning": count_where(CompanyVisit, P.visits_where(scope, with_ledning=True)),
        "visits.focus": visits_by_focus(scope),
        "cases.new": count_where(LotsCase, P.cases_new_where(scope)),
        "cases.closed": len(closed_days),
        "cases.open": count_where(LotsCase, P.cases_open_where(scope, now)),
        "cases.days_median": median(closed_days),
        "cases.days_p90": percentile(closed_days, 90),
        "cases.over90": count_where(LotsCase, P.cases_long_open_where(scope, now)),
        "cases.large_new": count_where(LotsCase, P.cases_large_new_where(scope)),
        "cases.new_focus": grouped(LotsCase.focus_area_id, LotsCase, P.cases_new_where(scope)),
        "cases.closed_focus": grouped(LotsCase.focus_area_id, LotsCase, P.cases_closed_where(scope)),
        "permits.passed": count_where(CasePermit, P.permits_passed_where(scope, now), join=LotsCase),
        "followups.on_time": count_where(FollowUp, P.followups_done_where(scope, on_time=True)),
        "followups.late": count_where(FollowUp, P.followups_done_where(scope, on_time=False)),
        "followups.overdue": count_where(FollowUp, P.followups_overdue_where(scope, now)),
        "referrals.total": count_where(Referral, P.referrals_where(scope)),
        "referrals.partner": grouped(Referral.partner_id, Referral, P.referrals_where(scope)),
        "survey.answers": answers,
        "survey.nki": nki,
    }


def user_values(scope: Scope, now: datetime) -> dict[str, dict[int, int]]:
    """{per-user figure: {user: value}} (the chef's table)."""
    if not scope.user_id and not scope.focus_area_id:
        # As author or participant: from the facts without a focus-area or user filter.
        by_user = facts.contacts_by_user(scope.period)
    else:
        by_user = contacts.contacts_by_user(scope)
    return {
        "contacts": by_user,
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
