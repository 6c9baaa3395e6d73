"""Interactions ("kontakter", app.interactions) and referrals. make_interaction goes through the
service (so last_contact_at and the audit trail behave as in the app); the *_row builders insert
rows with exact timestamps for the report figures. Flush, never commit."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from app.catalogues.models import ReferralPartner
from app.core.time import utcnow
from app.extensions import db
from app.interactions import services
from app.interactions.models import Interaction, InteractionKind, Referral
from tests.builders.catalogues import permit_type
from tests.builders.strategy import focus_areas


def interaction_input(company, **overrides: Any) -> services.ContactInput:
    values: dict[str, Any] = {
        "kind": InteractionKind.PHONE.value,
        "occurred_at": utcnow() - timedelta(hours=1),
        "company_id": company.id,
        "focus_area_id": focus_areas()[0].id,
        "subject": "Frågor om lokal",
        "notes": "Ringde om lediga lokaler i centrum.",
    }
    if overrides.get("kind") == InteractionKind.PERMIT_GUIDANCE.value and "permit_guidance" not in overrides:
        values["permit_guidance"] = (
            services.PermitGuidanceInput(permit_type("bygglov").id, "Skicka ansökan", ""),
        )
    values.update(overrides)
    return services.ContactInput(**values)


def make_interaction(company, actor, *, at: datetime | None = None, token: str = "", follow_up=None,
                     **overrides: Any) -> Interaction:  # fmt: skip
    """An interaction logged through the service, an hour ago unless `at` says when."""
    if at is not None:
        overrides["occurred_at"] = at
    return services.log_contact(
        interaction_input(company, **overrides), actor=actor, form_token=token, follow_up=follow_up
    )


def make_interaction_row(company, author, at: datetime, focus, *, kind: InteractionKind = InteractionKind.PHONE,
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


def make_referral_row(
    company, partner_: ReferralPartner, on: date, *, interaction=None, case_=None, by=None
) -> Referral:
    r = Referral(company_id=company.id, partner_id=partner_.id, referred_on=on, reason="Finansiering",
                 interaction_id=interaction.id if interaction else None, case_id=case_.id if case_ else None,
                 created_by_id=by.id if by else None)  # fmt: skip
    db.session.add(r)
    db.session.flush()
    return r
