"""The visit brief printed to PDF the way a browser prints it (Playwright's page.pdf, A4, print
CSS): at most two pages, with the company's name and its open lots cases; and axe finds no
serious or critical violations on the brief and on the month calendar on a 360-px phone."""

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
    )
    db.session.commit()
    return company, visit


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

    pdf = page.pdf(format="A4", print_background=False)
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 2, f"the brief printed on {len(reader.pages)} pages"
    text = " ".join(p.extract_text() for p in reader.pages)
    flat = " ".join(text.split())
    assert company.name in flat
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
