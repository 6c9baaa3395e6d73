"""The visit brief (besöksunderlag): everything kommunledning should know before a company
visit, generated from the data and printable on at most two A4 pages.

`build_brief` runs a fixed number of queries whatever the company has (no N+1): the company,
contact persons, contacts per focus area, the last visits and their promises, open lots cases
and their permit rows, open follow-ups, referrals, focus areas and the question bank.

What the reader may not read is left out of *their* brief, not blacked out (the one rule,
app.core.restriction: restricted.view, or the record's owner or participants):

* restricted contacts count only for readers who may read them;
* restricted lots cases are listed only for readers who may read them;
* follow-ups (promises too) and referrals inherit the restriction of their contact and case.

What a brief does show of a restricted record is an audited read (once per request).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.companies.models import SIZE_CLASSES, Company, ContactPerson
from app.companies.queries import get_company_or_404
from app.companies.services import orgnr_display
from app.companies.sni import sni_label
from app.core import restriction
from app.core.time import local_midnight_utc, local_today, utcnow
from app.extensions import db
from app.followups.models import OPEN as FOLLOWUP_OPEN
from app.followups.models import FollowUp
from app.followups.queries import shown_followups
from app.followups.services import add_months
from app.strategy.models import FocusArea
from app.visits.brief_parts import (
    GUIDANCE_MONTHS,
    ContactLine,
    GuidanceLine,
    countdown,
    last_contacts,
    next_steps,
    permit_guidance,
)
from app.visits.models import DONE, CompanyVisit, VisitParticipant, VisitQuestion
from app.visits.promises import Promise, promises_by_visit

CONTACT_MONTHS = 24
LAST_VISITS = 3
MAX_CONTACT_PERSONS = 8
MAX_CASES = 8
MAX_FOLLOWUPS = 8
MAX_REFERRALS = 6
QUESTIONS_PER_AREA = 3


@dataclass(frozen=True)
class PermitLine:
    name: str
    authority: str
    submitted_on: date | None
    expected_decision_on: date | None
    decision_on: date | None
    outcome_label: str
    state: str  # "", or an app.cases.deadlines.DeadlineState value ("ok", "near", "passed")
    state_label: str
    clock_text: str
    countdown: str = ""  # "X dagar kvar av Y" / "passerad" (brief_parts.countdown); "" when decided


@dataclass(frozen=True)
class CaseLine:
    id: int
    title: str
    type_name: str
    status_label: str
    intake_on: date
    responsible: str
    permits: list[PermitLine]
    next_step: FollowUp | None = None  # the earliest open action (brief_parts.next_steps)

    @property
    def open_permits(self) -> list[PermitLine]:
        return [p for p in self.permits if p.decision_on is None]


@dataclass(frozen=True)
class PastVisit:
    visit: CompanyVisit
    promises: list[Promise]


@dataclass
class Brief:
    company: Company
    visit: CompanyVisit | None
    today: date
    orgnr: str
    industry: str
    size: str
    address: str
    contact_persons: list[ContactPerson]
    contacts_since: date
    contacts_per_area: list[tuple[FocusArea, int]]
    contacts_total: int
    past_visits: list[PastVisit]
    cases: list[CaseLine]
    followups: list[FollowUp]
    referrals: list = field(default_factory=list)
    questions: list[tuple[str, list[VisitQuestion]]] = field(default_factory=list)
    last_contacts: list[ContactLine] = field(default_factory=list)
    guidance: list[GuidanceLine] = field(default_factory=list)
    open_promises: list[tuple[PastVisit, Promise]] = field(default_factory=list)

    @property
    def open_permits(self) -> list[tuple[CaseLine, PermitLine]]:
        return [(c, p) for c in self.cases for p in c.open_permits]

    @property
    def key_messages(self) -> list[str]:
        """The visit's "Budskap och frågor", one point per line."""
        text = self.visit.key_messages if self.visit else ""
        return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]

    @property
    def host(self) -> str:
        return self.visit.host_display if self.visit else ""

    @property
    def host_phone(self) -> str:
        host = self.visit.host if self.visit else None
        return (host.phone or "") if host is not None else ""

    @property
    def host_email(self) -> str:
        host = self.visit.host if self.visit else None
        return (host.email or "") if host is not None else ""


def _restricted_contact_filter(actor: User):
    """SQL: the contacts whose content `actor` may read (app.core.restriction)."""
    return restriction.readable_clause(actor, "interaction")


def _visible_case_filter(actor: User):
    """SQL: the lots cases `actor` may see in a brief (app.core.restriction)."""
    return restriction.readable_clause(actor, "case")


