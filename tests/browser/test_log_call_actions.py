"""Issue 15 §1: a phone call is logged in at most six user actions from the start page (desktop
1366×900 and phone 390×844) and from a company page. Every action goes through `Actions`, which
counts it (a click = 1, a key press = 1, typing a word or phrase into the focused field = 1) and
fails the test above the limit. Typing never focuses a field for free: `type` writes into what
has the focus, so the form must put the focus where the user types next.

Also: the focus area's suggestion is never submitted silently, "Gällde tillstånd" adds one permit
row at a time, the follow-up choices show the date they set, and axe finds nothing serious on the
form on a desktop and a phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from babel.dates import format_date

from app.core.calendar import working_day_on_or_after
from app.core.time import local_today, utcnow
from app.extensions import db
from tests.browser.conftest import describe
from tests.builders.companies import make_company
from tests.builders.interactions import make_interaction
from tests.builders.strategy import focus_areas

pytestmark = pytest.mark.browser

LIMIT = 6
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


class Actions:
    """The user's actions, counted. `done()` asserts the total."""

    def __init__(self, page, limit: int = LIMIT) -> None:
        self.page, self.limit, self.log = page, limit, []

    def click(self, locator, what: str) -> None:
        locator.click()
        self.log.append(f"click {what}")

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.log.append(f"press {key}")

    def type(self, text: str) -> None:
        """Type into the element that has the focus (which must be a text field)."""
        focused = self.page.evaluate(
            "(() => { const el = document.activeElement;"
            " return el && (el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && el.type !== 'radio'"
            " && el.type !== 'checkbox')) ? (el.id || el.name) : null; })()"
        )
        assert focused, f"nothing to type {text!r} into: the focus is not in a text field"
        self.page.keyboard.type(text)
        self.log.append(f"type {text!r} into {focused}")

    @property
    def count(self) -> int:
        return len(self.log)

    def done(self) -> None:
        assert self.count <= self.limit, f"{self.count} actions (limit {self.limit}): {self.log}"


def _header_button(page):
    return page.get_by_role("banner").get_by_role("link", name="Logga kontakt")


def _log_from_start_page(page, company_name: str, area_name: str, subject: str) -> Actions:
    page.goto("/")
    act = Actions(page)
    act.click(_header_button(page), "Logga kontakt (header)")
    page.wait_for_url("**/kontakter/ny")
    act.type(company_name.split()[0])  # part of the name
    option = page.get_by_role("option", name=company_name)
    act.click(option, company_name)
    page.wait_for_url("**/kontakter/ny?company_id=*")
    act.type(subject)  # the subject has the focus once the company is chosen
    act.click(page.get_by_role("radio", name=area_name), area_name)
    act.press("Enter")  # Enter on the chosen focus area saves
    return act


def _assert_contact_on_company_page(page, company, subject: str, area_label: str) -> None:
    page.wait_for_url(f"**/foretag/{company.id}#kontakt-*")
    assert f"Telefonsamtal med {company.name} är loggad." in page.locator(".flashes").inner_text()
    anchor = page.url.split("#", 1)[1]
    item = page.locator(f"#{anchor}")
    assert f"Telefonsamtal: {subject}" in item.inner_text()
    assert area_label in item.locator(".tag").all_inner_texts()
    # In the window on arrival (the page scrolled to it), not 2 850 px down the page.
    box = item.bounding_box()
    assert box is not None
    assert box["y"] >= -1, box  # (sub-pixel rounding when scrolled to the item)
    assert box["y"] + box["height"] <= page.viewport_size["height"], box


def test_a_phone_call_from_the_start_page_on_a_desktop_in_six_actions(page, users, browser_login):
    company = make_company("Startsidans Snickeri AB")
    area = focus_areas()[1]
    db.session.commit()
    page.set_viewport_size(DESKTOP)
    browser_login(users["lots"])

    act = _log_from_start_page(page, company.name, area.name, "Frågade om lokaler")

    _assert_contact_on_company_page(page, company, "Frågade om lokaler", area.label)
    act.done()


def test_a_phone_call_on_a_phone_in_six_actions(page, users, browser_login):
    company = make_company("Telefonens Trädgård AB")
    area = focus_areas()[3]
    for n in range(15):  # a long company page: the new contact is far below the first screen
        make_interaction(
            company, users["lots"], subject=f"Tidigare samtal {n}", at=utcnow() - timedelta(days=n + 1)
        )
    db.session.commit()
    page.set_viewport_size(PHONE)
    browser_login(users["lots"])

    # The header's button is in the first screen of the start page.
    page.goto("/")
    box = _header_button(page).bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"], box
    act = _log_from_start_page(page, company.name, area.name, "Ringde om rekrytering")

    _assert_contact_on_company_page(page, company, "Ringde om rekrytering", area.label)
    act.done()


