"""A permit row whose statutory last day falls on a Saturday: the case page shows the moved
deadline, the day counted by lag (1930:173) 1 § with the söndagsregel's explanation, and which
rule started the clock and why; a föreläggande dated before the submission is refused in
Swedish. The page passes axe (WCAG 2.1 A/AA)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.cases.models import CasePermit
from tests.browser.conftest import describe
from tests.builders import cases as f

pytestmark = pytest.mark.browser


def test_permit_row_shows_the_moved_day_and_why(page, db, users, browser_login, axe_check):
    case = f.make_case(users["lots"], title="Ny lagerhall i Tjärna Ängar")
    db.session.commit()
    browser_login(users["lots"])
    page.goto(f"/arenden/{case.id}")

    page.get_by_text("Lägg till tillstånd").click()
    page.get_by_label("Tillstånd eller område").select_option(label="Bygglov")
    page.get_by_label("Inlämnad").fill("2026-01-05")
    page.get_by_label("Föreläggande om komplettering").fill("2026-01-02")
    page.get_by_role("button", name="Lägg till", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert (
        "Föreläggandet om komplettering kan inte vara före inlämningen." in page.locator("main").inner_text()
    )

    # Submitted on Saturday 3 January through the e-service: 10 weeks end on Saturday 14 March.
    page.get_by_label("Inlämnad").fill("2026-01-03")
    page.get_by_label("Föreläggande om komplettering").fill("")
    page.get_by_role("button", name="Lägg till", exact=True).click()
    page.wait_for_load_state("networkidle")
    permits = page.locator("#tillstand")
    row = permits.locator("tr.permit-row", has_text="Bygglov")
    cell = row.locator("td").nth(4).inner_text()
    assert "2026-03-16 (måndag)" in cell
    assert "Sista dag enligt 1 §: 2026-03-14; lördag → måndag enligt lag (1930:173) 2 §" in cell
    why = permits.locator("tr.permit-why").inner_text()
    assert "Från inlämningen." in why
    assert "Tiden räknas från 2026-01-03, då ansökan kom in" in why

    db.session.rollback()  # end the test's own read snapshot before looking
    # (The browser tests share the server's database: this case's permit, not the first one.)
    stored = db.session.scalar(
        sa.select(CasePermit.expected_decision_on).where(CasePermit.case_id == case.id)
    )
    assert stored.isoformat() == "2026-03-16"

    violations = axe_check(page)
    assert violations == [], describe(violations)
