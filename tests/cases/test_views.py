"""The lots-case screens through the test client: intake, the case page, the status form,
restriction on the page, lists and export."""

from __future__ import annotations

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.cases.models import LotsCase
from tests.cases import factories as f
from tests.companies.factories import make_company, make_contact
from tests.factories import focus_areas


def test_new_case_from_the_form(db, users, lots_client):
    company = make_company("Kafé Kupolen AB")
    person = make_contact(company, email="asa@kupolen.example")
    db.session.commit()
    assert "Kafé Kupolen AB" in lots_client.get("/arenden/nytt?q=Kupolen").get_data(as_text=True)
    page = lots_client.get(f"/arenden/nytt?company_id={company.id}")
    assert page.status_code == 200
    response = lots_client.post(
        "/arenden/nytt",
        data={
            "company_id": company.id, "title": "Uteservering", "case_type_id": f.case_type().id,
            "focus_area_id": focus_areas()[2].id, "contact_person_id": person.id, "priority": "normal",
            "responsible_user_id": users["lots"].id, "intake_channel": "telefon", "intake_on": "2026-03-02",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    case = db.session.scalar(sa.select(LotsCase))
    assert case.title == "Uteservering"
    assert case.contact_person_id == person.id


def test_new_case_errors_are_shown_in_swedish(db, users, lots_client):
    company = make_company()
    db.session.commit()
    response = lots_client.post(
        "/arenden/nytt", data={"company_id": company.id, "title": "", "responsible_user_id": users["lots"].id}
    )
    html = response.get_data(as_text=True)
    assert "Ge ärendet en rubrik." in html
    assert "Välj en ärendetyp." in html


def test_case_page_and_status_form(db, users, lots_client):
    case = f.make_case(users["lots"])
    f.add_permit(case, users["lots"], "bygglov", submitted_on=f.NOW.date(), complete_on=f.NOW.date())
    db.session.commit()
    html = lots_client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert case.title in html
    assert "Bygglov" in html
    assert "Ändra status" in html
    response = lots_client.post(
        f"/arenden/{case.id}/status", data={"status": "avslutat", "outcome": "", "version": case.version}
    )
    assert response.status_code == 400
    assert "Ange ett utfall när ärendet avslutas." in response.get_data(as_text=True)
    response = lots_client.post(
        f"/arenden/{case.id}/status",
        data={"status": "avslutat", "outcome": "lost", "send_survey": "y", "version": case.version},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(LotsCase, case.id).status == "avslutat"
    html = lots_client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert "Öppna ärendet igen" in html
    assert "skickas tidigast" in html


def test_restricted_case_page_for_chef_is_a_summary(db, users, login_as):
    case = f.make_case(users["lots"], is_restricted=True, title="Konfidentiell etablering", description="Hemliga planer")
    db.session.commit()
    html = login_as("chef").get(f"/arenden/{case.id}").get_data(as_text=True)
    assert "Konfidentiell etablering" not in html
    assert "Hemliga planer" not in html
    assert "begränsad åtkomst" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "view")) == 0
    html = login_as("lots").get(f"/arenden/{case.id}").get_data(as_text=True)
    assert "Hemliga planer" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "view")) == 1
    listing = login_as("chef").get("/arenden").get_data(as_text=True)
    assert "Konfidentiell etablering" not in listing


def test_lists_and_export(db, users, lots_client):
    f.make_case(users["lots"], title="Första ärendet")
    secret = f.make_case(users["lots"], title="Hemligt ärende", is_restricted=True)
    db.session.commit()
    for view in ("mina", "oppna", "vantar", "frister", "avslutade", "alla"):
        assert lots_client.get(f"/arenden?vy={view}").status_code == 200
    html = lots_client.get("/arenden?vy=oppna").get_data(as_text=True)
    assert "Första ärendet" in html
    assert "Ålder (dagar)" in html
    csv = lots_client.get("/arenden/export.csv?vy=alla").get_data().decode("utf-8-sig")
    assert "Första ärendet" in csv
    assert "Hemligt ärende" not in csv  # an export never carries a restricted title
    assert str(secret.id) in csv
    xlsx = lots_client.get("/arenden/export.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.data[:2] == b"PK"


def test_company_page_shows_case_events_on_the_timeline(db, users, lots_client):
    case = f.make_case(users["lots"], title="Tidslinjeärendet")
    db.session.commit()
    html = lots_client.get(f"/foretag/{case.company_id}").get_data(as_text=True)
    assert "Tidslinjeärendet" in html
