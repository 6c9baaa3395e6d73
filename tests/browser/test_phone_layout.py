"""The phone layout (issue 15 §4) at 390×844: a header folded behind "Meny", "Logga kontakt" and today's
follow-ups on the start page's first screen, list tables as cards, tel:/mailto: links, a sticky save
button, no horizontal scrolling, and axe at zero serious/critical at phone and desktop width. Full-page
screenshots of each page's phone layout go to test-artifacts/phone-<page>.png."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.core.time import local_today
from tests.browser.conftest import ROOT, describe
from tests.builders.cases import make_case
from tests.builders.companies import make_company, make_contact_person
from tests.builders.followups import make_followup
from tests.builders.interactions import make_interaction
from tests.builders.users import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture
def world(db, users):
    """A company with a phone number, an e-mail address and a contact person; a contact, a case and
    the lots user's follow-ups (one overdue, two today, one later this week)."""
    lots = users["lots"]
    company = make_company("Telefonens Trävaror AB", phone="023-123 45 67", email="info@travaror.example")
    person = make_contact_person(
        company, "Petra Lind", title="VD", phone="070-123 45 67", email="petra@travaror.example"
    )
    make_interaction(company, lots, subject="Ringde om utbyggnaden")
    case = make_case(lots, company=company, contact=person, title="Bygglov för lagerhallen")
    today = local_today()
    make_followup(lots, today - timedelta(days=2), title="Skicka offert på mark", company_id=company.id)
    make_followup(lots, today, title="Ring Petra om bygglovet", company_id=company.id)
    make_followup(lots, today, title="Boka möte med banken")
    make_followup(lots, today + timedelta(days=1), title="Följ upp mässan")
    db.session.commit()
    return {"company": company, "case": case, "lots": lots}


def _login(page, user, viewport=PHONE) -> None:
    page.set_viewport_size(viewport)
    page.goto("/logga-in")
    page.get_by_label("E-postadress").fill(user.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/")


def _main_pages(world) -> dict[str, str]:
    return {
        "start": "/",
        "foretag": "/foretag",
        "foretagssida": f"/foretag/{world['company'].id}",
        "kontakter": "/kontakter",
        "arenden": "/arenden",
        "arende": f"/arenden/{world['case'].id}",
        "uppfoljningar": "/uppfoljningar",
        "rapporter": "/rapporter",
    }


def test_the_header_folds_behind_meny_on_a_phone_and_opens_with_the_keyboard(page, world):
    _login(page, world["lots"])
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= 70, header.bounding_box()
    button = page.get_by_role("button", name="Meny")
    assert button.get_attribute("aria-expanded") == "false"
    assert button.get_attribute("aria-controls") == "header-menu"
    nav = page.get_by_role("navigation", name="Huvudmeny")
    assert not nav.is_visible()
    assert not page.locator("#header-q").is_visible()
    # The header's actions stay visible with the menu closed.
    assert page.locator(".header-actions").is_visible()

    # Keyboard only: Tab to the button, Enter opens, Tab walks into the menu.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-menu-toggle')"):
            break
    else:
        raise AssertionError("Tab never reached the Meny button")
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert nav.is_visible()
    assert page.locator("#header-q").is_visible()
    assert page.get_by_role("button", name="Logga ut").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#main-nav') !== null")
    # Escape closes it and puts focus back on the button; Space opens it again.
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-menu-toggle')")
    page.keyboard.press("Space")
    assert button.get_attribute("aria-expanded") == "true"
    page.get_by_role("link", name="Företag", exact=True).click()
    page.wait_for_url("**/foretag")
    assert page.get_by_role("button", name="Meny").get_attribute("aria-expanded") == "false"


def test_the_desktop_header_is_unchanged(page, world):
    _login(page, world["lots"], DESKTOP)
    assert not page.get_by_role("button", name="Meny").is_visible()
    assert page.get_by_role("navigation", name="Huvudmeny").is_visible()
    assert page.locator("#header-q").is_visible()
    assert page.get_by_role("button", name="Logga ut").is_visible()
    # Two rows at 1366 px: brand, "Logga kontakt" and the navigation side by side; the search and
    # the user menu on the row below (109 px high; 88.6 px before "Logga kontakt" joined the header).
    brand = page.locator(".brand").bounding_box()
    log = page.locator(".header-log").bounding_box()
    nav = page.locator("#main-nav").bounding_box()
    search = page.locator(".header-search").bounding_box()
    user = page.locator(".user-menu").bounding_box()
    assert brand["x"] + brand["width"] < log["x"] < log["x"] + log["width"] < nav["x"]
    assert abs((log["y"] + log["height"] / 2) - (nav["y"] + nav["height"] / 2)) < 4
    assert search["y"] >= nav["y"] + nav["height"]
    assert abs(search["y"] - user["y"]) < 12
    assert page.locator(".site-header").bounding_box()["height"] <= 115


def test_without_javascript_the_phone_header_shows_everything(browser, live_server, world):
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", java_script_enabled=False, viewport=PHONE
    )
    try:
        pg = context.new_page()
        _login(pg, world["lots"])
        assert pg.get_by_role("navigation", name="Huvudmeny").is_visible()
        assert pg.locator("#header-q").is_visible()
        assert not pg.locator("[data-menu-toggle]").is_visible()
    finally:
        context.close()


