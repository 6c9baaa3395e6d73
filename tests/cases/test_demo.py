"""Demo lots cases: several types, open and closed, permit rows in different clock states, a
lotsmöte, survey answers; loading twice adds nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.cases import queries
from app.cases.demo import SPECS, load_demo_cases
from app.cases.models import CasePermit, LotsCase, LotsMeeting, SurveyResponse
from app.core.time import local_today

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the results depend on today's date


def _load_prerequisites() -> None:
    from app.companies.demo import load_demo_companies
    from app.demo import load_demo_users

    load_demo_users()
    load_demo_companies()


def test_demo_data_command_loads_the_cases():
    from pathlib import Path

    from app import demo

    assert "load_demo_cases()" in Path(demo.__file__).read_text(encoding="utf-8")


def test_demo_cases_are_varied_and_idempotent(db):
    _load_prerequisites()
    assert load_demo_cases() == len(SPECS)
    db.session.commit()
    cases = db.session.scalars(sa.select(LotsCase)).all()
    assert len(cases) == len(SPECS)
    assert {c.status for c in cases} >= {"received", "in_progress", "waiting_on_authority", "closed"}
    assert len({c.case_type_id for c in cases}) >= 6
    assert any(c.is_restricted for c in cases)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LotsMeeting)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)) >= 5
    today = local_today()
    states = set()
    for case in cases:
        for row in queries.permit_rows(case, today=today, near_days=14):
            states.add(row.clock.decision_state)
            states.add(row.clock.apply_by_state)
            if row.clock.fee_reduction_percent:
                states.add("fee")
    assert {"ok", "near", "passed", "fee"} <= {str(s) for s in states if s}
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(CasePermit).where(CasePermit.decision_on.is_not(None))
        )
        >= 2
    )
    assert load_demo_cases() == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LotsCase)) == len(SPECS)
