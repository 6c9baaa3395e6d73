"""Demo contacts for `flask demo-data`: a few hundred over the last two years, across every
kind and focus area, on the demo companies. Deterministic (seeded random), created through the
services so last_contact_at, cadence and the audit trail look as they would in real use."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from app.auth.models import User
from app.catalogues.queries import list_partners, list_permit_types
from app.companies.models import Company, ContactPerson
from app.core.permissions import Role
from app.core.time import local_datetime, utcnow
from app.extensions import db
from app.interactions import services
from app.interactions.models import InboundChannel, Interaction, InteractionKind
from app.strategy.queries import selectable_focus_areas

DEMO_TOKEN_PREFIX = "demo-"  # noqa: S105 - a form-token prefix marking demo rows, not a secret
DEMO_COUNT = 320
_SEED = 20812

_SUBJECTS: dict[InteractionKind, list[str]] = {
    InteractionKind.PHONE: [
        "Fråga om lediga lokaler",
        "Frågor om rekrytering",
        "Synpunkt på handläggningstid",
        "Vill boka företagsbesök",
        "Undrar över upphandling",
        "Inbrott i lokalen",
    ],
    InteractionKind.VISIT: ["Företagsbesök", "Rundvandring i produktionen", "Besök inför expansion"],
    InteractionKind.MEETING: [
        "Etableringsmöte",
        "Lotsmöte med förvaltningarna",
        "Nätverksträff",
        "Dialog om kompetensförsörjning",
    ],
    InteractionKind.EMAIL: [
        "Skickade checklista",
        "Svar om markfrågor",
        "Inbjudan till frukostmöte",
        "Uppföljning efter samtal",
    ],
    InteractionKind.PERMIT_GUIDANCE: [
        "Tillstånd för ny restaurang",
        "Ombyggnad av lokal",
        "Uteservering i sommar",
        "Ny tatueringsstudio",
    ],
    InteractionKind.EVENT: ["Marknad på torget", "Konsert i Folkets park", "Idrottsevenemang", "Julmarknad"],
    InteractionKind.OTHER: ["Praoplatser till höstterminen", "Trygghetsvandring", "Hållbarhetsnätverk"],
}
_NOTES = [
    "Gick igenom läget och nästa steg. Företaget återkommer.",
    "Företaget vill växa med ett tiotal anställda under året.",
    "Tipsade om verksamt.se och kommunens e-tjänster.",
    "Bra samtal; de är nöjda med kontakten med kommunen.",
    "Behöver hjälp att hitta rätt handläggare.",
    "",
]
# Weighted so phone calls dominate, as in a real contact log.
_KIND_WEIGHTS = {
    InteractionKind.PHONE: 30,
    InteractionKind.EMAIL: 20,
    InteractionKind.MEETING: 12,
    InteractionKind.VISIT: 10,
    InteractionKind.PERMIT_GUIDANCE: 14,
    InteractionKind.EVENT: 6,
    InteractionKind.OTHER: 8,
}
_CHANNELS = [channel.value for channel in InboundChannel]


def load_demo_contacts(now: datetime | None = None) -> int:
    """Log the demo contacts; returns how many were added (0 if demo contacts exist already,
    or if there are no demo companies or företagslotsar to log them)."""
    if db.session.scalar(
        sa.select(Interaction.id).where(Interaction.form_token.like(f"{DEMO_TOKEN_PREFIX}%")).limit(1)
    ):
        return 0
    lots = list(
        db.session.scalars(
            sa.select(User).where(User.role == Role.LOTS.value, User.is_active.is_(True)).order_by(User.id)
        )
    )
    others = list(
        db.session.scalars(
            sa.select(User).where(User.role != Role.LOTS.value, User.is_active.is_(True)).order_by(User.id)
        )
    )
    companies = list(
        db.session.scalars(
            sa.select(Company)
            .where(Company.deleted_at.is_(None), Company.merged_into_id.is_(None))
            .order_by(Company.id)
            .limit(200)
        )
    )
    areas = selectable_focus_areas()
    if not lots or not companies or not areas:
        return 0
    permits = list_permit_types(include_retired=False)
    partners = list_partners(include_retired=False)
    people: dict[int, list[int]] = {}
    for person_id, company_id in db.session.execute(
        sa.select(ContactPerson.id, ContactPerson.company_id).where(
            ContactPerson.company_id.in_([c.id for c in companies]), ContactPerson.is_active.is_(True)
        )
    ):
        people.setdefault(company_id, []).append(person_id)

    rng = random.Random(_SEED)
    now = now or utcnow()
    today = now.date()
    kinds = list(_KIND_WEIGHTS)
    moments = []
    for n in range(DEMO_COUNT):
        day = today - timedelta(days=rng.randint(1, 730))
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        at = local_datetime(day, time(rng.randint(8, 16), rng.choice((0, 15, 30, 45))))
        moments.append((at, n))
    moments.sort()

    added = 0
    for at, n in moments:
        # Cover every kind and focus area at least once, then draw by weight.
        kind = kinds[n] if n < len(kinds) else rng.choices(kinds, weights=list(_KIND_WEIGHTS.values()))[0]
        area = areas[n % len(areas)] if n < 2 * len(areas) else rng.choice(areas)
        company = companies[rng.randrange(len(companies))]
        author = lots[rng.randrange(len(lots))]
        participants = [author.id]
        if kind in (InteractionKind.VISIT, InteractionKind.MEETING) and others and rng.random() < 0.4:
            participants.append(rng.choice(others).id)
        persons = people.get(company.id, [])
        guidance = ()
        if kind is InteractionKind.PERMIT_GUIDANCE and permits:
            chosen = rng.sample(permits, k=min(len(permits), rng.choice((1, 1, 2))))
            guidance = tuple(
                services.PermitGuidanceInput(
                    p.id,
                    f"Gick igenom vad som krävs för {p.name.lower()} och i vilken ordning.",
                    p.deciding_body[:200],
                )
                for p in chosen
            )
        # One digital meeting (a kind added after the seeded draws were fixed: set here, without
        # another draw, so every other demo record stays as it was).
        data = services.ContactInput(
            kind=(InteractionKind.DIGITAL if n == len(kinds) else kind).value,
            occurred_at=at.astimezone(UTC),
            company_id=company.id,
            focus_area_id=area.id,
            subject=rng.choice(_SUBJECTS[kind]),
            notes=rng.choice(_NOTES),
            duration_minutes=rng.choice((5, 10, 15, 30, 45, 60, 90)),
            other_focus_area_ids=(rng.choice(areas).id,) if rng.random() < 0.15 else (),
            contact_person_ids=(persons[0],) if persons and rng.random() < 0.7 else (),
            participant_ids=tuple(participants),
            inbound_channel=rng.choice(_CHANNELS) if rng.random() < 0.5 else None,
            is_restricted=rng.random() < 0.04,
            permit_guidance=guidance,
        )
        interaction = services.log_contact(data, actor=author, form_token=f"{DEMO_TOKEN_PREFIX}{n}", now=now)
        added += 1
        if partners and rng.random() < 0.08:
            referral = services.add_referral(
                services.ReferralInput(
                    partner_id=rng.choice(partners).id,
                    reason="Behöver stöd som partnern erbjuder.",
                    referred_on=at.date(),
                    interaction_id=interaction.id,
                ),
                actor=author,
                now=now,
            )
            if at < now - timedelta(days=60) and rng.random() < 0.7:
                services.record_referral_outcome(
                    referral,
                    "Företaget fick hjälp.",
                    outcome_on=min(at.date() + timedelta(days=30), today),
                    actor=author,
                    now=now,
                )
    return added
