"""Demo follow-ups so the "Att göra" panel, the nav badge and the digest have something to show:
for each demo företagslots some overdue, some today, some later this week, and a few done.
Loaded after companies; a second run adds nothing."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.auth.models import User
from app.companies.models import Company
from app.core.time import local_today
from app.extensions import db
from app.followups import services
from app.followups.models import FollowUp

DEMO_TASKS = [
    (-6, "Skicka information om lediga lokaler i Kupolen"),
    (-2, "Återkom om bygglovets kompletteringar"),
    (0, "Ring om rekryteringsträffen med Arbetsförmedlingen"),
    (0, "Boka lotsmöte med miljö och bygg"),
    (2, "Följ upp intresse för praktikplatser"),
    (4, "Stäm av etableringens tidplan"),
    (12, "Bjud in till företagsfrukost"),
]


def load_demo_followups() -> int:
    """Create the demo follow-ups through the service (so next_followup_on stays right)."""
    if db.session.scalar(sa.select(FollowUp.id).where(FollowUp.title == DEMO_TASKS[0][1]).limit(1)):
        return 0
    lots = list(
        db.session.scalars(
            sa.select(User).where(User.role == "lots", User.email.like("%@lotsbok.example")).order_by(User.id)
        )
    )
    companies = list(
        db.session.scalars(
            sa.select(Company).where(Company.deleted_at.is_(None)).order_by(Company.id).limit(20)
        )
    )
    if not lots or not companies:
        return 0
    today = local_today()
    created = 0
    for n, user in enumerate(lots):
        for k, (offset, title) in enumerate(DEMO_TASKS):
            company = companies[(n * len(DEMO_TASKS) + k) % len(companies)]
            followup = services.create_followup(
                services.FollowUpInput(
                    title=title, due_on=today + timedelta(days=offset), company_id=company.id
                ),
                actor=user,
            )
            created += 1
            if k == len(DEMO_TASKS) - 1 and n == 0:
                services.complete_followup(followup, actor=user, note="Inbjudan skickad.")
    return created
