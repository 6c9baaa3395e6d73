"""The audit log screen shows what happened and to what by label, and a changed status by its
label – never the stored codes (issue 15 §3)."""

from __future__ import annotations

from datetime import date

from app.cases import services as cases
from app.cases.workflow import CaseStatus
from tests.builders.cases import make_case_row
from tests.builders.companies import make_company
from tests.builders.strategy import focus_areas
from tests.pages import rendered


def test_the_log_shows_labels_not_codes(admin_client, db, users):
    case = make_case_row(
        make_company("Loggade Snickeriet AB"),
        users["lots"],
        date(2026, 1, 12),
        focus_areas()[0],
        status="received",
    )
    cases.change_status(case, cases.StatusChange(CaseStatus.IN_PROGRESS), actor=users["lots"])
    db.session.commit()
    html = rendered(admin_client.get("/admin/logg?entity_type=lots_cases"), heading="Händelselogg")
    assert "Ändrad" in html
    assert "Lotsärende" in html
    assert "Inkommet → Pågående" in html
    for code in ["received", "in_progress", "lots_cases<", ">update<"]:
        assert code not in html.replace('value="lots_cases"', "").replace('value="update"', ""), code
