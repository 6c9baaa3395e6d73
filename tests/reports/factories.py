"""Builders for report test data: records made directly from the models with exact timestamps
(the figures are about time edges, so nothing here goes through "now"). Flush, never commit."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from app.cases.models import CasePermit, CaseType, LotsCase, SurveyResponse
from app.catalogues.models import PermitType, ReferralPartner
from app.extensions import db
from app.followups.models import FollowUp
from app.interactions.models import Interaction, InteractionKind, Referral
from app.visits.models import CompanyVisit, VisitParticipant
from tests.companies.factories import make_company  # noqa: F401 - re-exported for the tests

_seq = itertools.count(1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def case_type(code: str = "etablering-expansion") -> CaseType:
    return db.session.scalar(sa.select(CaseType).where(CaseType.code == code))


def contact(company, author, at: datetime, focus, *, kind: InteractionKind = InteractionKind.PHONE,
            extra_focus=(), participants=(), **kw: Any) -> Interaction:  # fmt: skip
    i = Interaction(
        kind=kind, occurred_at=at, company_id=company.id, focus_area_id=focus.id, author_id=author.id,
        subject=kw.pop("subject", "Samtal"), notes=kw.pop("notes", "Anteckning"), **kw,
    )  # fmt: skip
    i.other_focus_areas = list(extra_focus)
    i.participants = list(participants)
    db.session.add(i)
    db.session.flush()
    return i


def case(company, responsible, intake_on: date, focus, *, closed_at: datetime | None = None,
         code: str = "etablering-expansion", **kw: Any) -> LotsCase:  # fmt: skip
    c = LotsCase(
        company_id=company.id, title=kw.pop("title", f"Ärende {next(_seq)}"), case_type_id=case_type(code).id,
        focus_area_id=focus.id, responsible_user_id=responsible.id, intake_on=intake_on,
        status="avslutat" if closed_at else kw.pop("status", "pagaende"),
        outcome="solved" if closed_at else None, closed_at=closed_at, **kw,
    )  # fmt: skip
    db.session.add(c)
    db.session.flush()
    return c


def permit(case_: LotsCase, expected: date, decided: date | None = None) -> CasePermit:
    ptype = db.session.scalar(sa.select(PermitType).order_by(PermitType.id))
    p = CasePermit(case_id=case_.id, permit_type_id=ptype.id, expected_decision_on=expected, decision_on=decided,
                   submitted_on=expected - timedelta(days=60))  # fmt: skip
    db.session.add(p)
    db.session.flush()
    return p


def followup(assignee, due_on: date, *, created_at: datetime, done_on: date | None = None,
             closed_at: datetime | None = None, status: str | None = None, **kw: Any) -> FollowUp:  # fmt: skip
    f = FollowUp(
        title=kw.pop("title", f"Uppföljning {next(_seq)}"), due_on=due_on, assignee_id=assignee.id,
        status=status or ("done" if done_on else "open"), done_on=done_on,
        closed_at=closed_at or (datetime.combine(done_on, datetime.min.time(), UTC) + timedelta(hours=10) if done_on else None),
        created_at=created_at, **kw,
    )  # fmt: skip
    db.session.add(f)
    db.session.flush()
    return f


def visit(company, starts_at: datetime, focus, *, status: str = "genomfort", ledning=(), office=()) -> CompanyVisit:
    v = CompanyVisit(company_id=company.id, status=status, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1),
                     uid=f"{uuid.uuid4()}@test")  # fmt: skip
    v.focus_areas = [focus]
    db.session.add(v)
    db.session.flush()
    for user in ledning:
        db.session.add(VisitParticipant(visit_id=v.id, user_id=user.id, side="ledning"))
    for user in office:
        db.session.add(VisitParticipant(visit_id=v.id, user_id=user.id, side="kontor"))
    db.session.flush()
    return v


def partner(name_start: str) -> ReferralPartner:
    return db.session.scalar(sa.select(ReferralPartner).where(ReferralPartner.name.like(f"{name_start}%")))


def referral(company, partner_: ReferralPartner, on: date, *, interaction=None, case_=None, by=None) -> Referral:
    r = Referral(company_id=company.id, partner_id=partner_.id, referred_on=on, reason="Finansiering",
                 interaction_id=interaction.id if interaction else None, case_id=case_.id if case_ else None,
                 created_by_id=by.id if by else None)  # fmt: skip
    db.session.add(r)
    db.session.flush()
    return r


def answer(case_: LotsCase, at: datetime, score: int) -> SurveyResponse:
    r = SurveyResponse(case_id=case_.id, case_type_id=case_.case_type_id, answered_at=at,
                       q_overall=score, q_expectations=score, q_ideal=score)  # fmt: skip
    db.session.add(r)
    db.session.flush()
    return r
