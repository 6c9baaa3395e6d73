"""Demo company visits for `flask demo-data`: two past visits with their promises (one kept on
time, one not yet kept), one planned and one proposed visit, and a yearly target. Created
through the services, so contacts, follow-ups and invitations look as in real use. Running it
again adds nothing (it does nothing once any visit exists)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa

from app.auth.models import User
from app.companies.models import ACTIVE, Company, ContactPerson
from app.core.permissions import Role
from app.core.time import local_datetime, local_today, utcnow
from app.extensions import db
from app.followups import services as followups
from app.followups.models import FollowUp
from app.strategy.queries import selectable_focus_areas
from app.visits import services
from app.visits.models import PLANNED, PROPOSED, CompanyVisit, VisitTarget


def _at(day, hour: int) -> datetime:
    return local_datetime(day, time(hour, 0))


def load_demo_visits(now: datetime | None = None) -> int:
    """Add the demo visits; returns how many (0 if any visit exists, or without demo users and
    companies to use)."""
    if db.session.scalar(sa.select(CompanyVisit.id).limit(1)) is not None:
        return 0
    now = now or utcnow()
    today = local_today(now)
    users = {
        u.role: u
        for u in db.session.scalars(sa.select(User).where(User.is_active.is_(True)).order_by(User.id.desc()))
    }
    ledning, lots, admin = (
        users.get(Role.LEDNING.value),
        users.get(Role.LOTS.value),
        users.get(Role.ADMIN.value),
    )
    companies = db.session.scalars(
        sa.select(Company)
        .where(Company.deleted_at.is_(None), Company.merged_into_id.is_(None), Company.status == ACTIVE)
        .order_by(Company.is_key_company.desc(), Company.id)
        .limit(4)
    ).all()
    areas = selectable_focus_areas()
    if ledning is None or lots is None or len(companies) < 4 or len(areas) < 5:
        return 0
    hosts = {
        p.company_id: p
        for p in db.session.scalars(
            sa.select(ContactPerson)
            .where(ContactPerson.company_id.in_([c.id for c in companies]), ContactPerson.is_active.is_(True))
            .order_by(ContactPerson.id.desc())
        )
    }

    def visit(
        company: Company,
        starts_at: datetime,
        purpose: str,
        focus: tuple[int, ...],
        status: str = PLANNED,
        planned_at: datetime | None = None,
    ) -> CompanyVisit:
        host = hosts.get(company.id)
        created = services.create_visit(
            services.VisitInput(
                company_id=company.id,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=90),
                status=status,
                ledning_ids=(ledning.id,),
                office_ids=(lots.id,),
                host_contact_person_id=host.id if host else None,
                host_name="" if host else "Vd",
                purpose=purpose,
                focus_area_ids=focus,
            ),
            actor=lots,
            now=planned_at or now,
        )
        return services.load_visit(created.id)

    # 1. Four months ago: two promises, one kept on time, one not yet kept.
    first_day = today - timedelta(days=120)
    first = visit(
        companies[0],
        _at(first_day, 10),
        "Höra hur rekryteringen går inför utbyggnaden",
        (areas[0].id, areas[3].id),
        planned_at=_at(first_day - timedelta(days=14), 9),
    )
    services.record_visit(
        first,
        services.RecordInput(
            focus_area_id=areas[0].id,
            other_focus_area_ids=(areas[3].id,),
            notes="Företaget behöver ett tjugotal montörer nästa år. Intresserade av yrkesvux-samarbete.",
            promises=(
                services.PromiseInput(
                    "Skicka information om feriearbetare och praktik", lots.id, first_day + timedelta(days=14)
                ),
                services.PromiseInput(
                    "Återkomma om detaljplanen för industriområdet", ledning.id, today + timedelta(days=10)
                ),
            ),
        ),
        actor=ledning,
        now=_at(first_day, 14),
    )
    kept = db.session.scalar(
        sa.select(FollowUp).where(FollowUp.visit_id == first.id).order_by(FollowUp.due_on).limit(1)
    )
    followups.complete_followup(
        kept,
        actor=lots,
        note="Skickade broschyr och kontaktuppgifter.",
        done_on=first_day + timedelta(days=9),
        now=_at(first_day + timedelta(days=9), 15),
    )

    # 2. Ten months ago: trygghet, one promise kept.
    second_day = today - timedelta(days=300)
    second = visit(
        companies[1],
        _at(second_day, 13),
        "Trygghet i handelsområdet",
        (areas[1].id,),
        planned_at=_at(second_day - timedelta(days=10), 9),
    )
    services.record_visit(
        second,
        services.RecordInput(
            focus_area_id=areas[1].id,
            notes="Inbrott två gånger i år. Vill vara med i BID-arbetet.",
            promises=(
                services.PromiseInput(
                    "Bjuda in till trygghetsvandring", lots.id, second_day + timedelta(days=30)
                ),
            ),
        ),
        actor=lots,
        now=_at(second_day, 16),
    )
    promise = db.session.scalar(sa.select(FollowUp).where(FollowUp.visit_id == second.id))
    followups.complete_followup(
        promise,
        actor=lots,
        done_on=second_day + timedelta(days=21),
        now=_at(second_day + timedelta(days=21), 10),
    )

    # 3. Next week (planned, invitations in the outbox) and in three weeks (proposed).
    visit(
        companies[2],
        _at(today + timedelta(days=7), 9),
        "Besök inför planerad etablering av ny lagerhall",
        (areas[3].id, areas[2].id),
    )
    visit(
        companies[3],
        _at(today + timedelta(days=21), 14),
        "Lära känna företaget och dess behov",
        (areas[4].id,),
        status=PROPOSED,
    )

    if (
        admin is not None
        and db.session.scalar(sa.select(VisitTarget.id).where(VisitTarget.year == today.year)) is None
    ):
        services.set_target(today.year, 24, actor=admin)
    db.session.flush()
    return 4
