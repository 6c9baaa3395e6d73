"""A företagslots logs a phone call from the company page with the keyboard alone and sees it
on the timeline; the company picker of "Ny kontakt" works with arrow keys and Enter; axe finds
no serious or critical violations on the contact form or the picker."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests.browser.conftest import describe
from tests.builders.companies import make_company
from tests.builders.users import PASSWORD

pytestmark = pytest.mark.browser


def _keyboard_login(page, user) -> None:
    page.goto("/logga-in")
    page.get_by_label("E-postadress").focus()
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/")


def _tab_to(page, predicate_js: str, limit: int = 60) -> None:
    """Press Tab until document.activeElement satisfies `predicate_js` (a JS expression on `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            f"(() => {{ const el = document.activeElement; return !!(el && ({predicate_js})); }})()"
        ):
            return
    raise AssertionError(f"Tab never reached an element where {predicate_js}")


def test_lots_logs_a_phone_call_from_the_company_page_with_the_keyboard(page, users, axe_check):
    company = make_company("Tangentbordets Verkstad AB")
    db.session.commit()
    _keyboard_login(page, users["lots"])
    page.goto(f"/foretag/{company.id}")

    _tab_to(page, "el.textContent.trim() === 'Logga kontakt'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/kontakter/ny?company_id={company.id}")
    assert page.get_by_role("heading", level=1).inner_text() == "Logga kontakt"
    violations = axe_check(page)
    assert violations == [], describe(violations)
    # The defaults: a phone call, now, by me.
    assert page.locator("#kind").input_value() == "phone_call"

    _tab_to(page, "el.id === 'subject'")
    page.keyboard.type("Ringde om bygglov för lagret")
    page.keyboard.press("Tab")
    page.keyboard.type("Vill bygga ut med 400 kvm. Tipsade om förhandsbesked.")
    _tab_to(page, "el.id === 'focus_area_id'")
    page.keyboard.press("ArrowDown")  # the first focus area
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Logga kontakten'")
    page.keyboard.press("Enter")

    page.wait_for_url(f"**/foretag/{company.id}")
    assert "Telefonsamtal med Tangentbordets Verkstad AB är loggad." in page.locator(".flashes").inner_text()
    timeline = page.locator(".timeline").inner_text()
    assert "Telefonsamtal: Ringde om bygglov för lagret" in timeline
    assert "Senaste kontakt" in page.content()


def test_the_company_picker_works_with_arrow_keys_and_enter(page, users, axe_check):
    make_company("Kupolens Kaffe AB")
    make_company("Kupolens Kök AB")
    db.session.commit()
    _keyboard_login(page, users["lots"])
    page.goto("/kontakter/ny")
    violations = axe_check(page)
    assert violations == [], describe(violations)

    _tab_to(page, "el.id === 'company-q'")
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
    assert chosen in page.locator(".lead").inner_text()


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
