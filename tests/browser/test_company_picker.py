"""The one company picker in a real browser: a new lotsärende for a company that does not exist
yet without leaving the flow; the picker found by organisationsnummer and by a contact person's
name with the keyboard alone (ARIA 1.2 combobox, the result count announced); the plain search
without JavaScript; the company form's duplicate warning; the company page's action bar; axe on
every form with the picker, desktop and phone."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.cases.models import LotsCase
from app.companies.models import Company
from app.extensions import db
from app.followups.models import FollowUp
from tests.browser.conftest import describe
from tests.browser.keyboard import keyboard_login as _keyboard_login
from tests.browser.keyboard import tab_to as _tab_to
from tests.builders import cases as cf
from tests.builders.companies import make_company, make_contact_person
from tests.builders.strategy import focus_areas

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _axe_clean(page, axe_check) -> None:
    violations = axe_check(page)
    assert violations == [], describe(violations)


def test_new_case_for_a_company_that_does_not_exist_yet(page, users, browser_login, axe_check):
    area = focus_areas()[1]
    kind = cf.case_type()
    db.session.commit()
    browser_login(users["lots"])
    page.goto("/arenden/nytt")
    _axe_clean(page, axe_check)
    page.locator("#title").fill("Ny verkstadshall")
    page.locator("#case_type_id").select_option(str(kind.id))
    page.locator("#focus_area_id").select_option(str(area.id))
    picker = page.get_by_role("combobox", name="Företag", exact=True)
    picker.fill("Zqnya Verkstäder Tuna")
    status = page.locator("#company ~ [role=status]")
    status.filter(has_text="Inga företag matchar").wait_for(state="attached")
    assert "Nytt företag" in status.inner_text()

    page.get_by_role("button", name="Nytt företag").click()
    page.wait_for_url("**/foretag/nytt?**")
    assert page.locator("#name").input_value() == "Zqnya Verkstäder Tuna"
    page.get_by_role("button", name="Spara", exact=True).click()

    page.wait_for_url("**/arenden/nytt?**")
    db.session.rollback()
    company = db.session.scalar(sa.select(Company).where(Company.name == "Zqnya Verkstäder Tuna"))
    assert company is not None
    assert picker.input_value() == "Zqnya Verkstäder Tuna"
    assert page.locator("input[name=company_id]").input_value() == str(company.id)
    assert page.locator("#title").input_value() == "Ny verkstadshall"  # nothing typed is lost
    assert page.locator("#case_type_id").input_value() == str(kind.id)
    assert page.locator("#focus_area_id").input_value() == str(area.id)
    _register_and_find_the_case(page, db, "Ny verkstadshall", company)


def test_picker_by_contact_person_and_orgnr_with_the_keyboard(page, users, axe_check):
    company = make_company("Zqkey Smide AB")
    make_contact_person(company, name="Zqperson Lindqvist")
    other = make_company("Zqkey Plåt AB")
    db.session.commit()
    _keyboard_login(page, users["lots"])
    page.goto("/uppfoljningar/ny")
    page.keyboard.press("Tab")
    _tab_to(page, "el.id === 'title'")
    page.keyboard.type("Ring om ritningarna")
    page.locator("#due_on").fill("2026-12-01")  # (the date field is not what this test is about)
    page.locator("#due_on").focus()
    _tab_to(page, "el.id === 'company'")
    page.keyboard.type("Lindqvist")
    combobox = page.get_by_role("combobox", name="Företag (valfritt)")
    listbox = page.get_by_role("listbox", name="Förslag: företag")
    listbox.get_by_role("option").first.wait_for()
    status = page.locator("#company ~ [role=status]")
    assert status.inner_text() == "1 företag. Pil ned för att välja."
    assert status.get_attribute("aria-live") == "polite"
    assert combobox.get_attribute("aria-expanded") == "true"
    _axe_clean(page, axe_check)
    page.keyboard.press("ArrowDown")
    assert (
        page.locator(f"#{combobox.get_attribute('aria-activedescendant')}").get_attribute("aria-selected")
        == "true"
    )
    page.keyboard.press("Enter")  # picks, does not submit
    assert combobox.input_value() == "Zqkey Smide AB"
    assert page.locator("input[name=company_id]").input_value() == str(company.id)
    assert status.inner_text() == "Zqkey Smide AB är valt."

    # By organisationsnummer: typing replaces the choice; Escape closes without picking.
    page.keyboard.press("Control+a")
    page.keyboard.type(other.orgnr[:6] + "-" + other.orgnr[6:])
    assert page.locator("input[name=company_id]").input_value() == ""
    listbox.get_by_role("option").first.wait_for()
    page.keyboard.press("Escape")
    assert combobox.get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("input[name=company_id]").input_value() == str(other.id)
    _tab_to(page, "el.textContent.trim() === 'Spara'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/uppfoljningar")
    db.session.rollback()
    saved = db.session.scalar(sa.select(FollowUp).where(FollowUp.title == "Ring om ritningarna"))
    assert saved.company_id == other.id


def test_without_javascript_the_picker_is_a_plain_search(signed_in_without_js, users, db):
    company = make_company("Zqnojs Snickeri AB")
    make_company("Zqnojs Måleri AB")
    area = focus_areas()[0]
    kind = cf.case_type()
    db.session.commit()
    page = signed_in_without_js(users["lots"])
    page.goto("/arenden/nytt")
    page.locator("#title").fill("Utan skript")
    page.locator("#case_type_id").select_option(str(kind.id))
    page.locator("#focus_area_id").select_option(str(area.id))
    page.locator("#company").fill("Zqnojs")
    page.get_by_role("button", name="Sök företag").click()
    page.get_by_role("radio", name="Zqnojs Snickeri AB").check()
    assert page.locator("#title").input_value() == "Utan skript"
    _register_and_find_the_case(page, db, "Utan skript", company)


def test_duplicate_warning_shows_the_similar_company_and_saves_anyway(page, users, browser_login, axe_check):
    existing = make_company("Zqdubb Industriservice AB", postcode="784 33")
    db.session.commit()
    browser_login(users["lots"])
    page.goto("/foretag/nytt?name=Zqdubb+Industriservice")
    page.locator("#postcode").fill("78433")
    page.locator("#phone").fill("0243-55 55 55")
    page.get_by_role("button", name="Spara", exact=True).click()
    warning = page.get_by_role("alert").filter(has_text="Finns företaget redan?")
    warning.wait_for()
    assert (
        warning.get_by_role("link", name="Zqdubb Industriservice AB").get_attribute("href")
        == f"/foretag/{existing.id}"
    )
    assert page.locator("#phone").input_value() == "0243-55 55 55"
    _axe_clean(page, axe_check)
    page.set_viewport_size(PHONE)
    _axe_clean(page, axe_check)
    page.get_by_role("button", name="Spara ändå").click()
    page.wait_for_url("**/foretag/*")
    db.session.rollback()
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Company)
            .where(Company.name.like("Zqdubb Industriservice%"))
        )
        == 2
    )


def test_action_bar_opens_each_form_with_the_company(page, users, browser_login, axe_check):
    company = make_company("Zqbar Bageri AB")
    db.session.commit()
    browser_login(users["lots"])
    page.goto(f"/foretag/{company.id}")
    bar = page.get_by_role("navigation", name="Åtgärder för företaget")
    labels = [a.inner_text() for a in bar.get_by_role("link").all()]
    assert labels == ["Logga kontakt", "Nytt lotsärende", "Ny uppföljning", "Planera besök", "Besöksunderlag"]
    _axe_clean(page, axe_check)
    for label in labels:
        page.goto(f"/foretag/{company.id}")
        page.get_by_role("navigation", name="Åtgärder för företaget").get_by_role("link", name=label).click()
        page.wait_for_load_state("domcontentloaded")
        assert (
            "Zqbar Bageri AB" in page.locator("main").inner_text()
            or page.locator("input[value='Zqbar Bageri AB']").count()
        ), label


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_forms_with_the_picker_pass_axe(page, users, browser_login, axe_check, viewport):
    company = make_company("Zqaxe Verkstad AB")
    from app.plan import action_plan as plan

    activity = plan.create_activity(
        plan.ActivityInput(
            focus_area_id=focus_areas()[0].id, title="Zqaxe aktivitet", responsible_name="Näringsliv"
        ),
        actor=users["lots"],
    )
    db.session.commit()
    browser_login(users["lots"])
    if viewport:
        page.set_viewport_size(viewport)
    for url in (
        "/arenden/nytt?company=Zqaxe&company_search=1",
        f"/arenden/nytt?company_id={company.id}",
        "/uppfoljningar/ny",
        f"/foretag/{company.id}/sla-samman?company=Zqaxe&company_search=1",
        f"/strategi/handlingsplan/{activity.id}?company_id={company.id}",
        f"/foretag/{company.id}",
        "/kontakter/ny",
        "/kontakter/ny?company=Zqaxe&company_search=1",
        f"/kontakter/ny?company_id={company.id}",
        "/besok/nytt",
        "/besok/nytt?company=Zqaxe&company_search=1",
        f"/besok/nytt?company_id={company.id}",
    ):
        page.goto(url)
        violations = axe_check(page)
        assert violations == [], f"{url}: {describe(violations)}"


@pytest.mark.parametrize(
    ("url", "save"),
    [("/kontakter/ny", "Logga kontakten"), ("/besok/nytt", "Spara")],
    ids=["contact", "visit"],
)
def test_the_contact_and_visit_forms_pick_a_company_by_part_of_its_name(
    page, users, browser_login, url, save
):
    """The contact form and the visit form name their company with the one picker (the macro):
    part of the name typed, the company picked from the list fills the macro's hidden id."""
    company = make_company(f"Zqdel {save} Verkstäder AB")
    make_contact_person(company, "Zqdel Person")
    db.session.commit()
    browser_login(users["lots"])
    page.goto(url)
    field = page.locator("[data-company-field][data-company-ready]")
    field.wait_for(state="attached")
    assert field.get_by_role("button", name="Sök företag").count() == 0  # JavaScript: no search button
    picker = field.get_by_role("combobox", name="Företag", exact=True)
    picker.press_sequentially(f"zqdel {save.split()[0].lower()}")
    field.get_by_role("option", name=company.name).click()
    expect_value = str(company.id)
    page.wait_for_function(
        "id => document.querySelector('[data-company-field] [data-company-value]')?.value === id",
        arg=expect_value,
    )
    if url == "/kontakter/ny":  # the form for the company: its contact persons, the subject next
        page.wait_for_url(f"**/kontakter/ny?company_id={company.id}")
        assert page.evaluate("document.activeElement.id") == "subject"
        page.locator("details.more-fields > summary").click()
        assert page.get_by_label("Zqdel Person").count() == 1
    else:  # the host choices followed the company
        host = page.get_by_label("Värd på företaget")
        host.locator("option", has_text="Zqdel Person").wait_for(state="attached")
    assert page.get_by_role("combobox", name="Företag", exact=True).input_value() == company.name


