"""Reading visits: the lists, the proposals, the statistics and the question bank (the month
calendar is app.visits.calendar, the promises app.visits.promises). Every query is bounded
(LIMIT or a time window) and uses an index; see docs/ARCHITECTURE.md ("Företagsbesök") for which.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.companies.models import ESTABLISHING, SIZE_CLASSES, WOUND_UP, Company
from app.core.db import UTCDateTime
from app.core.pagination import KeysetPage, Page, SortKey, keyset_paginate, order_clauses, paginate
from app.core.time import local_midnight_utc, local_today, to_local, utcnow
from app.extensions import db
from app.followups.models import CANCELLED as FOLLOWUP_CANCELLED
from app.followups.models import DONE as FOLLOWUP_DONE
from app.followups.models import FollowUp
from app.followups.services import add_months
from app.strategy.models import FocusArea
from app.visits.models import (
    CANCELLED,
    DONE,
    LARGE_SIZE_CLASSES,
    UPCOMING_STATUSES,
    CompanyVisit,
    VisitParticipant,
    VisitQuestion,
    VisitTarget,
    visit_focus_areas,
)
from app.visits.promises import Promise

# Key companies without a contact cadence are proposed after this many months without a visit.
DEFAULT_CADENCE_MONTHS = 12
PROPOSALS_PER_REASON = 10


def with_people(stmt: sa.Select) -> sa.Select:
    return stmt.options(
        selectinload(CompanyVisit.company),
        selectinload(CompanyVisit.participants).selectinload(VisitParticipant.user),
    )


# ---------------------------------------------------------------------------------------------
# Lists

LIST_FILTERS = {
    "upcoming": _l("Kommande (föreslagna och planerade)"),
    "mine": _l("Mina kommande besök"),
    "done": _l("Genomförda"),
    "cancelled": _l("Inställda"),
    "all": _l("Alla"),
}


def visit_select(which: str, actor: User) -> sa.Select:
    """The visits of a list filter (see LIST_FILTERS), company and people loaded, ordered."""
    stmt = sa.select(CompanyVisit)
    if which in ("upcoming", "mine"):
        stmt = stmt.where(CompanyVisit.status.in_(UPCOMING_STATUSES))
        if which == "mine":
            stmt = stmt.where(
                CompanyVisit.id.in_(
                    sa.select(VisitParticipant.visit_id).where(VisitParticipant.user_id == actor.id)
                )
            )
    elif which == "done":
        stmt = stmt.where(CompanyVisit.status == DONE)
    elif which == "cancelled":
        stmt = stmt.where(CompanyVisit.status == CANCELLED)
    return with_people(stmt).order_by(*order_clauses(visit_order(which)))


def visit_order(which: str) -> list[SortKey]:
    """Upcoming soonest first; done/cancelled/all newest first."""
    if which in ("upcoming", "mine"):
        return [SortKey(CompanyVisit.starts_at), SortKey(CompanyVisit.id)]
    return [SortKey(CompanyVisit.starts_at, descending=True), SortKey(CompanyVisit.id, descending=True)]


def list_visits(which: str, actor: User, *, page: int, per_page: int) -> Page:
    """A page of visits: upcoming soonest first; done/cancelled/all newest first."""
    return paginate(visit_select(which, actor), page, per_page)


def list_visits_after(which: str, actor: User, *, cursor: str | None, limit: int = 25) -> KeysetPage:
    """A page after `cursor` (keyset pagination, the list's own order)."""
    return keyset_paginate(
        visit_select(which, actor), visit_order(which), cursor=cursor, limit=limit, tag=f"visits:{which}"
    )


def upcoming_for_user(user: User, now: datetime, *, limit: int = 200) -> list[CompanyVisit]:
    """The user's own föreslagna/planerade visits from 30 days back on (calendar feed)."""
    return list(
        db.session.scalars(
            sa.select(CompanyVisit)
            .join(VisitParticipant, VisitParticipant.visit_id == CompanyVisit.id)
            .where(
                VisitParticipant.user_id == user.id,
                CompanyVisit.status.in_(UPCOMING_STATUSES),
                CompanyVisit.starts_at >= now - timedelta(days=30),
            )
            .options(selectinload(CompanyVisit.company))
            .order_by(CompanyVisit.starts_at)
            .limit(limit)
        )
    )


# ---------------------------------------------------------------------------------------------
# Proposals


@dataclass
class Proposal:
    """A company worth visiting and why (one or more reasons, in the order found)."""

    company: Company
    reasons: list[str] = field(default_factory=list)


def _live() -> sa.ColumnElement[bool]:
    return sa.and_(Company.deleted_at.is_(None), Company.merged_into_id.is_(None), Company.status != WOUND_UP)


def _no_upcoming_visit() -> sa.ColumnElement[bool]:
    return ~(
        sa.select(CompanyVisit.id)
        .where(CompanyVisit.company_id == Company.id, CompanyVisit.status.in_(UPCOMING_STATUSES))
        .exists()
    )


def _last_visit() -> sa.ScalarSelect:
    return (
        sa.select(sa.func.max(CompanyVisit.starts_at))
        .where(CompanyVisit.company_id == Company.id, CompanyVisit.status == DONE)
        .correlate(Company)
        .scalar_subquery()
    )


def _months_between(earlier: datetime, later: datetime) -> int:
    a, b = to_local(earlier).date(), to_local(later).date()
    return max(0, (b.year - a.year) * 12 + b.month - a.month - (1 if b.day < a.day else 0))


def key_companies_due(now: datetime, limit: int = PROPOSALS_PER_REASON) -> list[tuple[Company, str]]:
    """Key companies (nyckelföretag) not visited within their contact cadence (12 months if they
    have none), never-visited first. The cadences in use are few, so each becomes one cutoff
    in a CASE: portable date arithmetic on both databases, and the key-company index narrows
    the rows before the correlated max(starts_at) runs on the visits index."""
    today = local_today(now)
    cadences = set(
        db.session.scalars(
            sa.select(Company.contact_cadence_months)
            .where(Company.is_key_company.is_(True))
            .distinct()
            .limit(100)
        )
    )
    cadence = sa.func.coalesce(Company.contact_cadence_months, DEFAULT_CADENCE_MONTHS)
    whens = [
        (cadence == m, sa.literal(local_midnight_utc(add_months(today, -m)), UTCDateTime()))
        for m in sorted({c or DEFAULT_CADENCE_MONTHS for c in cadences})
        if m > 0
    ]
    if not whens:
        return []
    cutoff = sa.case(*whens, else_=sa.literal(None, UTCDateTime()))
    last_visit = _last_visit().label("last_visit")
    rows = db.session.execute(
        sa.select(Company, last_visit)
        .where(
            Company.is_key_company.is_(True),
            _live(),
            _no_upcoming_visit(),
            sa.or_(_last_visit().is_(None), _last_visit() < cutoff),
        )
        .order_by(last_visit.is_not(None), last_visit, Company.name_norm)
        .limit(limit)
    ).all()
    result = []
    for company, last in rows:
        months = company.contact_cadence_months or DEFAULT_CADENCE_MONTHS
        if last is None:
            reason = _(
                "Nyckelföretag som aldrig har besökts (kontaktintervall %(months)s mån)", months=months
            )
        else:
            reason = _(
                "Nyckelföretag, senast besökt %(date)s – mer än %(months)s mån sedan (kontaktintervall "
                "%(months)s mån)",
                date=to_local(last).date().isoformat(),
                months=months,
            )
        result.append((company, reason))
    return result


def companies_with_open_cases(actor: User, limit: int = PROPOSALS_PER_REASON) -> list[tuple[Company, str]]:
    """Companies with open lots cases, the longest-open first. Restricted cases count only for
    readers who may read them (app.core.restriction; otherwise the reason would reveal them)."""
    from app.cases.models import LotsCase
    from app.cases.workflow import OPEN_STATUSES
    from app.core import restriction

    conditions = [LotsCase.status.in_(sorted(OPEN_STATUSES)), restriction.readable_clause(actor, "case")]
    cases = (
        sa.select(
            LotsCase.company_id.label("company_id"),
            sa.func.count().label("n"),
            sa.func.min(LotsCase.intake_on).label("oldest"),
        )
        .where(*conditions)
        .group_by(LotsCase.company_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Company, cases.c.n, cases.c.oldest)
        .join(cases, cases.c.company_id == Company.id)
        .where(_live(), _no_upcoming_visit())
        .order_by(cases.c.oldest, Company.name_norm)
        .limit(limit)
    ).all()
    result = []
    for company, n, oldest in rows:
        reason = ngettext(
            "%(num)s öppet lotsärende (inkommet %(date)s)",
            "%(num)s öppna lotsärenden (inkommet %(date)s)",
            n,
            date=oldest.isoformat(),
        )
        result.append((company, reason))
    return result


def large_employers_without_contact(
    now: datetime, limit: int = PROPOSALS_PER_REASON
) -> list[tuple[Company, str]]:
    """Employers with 50 or more employees and no contact in 12 months, longest silence first
    (index ix_companies_size_class_last_contact_at, declared by this feature)."""
    cutoff = local_midnight_utc(add_months(local_today(now), -12))
    rows = db.session.scalars(
        sa.select(Company)
        .where(
            Company.size_class.in_(LARGE_SIZE_CLASSES),
            sa.or_(Company.last_contact_at.is_(None), Company.last_contact_at < cutoff),
            _live(),
            _no_upcoming_visit(),
        )
        .order_by(Company.last_contact_at.is_not(None), Company.last_contact_at, Company.name_norm)
        .limit(limit)
    ).all()
    result = []
    for company in rows:
        size = SIZE_CLASSES.get(company.size_class, company.size_class)
        if company.last_contact_at is None:
            reason = _("Stor arbetsgivare (%(size)s) utan loggad kontakt", size=size)
        else:
            reason = _(
                "Stor arbetsgivare (%(size)s), ingen kontakt sedan %(date)s",
                size=size,
                date=to_local(company.last_contact_at).date().isoformat(),
            )
        result.append((company, reason))
    return result


def new_companies(now: datetime, limit: int = PROPOSALS_PER_REASON) -> list[tuple[Company, str]]:
    """Newly established companies never visited: status etablering, or registered in Lotsbok in
    the last 12 months; newest first. (Both columns are indexed; PostgreSQL ORs the two.)"""
    since = local_midnight_utc(add_months(local_today(now), -12))
    ever_visited = (
        sa.select(CompanyVisit.id)
        .where(CompanyVisit.company_id == Company.id, CompanyVisit.status == DONE)
        .exists()
    )
    rows = db.session.scalars(
        sa.select(Company)
        .where(
            sa.or_(Company.status == ESTABLISHING, Company.created_at >= since),
            Company.deleted_at.is_(None),
            Company.merged_into_id.is_(None),
            _no_upcoming_visit(),
            ~ever_visited,
        )
        .order_by(Company.created_at.desc(), Company.id.desc())
        .limit(limit)
    ).all()
    result = []
    for company in rows:
        if company.status == ESTABLISHING:
            reason = _("Nyetablering/prospekt (status etablering)")
        else:
            reason = _(
                "Nytt företag, registrerat %(date)s", date=to_local(company.created_at).date().isoformat()
            )
        result.append((company, reason))
    return result


def proposals(
    actor: User, now: datetime | None = None, *, per_reason: int = PROPOSALS_PER_REASON
) -> list[Proposal]:
    """Companies worth a visit, each with its reasons: key companies past their cadence,
    companies with open lots cases, large employers without contact for 12 months, newly
    established companies. Companies with a föreslaget/planerat visit are left out. At most
    `per_reason` companies per reason (four bounded queries)."""
    now = now or utcnow()
    found: dict[int, Proposal] = {}
    for rows in (
        key_companies_due(now, per_reason),
        companies_with_open_cases(actor, per_reason),
        large_employers_without_contact(now, per_reason),
        new_companies(now, per_reason),
    ):
        for company, reason in rows:
            found.setdefault(company.id, Proposal(company)).reasons.append(reason)
    return list(found.values())


# ---------------------------------------------------------------------------------------------
# Statistics


@dataclass(frozen=True)
class VisitStats:
    year: int
    target: int | None
    per_quarter: list[int]  # genomförda besök Q1–Q4
    per_focus_area: list[tuple[FocusArea, int]]
    total: int
    with_promises: int
    promises_kept: int  # visits whose promises were all kept on time
    promises_broken: int  # visits with a promise done late, cancelled or overdue
    promises_pending: int  # visits with promises still open and not yet due
    planned_rest_of_year: int

    @property
    def kept_share(self) -> float | None:
        """Share of settled visits (all promises closed, or one overdue) kept on time."""
        settled = self.promises_kept + self.promises_broken
        return self.promises_kept / settled if settled else None

    @property
    def target_share(self) -> float | None:
        return self.total / self.target if self.target else None


def visit_stats(year: int, now: datetime | None = None) -> VisitStats:
    """Genomförda visits of a calendar year (Stockholm) per quarter and per focus area, against
    the year's target, and how many visits kept all their promises on time."""
    now = now or utcnow()
    start, end = local_midnight_utc(date(year, 1, 1)), local_midnight_utc(date(year + 1, 1, 1))
    in_year = sa.and_(
        CompanyVisit.status == DONE, CompanyVisit.starts_at >= start, CompanyVisit.starts_at < end
    )
    rows = db.session.execute(sa.select(CompanyVisit.id, CompanyVisit.starts_at).where(in_year)).all()
    per_quarter = [0, 0, 0, 0]
    for _id, starts_at in rows:
        per_quarter[(to_local(starts_at).month - 1) // 3] += 1
    counts = dict(
        db.session.execute(
            sa.select(visit_focus_areas.c.focus_area_id, sa.func.count())
            .join(CompanyVisit, CompanyVisit.id == visit_focus_areas.c.visit_id)
            .where(in_year)
            .group_by(visit_focus_areas.c.focus_area_id)
        ).all()
    )
    areas = db.session.scalars(
        sa.select(FocusArea).order_by(FocusArea.retired_at.is_not(None), FocusArea.position)
    ).all()
    per_area = [(a, counts.get(a.id, 0)) for a in areas if a.retired_at is None or counts.get(a.id)]
    today = local_today(now)
    by_visit: dict[int, list[Promise]] = defaultdict(list)
    for f in db.session.scalars(
        sa.select(FollowUp)
        .join(CompanyVisit, CompanyVisit.id == FollowUp.visit_id)
        .where(in_year, FollowUp.source == "visit")
    ):
        by_visit[f.visit_id].append(Promise(f))  # type: ignore[index]
    kept = broken = pending = 0
    for promises in by_visit.values():
        if all(p.kept for p in promises):
            kept += 1
        elif any(
            p.followup.status in (FOLLOWUP_DONE, FOLLOWUP_CANCELLED) and not p.kept or p.overdue(today)
            for p in promises
        ):
            broken += 1
        else:
            pending += 1
    target = db.session.scalar(sa.select(VisitTarget.target_count).where(VisitTarget.year == year))
    planned = (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(
                sa.select(CompanyVisit.id)
                .where(
                    CompanyVisit.status.in_(UPCOMING_STATUSES),
                    CompanyVisit.starts_at >= max(now, start),
                    CompanyVisit.starts_at < end,
                )
                .limit(10_000)
                .subquery()
            )
        )
        or 0
    )
    return VisitStats(
        year=year,
        target=target,
        per_quarter=per_quarter,
        per_focus_area=per_area,
        total=len(rows),
        with_promises=len(by_visit),
        promises_kept=kept,
        promises_broken=broken,
        promises_pending=pending,
        planned_rest_of_year=planned,
    )


def targets() -> list[VisitTarget]:
    return list(db.session.scalars(sa.select(VisitTarget).order_by(VisitTarget.year.desc()).limit(50)))


# ---------------------------------------------------------------------------------------------
# Question bank


def list_questions(*, active_only: bool = False) -> list[VisitQuestion]:
    """The question bank: general questions first, then per focus area in strategy order."""
    stmt = (
        sa.select(VisitQuestion)
        .outerjoin(FocusArea, FocusArea.id == VisitQuestion.focus_area_id)
        .options(selectinload(VisitQuestion.focus_area))
        .order_by(
            VisitQuestion.focus_area_id.is_not(None),
            FocusArea.position,
            VisitQuestion.position,
            VisitQuestion.id,
        )
    )
    if active_only:
        stmt = stmt.where(VisitQuestion.is_active.is_(True))
    return list(db.session.scalars(stmt.limit(1000)))


def get_question_or_404(question_id: int) -> VisitQuestion:
    from app.core.errors import NotFound

    question = db.session.get(VisitQuestion, question_id)
    if question is None:
        raise NotFound(_("Frågan finns inte."))
    return question


def upcoming_for_panel(user: User, limit: int = 5) -> list[CompanyVisit]:
    """The start panel: the next föreslagna/planerade visits (the user's own first for
    participants; everybody's for readers such as chef)."""
    now = utcnow()
    stmt = (
        sa.select(CompanyVisit)
        .where(
            CompanyVisit.status.in_(UPCOMING_STATUSES), CompanyVisit.starts_at >= now - timedelta(hours=12)
        )
        .order_by(CompanyVisit.starts_at, CompanyVisit.id)
        .limit(limit)
    )
    return list(db.session.scalars(with_people(stmt)))
