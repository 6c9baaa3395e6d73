"""A företagslots signs in through the form and sees the Swedish start page; axe finds no
serious or critical violations on the sign-in and start pages, nor on a 360-px phone screen."""

from __future__ import annotations

import pytest

from tests.browser.conftest import describe

pytestmark = pytest.mark.browser


def test_lots_signs_in_and_sees_the_start_page(page, users, browser_login, axe_check):
    page.goto("/logga-in")
    assert page.title() == "Logga in – Lotsbok"
    violations = axe_check(page)
    assert violations == [], describe(violations)

    browser_login(users["lots"])

    assert page.url.endswith("/")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text().startswith("Hej Test")
    assert page.get_by_role("navigation", name="Huvudmeny").is_visible()
    assert page.locator("html").get_attribute("lang") == "sv"
    violations = axe_check(page)
    assert violations == [], describe(violations)


def test_wrong_password_gives_one_generic_swedish_message(page, users):
    page.goto("/logga-in")
    page.get_by_label("E-postadress").fill(users["lots"].email)
    page.get_by_label("Lösenord").fill("fel-lösenord-helt-enkelt")
    page.get_by_role("button", name="Logga in").click()
    assert page.get_by_role("alert").inner_text().count("Fel e-postadress eller lösenord.") == 1


def test_start_page_is_usable_on_a_phone(page, users, browser_login, axe_check):
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(users["lots"])
    # Nothing may force sideways scrolling on a 360-px screen.
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    violations = axe_check(page)
    assert violations == [], describe(violations)


def test_skip_link_moves_focus_to_main_content(page, users, browser_login):
    browser_login(users["lots"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Hoppa till innehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
