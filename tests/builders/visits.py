"""Company visits (app.visits). make_visit and record_visit go through the services (so
invitations, contacts and follow-ups behave as in the app); make_visit_row inserts a visit with
exact times for the report figures. Flush, never commit."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from app.core.time import utcnow
from app.extensions import db
from app.visits import services
from app.visits.models import DONE, LEDNING, OFFICE, PLANNED, CompanyVisit, VisitParticipant
from tests.builders.strategy import focus_areas


def visit_input(
    company, *, ledning=(), office=(), starts_at: datetime | None = None, **overrides: Any
) -> services.VisitInput:
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


def make_visit(
    company, actor, *, ledning=(), office=(), now: datetime | None = None, **overrides: Any
) -> CompanyVisit:
    """A planned visit through the service, a week ahead unless `starts_at` says when."""
    visit = services.create_visit(
        visit_input(company, ledning=ledning, office=office, **overrides), actor=actor, now=now
    )
    return services.load_visit(visit.id)


def promise_input(text: str, owner, due_on: date) -> services.PromiseInput:
    return services.PromiseInput(text=text, owner_id=owner.id, due_on=due_on)


def record_visit(
    visit: CompanyVisit, actor, *, promises=(), now: datetime | None = None, **overrides: Any
) -> CompanyVisit:
    """Records a held visit ("genomfört") through the service."""
    values: dict[str, Any] = {
        "focus_area_id": focus_areas()[0].id,
        "notes": "Bra samtal om kompetensförsörjning.",
        "promises": tuple(promises),
    }
    values.update(overrides)
    return services.record_visit(visit, services.RecordInput(**values), actor=actor, now=now)


def make_visit_row(
    company, starts_at: datetime, focus, *, status: str = DONE, ledning=(), office=()
) -> CompanyVisit:
    v = CompanyVisit(company_id=company.id, status=status, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1),
                     uid=f"{uuid.uuid4()}@test")  # fmt: skip
    v.focus_areas = [focus]
    db.session.add(v)
    db.session.flush()
    for user in ledning:
        db.session.add(VisitParticipant(visit_id=v.id, user_id=user.id, side=LEDNING))
    for user in office:
        db.session.add(VisitParticipant(visit_id=v.id, user_id=user.id, side=OFFICE))
    db.session.flush()
    return v
