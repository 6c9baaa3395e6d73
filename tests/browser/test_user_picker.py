"""The user picker with the keyboard alone: a participant is added to a contact with arrow keys
and Enter (ARIA 1.2 combobox: aria-expanded, aria-activedescendant, a polite status), a
follow-up's assignee is picked the same way, and axe finds no serious or critical violations
with the listbox open."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.core.permissions import Role
from app.extensions import db
from app.followups.models import FollowUp
from app.interactions.models import Interaction
from tests.browser.conftest import describe
from tests.browser.keyboard import keyboard_login as _keyboard_login
from tests.browser.keyboard import tab_to as _tab_to
from tests.builders.companies import make_company
from tests.builders.strategy import focus_areas
from tests.builders.users import make_user

pytestmark = pytest.mark.browser


def test_a_participant_is_picked_with_arrow_keys_and_enter(page, users, axe_check):
    company = make_company("Väljarnas Verkstad AB")
    karin = make_user(
        Role.LOTS, name="Karin Kvistvägen", email="karin.kvist@kommun.example", department="Miljö"
    )
    make_user(Role.CHEF, name="Kalle Kvistberg", email="kalle.kvist@kommun.example")
    area = focus_areas()[0]
    db.session.commit()
    _keyboard_login(page, users["lots"])
    page.goto(f"/kontakter/ny?company_id={company.id}")
    page.get_by_text("Fler uppgifter").click()  # participants are among the rarely used fields

    combobox = page.get_by_role("combobox", name="Lägg till deltagare")
    assert combobox.get_attribute("aria-expanded") == "false"
    assert combobox.get_attribute("aria-controls") == "participant_ids-listbox"
    _tab_to(page, "el.id === 'participant_ids'")
    page.keyboard.type("kvist")
    listbox = page.get_by_role("listbox", name="Förslag: Deltagare från kommunen")
    listbox.get_by_role("option").nth(1).wait_for()
    assert combobox.get_attribute("aria-expanded") == "true"
    status = page.locator("#participant_ids ~ [role=status]")
    assert status.inner_text() == "2 förslag. Pil ned för att välja."
    assert status.get_attribute("aria-live") == "polite"
    violations = axe_check(page)
    assert violations == [], describe(violations)

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")  # back to the first: Kalle sorts before Karin
    page.keyboard.press("ArrowDown")
    active = combobox.get_attribute("aria-activedescendant")
    assert page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    assert page.locator(f"#{active} span").first.inner_text() == "Karin Kvistvägen"
    page.keyboard.press("Enter")  # picks, does not submit
    assert combobox.get_attribute("aria-expanded") == "false"
    assert combobox.input_value() == ""
    assert status.inner_text() == "Karin Kvistvägen är tillagd. 2 valda."
    chosen = page.get_by_role("checkbox", name="Karin Kvistvägen")
    assert chosen.is_checked()
    assert page.url.endswith(f"/kontakter/ny?company_id={company.id}")

    # Escape closes the list without picking.
    page.keyboard.type("kalle")
    listbox.get_by_role("option").first.wait_for()
    page.keyboard.press("Escape")
    assert combobox.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")

    page.locator("#subject").fill("Möte om lokaler")
    page.get_by_role("radio", name=area.name).check()
    page.get_by_role("button", name="Logga kontakten").click()
    page.wait_for_url(f"**/foretag/{company.id}#kontakt-*")  # the saved contact, shown near the top
    db.session.rollback()  # end the read transaction: see what the server wrote
    saved = db.session.scalar(sa.select(Interaction).where(Interaction.company_id == company.id))
    ids = set(
        db.session.scalars(
            sa.select(User.id).join(Interaction.participants).where(Interaction.id == saved.id)
        )
    )
    assert ids == {users["lots"].id, karin.id}


def test_an_assignee_is_picked_with_the_keyboard(page, users, axe_check):
    sigrid = make_user(Role.LOTS, name="Sigrid Sjöblom-Tangent", email="sigrid.tangent@kommun.example")
    db.session.commit()
    _keyboard_login(page, users["lots"])
    page.goto("/uppfoljningar/ny")
    page.locator("#title").fill("Ring Sigrid om tangentbordet")
    page.locator("#due_on").fill("2031-02-03")
    combobox = page.get_by_role("combobox", name="Ansvarig")
    assert combobox.input_value() == users["lots"].name
    _tab_to(page, "el.id === 'assignee_id'")
    page.keyboard.press("Control+a")
    page.keyboard.type("SJÖBLOM")
    page.get_by_role("option", name="Sigrid Sjöblom-Tangent").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert combobox.input_value() == "Sigrid Sjöblom-Tangent"
    assert page.locator("input[name=assignee_id]").input_value() == str(sigrid.id)
    violations = axe_check(page)
    assert violations == [], describe(violations)
    page.keyboard.press("Enter")  # list closed: Enter submits the form
    page.wait_for_url(lambda url: "/uppfoljningar/ny" not in url)
    db.session.rollback()  # end the read transaction: see what the server wrote
    followup = db.session.scalar(sa.select(FollowUp).where(FollowUp.title == "Ring Sigrid om tangentbordet"))
    assert followup.assignee_id == sigrid.id
