"""The report figures' queries on follow-ups (app.reports counts with them and its drill-downs
list with them): done in the period on time (done_on ≤ due_on) or late; open overdue at the
period's end (or now, for a period not yet over).

A follow-up has no focus area of its own: under a focus-area filter it takes those of the
contact, case or visit it hangs on. Those features sit above follow-ups, so the caller passes
their ids in the focus area (`Parents`, from each feature's `ids_in_focus_area`)."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa

from app.core.report_scope import ReportScope
from app.followups.models import DONE, FollowUp


class Parents(NamedTuple):
    """The ids of the records in the scope's focus area that a follow-up can hang on."""

    interaction_ids: sa.Select
    case_ids: sa.Select
    visit_ids: sa.Select


def _followup_scope(scope: ReportScope, parents: Parents | None) -> list[sa.ColumnElement[bool]]:
    conds: list[sa.ColumnElement[bool]] = []
    if scope.user_id:
        conds.append(FollowUp.assignee_id == scope.user_id)
    if scope.focus_area_id:
        if parents is None:
            raise ValueError("the follow-up figures need the parents' ids under a focus-area filter")
        conds.append(
            sa.or_(
                FollowUp.interaction_id.in_(parents.interaction_ids),
                FollowUp.case_id.in_(parents.case_ids),
                FollowUp.visit_id.in_(parents.visit_ids),
            )
        )
    return conds


def followups_done_where(
    scope: ReportScope, *, on_time: bool, parents: Parents | None = None
) -> list[sa.ColumnElement[bool]]:
    p = scope.period
    timing = FollowUp.done_on <= FollowUp.due_on if on_time else FollowUp.done_on > FollowUp.due_on
    return [
        FollowUp.status == DONE,
        FollowUp.done_on >= p.start,
        FollowUp.done_on < p.end,
        timing,
        *_followup_scope(scope, parents),
    ]


def followups_overdue_where(
    scope: ReportScope, now: datetime, *, parents: Parents | None = None
) -> list[sa.ColumnElement[bool]]:
    end_at, end_day = scope.as_of(now)
    return [
        FollowUp.created_at < end_at,
        FollowUp.due_on < end_day,
        sa.or_(FollowUp.closed_at.is_(None), FollowUp.closed_at >= end_at),
        *_followup_scope(scope, parents),
    ]