def test_a_phone_call_from_the_company_page_in_four_actions(page, users, browser_login):
    company = make_company("Företagssidans Fönster AB")
    areas = focus_areas()
    make_interaction(company, users["lots"], focus_area_id=areas[0].id, subject="Förra samtalet")
    db.session.commit()
    page.set_viewport_size(DESKTOP)
    browser_login(users["lots"])
    page.goto(f"/foretag/{company.id}")

    act = Actions(page)
    act.click(_header_button(page), "Logga kontakt (header)")
    page.wait_for_url(f"**/kontakter/ny?company_id={company.id}")
    act.type("Bygglov för lagret")
    act.click(page.get_by_role("radio", name=areas[2].name), areas[2].name)
    act.click(page.get_by_role("button", name="Logga kontakten"), "Logga kontakten")

    _assert_contact_on_company_page(page, company, "Bygglov för lagret", areas[2].label)
    assert act.count == 4
    act.done()


def test_the_shortcut_opens_the_form_for_the_company_of_the_page(page, users, browser_login):
    company = make_company("Genvägens Glas AB")
    db.session.commit()
    browser_login(users["lots"])
    page.goto("/kontakter")
    button = _header_button(page)
    assert button.get_attribute("aria-keyshortcuts") == "Alt+Shift+K"
    assert "Alt+Shift+K" in button.inner_text()
    # Not while typing in a field: the keys belong to the field.
    page.locator("#header-q").focus()
    page.keyboard.press("Alt+Shift+K")
    page.wait_for_timeout(300)
    assert page.url.endswith("/kontakter")
    # Anywhere else: the company picker, or the form for the company of a company page.
    page.locator("h1").click()
    page.keyboard.press("Alt+Shift+K")
    page.wait_for_url("**/kontakter/ny")
    assert page.evaluate("document.activeElement.id") == "company-q"
    page.goto(f"/foretag/{company.id}")
    page.keyboard.press("Alt+Shift+K")
    page.wait_for_url(f"**/kontakter/ny?company_id={company.id}")
    assert page.evaluate("document.activeElement.id") == "subject"


def test_the_suggested_focus_area_is_not_submitted_without_a_choice(page, users, browser_login, axe_check):
    company = make_company("Förslagets Färgeri AB")
    areas = focus_areas()
    make_interaction(company, users["lots"], focus_area_id=areas[4].id)
    db.session.commit()
    browser_login(users["lots"])
    page.goto(f"/kontakter/ny?company_id={company.id}")

    suggested = page.locator(".radio--suggested")
    assert suggested.count() == 1
    assert areas[4].name in suggested.inner_text()
    assert "Förslag" in suggested.inner_text()
    assert page.locator("input[name=focus_area_id]:checked").count() == 0

    page.keyboard.type("Frågade om parkering")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    assert "Välj ett fokusområde" in page.locator(".error-summary").inner_text()
    assert "Välj ett fokusområde" in page.locator("#focus_area_id").inner_text()
    assert page.locator("#subject").input_value() == "Frågade om parkering"
    assert page.locator("input[name=focus_area_id]:checked").count() == 0
    violations = axe_check(page)
    assert violations == [], describe(violations)


def test_gallde_tillstand_adds_one_permit_row_at_a_time(page, users, browser_login):
    company = make_company("Tillståndens Torg AB")
    db.session.commit()
    browser_login(users["lots"])
    page.goto(f"/kontakter/ny?company_id={company.id}")

    rows = page.locator("[data-permit-row]")
    assert page.locator("[data-permit-rows]").is_hidden()
    page.get_by_label("Gällde tillstånd").check()
    assert [rows.nth(i).is_visible() for i in range(rows.count())].count(True) == 1
    assert page.evaluate("document.activeElement.name") == "permit_rows-0-permit_type_id"
    page.get_by_role("button", name="Lägg till ett tillstånd").click()
    assert [rows.nth(i).is_visible() for i in range(rows.count())].count(True) == 2

    # Save with one permit type: the contact is a phone call that concerned a permit.
    permit = page.locator("#permit_rows-0-permit_type_id option").nth(1).inner_text()
    page.locator("#permit_rows-0-permit_type_id").select_option(label=permit)
    page.locator("#subject").fill("Serveringstillstånd")
    page.get_by_role("radio", name=focus_areas()[0].name).check()
    page.get_by_role("button", name="Logga kontakten").click()
    page.wait_for_url(f"**/foretag/{company.id}#kontakt-*")
    page.locator(".timeline__item:target a").first.click()
    assert permit in page.locator("main").inner_text()
    assert "Telefonsamtal" in page.locator("main").inner_text()


def test_the_follow_up_choices_show_the_date_they_set(page, users, browser_login):
    company = make_company("Uppföljningens Ugn AB")
    db.session.commit()
    browser_login(users["lots"])
    page.goto(f"/kontakter/ny?company_id={company.id}")
    due = working_day_on_or_after(local_today() + timedelta(weeks=2))
    label = format_date(due, "EEE d MMM", locale="sv").replace(".", "")
    options = page.locator("#followup option").all_inner_texts()
    assert f"Om 2 veckor – {label}" in options, options


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_contact_form_has_no_serious_axe_violations(page, users, browser_login, axe_check, size):
    company = make_company(f"Axes Arkitekter {size['width']} AB")
    db.session.commit()
    page.set_viewport_size(size)
    browser_login(users["lots"])
    for url in ("/kontakter/ny", f"/kontakter/ny?company_id={company.id}"):
        page.goto(url)
        if "company_id" in url:
            page.locator("details.more-fields > summary").click()  # check the folded fields too
        violations = axe_check(page)
        assert violations == [], f"{url}: {describe(violations)}"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, url
