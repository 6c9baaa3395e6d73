"""The follow-up actions ("Klar", "Nästa arbetsdag", "En vecka", "Avbryt"), one form per row
whose snooze buttons carry their own `formaction` and `days`: with JavaScript the row is updated
in place (app/static/js/followups.js sends the pressed button's endpoint and value), without it
the plain post does the same and comes back. axe finds nothing serious on the list and the start
page, on a desktop and a phone."""

from __future__ import annotations

import re

import pytest

from app.core.time import local_today
from app.extensions import db
from app.followups.models import FollowUp
from app.followups.services import snooze_days
from tests.browser.conftest import describe
from tests.builders.followups import make_followup

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _button(scope, label: str, hidden: str):
    """The button `label` whose visually hidden rest says `hidden` (Chromium puts a space
    between the visible label and the hidden span in the accessible name)."""
    return scope.get_by_role("button", name=re.compile(rf"^{re.escape(label)}\s*: {re.escape(hidden)}$"))


def _fresh(followup_id: int) -> FollowUp:
    db.session.commit()  # end the read snapshot: the server wrote
    return db.session.get(FollowUp, followup_id, populate_existing=True)


def test_snooze_done_and_cancel_update_the_row_in_place(page, browser_login, users, axe_check):
    today = local_today()
    week = make_followup(users["lots"], today, title="Ring Skjutsarna AB")
    done = make_followup(users["lots"], today, title="Skicka offert till Klarvik")
    dropped = make_followup(users["lots"], today, title="Boka möte med Avbrottet")
    browser_login(users["lots"])
    page.goto("/uppfoljningar")
    page.evaluate("window.notReloaded = true")
    violations = axe_check(page)
    assert violations == [], describe(violations)

    row = page.locator(f"#uppfoljning-{week.id}")
    _button(row, "En vecka", "skjut upp Ring Skjutsarna AB").click()
    expected = snooze_days(7).isoformat()
    page.locator(".flashes").get_by_text(f"”Ring Skjutsarna AB” är uppskjuten till {expected}.").wait_for()
    assert row.locator("[data-followup-due]").inner_text() == expected
    assert _fresh(week.id).due_on.isoformat() == expected
    assert _fresh(week.id).status == "open"
    # The row keeps its buttons with the new version: a second click is not a conflict.
    _button(row, "Nästa arbetsdag", "skjut upp Ring Skjutsarna AB").click()
    nxt = snooze_days(1).isoformat()
    page.locator(".flashes").get_by_text(f"”Ring Skjutsarna AB” är uppskjuten till {nxt}.").wait_for()
    assert _fresh(week.id).due_on.isoformat() == nxt

    row = page.locator(f"#uppfoljning-{done.id}")
    _button(row, "Klar", "Skicka offert till Klarvik").click()
    page.locator(".flashes").get_by_text("”Skicka offert till Klarvik” är klar.").wait_for()
    assert row.locator("[data-followup-actions]").count() == 0
    assert _fresh(done.id).status == "done"

    page.once("dialog", lambda dialog: dialog.accept())
    row = page.locator(f"#uppfoljning-{dropped.id}")
    _button(row, "Avbryt", "Boka möte med Avbrottet").click()
    page.locator(".flashes").get_by_text("”Boka möte med Avbrottet” är avbruten.").wait_for()
    assert _fresh(dropped.id).status == "cancelled"
    assert page.evaluate("window.notReloaded === true")  # no page load on the way
    # The closed rows stay readable: muted, but above the contrast minimum (opacity was not).
    assert page.locator(".fu-closed").count() == 2
    violations = axe_check(page)
    assert violations == [], describe(violations)


def test_without_javascript_the_pressed_button_posts_and_comes_back(signed_in_without_js, users):
    today = local_today()
    later = make_followup(users["lots"], today, title="Följ upp Utan Skript AB")
    finished = make_followup(users["lots"], today, title="Avsluta Utan Skript AB")
    page = signed_in_without_js(users["lots"])
    page.goto("/")
    _button(page, "Nästa arbetsdag", "skjut upp Följ upp Utan Skript AB").click()
    page.wait_for_url("**/")
    expected = snooze_days(1).isoformat()
    assert (
        f"”Följ upp Utan Skript AB” är uppskjuten till {expected}." in page.locator(".flashes").inner_text()
    )
    assert _fresh(later.id).due_on.isoformat() == expected
    _button(page, "Klar", "Avsluta Utan Skript AB").click()
    assert "”Avsluta Utan Skript AB” är klar." in page.locator(".flashes").inner_text()
    assert _fresh(finished.id).status == "done"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_action_buttons_pass_axe(page, browser_login, users, axe_check, viewport):
    today = local_today()
    make_followup(users["lots"], today, title="Tillgänglig uppföljning")
    browser_login(users["lots"])
    page.set_viewport_size(viewport)
    for path in ("/", "/uppfoljningar"):
        page.goto(path)
        assert _button(page, "Klar", "Tillgänglig uppföljning").count() == 1
        violations = axe_check(page)
        assert violations == [], describe(violations)