def _contacts_per_area(company_id: int, actor: User, since: datetime) -> tuple[dict[int, int], int]:
    from app.interactions.models import Interaction, interaction_focus_areas

    base = sa.and_(
        Interaction.company_id == company_id,
        Interaction.occurred_at >= since,
        Interaction.deleted_at.is_(None),
        _restricted_contact_filter(actor),
    )
    counts: dict[int, int] = {}
    total = 0
    for area_id, n in db.session.execute(
        sa.select(Interaction.focus_area_id, sa.func.count()).where(base).group_by(Interaction.focus_area_id)
    ):
        counts[area_id] = counts.get(area_id, 0) + n
        total += n
    # A contact also counts for its other focus areas (once per area).
    for area_id, n in db.session.execute(
        sa.select(interaction_focus_areas.c.focus_area_id, sa.func.count())
        .join(Interaction, Interaction.id == interaction_focus_areas.c.interaction_id)
        .where(base, interaction_focus_areas.c.focus_area_id != Interaction.focus_area_id)
        .group_by(interaction_focus_areas.c.focus_area_id)
    ):
        counts[area_id] = counts.get(area_id, 0) + n
    return counts, total


def _cases(company_id: int, actor: User, today: date) -> list[CaseLine]:
    from app.cases.deadlines import STATE_LABELS, deadline_state, permit_clock
    from app.cases.models import CasePermit, LotsCase
    from app.cases.statutory import StatutoryTime
    from app.cases.workflow import OPEN_STATUSES

    cases = db.session.scalars(
        sa.select(LotsCase)
        .where(
            LotsCase.company_id == company_id,
            LotsCase.status.in_(sorted(OPEN_STATUSES)),
            _visible_case_filter(actor),
        )
        .options(joinedload(LotsCase.case_type), joinedload(LotsCase.responsible))
        .order_by(LotsCase.intake_on, LotsCase.id)
        .limit(MAX_CASES)
    ).all()
    # Only cases the reader may read are here; a restricted one shown is an audited read.
    verdicts = restriction.judge(actor, cases, case=lambda c: c.id)
    cases = [restriction.shown(actor, v, c) for v, c in zip(verdicts, cases, strict=True)]
    permits: dict[int, list[PermitLine]] = {c.id: [] for c in cases}
    by_id = {c.id: c for c in cases}
    if cases:
        for p in db.session.scalars(
            sa.select(CasePermit)
            .where(CasePermit.case_id.in_(list(permits)))
            .options(joinedload(CasePermit.permit_type))
            .order_by(CasePermit.id)
        ):
            state = state_label = left = ""
            if p.decision_on is not None:
                clock = (
                    _(
                        "Beslut %(date)s (%(outcome)s)",
                        date=p.decision_on.isoformat(),
                        outcome=str(p.outcome_label).lower(),
                    )
                    if p.outcome
                    else _("Beslut %(date)s", date=p.decision_on.isoformat())
                )
            elif p.expected_decision_on is not None:
                deadline = deadline_state(p.expected_decision_on, today)
                state, state_label = deadline.value, STATE_LABELS[deadline]
                clock = _("Beslut väntas senast %(date)s", date=p.expected_decision_on.isoformat())
                started = permit_clock(
                    StatutoryTime.from_permit_type(p.permit_type),
                    submitted_on=p.submitted_on,
                    complete_on=p.complete_on,
                    extended=p.extended,
                    decision_on=None,
                    today=today,
                    completion_requested_on=p.completion_requested_on,
                    own_initiative_on=p.own_initiative_dates,
                    request_date_unknown=p.request_date_unknown,
                    permit_type_code=p.permit_type.code,
                    law=p.permit_type.law,
                    event_date=by_id[p.case_id].event_date,
                    lead_time_weeks=p.permit_type.lead_time_weeks,
                ).start
                left = countdown(p.expected_decision_on, started.on if started else None, today)
            elif p.submitted_on is not None and p.permit_type.statutory_time_value is not None:
                clock = _(
                    "Inlämnad %(date)s, tiden räknas från komplett ansökan", date=p.submitted_on.isoformat()
                )
            elif p.submitted_on is not None:
                clock = _("Inlämnad %(date)s, ingen lagstadgad tid", date=p.submitted_on.isoformat())
            else:
                clock = _("Inte inlämnad än")
            permits[p.case_id].append(
                PermitLine(
                    name=p.permit_type.name,
                    authority=p.authority,
                    submitted_on=p.submitted_on,
                    expected_decision_on=p.expected_decision_on,
                    decision_on=p.decision_on,
                    outcome_label=p.outcome_label,
                    state=state,
                    state_label=state_label,
                    clock_text=clock,
                    countdown=left,
                )
            )
    steps = next_steps([c.id for c in cases], actor)
    return [
        CaseLine(
            id=c.id,
            title=c.title,
            type_name=c.case_type.name,
            status_label=c.status_label,
            intake_on=c.intake_on,
            responsible=c.responsible.name,
            permits=permits[c.id],
            next_step=steps.get(c.id),
        )
        for c in cases
    ]


