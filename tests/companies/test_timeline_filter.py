"""The company page's timeline can be filtered by kind and by focus area."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.time import local_today
from app.followups import services as followups
from tests.builders.companies import make_company
from tests.builders.interactions import make_interaction
from tests.builders.strategy import focus_areas
from tests.pages import rendered

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the results depend on today's date


def test_timeline_filters_by_kind_and_focus_area(lots_client, db, users):
    company = make_company("Tidslinjen AB")
    areas = focus_areas()
    make_interaction(company, users["lots"], subject="Om kompetens", focus_area_id=areas[0].id)
    make_interaction(company, users["lots"], subject="Om trygghet", focus_area_id=areas[1].id)
    followups.create_followup(
        followups.FollowUpInput(
            title="Ring tillbaka", due_on=local_today() + timedelta(days=3), company_id=company.id
        ),
        actor=users["lots"],
    )
    db.session.commit()
    url = f"/foretag/{company.id}"

    everything = rendered(lots_client.get(url), heading="Tidslinjen AB")
    assert "Om kompetens" in everything
    assert "Om trygghet" in everything
    assert "Ring tillbaka" in everything

    only_followups = rendered(
        lots_client.get(url, query_string={"typ": "uppfoljning"}), heading="Tidslinjen AB"
    )
    assert "Ring tillbaka" in only_followups
    assert "Om kompetens" not in only_followups

    only_area = rendered(lots_client.get(url, query_string={"fokus": areas[1].id}), heading="Tidslinjen AB")
    assert "Om trygghet" in only_area
    assert "Om kompetens" not in only_area
    assert "Ring tillbaka" not in only_area  # a follow-up counts towards no focus area
