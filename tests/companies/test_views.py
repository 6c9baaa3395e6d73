"""Company screens through the test client: list, search, export, masking, edit, forms, import."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.audit.models import AuditEvent
from app.companies.models import Company, ContactPerson
from app.companies.queries import CompanyFilter, company_select
from tests.builders.companies import SOLE_TRADER, make_company, make_contact_person
from tests.pages import rendered, served

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the results depend on today's date


def test_list_search_by_name_number_and_contact_person(db, users, lots_client):
    a = make_company("Östra Hamnens Café", orgnr="5560360793")
    b = make_company("Centrumbokhandeln AB")
    make_contact_person(b, "Örjan Åberg")
    make_company("Zeta Bygg AB")
    db.session.commit()
    assert "Östra Hamnens Café" in lots_client.get("/foretag?q=östra").get_data(as_text=True)
    html = rendered(lots_client.get("/foretag?q=ÖSTRA"), heading="Företag")
    assert "Östra Hamnens Café" in html
    assert "Zeta Bygg" not in html
    assert "Östra Hamnens" in lots_client.get("/foretag?q=556036-07").get_data(as_text=True)
    html = rendered(lots_client.get("/foretag?q=örjan"), heading="Företag")
    assert "Centrumbokhandeln" in html
    assert "Östra" not in html
    assert a.id != b.id


def test_search_fragment_is_only_the_results(db, users, lots_client):
    make_company("Ornäs Ost AB")
    db.session.commit()
    html = served(lots_client.get("/foretag?q=ornäs&fragment=1"), mimetype="text/html", marker="Ornäs Ost AB")
    assert "<html" not in html
    assert "fragment" not in html  # export and pager links leave it out


def test_swedish_sort_order(db):
    for name in ["Öberg AB", "Åberg AB", "Zeta AB", "Ärla AB", "Ahl AB"]:
        make_company(name)
    names = [c.name for c in db.session.scalars(company_select(CompanyFilter()))]
    assert names == ["Ahl AB", "Zeta AB", "Åberg AB", "Ärla AB", "Öberg AB"]


def test_filters(db, users):
    now = datetime.now(UTC)
    old = make_company(
        "Gammal Kontakt AB",
        last_contact_at=now - timedelta(days=400),
        area_id=1,
        sni_code="62010",
        sni_version="2007",
        status="active",
        responsible_user_id=users["lots"].id,
    )
    make_company("Ny Kontakt AB", last_contact_at=now - timedelta(days=10), area_id=2, status="establishing")
    never = make_company("Aldrig Kontakt AB", is_key_company=True, contact_cadence_months=6)

    def names(**kw):
        return [c.name for c in db.session.scalars(company_select(CompanyFilter(**kw)))]

    assert names(no_contact_months=12) == ["Aldrig Kontakt AB", "Gammal Kontakt AB"]
    assert names(area_id=1) == ["Gammal Kontakt AB"]
    assert names(sni="62") == ["Gammal Kontakt AB"]
    assert names(status="establishing") == ["Ny Kontakt AB"]
    assert names(responsible_id=users["lots"].id) == ["Gammal Kontakt AB"]
    assert names(key_only=True) == [never.name]
    assert names(sort="senast-kontakt")[0] == "Aldrig Kontakt AB"
    assert old.id


def test_pagination_and_capped_count(db, users, lots_client):
    from app.core.pagination import capped_count

    for i in range(35):
        make_company(f"Företag {i:02d} AB")
    db.session.commit()
    html = lots_client.get("/foretag").get_data(as_text=True)
    assert "1–25 av 35 företag" in html
    assert 'rel="next"' in html
    assert "Företag 34 AB" in lots_client.get("/foretag?page=2").get_data(as_text=True)
    # The list counts through capped_count, which stops at the cap instead of counting all rows.
    assert capped_count(company_select(CompanyFilter()), cap=30) == (30, True)


@pytest.mark.parametrize("role", ["chef", "ledning"])
def test_personnummer_masked_for_chef_and_ledning(db, users, login_as, role):
    company = make_company("Märta Öhrn Konst", orgnr=SOLE_TRADER)
    db.session.commit()
    client = login_as(role)
    full = f"{SOLE_TRADER[:6]}-{SOLE_TRADER[6:]}"
    for url, heading in [
        ("/foretag", "Företag"),
        (f"/foretag/{company.id}", company.name),
        ("/foretag?q=Märta", "Företag"),
    ]:
        html = rendered(client.get(url), heading=heading)
        assert f"{SOLE_TRADER[:6]}-****" in html
        assert full not in html
        assert SOLE_TRADER not in html
    assert "Visa fullständigt nummer" not in rendered(
        client.get(f"/foretag/{company.id}"), heading=company.name
    )
    assert client.post(f"/foretag/{company.id}/visa-nummer").status_code == 403


def test_full_personnummer_view_by_lots_is_audited_and_never_in_a_url(db, users, lots_client):
    company = make_company("Korhonens Bilvård", orgnr=SOLE_TRADER)
    db.session.commit()
    page = lots_client.get(f"/foretag/{company.id}").get_data(as_text=True)
    assert "Visa fullständigt nummer" in page
    response = lots_client.post(f"/foretag/{company.id}/visa-nummer")
    assert f"{SOLE_TRADER[:6]}-{SOLE_TRADER[6:]}" in rendered(response, heading=company.name)
    assert SOLE_TRADER not in response.request.url
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "view"))
    assert event.entity_id == company.id
    assert event.actor_id == users["lots"].id


def test_edit_form_does_not_send_a_sole_traders_number(db, users, lots_client):
    company = make_company("Sörens Trädgårdstjänst", orgnr=SOLE_TRADER)
    db.session.commit()
    html = rendered(lots_client.get(f"/foretag/{company.id}/andra"), heading="Ändra Sörens Trädgårdstjänst")
    assert SOLE_TRADER not in html
    assert f"{SOLE_TRADER[6:]}" not in html


def test_export_neutralises_formulas_and_masks_personnummer(db, users, lots_client):
    make_company('=HYPERLINK("http://evil.example")', notes="+46 70 123", phone="-1")
    make_company("@SUM(A1)", orgnr=SOLE_TRADER)
    make_company("Ärlig Åkare AB")
    db.session.commit()

    csv_response = lots_client.get("/foretag/export.csv")
    assert csv_response.status_code == 200
    data = csv_response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header.startswith("Namn;Organisationsnummer;")
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text
    assert "'@SUM(A1)" in text
    assert "'+46 70 123" in text
    assert "Ärlig Åkare AB" in text
    assert f"{SOLE_TRADER[:6]}-****" in text
    assert SOLE_TRADER[6:] not in text

    xlsx_response = lots_client.get("/foretag/export.xlsx?q=hyperlink")
    sheet = load_workbook(io.BytesIO(xlsx_response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Namn"
    assert [r[0] for r in rows[1:]] == ['\'=HYPERLINK("http://evil.example")']
    for row in sheet.iter_rows(min_row=2):
        assert all(cell.data_type != "f" for cell in row)


def test_export_follows_the_filter(db, users, lots_client):
    make_company("Kupolens Glass AB", status="active")
    make_company("Nedlagda Verkstaden AB", status="wound_up")
    db.session.commit()
    text = served(
        lots_client.get("/foretag/export.csv?status=wound_up"),
        mimetype="text/csv",
        marker="Namn;Organisationsnummer;",
    )
    assert "Nedlagda Verkstaden AB" in text
    assert "Kupolens Glass" not in text


def _form(**kw):
    data = {
        "name": "Jakobsgårdarnas Pizzeria",
        "orgnr": "",
        "sni_version": "2007",
        "status": "active",
        "size_class": "",
        "area_id": "",
        "responsible_user_id": "",
    }
    data.update(kw)
    return data


def test_double_submitted_create_form_makes_one_company(db, users, lots_client):
    page = lots_client.get("/foretag/nytt").get_data(as_text=True)
    token = page.split('name="form_token" type="hidden" value="')[1].split('"')[0]
    first = lots_client.post("/foretag/nytt", data=_form(form_token=token))
    second = lots_client.post("/foretag/nytt", data=_form(form_token=token))
    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    assert db.session.scalar(sa.select(sa.func.count(Company.id))) == 1


def test_two_people_editing_the_same_company(db, users, lots_client, login_as):
    company = make_company("Norra Backa Bil AB", postcode="784 50")
    db.session.commit()
    other = login_as(users["lots"])
    version = str(company.version)
    ok = other.post(
        f"/foretag/{company.id}/andra",
        data=_form(name="Norra Backa Bil & Däck AB", version=version, postcode="784 50"),
    )
    assert ok.status_code == 302
    stale = lots_client.post(
        f"/foretag/{company.id}/andra", data=_form(name="Min ändring AB", version=version, postcode="784 50")
    )
    html = stale.get_data(as_text=True)
    assert stale.status_code == 200
    assert "Någon annan har ändrat uppgifterna" in html
    assert 'value="Min ändring AB"' in html  # the user's input is kept
    db.session.expire_all()
    assert db.session.get(Company, company.id).name == "Norra Backa Bil & Däck AB"


def test_invalid_orgnr_in_form_shows_field_error(db, users, lots_client):
    response = lots_client.post("/foretag/nytt", data=_form(orgnr="556036-0794", form_token="t1"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "fel kontrollsiffra" in html
    assert 'aria-invalid="true"' in html


def test_contact_person_add_and_remove_with_confirmation(db, users, lots_client):
    company = make_company("Hagalunds Bageri AB")
    db.session.commit()
    response = lots_client.post(
        f"/foretag/{company.id}/kontaktpersoner/ny",
        data={"name": "Åke Ölund", "title": "VD", "email": "ake@bageri.example", "informed_on": "2026-01-15"},
    )
    assert response.status_code == 302
    person = db.session.scalar(sa.select(ContactPerson))
    page = lots_client.get(f"/foretag/{company.id}").get_data(as_text=True)
    assert "Åke Ölund" in page
    assert "data-confirm=" in page
    lots_client.post(f"/foretag/{company.id}/kontaktpersoner/{person.id}/ta-bort")
    db.session.expire_all()
    assert db.session.get(ContactPerson, person.id).is_active is False
    assert "Tidigare kontaktpersoner" in lots_client.get(f"/foretag/{company.id}").get_data(as_text=True)


def test_sni_search_json_and_page(db, users, lots_client):
    items = lots_client.get("/foretag/sni?q=62010&format=json").get_json()
    assert items[0]["code"] == "62010"
    assert "(SNI 2007)" in items[0]["label"]
    assert "SNI 2025" in lots_client.get("/foretag/sni?q=programmering").get_data(as_text=True)


def test_import_through_the_web(db, users, lots_client):
    data = "Namn;Organisationsnummer;Postnummer\r\nÖrebro Åkeri AB;556036-0793;78433\r\n".encode("cp1252")
    response = lots_client.post(
        "/foretag/import",
        data={"file": (io.BytesIO(data), "foretag.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    preview = lots_client.get(response.location).get_data(as_text=True)
    assert "Örebro Åkeri AB" in preview
    assert db.session.scalar(sa.select(sa.func.count(Company.id))) == 0
    batch_id = int(response.location.rstrip("/").split("/")[-1])
    done = lots_client.post(f"/foretag/import/{batch_id}/bekrafta", data={"action-2": "create"})
    assert done.status_code == 302
    assert db.session.scalar(sa.select(Company.name)) == "Örebro Åkeri AB"
    log = lots_client.get("/foretag/import/logg").get_data(as_text=True)
    assert "foretag.csv" in log
    assert "Ångra" in log


def test_timeline_registry_merges_providers(app, db, users, lots_client):
    from app.core.timeline import TimelineItem, register_timeline_provider

    company = make_company("Tidslinjen AB")
    db.session.commit()

    def provider(c, actor, filters):
        return [
            TimelineItem(
                at=datetime(2030, 1, 1, 9, tzinfo=UTC),
                kind="kontakt",
                title="Telefonsamtal med VD",
                focus_areas=["Etableringar"],
            )
        ]

    register_timeline_provider(app, provider)
    html = lots_client.get(f"/foretag/{company.id}").get_data(as_text=True)
    assert html.index("Telefonsamtal med VD") < html.index("Registrerat i Lotsbok")


def test_areas_admin(db, users, admin_client):
    assert "Kvarnsveden" in admin_client.get("/admin/omraden").get_data(as_text=True)
    assert admin_client.post("/admin/omraden/ny", data={"name": "Bullermyren"}).status_code == 302
    assert "Bullermyren" in admin_client.get("/admin/omraden").get_data(as_text=True)
    assert "Områden (för företag)" in admin_client.get("/admin/").get_data(as_text=True)


def test_demo_companies_load_idempotently(db, users):
    from app.companies.demo import load_demo_companies

    companies, contacts = load_demo_companies()
    assert companies >= 60
    assert contacts > companies
    assert load_demo_companies() == (0, 0)
