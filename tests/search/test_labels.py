"""The search page shows statuses and kinds with their labels, never the stored codes
(issue 15 §3)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.core.time import utcnow
from tests.builders.cases import make_case_row
from tests.builders.companies import make_company
from tests.builders.interactions import make_interaction
from tests.builders.strategy import focus_areas

pytestmark = pytest.mark.usefixtures("fixed_clock")


def test_search_hits_show_the_case_status_and_contact_kind_labels(lots_client, db, users):
    company = make_company("Solgårdens Energi AB")
    make_case_row(company, users["lots"], date(2026, 1, 12), focus_areas()[0], title="Solpaneler på ladan")
    make_interaction(
        company, users["lots"], subject="Solpaneler och bygglov", occurred_at=utcnow() - timedelta(days=1)
    )
    db.session.commit()
    html = lots_client.get("/sok?q=solpaneler").get_data(as_text=True)
    assert "Solpaneler på ladan" in html
    assert "Solgårdens Energi AB · Pågående" in html
    assert "· Telefonsamtal · Solgårdens Energi AB" in html
    for code in ["in_progress", "pagaende", "phone_call"]:
        assert code not in html


def test_search_hits_show_labels_in_english(lots_client, db, users):
    company = make_company("Solgårdens Energi AB")
    make_case_row(company, users["lots"], date(2026, 1, 12), focus_areas()[0], title="Solpaneler på ladan")
    db.session.commit()
    lots_client.post("/sprak", data={"lang": "en"})
    html = lots_client.get("/sok?q=solpaneler").get_data(as_text=True)
    assert "Solgårdens Energi AB · In progress" in html
    assert "in_progress" not in html
