"""The report figures' queries on lots cases, their permit rows and survey answers
(app.reports counts with them and its drill-downs list with them, so a drill-down always shows
exactly the counted records).

* New = intake_on in the period; closed = closed_at in the period (status avslutat); open = open
  at the period's end (taken in before the end and not closed by then; a reopened case counts
  from its reopening only). Days to close = Stockholm date of closing minus intake_on, over the
  cases closed in the period.
* Large establishments: new cases of a case type flagged `is_large_establishment`.
* Statutory deadlines passed: permit rows whose expected decision date fell in the period, has
  passed, and that were not decided by then.
* Survey: answers in the period; NKI shown only with at least MIN_ANSWERS answers.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from app.cases.models import CasePermit, CaseType, LotsCase, SurveyResponse
from app.cases.survey import MIN_ANSWERS, rescale
from app.cases.workflow import CaseStatus
from app.core.report_scope import ReportScope
from app.core.time import to_local
from app.extensions import db

OPEN_CASE_ALERT_DAYS = 90


def _case_scope(scope: ReportScope) -> list[sa.ColumnElement[bool]]:
    conds: list[sa.ColumnElement[bool]] = []
    if scope.focus_area_id:
        conds.append(LotsCase.focus_area_id == scope.focus_area_id)
    if scope.user_id:
        conds.append(LotsCase.responsible_user_id == scope.user_id)
    return conds


def ids_in_focus_area(focus_area_id: int) -> sa.Select:
    """The ids of the cases in a focus area, for what hangs on them (referrals, follow-ups)."""
    return sa.select(LotsCase.id).where(LotsCase.focus_area_id == focus_area_id)


def cases_new_where(scope: ReportScope) -> list[sa.ColumnElement[bool]]:
    p = scope.period
    return [LotsCase.intake_on >= p.start, LotsCase.intake_on < p.end, *_case_scope(scope)]


def cases_closed_where(scope: ReportScope) -> list[sa.ColumnElement[bool]]:
    p = scope.period
    return [
        LotsCase.status == CaseStatus.CLOSED.value,
        LotsCase.closed_at >= p.start_utc,
        LotsCase.closed_at < p.end_utc,
        *_case_scope(scope),
    ]


def cases_open_where(scope: ReportScope, now: datetime) -> list[sa.ColumnElement[bool]]:
    end_at, end_day = scope.as_of(now)
    return [
        LotsCase.intake_on < end_day,
        sa.or_(LotsCase.closed_at.is_(None), LotsCase.closed_at >= end_at),
        *_case_scope(scope),
    ]


def cases_long_open_where(scope: ReportScope, now: datetime) -> list[sa.ColumnElement[bool]]:
    _, end_day = scope.as_of(now)
    return [
        *cases_open_where(scope, now),
        LotsCase.intake_on < end_day - timedelta(days=OPEN_CASE_ALERT_DAYS),
    ]


def cases_large_new_where(scope: ReportScope) -> list[sa.ColumnElement[bool]]:
    large_types = sa.select(CaseType.id).where(CaseType.is_large_establishment.is_(True))
    return [*cases_new_where(scope), LotsCase.case_type_id.in_(large_types)]


def permits_passed_where(scope: ReportScope, now: datetime) -> list[sa.ColumnElement[bool]]:
    """Permit rows whose statutory decision date fell in the period and passed undecided."""
    p = scope.period
    _, end_day = scope.as_of(now)
    return [
        CasePermit.expected_decision_on >= p.start,
        CasePermit.expected_decision_on < end_day,
        sa.or_(CasePermit.decision_on.is_(None), CasePermit.decision_on > CasePermit.expected_decision_on),
        *_case_scope(scope),
    ]


def survey_where(scope: ReportScope) -> list[sa.ColumnElement[bool]]:
    p = scope.period
    conds: list[sa.ColumnElement[bool]] = [
        SurveyResponse.answered_at >= p.start_utc,
        SurveyResponse.answered_at < p.end_utc,
    ]
    if scope.focus_area_id or scope.user_id:
        conds.append(SurveyResponse.case_id.in_(sa.select(LotsCase.id).where(*_case_scope(scope))))
    return conds


def days_to_close(scope: ReportScope) -> list[int]:
    """Days from intake to closing of each case closed in the period (sorted)."""
    rows = db.session.execute(
        sa.select(LotsCase.intake_on, LotsCase.closed_at).where(*cases_closed_where(scope))
    )
    return sorted(max(0, (to_local(closed_at).date() - intake_on).days) for intake_on, closed_at in rows)


def survey_nki(scope: ReportScope) -> tuple[int, float | None]:
    """(answers, NKI 0–100) of the period; NKI None below MIN_ANSWERS answers."""
    mean_expr = sa.func.avg(
        (SurveyResponse.q_overall + SurveyResponse.q_expectations + SurveyResponse.q_ideal) / 3.0
    )
    n, mean = db.session.execute(sa.select(sa.func.count(), mean_expr).where(*survey_where(scope))).one()
    if not n or n < MIN_ANSWERS or mean is None:
        return n or 0, None
    return n, round(rescale(float(mean)), 1)
