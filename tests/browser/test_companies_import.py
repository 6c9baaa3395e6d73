"""A företagslots imports a small CSV through the UI (upload → preview → confirm) and finds the
companies in the list, also with search-as-you-type; axe finds no serious violations on the
import preview and the list, nor on a 360-px phone screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import describe

pytestmark = pytest.mark.browser

CSV = (
    "Företagsnamn;Organisationsnummer;Postnummer;Ort;Område\r\n"
    "Örjans Åkeri AB;556036-0793;784 33;Borlänge;Centrum\r\n"
    "Ängsbackens Bageri;;784 60;Borlänge;Tjärna Ängar\r\n"
).encode("cp1252")  # as Swedish Excel saves "CSV (semikolonavgränsad)"


def test_lots_imports_a_csv_and_sees_the_companies(page, users, browser_login, axe_check, tmp_path):
    path = tmp_path / "foretag.csv"
    path.write_bytes(CSV)
    browser_login(users["lots"])

    page.goto("/foretag/import")
    page.get_by_label("Fil (CSV eller Excel .xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Förhandsgranska").click()

    assert page.get_by_role("heading", level=1).inner_text().startswith("Förhandsgranska import")
    rows = page.locator("table.import-rows tbody tr")
    assert rows.count() == 2
    assert "Örjans Åkeri AB" in rows.nth(0).inner_text()
    assert "OK, nytt företag" in rows.nth(1).inner_text()
    violations = axe_check(page)
    assert violations == [], describe(violations)

    page.get_by_role("button", name="Bekräfta och importera").click()
    assert "Importen är klar: 2 nya" in page.locator(".flashes").inner_text()

    page.goto("/foretag")
    table = page.locator("table.company-table")
    assert "Örjans Åkeri AB" in table.inner_text()
    assert "Ängsbackens Bageri" in table.inner_text()
    violations = axe_check(page)
    assert violations == [], describe(violations)

    # Search as you type: the results update without submitting the form.
    page.locator("#company-filter-form").get_by_label("Sök", exact=True).fill("ängsb")
    expect(page.locator("#company-results")).not_to_contain_text("Örjans")
    assert "Ängsbackens Bageri" in page.locator("#company-results").inner_text()
    assert "q=%C3%A4ngsb" in page.url or "q=ängsb" in page.url

    # The company page and its edit form are accessible too.
    page.get_by_role("link", name="Ängsbackens Bageri").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Ängsbackens Bageri"
    assert page.get_by_role("heading", name="Tidslinje").is_visible()
    violations = axe_check(page)
    assert violations == [], describe(violations)
    page.get_by_role("link", name="Ändra", exact=True).click()
    violations = axe_check(page)
    assert violations == [], describe(violations)


def test_company_list_is_usable_on_a_phone(page, users, browser_login, axe_check):
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(users["lots"])
    page.goto("/foretag")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    violations = axe_check(page)
    assert violations == [], describe(violations)
