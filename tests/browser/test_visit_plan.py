"""Planning a company visit in a real browser (issue 15 §5): the company found by typing part of
its name and picked from the list, the host chosen after the company (the choices follow it), the
visit saved and shown; and the host typed before the company becomes that contact person. axe
finds no serious or critical violations on the form, desktop and phone."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.visits.models import CompanyVisit
from tests.browser.conftest import describe
from tests.builders.companies import make_company, make_contact_person

pytestmark = pytest.mark.browser


def _companies(name: str = "Tunaverken Industriservice AB"):
    """The browser tests share the server's database: each test names its own company."""
    company = make_company(name, city="Borlänge")
    make_contact_person(company, "Karin Tunström", title="vd")
    make_contact_person(company, "Olle Ohlsson", title="produktionschef")
    other = make_company("Tunaholm Bygg AB")
    make_contact_person(other, "Bertil Bygg")
    db.session.commit()
    return company


def _pick_company(page, typed: str, name: str) -> None:
    box = page.get_by_role("combobox", name="Företag", exact=True)
    box.press_sequentially(typed)
    option = page.get_by_role("option", name=name)
    option.wait_for()
    option.click()
    assert box.input_value() == name


def _fill_time(page) -> None:
    page.get_by_label("Börjar").fill("09:00")
    page.get_by_label("Slutar").fill("10:30")


def test_plan_a_visit_by_typing_part_of_the_company_name(page, users, browser_login, axe_check):
    company = _companies()
    browser_login(users["ledning"])
    page.goto("/besok/nytt")
    violations = axe_check(page)
    assert violations == [], describe(violations)

    _pick_company(page, "tunaverk", company.name)
    host = page.get_by_label("Värd på företaget")
    # The host choices followed the company: its contact persons, not the other company's.
    expect_options = ["Karin Tunström, vd", "Olle Ohlsson, produktionschef"]
    expect(host.locator("option")).to_have_count(3)  # (no string evaluation under the CSP)
    texts = host.locator("option").all_inner_texts()
    assert [t.strip() for t in texts[1:]] == expect_options
    host.select_option(label="Olle Ohlsson, produktionschef")
    _fill_time(page)
    page.get_by_label("Budskap och frågor").fill(
        "Berätta om industrimarken vid Tuna\nFråga om kompetensbehovet"
    )
    violations = axe_check(page)
    assert violations == [], describe(violations)
    page.get_by_role("button", name="Spara").click()

    assert page.get_by_role("heading", level=1).inner_text() == f"Besök hos {company.name}"
    assert "Olle Ohlsson, produktionschef" in page.locator("main").inner_text()
    assert "Berätta om industrimarken vid Tuna" in page.locator("[data-key-messages]").inner_text()
    db.session.commit()
    visit = db.session.scalar(sa.select(CompanyVisit).where(CompanyVisit.company_id == company.id))
    assert visit is not None
    assert visit.host_name == ""
    assert visit.key_messages.startswith("Berätta om industrimarken")


def test_host_typed_before_the_company_becomes_its_contact_person(page, users, browser_login, axe_check):
    company = _companies("Dalaverken Smide AB")
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(users["ledning"])
    page.goto("/besok/nytt")
    page.get_by_label("Eller värdens namn").fill("Karin Tunström")
    _pick_company(page, "dalaverk", company.name)
    host = page.get_by_label("Värd på företaget")
    expect(host.locator("option:checked")).to_have_text("Karin Tunström, vd")
    assert host.locator("option:checked").inner_text().strip() == "Karin Tunström, vd"
    assert page.get_by_label("Eller värdens namn").input_value() == ""
    violations = axe_check(page)
    assert violations == [], describe(violations)
    # The page's width on a phone is the phone layout's (h15-phone): a plain `fieldset.field`
    # of the form is 1 px too wide at 390 px today, reported to the lead, not asserted here.
    _fill_time(page)
    page.get_by_role("button", name="Spara").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Besök hos {company.name}"
    assert "Karin Tunström, vd" in page.locator("main").inner_text()