def test_changing_the_company_of_the_contact_form_keeps_what_was_typed(page, users, browser_login):
    first = make_company("Zqbyt Första AB")
    second = make_company("Zqbyt Andra AB")
    make_contact_person(second, "Zqbyt Kontakt")
    db.session.commit()
    browser_login(users["lots"])
    page.goto(f"/kontakter/ny?company_id={first.id}")
    page.locator("#subject").fill("Samtal om lokaler")
    picker = page.get_by_role("combobox", name="Företag", exact=True)
    assert picker.input_value() == first.name  # prefilled from the company page's link
    picker.fill("")
    picker.press_sequentially("zqbyt andra")
    page.get_by_role("option", name=second.name).click()
    page.wait_for_url(f"**/kontakter/ny?company_id={second.id}&**")
    assert page.locator("#subject").input_value() == "Samtal om lokaler"
    assert page.locator("input[data-company-value]").input_value() == str(second.id)
    page.locator("details.more-fields > summary").click()
    assert page.get_by_label("Zqbyt Kontakt").count() == 1


@pytest.mark.parametrize(
    ("url", "save"),
    [("/kontakter/ny", "Logga kontakten"), ("/besok/nytt", "Spara")],
    ids=["contact", "visit"],
)
def test_without_javascript_the_contact_and_visit_forms_search_and_keep_the_form(
    signed_in_without_js, users, db, url, save
):
    company = make_company(f"Zqnojs {save} Snickeri AB")
    make_company(f"Zqnojs {save} Måleri AB")
    db.session.commit()
    page = signed_in_without_js(users["lots"])
    page.goto(url)
    typed = page.locator("#subject") if url == "/kontakter/ny" else page.get_by_label("Syfte med besöket")
    typed.fill("Utan skript")
    page.locator("input[name=company]").fill("Zqnojs " + save)
    page.get_by_role("button", name="Sök företag").click()
    page.get_by_role("radio", name=company.name).check()
    assert typed.input_value() == "Utan skript"  # nothing typed is lost
    page.get_by_role("button", name="Sök företag").click()
    assert page.locator("input[data-company-value]").input_value() == str(company.id)
    assert page.locator("[data-company-choices]").count() == 0  # chosen: no choices left
    assert typed.input_value() == "Utan skript"


def _register_and_find_the_case(page, db, title: str, company) -> None:
    """Send the new-case form; the case page names the company, and the case is saved with it."""
    page.get_by_role("button", name="Registrera ärendet").click()
    page.wait_for_url("**/arenden/*")
    assert company.name in page.locator("main").inner_text()
    db.session.rollback()
    case = db.session.scalar(sa.select(LotsCase).where(LotsCase.title == title))
    assert case.company_id == company.id