def build_brief(
    company_id: int, *, actor: User, visit: CompanyVisit | None = None, now: datetime | None = None
) -> Brief:
    """Collect the brief of a company (for `visit` if given) as `actor` may see it.

    Read-only; a fixed number of queries. Raises NotFound for an unknown company.
    """
    from app.interactions.models import Referral
    from app.interactions.queries import shown_referrals

    now = now or utcnow()
    today = local_today(now)
    company = get_company_or_404(company_id)
    since_day = add_months(today, -CONTACT_MONTHS)

    persons = list(
        db.session.scalars(
            sa.select(ContactPerson)
            .where(ContactPerson.company_id == company.id, ContactPerson.is_active.is_(True))
            .order_by(ContactPerson.name_norm, ContactPerson.id)
            .limit(MAX_CONTACT_PERSONS)
        )
    )

    counts, total = _contacts_per_area(company.id, actor, local_midnight_utc(since_day))
    areas = db.session.scalars(
        sa.select(FocusArea).order_by(FocusArea.retired_at.is_not(None), FocusArea.position, FocusArea.id)
    ).all()
    per_area = [(a, counts.get(a.id, 0)) for a in areas if a.retired_at is None or counts.get(a.id)]

    past = db.session.scalars(
        sa.select(CompanyVisit)
        .where(CompanyVisit.company_id == company.id, CompanyVisit.status == DONE)
        .options(selectinload(CompanyVisit.participants).selectinload(VisitParticipant.user))
        .order_by(CompanyVisit.starts_at.desc())
        .limit(LAST_VISITS)
    ).all()
    promises = promises_by_visit([v.id for v in past], reader=actor)
    past_visits = [
        PastVisit(
            v,
            # A promise the reader may not read (its contact is restricted) is left out.
            [p for p in promises.get(v.id, []) if not getattr(p.followup, "masked", False)],
        )
        for v in past
    ]

    followup_stmt = (
        sa.select(FollowUp)
        .where(
            FollowUp.company_id == company.id,
            FollowUp.status == FOLLOWUP_OPEN,
            FollowUp.source != "visit",  # promises are listed with their visits
        )
        .options(joinedload(FollowUp.assignee))
        .order_by(FollowUp.due_on, FollowUp.id)
        .limit(MAX_FOLLOWUPS)
    )
    followup_stmt = followup_stmt.where(
        restriction.inherited_clause(actor, interaction=FollowUp.interaction_id, case=FollowUp.case_id)
    )
    followups = shown_followups(actor, list(db.session.scalars(followup_stmt)))

    referral_stmt = (
        sa.select(Referral)
        .where(Referral.company_id == company.id)
        .options(joinedload(Referral.partner))
        .order_by(Referral.referred_on.desc(), Referral.id.desc())
        .limit(MAX_REFERRALS)
    )
    referral_stmt = referral_stmt.where(
        restriction.inherited_clause(actor, interaction=Referral.interaction_id, case=Referral.case_id)
    )
    referrals = shown_referrals(actor, list(db.session.scalars(referral_stmt)))

    # Questions: general ones, then those of the visit's focus areas (all active areas for a
    # company without a planned visit), at most a few per area so the brief stays short.
    wanted_areas = [a for a in (visit.focus_areas if visit else []) if a.retired_at is None]
    if not wanted_areas:
        wanted_areas = [a for a in areas if a.retired_at is None]
    wanted_ids = [a.id for a in wanted_areas]
    rows = db.session.scalars(
        sa.select(VisitQuestion)
        .where(
            VisitQuestion.is_active.is_(True),
            sa.or_(VisitQuestion.focus_area_id.is_(None), VisitQuestion.focus_area_id.in_(wanted_ids)),
        )
        .order_by(VisitQuestion.position, VisitQuestion.id)
        .limit(200)
    ).all()
    questions: list[tuple[str, list[VisitQuestion]]] = []
    for area in wanted_areas:
        mine = [q for q in rows if q.focus_area_id == area.id][:QUESTIONS_PER_AREA]
        if mine:
            questions.append((area.label, mine))
    general = [q for q in rows if q.focus_area_id is None][:QUESTIONS_PER_AREA]
    if general:
        questions.append((_("Alltid"), general))

    # Our promises still open: those of the past visits not kept and not done (brief_parts).
    open_promises = [(pv, p) for pv in past_visits for p in pv.promises if p.followup.status == FOLLOWUP_OPEN]
    cases = _cases(company.id, actor, today)
    shown_steps = {c.next_step.id for c in cases if c.next_step is not None}

    address = ", ".join(
        x for x in (company.visiting_address, " ".join(y for y in (company.postcode, company.city) if y)) if x
    )
    return Brief(
        company=company,
        visit=visit,
        today=today,
        orgnr=orgnr_display(company),
        industry=sni_label(company.sni_version, company.sni_code)
        if company.sni_code and company.sni_version
        else "",
        size=SIZE_CLASSES.get(company.size_class, ""),
        address=address,
        contact_persons=persons,
        contacts_since=since_day,
        contacts_per_area=per_area,
        contacts_total=total,
        past_visits=past_visits,
        cases=cases,
        followups=[f for f in followups if f.id not in shown_steps],
        referrals=referrals,
        questions=questions,
        last_contacts=last_contacts(company.id, actor),
        guidance=permit_guidance(company.id, actor, local_midnight_utc(add_months(today, -GUIDANCE_MONTHS))),
        open_promises=open_promises,
    )
