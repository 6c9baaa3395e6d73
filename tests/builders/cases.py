"""Lots cases (app.cases): case types from the migration's seed; cases, permits and meetings
through the services; rows with exact timestamps for the report figures. Flush, never commit."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from app.cases import meetings, permits, services
from app.cases.models import CasePermit, CaseType, LotsCase, SurveyResponse
from app.catalogues.models import PermitType
from app.extensions import db
from tests.builders.catalogues import permit_type
from tests.builders.companies import make_company, make_contact_person
from tests.builders.strategy import focus_areas

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
_seq = itertools.count(1)


def case_type(code: str = "tillstandsvagledning") -> CaseType:
    found = db.session.scalar(sa.select(CaseType).where(CaseType.code == code))
    assert found is not None, code
    return found


def case_input(company, **overrides: Any) -> services.CaseInput:
    values: dict[str, Any] = {
        "company_id": company.id,
        "title": "Café i gamla posthuset",
        "case_type_id": case_type().id,
        "focus_area_id": focus_areas()[3].id,
        "description": "Vill öppna café med uteservering.",
        "intake_channel": "phone",
    }
    values.update(overrides)
    return services.CaseInput(**values)


def make_case(actor, *, company=None, contact=None, now: datetime | None = NOW, **overrides: Any) -> LotsCase:
    """A case through the service. Unless `contact` or `contact_person_id` is given, a new
    contact person (Anna Öberg) of the company is the case's contact person."""
    company = company or make_company()
    if contact is None and "contact_person_id" not in overrides:
        contact = make_contact_person(company, email="anna@kafe.example")
    if contact is not None:
        overrides.setdefault("contact_person_id", contact.id)
    return services.create_case(case_input(company, **overrides), actor=actor, now=now)


def close_case(case, actor, *, outcome: str = "solved", now: datetime = NOW, **kw: Any) -> LotsCase:
    if case.status == "received":
        services.change_status(case, services.StatusChange("in_progress"), actor=actor, now=now)
    return services.change_status(
        case, services.StatusChange("closed", outcome=outcome, **kw), actor=actor, now=now
    )


def make_permit(case, actor, code: str = "bygglov", *, now: datetime = NOW, **overrides: Any):
    data = permits.PermitInput(permit_type_id=permit_type(code).id, **overrides)
    return permits.add_permit(case, data, actor=actor, now=now)


def meeting_input(**overrides: Any) -> meetings.MeetingInput:
    from app.core.time import local_datetime

    values: dict[str, Any] = {
        "starts_at": local_datetime(date(2026, 3, 10), datetime.min.time().replace(hour=9)),
        "ends_at": local_datetime(date(2026, 3, 10), datetime.min.time().replace(hour=10, minute=30)),
        "place": "Stadshuset, rum Dalälven",
    }
    values.update(overrides)
    return meetings.MeetingInput(**values)


def make_case_row(company, responsible, intake_on: date, focus, *, closed_at: datetime | None = None,
                  code: str = "etablering-expansion", **kw: Any) -> LotsCase:  # fmt: skip
    c = LotsCase(
        company_id=company.id, title=kw.pop("title", f"Ärende {next(_seq)}"), case_type_id=case_type(code).id,
        focus_area_id=focus.id, responsible_user_id=responsible.id, intake_on=intake_on,
        status="closed" if closed_at else kw.pop("status", "in_progress"),
        outcome="solved" if closed_at else None, closed_at=closed_at, **kw,
    )  # fmt: skip
    db.session.add(c)
    db.session.flush()
    return c


def make_permit_row(case_: LotsCase, expected: date, decided: date | None = None) -> CasePermit:
    ptype = db.session.scalar(sa.select(PermitType).order_by(PermitType.id))
    p = CasePermit(case_id=case_.id, permit_type_id=ptype.id, expected_decision_on=expected, decision_on=decided,
                   submitted_on=expected - timedelta(days=60))  # fmt: skip
    db.session.add(p)
    db.session.flush()
    return p


def make_survey_response(case_: LotsCase, at: datetime, score: int) -> SurveyResponse:
    r = SurveyResponse(case_id=case_.id, case_type_id=case_.case_type_id, answered_at=at,
                       q_overall=score, q_expectations=score, q_ideal=score)  # fmt: skip
    db.session.add(r)
    db.session.flush()
    return r
