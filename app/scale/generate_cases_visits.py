"""Generator parts for lots cases (with permit rows) and company visits.

Columns with defaults are left out: Core applies Python-side and server defaults on bulk inserts.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from app.cases.statutory import StatutoryTime, expected_decision_on
from app.cases.workflow import OPEN_STATUSES as OPEN_CASE_STATUSES
from app.cases.workflow import CaseStatus
from app.extensions import db
from app.scale.generate import EXTRA_GENERATORS, _add, _insert, _next_id
from app.visits.models import CANCELLED, DONE, LEDNING, OFFICE, PLANNED

CASE_TITLES = [
    "Söker mark för ny produktionshall",
    "Bygglov för utbyggnad av lager",
    "Lokal för café i centrum",
    "Serveringstillstånd till sommarterrass",
    "Etablering av logistikcentrum",
    "Konsert i Folkets park",
    "Rekrytering av svetsare",
    "Finansiering av ny maskinpark",
    "Klagomål på handläggningstid",
    "Trygghet i handelsområdet Kupolen",
    "Varsel och omställning",
    "Upphandling av städtjänster",
]
OPEN_STATUSES = [status.value for status in CaseStatus if status in OPEN_CASE_STATUSES]
OUTCOMES = ["solved", "solved", "solved", "referred", "declined", "cancelled"]


def generate_cases(
    rng: random.Random,
    companies: list[dict[str, Any]],
    persons: list[dict[str, Any]],
    lots_ids: list[int],
    user_ids: dict[str, list[int]],
    focus_ids: list[int],
    anchor: date,
    now: datetime,
    counts: dict[str, int],
) -> None:
    """About one case per three companies, a third of them open, each with 0–3 permit rows."""
    case_types = list(db.session.scalars(sa.text("SELECT id FROM case_types ORDER BY id")))
    permit_types = list(
        db.session.execute(
            sa.text(
                "SELECT id, statutory_time_value, statutory_time_unit, clock_starts, extension_value, extension_unit, "
                "time_is_statutory, pbl_three_week_rule FROM permit_types ORDER BY id"
            )
        )
    )
    first_case = _next_id("lots_cases")
    cases, permits = [], []
    for company in companies:
        if rng.random() > 0.33:
            continue
        case_id = first_case + len(cases)
        intake = anchor - timedelta(days=rng.randint(0, 4 * 365))
        is_open = rng.random() < 0.35
        closed_on = None if is_open else min(anchor, intake + timedelta(days=rng.randint(3, 240)))
        created = now - timedelta(days=(anchor - intake).days)
        cases.append(
            {
                "id": case_id,
                "company_id": company["id"],
                "title": rng.choice(CASE_TITLES),
                "case_type_id": rng.choice(case_types),
                "focus_area_id": rng.choice(focus_ids),
                "responsible_user_id": company["responsible_user_id"] or rng.choice(lots_ids),
                "intake_channel": rng.choice(["phone", "email", "web_form", None]),
                "intake_on": intake,
                "status": rng.choice(OPEN_STATUSES) if is_open else CaseStatus.CLOSED.value,
                "outcome": None if is_open else rng.choice(OUTCOMES),
                "closed_at": None
                if closed_on is None
                else created + timedelta(days=(closed_on - intake).days),
                "is_restricted": rng.random() < 0.02,
                "created_at": created,
                "updated_at": created,
            }
        )
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            ptype = rng.choice(permit_types)
            submitted = intake + timedelta(days=rng.randint(0, 30))
            complete = submitted + timedelta(days=rng.randint(0, 21)) if rng.random() < 0.8 else None
            clock = (
                StatutoryTime(
                    ptype[1],
                    ptype[2],
                    ptype[3] or "complete",
                    ptype[4],
                    ptype[5],
                    bool(ptype[6]),
                    bool(ptype[7]),
                )
                if ptype[1] and ptype[2]
                else None
            )
            # PBL's three-week rule: a completion counts after a föreläggande (here: halfway).
            requested = (
                submitted + timedelta(days=(complete - submitted).days // 2)
                if ptype[7] and complete is not None and complete > submitted
                else None
            )
            expected = expected_decision_on(
                clock, submitted_on=submitted, complete_on=complete, completion_requested_on=requested
            )
            decided = None
            if expected and rng.random() < 0.6:
                decided = expected + timedelta(days=rng.randint(-40, 14))
            permits.append(
                {
                    "case_id": case_id,
                    "permit_type_id": ptype[0],
                    "authority": "Samhällsbyggnadsförvaltningen",
                    "submitted_on": submitted,
                    "complete_on": complete,
                    "completion_requested_on": requested,
                    "decision_on": decided,
                    "outcome": "granted" if decided else None,
                    "expected_decision_on": expected,
                }
            )
    _add(counts, "lots_cases", _insert("lots_cases", cases))
    _add(counts, "case_permits", _insert("case_permits", permits))


def generate_visits(
    rng: random.Random,
    companies: list[dict[str, Any]],
    persons: list[dict[str, Any]],
    lots_ids: list[int],
    user_ids: dict[str, list[int]],
    focus_ids: list[int],
    anchor: date,
    now: datetime,
    counts: dict[str, int],
) -> None:
    """Company visits by kommunledning: about one per twenty companies, mostly done."""
    first = _next_id("company_visits")
    visits, participants, areas = [], [], []
    ledning = user_ids["ledning"] or lots_ids
    for company in companies:
        if rng.random() > 0.05:
            continue
        vid = first + len(visits)
        starts = now + timedelta(days=rng.randint(-3 * 365, 60), hours=rng.randint(-3, 3))
        status = PLANNED if starts > now else rng.choice([DONE, DONE, DONE, CANCELLED])
        visits.append(
            {
                "id": vid,
                "company_id": company["id"],
                "status": status,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=2),
                "purpose": "Företagsbesök med kommunledningen",
                "uid": f"besok-gen-{vid}@lotsbok.example",
                "created_at": now,
                "updated_at": now,
            }
        )
        participants.append({"visit_id": vid, "user_id": rng.choice(ledning), "side": LEDNING})
        participants.append(
            {
                "visit_id": vid,
                "user_id": company["responsible_user_id"] or rng.choice(lots_ids),
                "side": OFFICE,
            }
        )
        areas.append({"visit_id": vid, "focus_area_id": rng.choice(focus_ids)})
    _add(counts, "company_visits", _insert("company_visits", visits))
    _add(counts, "visit_participants", _insert("visit_participants", participants))
    _add(counts, "visit_focus_areas", _insert("visit_focus_areas", areas))


EXTRA_GENERATORS.extend([generate_cases, generate_visits])
