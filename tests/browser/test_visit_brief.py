"""The visit brief printed to PDF the way a browser prints it (Playwright's page.pdf, A4, print
CSS): at most two pages for a company with a long history, one page for a small company, each
with its sections' real content; axe finds no serious or critical violations on the brief (desktop
and phone) and on the month calendar on a 360-px phone. Planning a visit by typing part of the
company's name is tests/browser/test_visit_plan.py."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from app.cases import permits as case_permits
from app.catalogues.queries import get_permit_type_by_code
from app.core.time import local_today, to_local, utcnow
from app.extensions import db
from app.followups import services as followups
from app.interactions import services as contacts
from tests.browser.conftest import describe
from tests.builders.cases import make_case
from tests.builders.catalogues import partner
from tests.builders.companies import make_company, make_contact_person
from tests.builders.interactions import make_interaction
from tests.builders.strategy import focus_areas
from tests.builders.visits import make_visit, promise_input, record_visit

pytestmark = pytest.mark.browser


def _rich_company(users):
    """As much as a brief shows at most: a demo-like company with history."""
    lots, ledning = users["lots"], users["ledning"]
    now, today = utcnow(), local_today()
    company = make_company(
        "Dala Verkstad & Montage AB",
        sni_code="25620",
        sni_version="2007",
        size_class="100-249",
        visiting_address="Verkstadsgatan 4",
        responsible_user_id=lots.id,
        is_key_company=True,
        contact_cadence_months=6,
    )
    host = make_contact_person(company, "Eva Ek", title="verkställande direktör", phone="0243-123 45")
    for i, title in enumerate(
        [
            "produktionschef",
            "HR-chef",
            "ekonomichef",
            "inköpare",
            "fastighetschef",
            "kvalitetschef",
            "lagerchef",
        ]
    ):
        make_contact_person(company, f"Kontakt Nummer{i}", title=title, phone="070-123 45 67")
    for months in (3, 9, 15):
        past = make_visit(
            company,
            lots,
            ledning=[ledning],
            office=[lots],
            starts_at=now - timedelta(days=30 * months),
            now=now - timedelta(days=30 * months + 10),
        )
        record_visit(
            past,
            lots,
            now=now - timedelta(days=30 * months) + timedelta(hours=3),
            promises=[
                promise_input(
                    "Skicka information om feriearbetare och praktikplatser", lots, today + timedelta(days=5)
                ),
                promise_input(
                    "Återkomma om detaljplanen för industriområdet vid Tuna",
                    ledning,
                    today + timedelta(days=20),
                ),
            ],
        )
    followups.complete_followup(
        next(f for f in followups_of(company) if f.title.startswith("Skicka")), actor=lots, done_on=today
    )
    for title, code in (("Bygglov för ny lagerhall", "bygglov"), ("Miljöanmälan för lackering", "bygglov")):
        case = make_case(lots, company=company, contact_person_id=None, now=None, title=title)
        case_permits.add_permit(
            case,
            case_permits.PermitInput(
                permit_type_id=get_permit_type_by_code(code).id, submitted_on=today - timedelta(days=30)
            ),
            actor=lots,
        )
    for days in range(1, 40, 3):
        make_interaction(
            company, lots, at=now - timedelta(days=days), focus_area_id=focus_areas()[days % 5].id
        )
    for i in range(6):
        followups.create_followup(
            followups.FollowUpInput(
                title=f"Uppföljning nummer {i} om rekrytering",
                due_on=today + timedelta(days=i + 1),
                company_id=company.id,
            ),
            actor=lots,
        )
    for name in ("Almi", "IUC", "Almi"):
        contacts.add_referral(
            contacts.ReferralInput(partner_id=partner(name).id, reason="Finansiering", company_id=company.id),
            actor=lots,
        )
    visit = make_visit(
        company,
        ledning,
        ledning=[ledning],
        office=[lots],
        starts_at=now + timedelta(days=14),
        host_contact_person_id=host.id,
        purpose="Höra om expansionsplanerna och kompetensbehovet",
        focus_area_ids=tuple(a.id for a in focus_areas()),
        key_messages="Kommunen satsar på ny industrimark vid Tuna\nHur ser ert rekryteringsbehov ut 2027?\n"
        "Vilka tillstånd behöver expansionen?",
    )
    db.session.commit()
    return company, visit


def _pdf_text(page) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=False)))
    return len(reader.pages), " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def followups_of(company):
    import sqlalchemy as sa

    from app.followups.models import FollowUp

    return db.session.scalars(
        sa.select(FollowUp).where(FollowUp.company_id == company.id, FollowUp.status == "open")
    )


def test_brief_prints_on_at_most_two_a4_pages(page, users, browser_login, axe_check):
    company, visit = _rich_company(users)
    browser_login(users["ledning"])
    page.goto(f"/besok/{visit.id}/underlag")
    assert page.get_by_role("heading", level=1).inner_text() == f"Besöksunderlag: {company.name}"
    violations = axe_check(page)
    assert violations == [], describe(violations)

    pages, flat = _pdf_text(page)
    assert 1 <= pages <= 2, f"the brief printed on {pages} pages"
    assert company.name in flat
    # The sections with their real content: the last contacts, the permit clock, asks and
    # promises, the host, "Budskap och frågor".
    for heading in (
        "Senaste kontakterna",
        "Tillstånd",
        "Företaget väntar på",
        "Vi har lovat",
        "Budskap och frågor",
    ):
        assert heading in flat, heading
    assert "Värd: Eva Ek, verkställande direktör · 0243-123 45" in flat
    assert flat.count("Samtal om") >= 5 or flat.count("(telefonsamtal, ") >= 5
    assert "Tillståndsvägledning" not in flat or "Bygglov" in flat
    assert "Återkomma om detaljplanen för industriområdet vid Tuna" in flat  # an open promise
    assert "Uppföljning nummer 0 om rekrytering" in flat
    assert "Kommunen satsar på ny industrimark vid Tuna" in flat
    assert "Vilka tillstånd behöver expansionen?" in flat
    assert "Bygglov för ny lagerhall" in flat
    assert "Miljöanmälan för lackering" in flat
    assert "Hur vill ni att vi återkopplar?" in flat
    assert "Skriv ut" not in flat  # the screen-only button is not printed
    assert "Huvudmeny" not in flat


def test_month_calendar_on_a_phone(page, users, browser_login, axe_check):
    visit = make_visit(
        make_company("Telefonföretaget AB"),
        users["lots"],
        ledning=[users["ledning"]],
        starts_at=utcnow() + timedelta(days=1),
    )
    db.session.commit()
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(users["ledning"])
    page.goto(f"/besok/kalender?manad={to_local(visit.starts_at):%Y-%m}")
    assert page.get_by_role("link", name="Telefonföretaget AB").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    violations = axe_check(page)
    assert violations == [], describe(violations)


def test_small_company_brief_prints_on_one_page(page, users, browser_login, axe_check):
    lots, ledning = users["lots"], users["ledning"]
    now = utcnow()
    company = make_company("Liten Snickeri AB", size_class="1-4", responsible_user_id=lots.id)
    host = make_contact_person(company, "Sara Snickare", title="ägare", phone="070-555 12 34")
    make_interaction(
        company,
        lots,
        at=now - timedelta(days=12),
        subject="Frågade om lokaler",
        notes="Vill byta till större verkstad\nRing tillbaka i januari",
    )
    make_interaction(company, lots, at=now - timedelta(days=40), subject="Första kontakten", notes="")
    visit = make_visit(
        company,
        ledning,
        ledning=[ledning],
        office=[lots],
        starts_at=now + timedelta(days=7),
        host_contact_person_id=host.id,
        key_messages="Berätta om lokalbanken",
    )
    db.session.commit()
    browser_login(ledning)
    page.goto(f"/besok/{visit.id}/underlag")
    pages, flat = _pdf_text(page)
    assert pages == 1, f"a small company's brief printed on {pages} pages"
    assert "Frågade om lokaler: Vill byta till större verkstad" in flat
    assert "Ring tillbaka i januari" not in flat  # only the first line of the notes
    assert flat.index("Frågade om lokaler") < flat.index("Första kontakten")  # newest first
    assert "Värd: Sara Snickare, ägare · 070-555 12 34" in flat
    assert "Berätta om lokalbanken" in flat
    assert "Inga tillstånd väntar på beslut." in flat

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    violations = axe_check(page)
    assert violations == [], describe(violations)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
