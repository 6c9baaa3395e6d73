"""Demo lots cases for `flask demo-data`: open and closed cases of several types on the demo
companies, permit rows in different clock states (in time, near, passed with a PBL fee
reduction, decided, an event's "ansök senast"), a lotsmöte, actions, a referral and enough
survey answers for one case type to show its NKI. Created through the services, dated relative
to today. Idempotent: adds nothing if any lots case exists."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from app.auth.models import User
from app.cases import actions, meetings, permits, services
from app.cases.models import CaseType, LotsCase, SurveyInvitation
from app.cases.survey import hash_token
from app.cases.surveys import SurveyAnswer, submit_answer
from app.cases.workflow import CaseStatus
from app.catalogues.queries import get_permit_type_by_code, list_partners
from app.companies.models import Company, ContactPerson
from app.core.permissions import Role
from app.core.time import local_datetime, local_today, utcnow
from app.extensions import db
from app.strategy.queries import selectable_focus_areas

_SEED = 5005


@dataclass
class _Spec:
    title: str
    type_code: str
    focus: int  # index into the selectable focus areas
    days_ago: int
    description: str = ""
    status: str = CaseStatus.IN_PROGRESS
    outcome: str | None = None
    restricted: bool = False
    permits: list[tuple[str, int | None, int | None, int | None, int | None, str | None]] = field(
        default_factory=list
    )
    event_in_days: int | None = None


# permits: (code, submitted days ago, föreläggande om komplettering days ago (PBL's three-week
# rule), complete days ago, decided days ago, outcome)
SPECS = [
    _Spec(
        "Café med uteservering i gamla posthuset",
        "tillstandsvagledning",
        3,
        90,
        "Vill öppna café med servering av vin och öl samt uteservering mot torget.",
        permits=[
            ("bygglov", 80, 78, 76, None, None),
            ("servering", 20, None, 14, None, None),
            ("livsmedel", 40, None, None, 25, "granted"),
        ],
    ),
    _Spec(
        "Nytt lager och logistikcenter i Tjärna Ängar",
        "etablering-expansion",
        3,
        70,
        "Etablering med cirka 60 anställda; behöver mark, bygglov och anmälan om miljöfarlig verksamhet.",
        status=CaseStatus.WAITING_ON_AUTHORITY,
        permits=[("bygglov", 62, 61, 60, None, None), ("miljofarlig-c", 30, None, None, None, None)],
    ),
    _Spec(
        "Sommarfestival på Sportfältet",
        "evenemang",
        3,
        30,
        "Tvådagarsfestival med scen, matvagnar och tillfällig servering.",
        status=CaseStatus.IN_PROGRESS,
        event_in_days=75,
        permits=[
            ("offentlig-tillstallning", None, None, None, None, None),
            ("servering-tillfallig", None, None, None, None, None),
            ("markupplatelse", 10, None, None, None, None),
        ],
    ),
    _Spec(
        "Tobaksförsäljning i ny närbutik",
        "tillstandsvagledning",
        2,
        130,
        permits=[("tobak", 120, None, 112, None, None)],
    ),
    _Spec(
        "Hantverksbageri: vill starta eget",
        "starta-foretag",
        4,
        200,
        status=CaseStatus.CLOSED,
        outcome="referred",
    ),
    _Spec(
        "Synpunkt: lång handläggning av skyltlov",
        "synpunkt-klagomal",
        2,
        160,
        status=CaseStatus.CLOSED,
        outcome="solved",
        permits=[("skyltlov", 150, None, 150, 60, "granted")],
    ),
    _Spec(
        "Rekrytering av svetsare",
        "kompetensforsorjning",
        0,
        120,
        status=CaseStatus.CLOSED,
        outcome="referred",
    ),
    _Spec(
        "Varsel och omställning vid pappersbruk",
        "omstallning-varsel",
        4,
        45,
        "Möjligt varsel; samordning med Arbetsförmedlingen.",
        restricted=True,
    ),
    _Spec("Inbrott och skadegörelse i industriområdet", "trygghet", 1, 25, status=CaseStatus.RECEIVED),
    _Spec(
        "Lokal för tatueringsstudio",
        "tillstandsvagledning",
        2,
        150,
        status=CaseStatus.CLOSED,
        outcome="solved",
        permits=[("halsoskydd", 140, None, None, 120, "granted")],
    ),
    _Spec(
        "Ombyggnad till restaurang",
        "tillstandsvagledning",
        2,
        180,
        status=CaseStatus.CLOSED,
        outcome="solved",
        permits=[("bygglov", 175, 150, 140, 100, "granted")],
    ),
    _Spec(
        "Uteservering på gågatan",
        "tillstandsvagledning",
        2,
        110,
        status=CaseStatus.CLOSED,
        outcome="solved",
    ),
    _Spec("Ny bilverkstad", "tillstandsvagledning", 2, 140, status=CaseStatus.CLOSED, outcome="declined"),
]

# NKI answers (three questions) for the closed tillståndsvägledning cases, and one other.
_SCORES = [(9, 8, 8), (10, 9, 9), (7, 7, 6), (8, 8, 7), (9, 9, 10), (6, 5, 5)]


def _at(day: date, hour: int = 10) -> datetime:
    return local_datetime(day, time(hour, 0))


def load_demo_cases(now: datetime | None = None) -> int:
    """Create the demo cases; returns how many (0 when cases exist or nothing to hang them on)."""
    if db.session.scalar(sa.select(LotsCase.id).limit(1)) is not None:
        return 0
    now = now or utcnow()
    today = local_today(now)
    lots = list(
        db.session.scalars(
            sa.select(User).where(User.role == Role.LOTS.value, User.is_active.is_(True)).order_by(User.id)
        )
    )
    companies = list(
        db.session.scalars(
            sa.select(Company)
            .where(Company.deleted_at.is_(None), Company.merged_into_id.is_(None))
            .order_by(Company.id)
            .limit(len(SPECS))
        )
    )
    areas = selectable_focus_areas()
    if not lots or len(companies) < len(SPECS) or not areas:
        return 0
    rng = random.Random(_SEED)
    types = {t.code: t for t in db.session.scalars(sa.select(CaseType))}
    partners = list_partners(include_retired=False)
    created = 0
    answered = 0
    for index, (spec, company) in enumerate(zip(SPECS, companies, strict=True)):
        actor = lots[index % len(lots)]
        intake = today - timedelta(days=spec.days_ago)
        at = _at(intake)
        person = db.session.scalar(
            sa.select(ContactPerson)
            .where(ContactPerson.company_id == company.id, ContactPerson.is_active.is_(True))
            .order_by(ContactPerson.id)
            .limit(1)
        )
        case_type = types[spec.type_code]
        case = services.create_case(
            services.CaseInput(
                company_id=company.id,
                title=spec.title,
                case_type_id=case_type.id,
                focus_area_id=areas[spec.focus % len(areas)].id,
                description=spec.description,
                contact_person_id=person.id if person else None,
                priority="high" if spec.restricted or spec.type_code == "etablering-expansion" else "normal",
                participant_ids=tuple(u.id for u in lots if u.id != actor.id)[:1],
                intake_channel=rng.choice(["phone", "email", "web_form", "company_visit"]),
                intake_on=intake,
                diarienummer=f"KS {intake.year}/{400 + index}"
                if spec.type_code == "etablering-expansion"
                else "",
                is_restricted=spec.restricted,
                event_date=today + timedelta(days=spec.event_in_days) if spec.event_in_days else None,
                event_place="Sportfältet" if spec.event_in_days else "",
                organizer=company.name if spec.event_in_days else "",
                expected_visitors=4000 if spec.event_in_days else None,
            ),
            actor=actor,
            now=at,
        )
        created += 1
        if spec.status != CaseStatus.RECEIVED:
            services.change_status(
                case, services.StatusChange(CaseStatus.IN_PROGRESS), actor=actor, now=at + timedelta(days=1)
            )
        for code, submitted, requested, complete, decided, outcome in spec.permits:
            permit_type = get_permit_type_by_code(code)
            if permit_type is None:
                continue
            permits.add_permit(
                case,
                permits.PermitInput(
                    permit_type_id=permit_type.id,
                    submitted_on=today - timedelta(days=submitted) if submitted is not None else None,
                    completion_requested_on=today - timedelta(days=requested)
                    if requested is not None
                    else None,
                    complete_on=today - timedelta(days=complete) if complete is not None else None,
                    decision_on=today - timedelta(days=decided) if decided is not None else None,
                    outcome=outcome,
                ),
                actor=actor,
                now=now,
            )
        if spec.type_code == "etablering-expansion":
            start = _at(today + timedelta(days=6), 9)
            meetings.create_meeting(
                case,
                meetings.MeetingInput(
                    starts_at=start,
                    ends_at=start + timedelta(hours=1, minutes=30),
                    place="Stadshuset, sal Dalälven",
                    user_ids=tuple(u.id for u in lots),
                    contact_person_ids=(person.id,) if person else (),
                ),
                actor=actor,
                now=now,
            )
            actions.add_action(
                case,
                actions.ActionInput(
                    title="Besked om markanvisning",
                    due_on=today + timedelta(days=10),
                    assignee_id=actor.id,
                    handed_to="Samhällsbyggnadsförvaltningen",
                ),
                actor=actor,
                now=now,
            )
        if spec.status == CaseStatus.WAITING_ON_AUTHORITY:
            services.change_status(
                case, services.StatusChange(CaseStatus.WAITING_ON_AUTHORITY), actor=actor, now=now
            )
        if spec.outcome == "referred" and partners:
            actions.add_referral(
                case,
                partner_id=partners[index % len(partners)].id,
                reason="Rådgivning och finansiering",
                referred_on=intake + timedelta(days=3),
                actor=actor,
                now=now,
            )
        if spec.status == CaseStatus.CLOSED:
            closed_at = at + timedelta(days=min(30, spec.days_ago // 2))
            services.change_status(
                case,
                services.StatusChange(CaseStatus.CLOSED, outcome=spec.outcome),
                actor=actor,
                now=closed_at,
            )
            invitation = db.session.scalar(
                sa.select(SurveyInvitation).where(SurveyInvitation.case_id == case.id)
            )
            if invitation is not None and answered < len(_SCORES):
                token = f"demo-survey-{case.id}-{rng.random()}"
                invitation.token_hash = hash_token(token)
                invitation.sent_at = closed_at + timedelta(days=3)
                q = _SCORES[answered]
                submit_answer(
                    token,
                    SurveyAnswer(
                        *q,
                        factors={"f_bemotande": min(10, q[0] + 1), "f_information": q[1]},
                        free_text="Bra hjälp!" if answered % 2 == 0 else "",
                    ),
                    now=closed_at + timedelta(days=4),
                )
                answered += 1
            elif invitation is not None:
                invitation.withdrawn_at = now  # demo: no real mail to fictitious people
    db.session.flush()
    return created
