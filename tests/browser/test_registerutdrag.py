"""The dataskyddsombud's registerutdrag flow in a real browser: search a name that two people
share, pick the right one, read the extract (marked for sekretessprövning), register an
objection, download the JSON; axe finds no serious WCAG 2.1 AA violations on the pages."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import describe
from tests.privacy.world import NAME, person_everywhere

pytestmark = pytest.mark.browser


@pytest.fixture
def person(db, users):
    w = person_everywhere(users)
    db.session.commit()
    return w


def test_registerutdrag_flow(page, person, users, browser_login, axe_check):
    browser_login(users["admin"])
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Personuppgifter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personuppgifter och arkiv")
    violations = axe_check(page)
    assert violations == [], describe(violations)

    page.get_by_label("Namn, e-post, telefon eller personnummer").fill("Lindqvist-Öhman")
    page.get_by_role("button", name="Sök", exact=True).last.click()
    hits = page.get_by_role("group", name="Markera de poster")
    # expect() waits for the results page: a click does not wait for the next page to load.
    expect(hits.get_by_role("checkbox").nth(4)).to_be_attached()
    violations = axe_check(page)
    assert violations == [], describe(violations)
    # Two people share the name: pick Åsa's own rows, not the namesake at Annat AB.
    for label in ("Bageriet i Borlänge AB", "Bageri Dalarna AB", "Nedlagda Caféet AB", "Konditori"):
        hits.get_by_label(label, exact=False).first.check()
    page.get_by_role("button", name="Visa registerutdrag").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Registerutdrag")
    expect(page.get_by_text("Sekretessprövning krävs före utlämnande.")).to_be_visible()
    body = page.locator("main").inner_text()
    assert "Integritetsskyddsmyndigheten" in body
    assert "namne@annat.example" not in body
    assert "Lokalfrågor" in body
    assert "Nöjdhetsenkät" in body
    violations = axe_check(page)
    assert violations == [], describe(violations)

    form = page.locator(
        "form",
        has=page.get_by_role("heading", name=f"Invändning mot behandling (art. 21) – #{person.person.id}"),
    )
    form.get_by_label("Skäl").fill("Invände i telefon")
    form.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Invändningen är registrerad")).to_be_visible()
    assert "Invändning (art. 21)" in page.locator("main").inner_text()

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned som JSON").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert NAME in data["person"]["namn"]
    assert data["sekretessprovning_kravs"] is True