def test_the_start_page_first_screen_holds_logga_kontakt_and_todays_followups(page, world):
    _login(page, world["lots"])
    log = page.locator("main").get_by_role("link", name="Logga kontakt")
    assert log.get_attribute("href") == "/kontakter/ny"
    assert log.bounding_box()["y"] + log.bounding_box()["height"] <= PHONE["height"]
    today = page.locator(".fu-group--today")
    assert "Idag" in today.inner_text()
    for title in ("Ring Petra om bygglovet", "Boka möte med banken"):
        box = page.get_by_role("link", name=title).bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"], (title, box)


def test_list_tables_become_cards_on_a_phone_and_stay_tables_on_a_desktop(page, world):
    _login(page, world["lots"])
    page.goto("/foretag?q=Telefonens+Trävaror")
    cell = page.locator("table.company-table tbody td").first
    assert cell.evaluate("td => getComputedStyle(td).display") == "flow-root"
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") == '"Namn"'
    assert cell.evaluate("td => getComputedStyle(td.closest('tr')).display") == "block"
    # The card shows its label next to the value; the header row is hidden visually.
    assert "Telefonens Trävaror AB" in cell.inner_text()
    assert page.locator("table.company-table thead").bounding_box()["height"] <= 1

    page.set_viewport_size(DESKTOP)
    assert cell.evaluate("td => getComputedStyle(td).display") == "table-cell"
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") == "none"
    assert page.get_by_role("columnheader", name="Org.nr").is_visible()


def test_phone_numbers_and_e_mail_addresses_are_links_on_the_company_and_case_pages(page, world):
    _login(page, world["lots"])
    page.goto(f"/foretag/{world['company'].id}")
    assert page.get_by_role("link", name="023-123 45 67").get_attribute("href") == "tel:0231234567"
    assert (
        page.get_by_role("link", name="info@travaror.example").get_attribute("href")
        == "mailto:info@travaror.example"
    )
    assert page.get_by_role("link", name="070-123 45 67").get_attribute("href") == "tel:0701234567"
    assert (
        page.get_by_role("link", name="petra@travaror.example").get_attribute("href")
        == "mailto:petra@travaror.example"
    )
    page.goto(f"/arenden/{world['case'].id}")
    assert page.get_by_role("link", name="070-123 45 67").get_attribute("href") == "tel:0701234567"
    assert (
        page.get_by_role("link", name="petra@travaror.example").get_attribute("href")
        == "mailto:petra@travaror.example"
    )


def test_the_save_button_of_a_long_form_sticks_to_the_bottom_of_a_phone_screen(page, world):
    _login(page, world["lots"])
    page.goto(f"/foretag/{world['company'].id}/andra")
    save = page.locator("form .actions--sticky")
    assert save.evaluate("el => getComputedStyle(el).position") == "sticky"
    box = save.bounding_box()
    assert PHONE["height"] - 2 <= box["y"] + box["height"] <= PHONE["height"] + 1, box
    assert page.evaluate("document.documentElement.scrollHeight") > PHONE["height"] * 1.5
    # A focused field is scrolled into view above the sticky row, not under it.
    fields = page.locator("form input:not([type=hidden]), form textarea, form select")
    checked = 0
    for i in range(fields.count()):
        field = fields.nth(i)
        if not field.is_visible():
            continue
        field.focus()
        f, s = field.bounding_box(), save.bounding_box()
        assert f["y"] + min(f["height"], 40) <= s["y"] + 1, (i, f, s)
        checked += 1
    assert checked >= 10


def test_main_pages_have_no_horizontal_scroll_and_pass_axe_at_phone_and_desktop(page, world, axe_check):
    _login(page, world["lots"])
    ARTIFACTS.mkdir(exist_ok=True)
    for name, url in _main_pages(world).items():
        page.set_viewport_size(PHONE)
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (name, width)
        violations = axe_check(page)
        assert violations == [], (name, describe(violations))
        page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)
        page.get_by_role("button", name="Meny").click()
        violations = axe_check(page)
        assert violations == [], (name, "menu open", describe(violations))
        page.set_viewport_size(DESKTOP)
        page.goto(url)
        violations = axe_check(page)
        assert violations == [], (name, "desktop", describe(violations))


def test_a_table_too_wide_for_a_phone_scrolls_in_its_box_and_can_be_reached_with_the_keyboard(page, world):
    _login(page, world["lots"])
    page.goto("/rapporter")
    # "Kontakter per typ" (figure, year before, change) is wider than a phone.
    wrap = page.locator(".table-wrap:has(table.figures)").filter(
        has=page.locator("caption", has_text="Kontakter per typ")
    )
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert wrap.get_attribute("tabindex") == "0"
    assert wrap.get_attribute("role") == "region"
    assert wrap.get_attribute("aria-label") == wrap.locator("caption").inner_text().strip()
    # Wide enough for the table: the box is an ordinary box again.
    page.set_viewport_size({"width": 2400, "height": 900})
    expect(wrap).not_to_have_attribute("tabindex", "0")
    assert wrap.get_attribute("tabindex") is None
    assert wrap.get_attribute("role") is None
