"""The "att uppmärksamma" lists of a report: new large establishments, cases open long, passed
statutory deadlines and overdue follow-ups – the records of those figures, the first few of
each (same predicates as the counts: app.reports.predicates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from app.auth.models import User
from app.cases.models import CasePermit, CaseType, LotsCase
from app.extensions import db
from app.followups.models import FollowUp
from app.reports import predicates as P
from app.reports.base import Scope


@dataclass(frozen=True)
class NotableCase:
    id: int
    title: str
    company_name: str
    intake_on: date
    days_open: int
    restricted: bool
    case_type: str


@dataclass(frozen=True)
class NotablePermit:
    id: int
    case_id: int
    case_title: str
    permit_type: str
    expected_decision_on: date
    restricted: bool


@dataclass(frozen=True)
class NotableFollowUp:
    id: int
    title: str
    due_on: date
    assignee: str
    interaction_id: int | None = None
    case_id: int | None = None


@dataclass(frozen=True)
class NotableItems:
    large_establishments: list[NotableCase]
    long_open_cases: list[NotableCase]
    passed_permits: list[NotablePermit]
    overdue_followups: list[NotableFollowUp]


def notable_items(scope: Scope, now: datetime, limit: int) -> NotableItems:
    """The first `limit` records of each notable figure in `scope`."""
    from app.catalogues.models import PermitType
    from app.companies.models import Company

    _, end_day = scope.as_of(now)
    case_cols = (
        LotsCase.id,
        LotsCase.title,
        Company.name,
        LotsCase.intake_on,
        LotsCase.is_restricted,
        CaseType.name,
    )

    def cases(conds: list[sa.ColumnElement[bool]], order: Any) -> list[NotableCase]:
        rows = db.session.execute(
            sa.select(*case_cols)
            .join(Company, Company.id == LotsCase.company_id)
            .join(CaseType, CaseType.id == LotsCase.case_type_id)
            .where(*conds)
            .order_by(order, LotsCase.id)
            .limit(limit)
        )
        return [NotableCase(i, t, c, d, (end_day - d).days, r, ct) for i, t, c, d, r, ct in rows]

    large = cases(P.cases_large_new_where(scope), LotsCase.intake_on)
    long_open = cases(P.cases_long_open_where(scope, now), LotsCase.intake_on)
    # The first `limit` passed permits by themselves, then their cases and types: the join to
    # the case only where the scope filters on it (focus area, user) – joining every passed
    # permit of a year to its case before sorting cost 15–25 ms at 100 000 companies.
    first = sa.select(CasePermit.id).where(*P.permits_passed_where(scope, now))
    if scope.focus_area_id or scope.user_id:
        first = first.join(LotsCase, LotsCase.id == CasePermit.case_id)
    first_ids = first.order_by(CasePermit.expected_decision_on, CasePermit.id).limit(limit).subquery()
    permits = db.session.execute(
        sa.select(
            CasePermit.id,
            LotsCase.id,
            LotsCase.title,
            PermitType.name,
            CasePermit.expected_decision_on,
            LotsCase.is_restricted,
        )
        .join(first_ids, first_ids.c.id == CasePermit.id)
        .join(LotsCase, LotsCase.id == CasePermit.case_id)
        .join(PermitType, PermitType.id == CasePermit.permit_type_id)
        .order_by(CasePermit.expected_decision_on, CasePermit.id)
    )
    overdue = db.session.execute(
        sa.select(
            FollowUp.id, FollowUp.title, FollowUp.due_on, User.name, FollowUp.interaction_id, FollowUp.case_id
        )
        .join(User, User.id == FollowUp.assignee_id)
        .where(*P.followups_overdue_where(scope, now))
        .order_by(FollowUp.due_on, FollowUp.id)
        .limit(limit)
    )
    return NotableItems(
        large, long_open, [NotablePermit(*row) for row in permits], [NotableFollowUp(*row) for row in overdue]
    )


@dataclass(frozen=True)
class Notable:
    """The "att uppmärksamma" lists of a report as one reader may see them."""

    large_establishments: list[Any]
    long_open_cases: list[Any]
    long_open_total: int
    passed_permits: list[Any]
    overdue_followups: list[Any]

    @property
    def empty(self) -> bool:
        return not (
            self.large_establishments or self.long_open_cases or self.passed_permits or self.overdue_followups
        )


def notable_for(report: Any, actor: Any, *, outside: bool = False) -> Notable:
    """The report's notable items as `actor` may see them (app.core.restriction): a restricted
    case – and a follow-up hanging on one – is "… med begränsad åtkomst" to a reader who may
    not read it, and an audited read to one who may. A passed permit deadline is content of its
    case: a reader who may not read the case does not see that row at all.

    `outside=True` (the monthly summary e-mail and its preview): what leaves the system never
    carries restricted content, also for a reader who may read it – at most what the reader
    sees in the app, in the neutral wording "… – öppna i Lotsbok", without the company."""
    from app.core import restriction

    def present(verdict: restriction.Verdict, item: Any, **neutral: Any) -> Any:
        if outside:
            if not verdict.restricted:
                return item
            masked = {k: restriction.neutral_for_mail(v) for k, v in neutral.items()}
            return restriction.Masked(item, **masked, company_name="")
        return restriction.shown(
            actor, verdict, item, **{k: restriction.neutral(v) for k, v in neutral.items()}
        )

    def cases(items: list[NotableCase]) -> list[Any]:
        verdicts = restriction.judge(actor, items, case=lambda c: c.id)
        return [present(v, c, title="case") for v, c in zip(verdicts, items, strict=True)]

    permits = restriction.judge(actor, report.passed_permits, case=lambda p: p.case_id)
    followups = restriction.judge(
        actor, report.overdue_followups, interaction=lambda f: f.interaction_id, case=lambda f: f.case_id
    )
    return Notable(
        large_establishments=cases(report.large_establishments),
        long_open_cases=cases(report.long_open_cases),
        long_open_total=report.long_open_total,
        passed_permits=[
            present(v, p, case_title="case", permit_type="case")
            for v, p in zip(permits, report.passed_permits, strict=True)
            if v.readable
        ],
        overdue_followups=[
            present(v, f, title="followup") for v, f in zip(followups, report.overdue_followups, strict=True)
        ],
    )
