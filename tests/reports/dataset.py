"""The hand-built dataset (build_dataset; the `dataset` fixture is in conftest.py) for the figure tests: March 2025 (a daylight-saving month) and
March 2024, with records on both sides of every Stockholm midnight edge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from app.core.permissions import Role
from app.interactions.models import InteractionKind
from tests.builders.cases import make_case_row, make_permit_row, make_survey_response
from tests.builders.catalogues import partner
from tests.builders.companies import make_company
from tests.builders.followups import make_followup
from tests.builders.interactions import make_interaction_row, make_referral_row
from tests.builders.strategy import focus_areas
from tests.builders.users import make_user
from tests.builders.visits import make_visit_row
from tests.clock import utc

# "Now" for the figures: well after March 2025, so March is a finished period.
NOW = utc(2025, 5, 10, 12)


@dataclass
class World:
    fa1: object
    fa2: object
    lots1: object
    lots2: object
    ledning: object
    chef: object
    rec: SimpleNamespace


def build_dataset(db, users) -> World:
    fa1, fa2 = focus_areas()[:2]
    lots1, ledning, chef = users["lots"], users["ledning"], users["chef"]
    lots2 = make_user(Role.LOTS, name="Åsa Andra")
    a, b, c = make_company("Alfa AB"), make_company("Beta AB"), make_company("Gamma AB")
    r = SimpleNamespace()
    # Contacts. Edges: 28 Feb 23:30 UTC = 1 March 00:30 Stockholm (in); 31 March 21:59 UTC =
    # 23:59 CEST (in); 31 March 22:00 UTC = 1 April 00:00 CEST (out); 28 Feb 22:59 UTC (out).
    r.i1 = make_interaction_row(a, lots1, utc(2025, 2, 28, 23, 30), fa1)
    r.i2 = make_interaction_row(b, lots2, utc(2025, 3, 15, 10), fa2, kind=InteractionKind.MEETING, extra_focus=[fa1],
                     participants=[lots1], is_restricted=True, notes="HEMLIG ANTECKNING")  # fmt: skip
    r.i3 = make_interaction_row(a, lots1, utc(2025, 3, 31, 21, 59), fa1)
    r.i4 = make_interaction_row(c, lots1, utc(2025, 3, 31, 22, 0), fa1)
    r.i5 = make_interaction_row(b, lots1, utc(2025, 2, 28, 22, 59), fa1)
    r.i6 = make_interaction_row(c, lots1, utc(2025, 3, 10, 9), fa1, deleted_at=utc(2025, 3, 11))
    r.i7 = make_interaction_row(
        a, lots2, utc(2024, 3, 10, 9), fa2, kind=InteractionKind.VISIT
    )  # a year earlier
    # Lots cases.
    large = "stor-etablering"
    r.c1 = make_case_row(a, lots1, date(2025, 3, 3), fa1, closed_at=utc(2025, 3, 20, 10))  # 17 days
    r.c2 = make_case_row(
        b, lots2, date(2025, 1, 10), fa2, closed_at=utc(2025, 3, 31, 21, 30)
    )  # 80 days, 23:30 CEST
    r.c3 = make_case_row(
        c, lots1, date(2024, 11, 1), fa1, is_restricted=True, title="Hemligt ärende"
    )  # open > 90 days
    r.c4 = make_case_row(c, lots1, date(2025, 4, 1), fa1)  # April
    r.c5 = make_case_row(a, lots1, date(2025, 3, 5), fa1, code=large, title="Fabriken")  # large establishment
    r.c6 = make_case_row(
        b, lots1, date(2025, 2, 1), fa2, closed_at=utc(2025, 3, 31, 22, 30)
    )  # closed 1 April 00:30
    r.c7 = make_case_row(a, lots1, date(2024, 3, 12), fa1, closed_at=utc(2024, 3, 22, 12))  # a year earlier
    # Permit rows: passed undecided, decided in time, decided late, not yet due.
    make_permit_row(r.c3, date(2025, 3, 10))
    make_permit_row(r.c1, date(2025, 3, 12), date(2025, 3, 11))
    make_permit_row(r.c5, date(2025, 3, 20), date(2025, 3, 25))
    make_permit_row(r.c5, date(2025, 4, 2))
    # Follow-ups (lots1).
    created = utc(2025, 2, 1, 8)
    r.f1 = make_followup(
        lots1, date(2025, 3, 10), created_at=created, done_on=date(2025, 3, 9), case_id=r.c1.id
    )
    r.f2 = make_followup(lots1, date(2025, 3, 10), created_at=created, done_on=date(2025, 3, 12))
    r.f3 = make_followup(lots1, date(2025, 3, 31), created_at=created)  # open, overdue at the end
    r.f4 = make_followup(
        lots2, date(2025, 3, 20), created_at=created, done_on=date(2025, 4, 2)
    )  # done after the end
    r.f5 = make_followup(lots1, date(2025, 4, 1), created_at=created)  # due after the end
    r.f6 = make_followup(
        lots1, date(2025, 3, 5), created_at=created, status="cancelled", closed_at=utc(2025, 3, 6, 9)
    )
    # Company visits.
    r.v1 = make_visit_row(a, utc(2025, 3, 12, 9), fa1, ledning=[ledning], office=[lots1])
    r.v2 = make_visit_row(b, utc(2025, 3, 20, 9), fa2, office=[lots2])
    r.v3 = make_visit_row(c, utc(2025, 3, 25, 9), fa1, status="planned", ledning=[ledning])
    # Referrals.
    almi, iuc = partner("Almi"), partner("IUC")
    make_referral_row(a, almi, date(2025, 3, 5), interaction=r.i1, by=lots1)
    make_referral_row(b, almi, date(2025, 3, 31), case_=r.c2, by=lots2)
    make_referral_row(c, iuc, date(2025, 4, 1), by=lots1)
    # Survey: 4 × 10 and 1 × 1 → mean 8.2 → NKI (8.2 − 1) / 9 × 100 = 80.0; a year earlier 2 answers.
    for score in (10, 10, 10, 10, 1):
        make_survey_response(r.c1, utc(2025, 3, 21, 12), score)
    make_survey_response(r.c7, utc(2024, 3, 25, 12), 10)
    make_survey_response(r.c7, utc(2024, 3, 26, 12), 10)
    db.session.commit()
    return World(fa1, fa2, lots1, lots2, ledning, chef, r)
