"""Builders for company-visit test data. They go through the services where it matters (so
invitations, contacts and follow-ups behave as in the app), flush and never commit."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from app.core.time import utcnow
from app.extensions import db
from app.visits import services
from app.visits.models import PLANNED, CompanyVisit
from tests.factories import focus_areas


def visit_input(company, *, ledning=(), office=(), starts_at: datetime | None = None, **overrides: Any) -> services.VisitInput:
    starts_at = starts_at or (utcnow() + timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
    values: dict[str, Any] = {
        "company_id": company.id,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=1, minutes=30),
        "status": PLANNED,
        "place": "",
        "ledning_ids": tuple(u.id for u in ledning),
        "office_ids": tuple(u.id for u in office),
        "purpose": "Höra hur det går med utbyggnaden",
        "focus_area_ids": (focus_areas()[0].id, focus_areas()[3].id),
    }
    values.update(overrides)
    return services.VisitInput(**values)


def plan(company, actor, *, ledning=(), office=(), now: datetime | None = None, **overrides: Any) -> CompanyVisit:
    visit = services.create_visit(
        visit_input(company, ledning=ledning, office=office, **overrides), actor=actor, now=now
    )
    return services.load_visit(visit.id)


def promise(text: str, owner, due_on: date) -> services.PromiseInput:
    return services.PromiseInput(text=text, owner_id=owner.id, due_on=due_on)


def record(visit: CompanyVisit, actor, *, promises=(), now: datetime | None = None, **overrides: Any) -> CompanyVisit:
    values: dict[str, Any] = {
        "focus_area_id": focus_areas()[0].id,
        "notes": "Bra samtal om kompetensförsörjning.",
        "promises": tuple(promises),
    }
    values.update(overrides)
    return services.record_visit(visit, services.RecordInput(**values), actor=actor, now=now)


def case_type_id() -> int:
    from app.cases.models import CaseType

    return db.session.scalar(sa.select(CaseType.id).order_by(CaseType.position, CaseType.id).limit(1))


def open_case(company, actor, *, title: str = "Bygglov för ny lagerhall", restricted: bool = False, **overrides: Any):
    from app.cases import services as cases

    data = cases.CaseInput(
        company_id=company.id,
        title=title,
        case_type_id=case_type_id(),
        focus_area_id=focus_areas()[3].id,
        is_restricted=restricted,
        **overrides,
    )
    return cases.create_case(data, actor=actor)
