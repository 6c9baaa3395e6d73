"""Builders for lots-case tests: case types from the migration's seed, cases, permits and
meetings through the services (flush, never commit)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from app.cases import meetings, permits, services
from app.cases.models import CaseType, LotsCase
from app.catalogues.queries import get_permit_type_by_code
from app.extensions import db
from tests.companies.factories import make_company, make_contact
from tests.factories import focus_areas

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def case_type(code: str = "tillstandsvagledning") -> CaseType:
    found = db.session.scalar(sa.select(CaseType).where(CaseType.code == code))
    assert found is not None, code
    return found


def permit_type(code: str):
    found = get_permit_type_by_code(code)
    assert found is not None, code
    return found


def case_input(company, **overrides: Any) -> services.CaseInput:
    values: dict[str, Any] = {
        "company_id": company.id,
        "title": "Café i gamla posthuset",
        "case_type_id": case_type().id,
        "focus_area_id": focus_areas()[3].id,
        "description": "Vill öppna café med uteservering.",
        "intake_channel": "telefon",
    }
    values.update(overrides)
    return services.CaseInput(**values)


def make_case(actor, *, company=None, contact=None, now: datetime = NOW, **overrides: Any) -> LotsCase:
    company = company or make_company()
    if contact is None and "contact_person_id" not in overrides:
        contact = make_contact(company, email="anna@kafe.example")
    if contact is not None:
        overrides.setdefault("contact_person_id", contact.id)
    return services.create_case(case_input(company, **overrides), actor=actor, now=now)


def close(case, actor, *, outcome: str = "solved", now: datetime = NOW, **kw: Any) -> LotsCase:
    if case.status == "inkommet":
        services.change_status(case, services.StatusChange("pagaende"), actor=actor, now=now)
    return services.change_status(case, services.StatusChange("avslutat", outcome=outcome, **kw), actor=actor, now=now)


def add_permit(case, actor, code: str = "bygglov", *, now: datetime = NOW, **overrides: Any):
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
