"""The demo visits: past visits with one kept and one unkept promise, planned ones, proposals."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.visits import queries
from app.visits.brief import build_brief
from app.visits.models import DONE, PLANNED, PROPOSED, CompanyVisit


@pytest.mark.demo_data
def test_demo_data_has_visits_promises_and_proposals(db, runner, demo_output):
    assert "4 nya företagsbesök" in demo_output
    statuses = sorted(db.session.scalars(sa.select(CompanyVisit.status)))
    assert statuses == sorted([DONE, DONE, PLANNED, PROPOSED])
    from app.auth.services import get_user_by_email

    ledning = get_user_by_email("ledning@lotsbok.example")
    latest = db.session.scalar(
        sa.select(CompanyVisit)
        .where(CompanyVisit.status == DONE)
        .order_by(CompanyVisit.starts_at.desc())
        .limit(1)
    )
    brief = build_brief(latest.company_id, actor=ledning)
    kept = [p.kept for pv in brief.past_visits for p in pv.promises]
    assert sorted(kept) == [False, True]
    assert queries.proposals(ledning) != []
    again = runner.invoke(args=["demo-data", "--quiet"])
    assert "0 nya företagsbesök" in again.output
