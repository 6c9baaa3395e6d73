"""A företagslots takes a lots case from intake to closure through the UI (new case, a permit
row, status changes, closing with an outcome); the case page and the public survey page pass
axe (WCAG 2.1 A/AA), and the survey works without JavaScript on a phone-sized screen."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.cases.models import LotsCase, SurveyInvitation, SurveyResponse
from app.cases.survey import hash_token
from tests.browser.conftest import describe
from tests.builders import cases as f
from tests.builders.companies import make_company, make_contact_person

pytestmark = pytest.mark.browser


def test_case_from_intake_to_closure(page, db, users, browser_login, axe_check):
    company = make_company("Kafé Kupolen AB")
    make_contact_person(company, name="Åsa Ägare", email="asa@kupolen.example")
    db.session.commit()
    browser_login(users["lots"])

    # Intake: find the company, fill in the case.
    page.goto("/arenden")
    page.get_by_role("link", name="Nytt ärende").click()
    page.get_by_role("combobox", name="Företag", exact=True).fill("Kupolen")
    page.get_by_role("listbox", name="Förslag: företag").get_by_role("option", name="Kafé Kupolen AB").click()
    page.get_by_label("Rubrik").fill("Café med uteservering")
    page.get_by_label("Beskrivning").fill("Vill öppna café med servering.")
    page.get_by_label("Ärendetyp").select_option(label="Tillståndsvägledning")
    page.get_by_label("Fokusområde").select_option(index=3)
    page.get_by_label("Kontaktperson").select_option(label="Åsa Ägare (asa@kupolen.example)")
    page.get_by_label("Kanal").select_option(label="Telefon")
    page.get_by_role("button", name="Registrera ärendet").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "Café med uteservering"
    assert "Inkommet" in page.locator("main").inner_text()

    # A permit row with its statutory clock.
    page.get_by_text("Lägg till tillstånd").click()
    page.get_by_label("Tillstånd eller område").select_option(label="Bygglov")
    page.get_by_label("Inlämnad").fill("2026-01-05")
    page.get_by_label("Föreläggande om komplettering").fill("2026-01-12")
    page.get_by_label("Komplett", exact=True).fill("2026-01-20")
    page.get_by_role("button", name="Lägg till", exact=True).click()
    page.wait_for_load_state("networkidle")
    permits = page.locator("#tillstand").inner_text()
    assert "Bygglov" in permits
    assert "2026-03-31" in permits  # 20 January + 10 weeks: the föreläggande came within three weeks

    violations = axe_check(page)
    assert violations == [], describe(violations)

    # Through the workflow to closure with an outcome.
    page.get_by_label("Ny status").select_option(label="Väntar på förvaltning")
    page.get_by_role("button", name="Ändra status").click()
    page.wait_for_load_state("networkidle")
    assert "Väntar på förvaltning" in page.locator(".tag").first.inner_text()
    page.get_by_label("Ny status").select_option(label="Avslutat")
    page.get_by_role("button", name="Ändra status").click()  # no outcome: refused
    page.wait_for_load_state("networkidle")
    assert "Ange ett utfall när ärendet avslutas." in page.locator("main").inner_text()
    page.get_by_label("Ny status").select_option(label="Avslutat")
    page.get_by_label("Utfall (när ärendet avslutas)").select_option(label="Löst")
    page.get_by_role("button", name="Ändra status").click()
    page.wait_for_load_state("networkidle")
    main = page.locator("main").inner_text()
    assert "Avslutat: löst" in main
    assert "Nöjdhetsenkät: skickas tidigast" in main
    assert page.get_by_role("button", name="Öppna ärendet igen").is_visible()

    db.session.rollback()  # end the test's own read snapshot (SQLite WAL) before looking
    case = db.session.scalar(sa.select(LotsCase).where(LotsCase.title == "Café med uteservering"))
    assert (case.status, case.outcome) == ("closed", "solved")
    history = page.locator("#historik").inner_text()
    assert "Status: Avslutat (löst)" in history
    assert "Status: Väntar på förvaltning" in history


def test_survey_page_passes_axe_and_works_without_javascript(browser, live_server, db, users, axe_check):
    case = f.make_case(users["lots"])
    f.close_case(case, users["lots"])
    invitation = db.session.scalar(sa.select(SurveyInvitation).where(SurveyInvitation.case_id == case.id))
    invitation.token_hash, invitation.sent_at = hash_token("webblasartoken"), f.NOW
    db.session.commit()

    context = browser.new_context(
        base_url=live_server.url,
        locale="sv-SE",
        java_script_enabled=False,
        viewport={"width": 360, "height": 740},
    )
    page = context.new_page()
    try:
        page.goto("/enkat/webblasartoken")
        assert page.title().startswith("Vad tyckte du om kommunens service?")
        assert page.locator("html").get_attribute("lang") == "sv"
        assert page.locator("fieldset").count() == 9
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        # Keyboard and labels: each radio is reachable through its label.
        page.get_by_role(
            "group", name="Sammantaget, hur nöjd är du med kommunens service i ditt ärende?"
        ).get_by_label("9").check()
        page.get_by_role("group", name="Hur väl motsvarade servicen dina förväntningar?").get_by_label(
            "8"
        ).check()
        page.get_by_role("button", name="Skicka svaren").click()  # one question missing
        assert "Några frågor behöver svar" in page.locator("main").inner_text()
        page.get_by_role("group", name="Hur nära en ideal service kom den?").get_by_label("7").check()
        page.get_by_label("Vill du berätta något mer?").fill("Tack för hjälpen!")
        page.get_by_role("button", name="Skicka svaren").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Tack för dina svar!"
        page.goto("/enkat/webblasartoken")
        assert page.get_by_role("heading", level=1).inner_text() == "Enkäten är redan besvarad"
    finally:
        context.close()

    # axe needs script: run it on the same page in a normal context, on a fresh token.
    other = f.make_case(users["lots"])
    f.close_case(other, users["lots"])
    invitation = db.session.scalar(sa.select(SurveyInvitation).where(SurveyInvitation.case_id == other.id))
    invitation.token_hash, invitation.sent_at = hash_token("axetoken"), f.NOW
    db.session.commit()
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    try:
        page.goto("/enkat/axetoken")
        violations = axe_check(page)
        assert violations == [], describe(violations)
        page.get_by_role("button", name="Skicka svaren").click()  # the error state too
        violations = axe_check(page)
        assert violations == [], describe(violations)
    finally:
        context.close()
    db.session.rollback()
    [answer] = db.session.scalars(sa.select(SurveyResponse).where(SurveyResponse.case_id == case.id)).all()
    assert (answer.q_overall, answer.q_expectations, answer.q_ideal) == (9, 8, 7)
    assert answer.free_text == "Tack för hjälpen!"
