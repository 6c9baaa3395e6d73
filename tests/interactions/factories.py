"""Builders for contact-log test data. They go through the services (so last_contact_at and
the audit trail behave as in the app), flush and never commit."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from app.catalogues.queries import get_permit_type_by_code, list_partners
from app.core.time import utcnow
from app.interactions import services
from app.interactions.models import Interaction, InteractionKind
from tests.factories import focus_areas


def contact_input(company, **overrides: Any) -> services.ContactInput:
    values: dict[str, Any] = {
        "kind": InteractionKind.PHONE.value,
        "occurred_at": utcnow() - timedelta(hours=1),
        "company_id": company.id,
        "focus_area_id": focus_areas()[0].id,
        "subject": "Frågor om lokal",
        "notes": "Ringde om lediga lokaler i centrum.",
    }
    if overrides.get("kind") == InteractionKind.PERMIT_GUIDANCE.value and "permit_guidance" not in overrides:
        values["permit_guidance"] = (services.PermitGuidanceInput(permit_type("bygglov").id, "Skicka ansökan", ""),)
    values.update(overrides)
    return services.ContactInput(**values)


def log(company, actor, *, at: datetime | None = None, token: str = "", follow_up=None, **overrides: Any) -> Interaction:
    if at is not None:
        overrides["occurred_at"] = at
    return services.log_contact(
        contact_input(company, **overrides), actor=actor, form_token=token, follow_up=follow_up
    )


def permit_type(code: str):
    permit = get_permit_type_by_code(code)
    assert permit is not None, code
    return permit


def partner(name_start: str = "Almi"):
    return next(p for p in list_partners() if p.name.startswith(name_start))
