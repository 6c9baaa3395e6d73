"""THE figures: one query module feeds the monthly summary e-mail, the dashboard and the exports,
so they never disagree.

Every figure is computed for a `Scope` (a period, optionally one focus area and/or one user)
by an aggregate query (COUNT / GROUP BY in SQL; nothing loops over contacts in Python; only
the days-to-close percentiles are computed in Python, over the cases closed in the period).
Each figure carries its value for the same period a year earlier and a `Drill` – the list of
the records behind the number. The record predicates live in one place per kind of record
(`_contacts`, `_cases_*`, `_followups_*`, …) and both the counts and the drill-down lists use
them, so a drill-down always shows exactly the counted records.

Definitions (also in docs/ARCHITECTURE.md "Rapporter"):

* Contacts: non-deleted interactions with occurred_at in the period (Stockholm days). Focus
  area and user filters have the contact list's meaning (app.interactions.queries
  .contact_select): primary OR additional focus area; author OR participant. So "per focus
  area" rows may add up to more than the total (a contact tagged with two areas counts twice).
  Restricted contacts are counted; their notes are never read here.
* Companies reached: distinct companies of those contacts.
* Company visits: status genomfört with starts_at in the period; "with kommunledning": at
  least one participant from kommunledning's side.
* Lots cases: new = intake_on in the period; closed = closed_at in the period (status
  avslutat); open = open at the period's end (taken in before the end and not closed by then;
  a reopened case counts from its reopening only). Days to close = Stockholm date of closing
  minus intake_on, over the cases closed in the period; median and 90th percentile
  (nearest rank).
* Statutory deadlines passed: permit rows whose expected decision date fell in the period,
  has passed, and that were not decided by then.
* Follow-ups: done in the period on time (done_on ≤ due_on) or late; open overdue at the
  period's end (or now, for a period not yet over).
* Referrals: referred_on in the period, per partner.
* Survey NKI: answers in the period; shown only with at least MIN_ANSWERS answers.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from app.auth.models import User
from app.cases.models import CasePermit, CaseType, LotsCase, SurveyResponse
from app.cases.survey import MIN_ANSWERS, rescale
from app.cases.workflow import CaseStatus
from app.catalogues.models import ReferralPartner
from app.core.permissions import Perm
from app.core.time import local_today, to_local, utcnow
from app.extensions import db
from app.followups.models import DONE, FollowUp
from app.interactions.models import (
    KIND_LABELS,
    Interaction,
    InteractionKind,
    Referral,
    interaction_focus_areas,
    interaction_participants,
)
from app.interactions.queries import COUNTING, ContactFilter, contact_select
from app.reports import facts
from app.reports.periods import Period
from app.strategy.models import FocusArea
from app.visits.models import DONE as VISIT_DONE
from app.visits.models import LEDNING, CompanyVisit, VisitParticipant, visit_focus_areas

# Case types that count as a large establishment ("stor etablering") for notable items.
LARGE_ESTABLISHMENT_CODES = ("stor_etablering", "storetablering", "stor-etablering", "storre_etablering")
OPEN_CASE_ALERT_DAYS = 90


@dataclass(frozen=True)
class Scope:
    """What the figures are for: a period, and optionally one focus area and/or one user."""

    period: Period
    focus_area_id: int | None = None
    user_id: int | None = None

    def year_earlier(self) -> Scope:
        return replace(self, period=self.period.year_earlier())

    def args(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.period.to_args())
        if self.focus_area_id:
            out["focus"] = self.focus_area_id
        if self.user_id:
            out["user"] = self.user_id
        return out

    def as_of(self, now: datetime) -> tuple[datetime, date]:
        """What "at the period's end" means: (instant, first day not yet begun). The end of
        the period, or – for a period not over yet – now and today."""
        if now >= self.period.end_utc:
            return self.period.end_utc, self.period.end
        return now, local_today(now)


@dataclass(frozen=True)
class Drill:
    """Where the records behind a figure are listed: an endpoint with its query parameters,
    and the permission needed to see them."""

    endpoint: str
    args: dict[str, Any]
    perm: Perm


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: float | int | None
    previous: float | int | None = None
    drill: Drill | None = None
    unit: str = ""
    note: str = ""

    @property
    def change(self) -> float | int | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def change_percent(self) -> float | None:
        if self.value is None or not self.previous:
            return None
        return (self.value - self.previous) / self.previous * 100


@dataclass(frozen=True)
class FocusRow:
    focus_area: FocusArea
    contacts: Figure
    companies: Figure
    cases_new: Figure
    cases_closed: Figure
    visits: Figure


@dataclass(frozen=True)
class UserRow:
    user: User
    figures: dict[str, Figure]


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


@dataclass
class Report:
    scope: Scope
    previous_scope: Scope
    generated_at: datetime
    headline: list[Figure] = field(default_factory=list)
    contacts_by_kind: list[Figure] = field(default_factory=list)
    contacts_by_focus: list[Figure] = field(default_factory=list)
    visits: list[Figure] = field(default_factory=list)
    cases: list[Figure] = field(default_factory=list)
    followups: list[Figure] = field(default_factory=list)
    referrals: list[Figure] = field(default_factory=list)
    survey: list[Figure] = field(default_factory=list)
    focus_rows: list[FocusRow] = field(default_factory=list)
    user_rows: list[UserRow] = field(default_factory=list)
    large_establishments: list[NotableCase] = field(default_factory=list)
    long_open_cases: list[NotableCase] = field(default_factory=list)
    long_open_total: int = 0
    passed_permits: list[NotablePermit] = field(default_factory=list)
    overdue_followups: list[NotableFollowUp] = field(default_factory=list)

    def sections(self) -> list[tuple[str, list[Figure]]]:
        """Every figure, by section (dashboard tables and exports)."""
        return [
            ("Nyckeltal", self.headline),
            ("Kontakter per typ", self.contacts_by_kind),
            ("Kontakter per fokusområde", self.contacts_by_focus),
            ("Företagsbesök", self.visits),
            ("Lotsärenden", self.cases),
            ("Uppföljningar", self.followups),
            ("Hänvisningar per partner", self.referrals),
            ("Nöjdhet (NKI)", self.survey),
        ]

    def figure(self, key: str) -> Figure:
        for _, figures in self.sections():
            for fig in figures:
                if fig.key == key:
                    return fig
        raise KeyError(key)


# =========================================================================== predicates
# One function per kind of record: the WHERE conditions of a figure. Counts and drill-down
# lists both call these.


def contact_filter(scope: Scope, **extra: Any) -> ContactFilter:
    """The contact list filter of a scope (the contact list's own semantics)."""
    return ContactFilter(
        date_from=scope.period.start,
        date_to=scope.period.last_day,
        focus_area_id=scope.focus_area_id,
        user_id=scope.user_id,
        **extra,
    )


def _contacts(scope: Scope, **extra: Any) -> sa.Select:
    # Figures count every contact (numbers only; nothing of a restricted one is shown).
    if not scope.user_id:
        return contact_select(contact_filter(scope, **extra), reader=COUNTING).order_by(None)
    # The user filter (author OR participant) as a set of ids from the two user indexes: the
    # contact list's OR EXISTS makes both databases read every contact of the period.
    p, uid = scope.period, scope.user_id
    in_period = (Interaction.occurred_at >= p.start_utc, Interaction.occurred_at < p.end_utc)
    mine = sa.union(
        sa.select(Interaction.id).where(Interaction.author_id == uid, *in_period),
        sa.select(interaction_participants.c.interaction_id).where(interaction_participants.c.user_id == uid),
    )
    stmt = contact_select(contact_filter(replace(scope, user_id=None), **extra), reader=COUNTING)
    return stmt.where(Interaction.id.in_(mine)).order_by(None)


def _contacts_drill(scope: Scope, **extra: Any) -> Drill:
    return Drill("interactions.list", contact_filter(scope, **extra).as_args(), Perm.VIEW_CONTACTS)


def _case_scope(scope: Scope) -> list[sa.ColumnElement[bool]]:
    conds: list[sa.ColumnElement[bool]] = []
    if scope.focus_area_id:
        conds.append(LotsCase.focus_area_id == scope.focus_area_id)
    if scope.user_id:
        conds.append(LotsCase.responsible_user_id == scope.user_id)
    return conds


def cases_new_where(scope: Scope) -> list[sa.ColumnElement[bool]]:
    p = scope.period
    return [LotsCase.intake_on >= p.start, LotsCase.intake_on < p.end, *_case_scope(scope)]


def cases_closed_where(scope: Scope) -> list[sa.ColumnElement[bool]]:
    p = scope.period
    return [
        LotsCase.status == CaseStatus.AVSLUTAT.value,
        LotsCase.closed_at >= p.start_utc,
        LotsCase.closed_at < p.end_utc,
        *_case_scope(scope),
    ]


def cases_open_where(scope: Scope, now: datetime) -> list[sa.ColumnElement[bool]]:
    end_at, end_day = scope.as_of(now)
    return [
        LotsCase.intake_on < end_day,
        sa.or_(LotsCase.closed_at.is_(None), LotsCase.closed_at >= end_at),
        *_case_scope(scope),
    ]


def cases_long_open_where(scope: Scope, now: datetime) -> list[sa.ColumnElement[bool]]:
    _, end_day = scope.as_of(now)
    return [
        *cases_open_where(scope, now),
        LotsCase.intake_on < end_day - timedelta(days=OPEN_CASE_ALERT_DAYS),
    ]


def _large_type_ids() -> sa.Select:
    return sa.select(CaseType.id).where(
        sa.or_(
            CaseType.code.in_(LARGE_ESTABLISHMENT_CODES),
            sa.func.lower(CaseType.name).like("%stor%etablering%"),
        )
    )


def cases_large_new_where(scope: Scope) -> list[sa.ColumnElement[bool]]:
    return [*cases_new_where(scope), LotsCase.case_type_id.in_(_large_type_ids())]


def permits_passed_where(scope: Scope, now: datetime) -> list[sa.ColumnElement[bool]]:
    """Permit rows whose statutory decision date fell in the period and passed undecided."""
    p = scope.period
    _, end_day = scope.as_of(now)
    return [
        CasePermit.expected_decision_on >= p.start,
        CasePermit.expected_decision_on < end_day,
        sa.or_(CasePermit.decision_on.is_(None), CasePermit.decision_on > CasePermit.expected_decision_on),
        *_case_scope(scope),
    ]


def _followup_scope(scope: Scope) -> list[sa.ColumnElement[bool]]:
    conds: list[sa.ColumnElement[bool]] = []
    if scope.user_id:
        conds.append(FollowUp.assignee_id == scope.user_id)
    if scope.focus_area_id:
        # A follow-up has no focus area of its own: it takes those of its contact, case or visit.
        fa = scope.focus_area_id
        conds.append(
            sa.or_(
                FollowUp.interaction_id.in_(
                    sa.select(Interaction.id).where(
                        sa.or_(
                            Interaction.focus_area_id == fa,
                            Interaction.id.in_(
                                sa.select(interaction_focus_areas.c.interaction_id).where(
                                    interaction_focus_areas.c.focus_area_id == fa
                                )
                            ),
                        )
                    )
                ),
                FollowUp.case_id.in_(sa.select(LotsCase.id).where(LotsCase.focus_area_id == fa)),
                FollowUp.visit_id.in_(
                    sa.select(visit_focus_areas.c.visit_id).where(visit_focus_areas.c.focus_area_id == fa)
                ),
            )
        )
    return conds


def followups_done_where(scope: Scope, *, on_time: bool) -> list[sa.ColumnElement[bool]]:
    p = scope.period
    timing = FollowUp.done_on <= FollowUp.due_on if on_time else FollowUp.done_on > FollowUp.due_on
    return [FollowUp.status == DONE, FollowUp.done_on >= p.start, FollowUp.done_on < p.end, timing,
            *_followup_scope(scope)]  # fmt: skip


def followups_overdue_where(scope: Scope, now: datetime) -> list[sa.ColumnElement[bool]]:
    end_at, end_day = scope.as_of(now)
    return [
        FollowUp.created_at < end_at,
        FollowUp.due_on < end_day,
        sa.or_(FollowUp.closed_at.is_(None), FollowUp.closed_at >= end_at),
        *_followup_scope(scope),
    ]


def visits_where(scope: Scope, *, with_ledning: bool = False) -> list[sa.ColumnElement[bool]]:
    p = scope.period
    conds: list[sa.ColumnElement[bool]] = [
        CompanyVisit.status == VISIT_DONE,
        CompanyVisit.starts_at >= p.start_utc,
        CompanyVisit.starts_at < p.end_utc,
    ]
    if with_ledning:
        conds.append(
            CompanyVisit.id.in_(sa.select(VisitParticipant.visit_id).where(VisitParticipant.side == LEDNING))
        )
    if scope.focus_area_id:
        conds.append(
            CompanyVisit.id.in_(
                sa.select(visit_focus_areas.c.visit_id).where(
                    visit_focus_areas.c.focus_area_id == scope.focus_area_id
                )
            )
        )
    if scope.user_id:
        conds.append(
            sa.or_(
                CompanyVisit.organizer_id == scope.user_id,
                CompanyVisit.id.in_(
                    sa.select(VisitParticipant.visit_id).where(VisitParticipant.user_id == scope.user_id)
                ),
            )
        )
    return conds


def referrals_where(scope: Scope, partner_id: int | None = None) -> list[sa.ColumnElement[bool]]:
    p = scope.period
    conds: list[sa.ColumnElement[bool]] = [Referral.referred_on >= p.start, Referral.referred_on < p.end]
    if partner_id is not None:
        conds.append(Referral.partner_id == partner_id)
    if scope.focus_area_id:
        fa = scope.focus_area_id
        conds.append(
            sa.or_(
                Referral.interaction_id.in_(sa.select(Interaction.id).where(Interaction.focus_area_id == fa)),
                Referral.case_id.in_(sa.select(LotsCase.id).where(LotsCase.focus_area_id == fa)),
            )
        )
    if scope.user_id:
        conds.append(Referral.created_by_id == scope.user_id)
    return conds


def survey_where(scope: Scope) -> list[sa.ColumnElement[bool]]:
    p = scope.period
    conds: list[sa.ColumnElement[bool]] = [
        SurveyResponse.answered_at >= p.start_utc,
        SurveyResponse.answered_at < p.end_utc,
    ]
    if scope.focus_area_id or scope.user_id:
        conds.append(SurveyResponse.case_id.in_(sa.select(LotsCase.id).where(*_case_scope(scope))))
    return conds


# =========================================================================== counting


def _count(stmt: sa.Select) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0


def _count_where(model: Any, conds: Iterable[sa.ColumnElement[bool]], *, join: Any = None) -> int:
    stmt = sa.select(sa.func.count()).select_from(model)
    if join is not None:
        stmt = stmt.join(join)
    return db.session.scalar(stmt.where(*conds)) or 0


def _contact_rows(scope: Scope) -> sa.CTE:
    """The counted contacts as a MATERIALIZED CTE (id, kind, focus area, company, author).

    Materialising makes both databases read the period's rows once through the covering index
    ix_interactions_reports (app.reports.models) before grouping; without it SQLite picks the
    (kind, occurred_at) index for GROUP BY kind and visits every row of the table."""
    return (
        _contacts(scope)
        .with_only_columns(
            Interaction.id.label("iid"),
            Interaction.kind.label("kind"),
            Interaction.focus_area_id.label("fa"),
            Interaction.company_id.label("company_id"),
            Interaction.author_id.label("uid"),
        )
        .cte("counted_contacts")
        .prefix_with("MATERIALIZED")
    )


def contacts_and_companies(scope: Scope) -> tuple[int, int]:
    """(contacts, distinct companies reached) in one pass."""
    rows = _contact_rows(scope)
    total, companies = db.session.execute(
        sa.select(sa.func.count(), sa.func.count(sa.distinct(rows.c.company_id)))
    ).one()
    return total or 0, companies or 0


def contacts_total(scope: Scope) -> int:
    return contacts_and_companies(scope)[0]


def companies_reached(scope: Scope) -> int:
    return contacts_and_companies(scope)[1]


def contacts_by_kind(scope: Scope) -> dict[str, int]:
    rows = _contact_rows(scope)
    result = db.session.execute(sa.select(rows.c.kind, sa.func.count()).group_by(rows.c.kind))
    return {str(InteractionKind(kind).value): n for kind, n in result}


def _contact_focus_pairs(scope: Scope) -> sa.Subquery:
    """(contact id, company id, focus area id) for every focus area of every counted contact:
    the primary one and the additional ones (looked up by primary key per contact)."""
    rows = _contact_rows(scope)
    extra = (
        sa.select(rows.c.iid, rows.c.company_id, interaction_focus_areas.c.focus_area_id.label("fa"))
        .select_from(rows)
        .join(interaction_focus_areas, interaction_focus_areas.c.interaction_id == rows.c.iid)
    )
    return sa.union(sa.select(rows.c.iid, rows.c.company_id, rows.c.fa), extra).subquery()


def focus_counts(scope: Scope) -> tuple[dict[int, int], dict[int, int]]:
    """({focus area: contacts}, {focus area: distinct companies}) in one pass."""
    pairs = _contact_focus_pairs(scope)
    stmt = sa.select(pairs.c.fa, sa.func.count(), sa.func.count(sa.distinct(pairs.c.company_id))).group_by(
        pairs.c.fa
    )
    contacts: dict[int, int] = {}
    companies: dict[int, int] = {}
    for fa, n, n_companies in db.session.execute(stmt):
        contacts[fa], companies[fa] = n, n_companies
    return contacts, companies


def contacts_by_focus(scope: Scope) -> dict[int, int]:
    return focus_counts(scope)[0]


def companies_by_focus(scope: Scope) -> dict[int, int]:
    return focus_counts(scope)[1]


def _grouped(column: Any, model: Any, conds: Iterable[sa.ColumnElement[bool]]) -> dict[Any, int]:
    stmt = sa.select(column, sa.func.count()).select_from(model).where(*conds).group_by(column)
    return dict(db.session.execute(stmt).all())


def visits_by_focus(scope: Scope) -> dict[int, int]:
    stmt = (
        sa.select(visit_focus_areas.c.focus_area_id, sa.func.count())
        .select_from(CompanyVisit)
        .join(visit_focus_areas, visit_focus_areas.c.visit_id == CompanyVisit.id)
        .where(*visits_where(scope))
        .group_by(visit_focus_areas.c.focus_area_id)
    )
    return dict(db.session.execute(stmt).all())


def days_to_close(scope: Scope) -> list[int]:
    """Days from intake to closing of each case closed in the period (sorted)."""
    rows = db.session.execute(
        sa.select(LotsCase.intake_on, LotsCase.closed_at).where(*cases_closed_where(scope))
    )
    return sorted(max(0, (to_local(closed_at).date() - intake_on).days) for intake_on, closed_at in rows)


def median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def percentile(values: list[int], pct: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least pct % of values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return float(ordered[rank - 1])


def survey_nki(scope: Scope) -> tuple[int, float | None]:
    """(answers, NKI 0–100) of the period; NKI None below MIN_ANSWERS answers."""
    mean_expr = sa.func.avg(
        (SurveyResponse.q_overall + SurveyResponse.q_expectations + SurveyResponse.q_ideal) / 3.0
    )
    n, mean = db.session.execute(sa.select(sa.func.count(), mean_expr).where(*survey_where(scope))).one()
    if not n or n < MIN_ANSWERS or mean is None:
        return n or 0, None
    return n, round(rescale(float(mean)), 1)


# =========================================================================== the report


def _records_drill(key: str, scope: Scope, perm: Perm) -> Drill:
    return Drill("reports.records", {"figure": key, **scope.args()}, perm)


def _contact_values(scope: Scope) -> tuple[int, int, dict[str, int], dict[int, int], dict[int, int]]:
    """(contacts, companies reached, by kind, by focus area, companies by focus area).

    Without a user filter from the report facts (app.reports.facts); with one from the rows
    (a user's contacts are few, and the facts have no user × focus area × company rows). Under
    a focus-area filter only that area's row is shown, so the per-area values are that area's."""
    if scope.user_id:
        total, companies = contacts_and_companies(scope)
        by_focus, companies_by_area = focus_counts(scope)
        return total, companies, contacts_by_kind(scope), by_focus, companies_by_area
    period, fa = scope.period, scope.focus_area_id
    by_kind = facts.contacts_by_kind(period, fa)
    total = sum(by_kind.values())
    if fa:
        companies = facts.companies_reached(period, [fa]).get(fa, 0)
        return total, companies, by_kind, {fa: total}, {fa: companies}
    area_ids = list(db.session.scalars(sa.select(FocusArea.id)))
    reached = facts.companies_reached(period, [facts.EVERY, *area_ids])
    return total, reached.pop(facts.EVERY, 0), by_kind, facts.contacts_by_focus(period, area_ids), reached


def _values(scope: Scope, now: datetime) -> dict[str, Any]:
    """Every scalar and grouped figure of one scope, as plain numbers."""
    closed_days = days_to_close(scope)
    answers, nki = survey_nki(scope)
    total, companies, by_kind, by_focus, companies_by_area = _contact_values(scope)
    return {
        "contacts.total": total,
        "contacts.companies": companies,
        "contacts.kind": by_kind,
        "contacts.focus": by_focus,
        "contacts.companies_focus": companies_by_area,
        "visits.done": _count_where(CompanyVisit, visits_where(scope)),
        "visits.ledning": _count_where(CompanyVisit, visits_where(scope, with_ledning=True)),
        "visits.focus": visits_by_focus(scope),
        "cases.new": _count_where(LotsCase, cases_new_where(scope)),
        "cases.closed": len(closed_days),
        "cases.open": _count_where(LotsCase, cases_open_where(scope, now)),
        "cases.days_median": median(closed_days),
        "cases.days_p90": percentile(closed_days, 90),
        "cases.over90": _count_where(LotsCase, cases_long_open_where(scope, now)),
        "cases.large_new": _count_where(LotsCase, cases_large_new_where(scope)),
        "cases.new_focus": _grouped(LotsCase.focus_area_id, LotsCase, cases_new_where(scope)),
        "cases.closed_focus": _grouped(LotsCase.focus_area_id, LotsCase, cases_closed_where(scope)),
        "permits.passed": _count_where(CasePermit, permits_passed_where(scope, now), join=LotsCase),
        "followups.on_time": _count_where(FollowUp, followups_done_where(scope, on_time=True)),
        "followups.late": _count_where(FollowUp, followups_done_where(scope, on_time=False)),
        "followups.overdue": _count_where(FollowUp, followups_overdue_where(scope, now)),
        "referrals.total": _count_where(Referral, referrals_where(scope)),
        "referrals.partner": _grouped(Referral.partner_id, Referral, referrals_where(scope)),
        "survey.answers": answers,
        "survey.nki": nki,
    }


def build_report(
    scope: Scope, *, now: datetime | None = None, per_user: bool = False, notable_limit: int = 20
) -> Report:
    """All figures of `scope` with the same period a year earlier, drill-downs, the per-focus-area
    rows, notable items and (per_user=True, for chef) one row per user.

    About 25 aggregate queries per scope (twice: this year and last), independent of the
    number of records.
    """
    now = now or utcnow()
    prev_scope = scope.year_earlier()
    cur, prev = _values(scope, now), _values(prev_scope, now)
    report = Report(scope=scope, previous_scope=prev_scope, generated_at=now)

    def fig(
        key: str, label: str, perm: Perm | None = Perm.VIEW_CASES, drill: Drill | None = None, **kw: Any
    ) -> Figure:
        if drill is None and perm is not None:
            drill = _records_drill(key, scope, perm)
        return Figure(key, label, cur[key], prev[key], drill, **kw)

    contacts = Figure(
        "contacts.total", "Kontakter", cur["contacts.total"], prev["contacts.total"], _contacts_drill(scope)
    )
    companies = Figure(
        "contacts.companies", "Företag som fått kontakt", cur["contacts.companies"], prev["contacts.companies"],
        _contacts_drill(scope),
    )  # fmt: skip
    report.headline = [
        contacts,
        companies,
        fig("visits.done", "Företagsbesök", Perm.VIEW_VISITS),
        fig("cases.new", "Nya lotsärenden"),
        fig("cases.closed", "Avslutade lotsärenden"),
        fig("followups.overdue", "Försenade uppföljningar vid periodens slut", Perm.VIEW_FOLLOWUPS),
    ]
    report.contacts_by_kind = [contacts] + [
        Figure(
            f"contacts.kind:{kind.value}",
            label,
            cur["contacts.kind"].get(kind.value, 0),
            prev["contacts.kind"].get(kind.value, 0),
            _contacts_drill(scope, kind=kind.value),
        )  # fmt: skip
        for kind, label in KIND_LABELS.items()
    ]
    areas = list(
        db.session.scalars(
            sa.select(FocusArea).order_by(FocusArea.retired_at.is_not(None), FocusArea.position, FocusArea.id)
        )
    )
    shown_areas = [
        a for a in areas
        if a.retired_at is None or cur["contacts.focus"].get(a.id) or prev["contacts.focus"].get(a.id)
    ]  # fmt: skip
    if scope.focus_area_id:
        shown_areas = [a for a in shown_areas if a.id == scope.focus_area_id] or shown_areas
    for area in shown_areas:
        area_scope = replace(scope, focus_area_id=area.id)

        def by(key: str, drill_key: str, perm: Perm, _a: FocusArea = area, _s: Scope = area_scope) -> Figure:
            drill = _contacts_drill(_s) if perm is Perm.VIEW_CONTACTS else _records_drill(drill_key, _s, perm)
            return Figure(f"{key}:{_a.id}", _a.label, cur[key].get(_a.id, 0), prev[key].get(_a.id, 0), drill)

        report.focus_rows.append(
            FocusRow(
                focus_area=area,
                contacts=by("contacts.focus", "", Perm.VIEW_CONTACTS),
                companies=by("contacts.companies_focus", "", Perm.VIEW_CONTACTS),
                cases_new=by("cases.new_focus", "cases.new", Perm.VIEW_CASES),
                cases_closed=by("cases.closed_focus", "cases.closed", Perm.VIEW_CASES),
                visits=by("visits.focus", "visits.done", Perm.VIEW_VISITS),
            )
        )
    report.contacts_by_focus = [row.contacts for row in report.focus_rows]
    report.visits = [
        fig("visits.done", "Genomförda företagsbesök", Perm.VIEW_VISITS),
        fig("visits.ledning", "varav med kommunledningen", Perm.VIEW_VISITS),
    ]
    report.cases = [
        fig("cases.new", "Nya"),
        fig("cases.closed", "Avslutade"),
        fig("cases.open", "Öppna vid periodens slut"),
        fig(
            "cases.days_median",
            "Dagar till avslut, median",
            drill=_records_drill("cases.closed", scope, Perm.VIEW_CASES),
            unit="dagar",
        ),  # fmt: skip
        fig(
            "cases.days_p90",
            "Dagar till avslut, 90:e percentilen",
            drill=_records_drill("cases.closed", scope, Perm.VIEW_CASES),
            unit="dagar",
        ),  # fmt: skip
        fig("cases.over90", f"Öppna längre än {OPEN_CASE_ALERT_DAYS} dagar"),
        fig("cases.large_new", "Nya större etableringar"),
        fig("permits.passed", "Passerade lagstadgade handläggningstider"),
    ]
    report.followups = [
        fig("followups.on_time", "Klara i tid", Perm.VIEW_FOLLOWUPS),
        fig("followups.late", "Klara för sent", Perm.VIEW_FOLLOWUPS),
        fig("followups.overdue", "Öppna och försenade vid periodens slut", Perm.VIEW_FOLLOWUPS),
    ]
    partner_ids = set(cur["referrals.partner"]) | set(prev["referrals.partner"])
    partners = (
        db.session.scalars(sa.select(ReferralPartner).where(ReferralPartner.id.in_(partner_ids)).order_by(
            ReferralPartner.position, ReferralPartner.name)).all() if partner_ids else []
    )  # fmt: skip
    report.referrals = [fig("referrals.total", "Hänvisningar totalt", Perm.VIEW_CONTACTS)] + [
        Figure(
            f"referrals.partner:{p.id}",
            p.name,
            cur["referrals.partner"].get(p.id, 0),
            prev["referrals.partner"].get(p.id, 0),
            _records_drill(f"referrals.partner:{p.id}", scope, Perm.VIEW_CONTACTS),
        )  # fmt: skip
        for p in partners
    ]
    nki_note = "" if cur["survey.nki"] is not None else f"Visas först vid minst {MIN_ANSWERS} svar."
    report.survey = [
        Figure(
            "survey.answers",
            "Enkätsvar",
            cur["survey.answers"],
            prev["survey.answers"],
            _records_drill("survey.answers", scope, Perm.VIEW_CASES),
        ),  # fmt: skip
        Figure(
            "survey.nki",
            "NKI för lotsärenden (0–100)",
            cur["survey.nki"],
            prev["survey.nki"],
            _records_drill("survey.answers", scope, Perm.VIEW_CASES),
            note=nki_note,
        ),  # fmt: skip
    ]
    _add_notable(report, scope, now, notable_limit)
    if per_user:
        report.user_rows = user_rows(scope, prev_scope, now)
    return report


# =========================================================================== notable items


def _add_notable(report: Report, scope: Scope, now: datetime, limit: int) -> None:
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
            sa.select(*case_cols).join(Company, Company.id == LotsCase.company_id)
            .join(CaseType, CaseType.id == LotsCase.case_type_id).where(*conds).order_by(order, LotsCase.id).limit(limit)
        )  # fmt: skip
        return [NotableCase(i, t, c, d, (end_day - d).days, r, ct) for i, t, c, d, r, ct in rows]

    report.large_establishments = cases(cases_large_new_where(scope), LotsCase.intake_on)
    report.long_open_cases = cases(cases_long_open_where(scope, now), LotsCase.intake_on)
    report.long_open_total = report.figure("cases.over90").value or 0
    from app.catalogues.models import PermitType

    permits = db.session.execute(
        sa.select(CasePermit.id, LotsCase.id, LotsCase.title, PermitType.name, CasePermit.expected_decision_on,
                  LotsCase.is_restricted)
        .join(LotsCase, LotsCase.id == CasePermit.case_id).join(PermitType, PermitType.id == CasePermit.permit_type_id)
        .where(*permits_passed_where(scope, now)).order_by(CasePermit.expected_decision_on, CasePermit.id).limit(limit)
    )  # fmt: skip
    report.passed_permits = [NotablePermit(*row) for row in permits]
    overdue = db.session.execute(
        sa.select(FollowUp.id, FollowUp.title, FollowUp.due_on, User.name, FollowUp.interaction_id, FollowUp.case_id)
        .join(User, User.id == FollowUp.assignee_id)
        .where(*followups_overdue_where(scope, now)).order_by(FollowUp.due_on, FollowUp.id).limit(limit)
    )  # fmt: skip
    report.overdue_followups = [NotableFollowUp(*row) for row in overdue]


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
        return not (self.large_establishments or self.long_open_cases or self.passed_permits or self.overdue_followups)


def notable_for(report: Report, actor: Any, *, outside: bool = False) -> Notable:
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
            return restriction.Masked(item, **{k: restriction.neutral_for_mail(v) for k, v in neutral.items()},
                                      company_name="")  # fmt: skip
        return restriction.shown(actor, verdict, item, **{k: restriction.neutral(v) for k, v in neutral.items()})

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


# =========================================================================== per user (chef)

USER_FIGURES = [
    ("contacts", "Kontakter"),
    ("cases_new", "Nya ärenden"),
    ("cases_closed", "Avslutade ärenden"),
    ("followups_on_time", "Uppföljningar i tid"),
    ("followups_late", "Uppföljningar sena"),
    ("followups_overdue", "Försenade vid periodens slut"),
    ("visits", "Besök"),
]


def _user_contacts(scope: Scope) -> dict[int, int]:
    """{user: contacts as author or participant}: from the facts without a focus-area or user
    filter, otherwise from the rows."""
    if not scope.user_id and not scope.focus_area_id:
        return facts.contacts_by_user(scope.period)
    rows = _contact_rows(scope)
    authors = sa.select(rows.c.iid, rows.c.uid)
    parts = (
        sa.select(rows.c.iid, interaction_participants.c.user_id.label("uid"))
        .select_from(rows)
        .join(interaction_participants, interaction_participants.c.interaction_id == rows.c.iid)
    )
    pairs = sa.union(authors, parts).subquery()
    return dict(db.session.execute(sa.select(pairs.c.uid, sa.func.count()).group_by(pairs.c.uid)).all())


def _user_values(scope: Scope, now: datetime) -> dict[str, dict[int, int]]:
    visit_pairs = sa.union(
        sa.select(CompanyVisit.id.label("vid"), CompanyVisit.organizer_id.label("uid")).where(
            *visits_where(scope), CompanyVisit.organizer_id.is_not(None)
        ),
        sa.select(VisitParticipant.visit_id.label("vid"), VisitParticipant.user_id.label("uid"))
        .join(CompanyVisit, CompanyVisit.id == VisitParticipant.visit_id)
        .where(*visits_where(scope)),
    ).subquery()
    return {
        "contacts": _user_contacts(scope),
        "cases_new": _grouped(LotsCase.responsible_user_id, LotsCase, cases_new_where(scope)),
        "cases_closed": _grouped(LotsCase.responsible_user_id, LotsCase, cases_closed_where(scope)),
        "followups_on_time": _grouped(
            FollowUp.assignee_id, FollowUp, followups_done_where(scope, on_time=True)
        ),
        "followups_late": _grouped(
            FollowUp.assignee_id, FollowUp, followups_done_where(scope, on_time=False)
        ),
        "followups_overdue": _grouped(FollowUp.assignee_id, FollowUp, followups_overdue_where(scope, now)),
        "visits": dict(
            db.session.execute(
                sa.select(visit_pairs.c.uid, sa.func.count()).group_by(visit_pairs.c.uid)
            ).all()
        ),
    }


_USER_DRILL: dict[str, Callable[[Scope], Drill]] = {
    "contacts": _contacts_drill,
    "cases_new": lambda s: _records_drill("cases.new", s, Perm.VIEW_CASES),
    "cases_closed": lambda s: _records_drill("cases.closed", s, Perm.VIEW_CASES),
    "followups_on_time": lambda s: _records_drill("followups.on_time", s, Perm.VIEW_FOLLOWUPS),
    "followups_late": lambda s: _records_drill("followups.late", s, Perm.VIEW_FOLLOWUPS),
    "followups_overdue": lambda s: _records_drill("followups.overdue", s, Perm.VIEW_FOLLOWUPS),
    "visits": lambda s: _records_drill("visits.done", s, Perm.VIEW_VISITS),
}


def user_rows(scope: Scope, prev_scope: Scope, now: datetime) -> list[UserRow]:
    """One row per user with any figure in either year, plus every active lots user."""
    cur, prev = _user_values(scope, now), _user_values(prev_scope, now)
    ids = {uid for values in (*cur.values(), *prev.values()) for uid in values if uid is not None}
    users = db.session.scalars(
        sa.select(User).where(sa.or_(User.id.in_(ids), sa.and_(User.is_active.is_(True), User.role == "lots")))
        .order_by(User.name)
    ).all()  # fmt: skip
    rows = []
    for user in users:
        user_scope = replace(scope, user_id=user.id)
        rows.append(
            UserRow(
                user,
                {
                    key: Figure(
                        f"user.{key}:{user.id}",
                        label,
                        cur[key].get(user.id, 0),
                        prev[key].get(user.id, 0),
                        _USER_DRILL[key](user_scope),
                    )  # fmt: skip
                    for key, label in USER_FIGURES
                },
            )
        )
    return rows


# =========================================================================== exports


def export_rows(report: Report) -> list[list[Any]]:
    """Flat rows for CSV/XLSX: section, figure, value, a year earlier, change."""
    rows: list[list[Any]] = []
    for section, figures in report.sections():
        for f in figures:
            rows.append([section, f.label, f.value, f.previous, f.change])
    for row in report.focus_rows:
        name = row.focus_area.name
        for label, f in (("Kontakter", row.contacts), ("Företag", row.companies), ("Nya ärenden", row.cases_new),
                         ("Avslutade ärenden", row.cases_closed), ("Företagsbesök", row.visits)):  # fmt: skip
            rows.append([f"Fokusområde: {name}", label, f.value, f.previous, f.change])
    for urow in report.user_rows:
        for f in urow.figures.values():
            rows.append([f"Användare: {urow.user.name}", f.label, f.value, f.previous, f.change])
    return rows


EXPORT_HEADERS = ["Avsnitt", "Nyckeltal", "Värde", "Samma period året innan", "Förändring"]
