"""The record predicates of every figure, per scope: the WHERE conditions that both the counts
(app.reports.counting) and the drill-down lists (app.reports.drilldown) use, so a drill-down
always shows exactly the counted records.

The predicates live with their features (app/<feature>/report_queries.py); this module only
puts together the ones that cross features – a follow-up or referral in a focus area is one
hanging on a contact, case or visit in it, and those features sit above follow-ups and
contacts – and re-exports the rest under one name for the report."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.cases import report_queries as cases
from app.cases.report_queries import (  # noqa: F401 - the report's predicates, in one place
    OPEN_CASE_ALERT_DAYS,
    cases_closed_where,
    cases_large_new_where,
    cases_long_open_where,
    cases_new_where,
    cases_open_where,
    permits_passed_where,
    survey_where,
)
from app.followups import report_queries as followups
from app.interactions import report_queries as contacts
from app.interactions.report_queries import contact_filter  # noqa: F401
from app.reports.base import Scope
from app.visits import report_queries as visits
from app.visits.report_queries import visits_where  # noqa: F401


def followup_parents(scope: Scope) -> followups.Parents | None:
    """What a follow-up in the scope's focus area may hang on (None: no focus-area filter)."""
    fa = scope.focus_area_id
    if not fa:
        return None
    return followups.Parents(
        contacts.ids_in_focus_area(fa), cases.ids_in_focus_area(fa), visits.ids_in_focus_area(fa)
    )


def followups_done_where(scope: Scope, *, on_time: bool) -> list[sa.ColumnElement[bool]]:
    return followups.followups_done_where(scope, on_time=on_time, parents=followup_parents(scope))


def followups_overdue_where(scope: Scope, now: datetime) -> list[sa.ColumnElement[bool]]:
    return followups.followups_overdue_where(scope, now, parents=followup_parents(scope))


def referrals_where(scope: Scope, partner_id: int | None = None) -> list[sa.ColumnElement[bool]]:
    fa = scope.focus_area_id
    return contacts.referrals_where(
        scope, partner_id, case_ids_in_focus_area=cases.ids_in_focus_area(fa) if fa else None
    )
