"""A företagslots logs a phone call from the company page with the keyboard alone (the header's
shortcut, at most 15 key presses) and sees it on the timeline; the company picker of "Ny kontakt" works with arrow keys and Enter; axe finds
no serious or critical violations on the contact form or the picker."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests.browser.conftest import describe
from tests.browser.keyboard import keyboard_login as _keyboard_login
from tests.builders.companies import make_company

pytestmark = pytest.mark.browser


def test_lots_logs_a_phone_call_from_the_company_page_with_the_keyboard(page, users, axe_check):
    from tests.builders.strategy import focus_areas

    company = make_company("Tangentbordets Verkstad AB")
    db.session.commit()
    _keyboard_login(page, users["lots"])
    page.goto(f"/foretag/{company.id}")
    keys = 0

    # Issue 15: the shortcut of the header's "Logga kontakt" opens the form for this company,
    # with the subject focused (was: 40 Tabs to the button and 16 into the form).
    page.keyboard.press("Alt+Shift+K")
    keys += 1
    page.wait_for_url(f"**/kontakter/ny?company_id={company.id}")
    assert page.get_by_role("heading", level=1).inner_text() == "Logga kontakt"
    violations = axe_check(page)
    assert violations == [], describe(violations)
    # The defaults: a phone call, now, by me; no focus area chosen for the user.
    assert page.locator("input[name=kind]:checked").input_value() == "phone_call"
    assert page.locator("input[name=focus_area_id]:checked").count() == 0
    assert page.evaluate("document.activeElement.id") == "subject"

    page.keyboard.type("Ringde om bygglov för lagret")
    keys += 1
    page.keyboard.press("Tab")  # to the focus areas
    page.keyboard.press("Space")  # the first one
    page.keyboard.press("Enter")  # saves
    keys += 3

    page.wait_for_url(f"**/foretag/{company.id}#kontakt-*")
    assert "Telefonsamtal med Tangentbordets Verkstad AB är loggad." in page.locator(".flashes").inner_text()
    timeline = page.locator(".timeline").inner_text()
    assert "Telefonsamtal: Ringde om bygglov för lagret" in timeline
    assert focus_areas()[0].label in page.locator(".timeline__item:target").inner_text()
    assert "Senaste kontakt" in page.content()
    assert keys <= 15, keys


def test_the_company_picker_works_with_arrow_keys_and_enter(page, users, axe_check):
    make_company("Kupolens Kaffe AB")
    make_company("Kupolens Kök AB")
    db.session.commit()
    _keyboard_login(page, users["lots"])
    page.goto("/kontakter/ny")
    violations = axe_check(page)
    assert violations == [], describe(violations)

    assert page.evaluate("document.activeElement.id") == "company-q"  # focused on open
    page.keyboard.type("kupolens k")
    listbox = page.get_by_role("listbox")
    listbox.get_by_role("option").first.wait_for()
    combobox = page.get_by_role("combobox", name="Företag")
    assert combobox.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    active = combobox.get_attribute("aria-activedescendant")
    chosen = page.locator(f"#{active} span").first.inner_text()
    assert chosen.startswith("Kupolens K")
    assert page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    violations = axe_check(page)
    assert violations == [], describe(violations)
    page.keyboard.press("Enter")
    page.wait_for_url("**/kontakter/ny?company_id=*")
    # The form for that company: the shared picker (its macro) shows it, the subject is next.
    assert page.get_by_role("combobox", name="Företag").input_value() == chosen
    assert page.locator("[data-company-field] input[data-company-value]").input_value() != ""
    assert page.evaluate("document.activeElement.id") == "subject"  # type the subject at once


def test_contact_list_and_page_have_no_serious_axe_violations_on_a_phone(page, users, axe_check):
    from tests.builders.interactions import make_interaction

    company = make_company("Mobilens Bageri AB")
    interaction = make_interaction(company, users["lots"], kind="permit_guidance", subject="Uteservering")
    db.session.commit()
    page.set_viewport_size({"width": 360, "height": 740})
    _keyboard_login(page, users["lots"])
    for url in ("/kontakter", f"/kontakter/{interaction.id}", f"/kontakter/{interaction.id}/andra"):
        page.goto(url)
        violations = axe_check(page)
        assert violations == [], f"{url}: {describe(violations)}"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, url
