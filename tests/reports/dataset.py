"""The hand-built dataset (build_dataset; the `dataset` fixture is in conftest.py) for the figure tests: March 2025 (a daylight-saving month) and
March 2024, with records on both sides of every Stockholm midnight edge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from app.core.permissions import Role
from app.interactions.models import InteractionKind
from tests import factories
from tests.reports import factories as f
from tests.reports.factories import utc

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
    fa1, fa2 = factories.focus_areas()[:2]
    lots1, ledning, chef = users["lots"], users["ledning"], users["chef"]
    lots2 = factories.make_user(Role.LOTS, name="Åsa Andra")
    a, b, c = f.make_company("Alfa AB"), f.make_company("Beta AB"), f.make_company("Gamma AB")
    r = SimpleNamespace()
    # Contacts. Edges: 28 Feb 23:30 UTC = 1 March 00:30 Stockholm (in); 31 March 21:59 UTC =
    # 23:59 CEST (in); 31 March 22:00 UTC = 1 April 00:00 CEST (out); 28 Feb 22:59 UTC (out).
    r.i1 = f.contact(a, lots1, utc(2025, 2, 28, 23, 30), fa1)
    r.i2 = f.contact(b, lots2, utc(2025, 3, 15, 10), fa2, kind=InteractionKind.MEETING, extra_focus=[fa1],
                     participants=[lots1], is_restricted=True, notes="HEMLIG ANTECKNING")  # fmt: skip
    r.i3 = f.contact(a, lots1, utc(2025, 3, 31, 21, 59), fa1)
    r.i4 = f.contact(c, lots1, utc(2025, 3, 31, 22, 0), fa1)
    r.i5 = f.contact(b, lots1, utc(2025, 2, 28, 22, 59), fa1)
    r.i6 = f.contact(c, lots1, utc(2025, 3, 10, 9), fa1, deleted_at=utc(2025, 3, 11))
    r.i7 = f.contact(a, lots2, utc(2024, 3, 10, 9), fa2, kind=InteractionKind.VISIT)  # a year earlier
    # Lots cases.
    large = "stor-etablering"
    r.c1 = f.case(a, lots1, date(2025, 3, 3), fa1, closed_at=utc(2025, 3, 20, 10))  # 17 days
    r.c2 = f.case(b, lots2, date(2025, 1, 10), fa2, closed_at=utc(2025, 3, 31, 21, 30))  # 80 days, 23:30 CEST
    r.c3 = f.case(c, lots1, date(2024, 11, 1), fa1, is_restricted=True, title="Hemligt ärende")  # open > 90 days
    r.c4 = f.case(c, lots1, date(2025, 4, 1), fa1)  # April
    r.c5 = f.case(a, lots1, date(2025, 3, 5), fa1, code=large, title="Fabriken")  # large establishment
    r.c6 = f.case(b, lots1, date(2025, 2, 1), fa2, closed_at=utc(2025, 3, 31, 22, 30))  # closed 1 April 00:30
    r.c7 = f.case(a, lots1, date(2024, 3, 12), fa1, closed_at=utc(2024, 3, 22, 12))  # a year earlier
    # Permit rows: passed undecided, decided in time, decided late, not yet due.
    f.permit(r.c3, date(2025, 3, 10))
    f.permit(r.c1, date(2025, 3, 12), date(2025, 3, 11))
    f.permit(r.c5, date(2025, 3, 20), date(2025, 3, 25))
    f.permit(r.c5, date(2025, 4, 2))
    # Follow-ups (lots1).
    created = utc(2025, 2, 1, 8)
    r.f1 = f.followup(lots1, date(2025, 3, 10), created_at=created, done_on=date(2025, 3, 9), case_id=r.c1.id)
    r.f2 = f.followup(lots1, date(2025, 3, 10), created_at=created, done_on=date(2025, 3, 12))
    r.f3 = f.followup(lots1, date(2025, 3, 31), created_at=created)  # open, overdue at the end
    r.f4 = f.followup(lots2, date(2025, 3, 20), created_at=created, done_on=date(2025, 4, 2))  # done after the end
    r.f5 = f.followup(lots1, date(2025, 4, 1), created_at=created)  # due after the end
    r.f6 = f.followup(lots1, date(2025, 3, 5), created_at=created, status="cancelled", closed_at=utc(2025, 3, 6, 9))
    # Company visits.
    r.v1 = f.visit(a, utc(2025, 3, 12, 9), fa1, ledning=[ledning], office=[lots1])
    r.v2 = f.visit(b, utc(2025, 3, 20, 9), fa2, office=[lots2])
    r.v3 = f.visit(c, utc(2025, 3, 25, 9), fa1, status="planerat", ledning=[ledning])
    # Referrals.
    almi, iuc = f.partner("Almi"), f.partner("IUC")
    f.referral(a, almi, date(2025, 3, 5), interaction=r.i1, by=lots1)
    f.referral(b, almi, date(2025, 3, 31), case_=r.c2, by=lots2)
    f.referral(c, iuc, date(2025, 4, 1), by=lots1)
    # Survey: 4 × 10 and 1 × 1 → mean 8.2 → NKI (8.2 − 1) / 9 × 100 = 80.0; a year earlier 2 answers.
    for score in (10, 10, 10, 10, 1):
        f.answer(r.c1, utc(2025, 3, 21, 12), score)
    f.answer(r.c7, utc(2024, 3, 25, 12), 10)
    f.answer(r.c7, utc(2024, 3, 26, 12), 10)
    db.session.commit()
    return World(fa1, fa2, lots1, lots2, ledning, chef, r)
