"""The company register in English (app.companies wrapped for translation): after "In English"
a flash, form labels and choices, the organisationsnummer check, a service's validation error,
the import's row errors and messages, the export's column headers and the areas screen reach the
user in English – and the same actions still speak Swedish by default."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.companies.models import COMPANY_STATUSES, Company
from tests.builders.companies import make_company

pytestmark = pytest.mark.usefixtures("fixed_clock")


def _english(client):
    client.post("/sprak", data={"lang": "en", "next": "/"})
    return client


def _page(response) -> str:
    assert response.status_code in (200, 400), response.status_code
    return response.get_data(as_text=True)


def _form(**kw) -> dict[str, str]:
    data = {
        "name": "Jakobsgårdarnas Pizzeria",
        "orgnr": "",
        "sni_version": "2007",
        "status": next(iter(COMPANY_STATUSES)),
        "size_class": "",
        "area_id": "",
        "responsible_user_id": "",
        "form_token": "english-test",
    }
    data.update(kw)
    return data


def _register(client) -> str:
    return _page(client.post("/foretag/nytt", data=_form(), follow_redirects=True))


def test_the_company_form_and_its_flash_in_english(db, users, lots_client):
    client = _english(lots_client)
    form = _page(client.get("/foretag/nytt"))
    # Form labels and descriptions (forms.CompanyForm).
    assert "Desired contact interval (months)" in form
    assert "Önskat kontaktintervall (månader)" not in form
    assert "Filled in from the company registration number if you leave it empty." in form
    assert "Fylls i från organisationsnumret" not in form
    # A label dict in the choices (models.SIZE_CLASSES) and a choice of the view ("Inget område").
    assert "1–4 employees" in form
    assert "1–4 anställda" not in form
    assert "No area" in form
    assert "Inget område" not in form

    html = _register(client)
    # The flash of the view, and the company's own timeline item (timeline.py).
    assert "Jakobsgårdarnas Pizzeria has been registered." in html
    assert "är registrerat." not in html
    assert "Registered in Lotsbok" in html
    assert "Registrerat i Lotsbok" not in html


def test_the_company_form_is_swedish_by_default(db, users, lots_client):
    form = _page(lots_client.get("/foretag/nytt"))
    assert "Önskat kontaktintervall (månader)" in form
    assert "1–4 anställda" in form
    assert "Desired contact interval" not in form
    html = _register(lots_client)
    assert "Jakobsgårdarnas Pizzeria är registrerat." in html
    assert "Registrerat i Lotsbok" in html
    assert "has been registered" not in html


def test_the_organisationsnummer_check_and_a_service_error_in_english(db, users, lots_client):
    client = _english(lots_client)
    # orgnr.py: the number's own check, raised through the service.
    html = _page(client.post("/foretag/nytt", data=_form(orgnr="556036-0794")))
    assert "The company registration number has the wrong check digit." in html
    assert "fel kontrollsiffra" not in html
    # services._validate: a key company needs a contact interval.
    html = _page(client.post("/foretag/nytt", data=_form(is_key_company="y")))
    assert "Enter how often the key company should be contacted (1–60 months)." in html
    assert "Ange hur ofta nyckelföretaget ska kontaktas" not in html
    assert db.session.scalar(sa.select(sa.func.count(Company.id))) == 0


def test_the_same_errors_are_swedish_by_default(db, users, lots_client):
    html = _page(lots_client.post("/foretag/nytt", data=_form(orgnr="556036-0794")))
    assert "Organisationsnumret har fel kontrollsiffra." in html
    assert "wrong check digit" not in html
    html = _page(lots_client.post("/foretag/nytt", data=_form(is_key_company="y")))
    assert "Ange hur ofta nyckelföretaget ska kontaktas (1–60 månader)." in html


CSV = "Namn;Organisationsnummer;Postnummer\r\nÖrebro Åkeri AB;556036-0793;78433\r\n;;78433\r\n"


def _upload(client) -> tuple[str, str]:
    response = client.post(
        "/foretag/import",
        data={"file": (io.BytesIO(CSV.encode("cp1252")), "foretag.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    return response.location, _page(client.get(response.location))


def test_the_import_in_english(db, users, lots_client):
    client = _english(lots_client)
    upload = _page(client.get("/foretag/import"))
    assert "The first row must hold column headings" in upload
    assert "Första raden ska innehålla kolumnrubriker" not in upload
    location, preview = _upload(client)
    # The mapping's field labels and the row actions (importer.FIELDS, importer.ACTIONS).
    assert "Contact person: name" in preview
    assert "Kontaktperson: namn" not in preview
    assert "Create new" in preview
    assert "Skapa nytt" not in preview
    # A row error of the analysis (import_rows.py).
    assert "Name is missing." in preview
    assert "Namn saknas." not in preview
    batch_id = int(location.rstrip("/").split("/")[-1])
    done = _page(client.post(f"/foretag/import/{batch_id}/bekrafta", data={}, follow_redirects=True))
    assert "The import is complete: 1 new, 0 updated, 1 skipped." in done
    assert "Importen är klar" not in done


def test_the_import_is_swedish_by_default(db, users, lots_client):
    location, preview = _upload(lots_client)
    assert "Kontaktperson: namn" in preview
    assert "Namn saknas." in preview
    batch_id = int(location.rstrip("/").split("/")[-1])
    done = _page(lots_client.post(f"/foretag/import/{batch_id}/bekrafta", data={}, follow_redirects=True))
    assert "Importen är klar: 1 nya, 0 uppdaterade, 1 överhoppade." in done


def test_the_export_headers_in_english(db, users, lots_client):
    make_company("Ärlig Åkare AB", size_class="1-4")
    db.session.commit()
    client = _english(lots_client)
    response = client.get("/foretag/export.csv")
    assert response.status_code == 200
    text = response.get_data().decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header.startswith("Name;Company registration number (organisationsnummer);Legal form;")
    assert "Size class" in header
    assert "Storleksklass" not in header
    assert "1–4 employees" in text  # a label dict in a cell
    assert "companies-" in response.headers["Content-Disposition"]

    sheet = load_workbook(io.BytesIO(client.get("/foretag/export.xlsx").get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Name", "Company registration number (organisationsnummer)", "Legal form")
    assert sheet.title == "Company"  # the catalogue's "Företag"


def test_the_export_headers_are_swedish_by_default(db, users, lots_client):
    make_company("Ärlig Åkare AB", size_class="1-4")
    db.session.commit()
    response = lots_client.get("/foretag/export.csv")
    text = response.get_data().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Namn;Organisationsnummer;Juridisk form;")
    assert "1–4 anställda" in text
    sheet = load_workbook(io.BytesIO(lots_client.get("/foretag/export.xlsx").get_data())).active
    assert sheet.title == "Företag"


def test_the_areas_screen_in_english(db, users, admin_client):
    client = _english(admin_client)
    page = _page(client.get("/admin/omraden"))
    assert "Areas that companies can be linked to." in page
    assert "Områden som företag kan kopplas till." not in page
    html = _page(client.post("/admin/omraden/ny", data={"name": "Testområdet Syd"}, follow_redirects=True))
    assert "The area has been added." in html
    assert "Området är tillagt." not in html
    # Back to Swedish: the same action speaks Swedish again.
    client.post("/sprak", data={"lang": "sv", "next": "/"})
    swedish = _page(
        client.post("/admin/omraden/ny", data={"name": "Testområdet Norr"}, follow_redirects=True)
    )
    assert "Området är tillagt." in swedish
    assert "The area has been added." not in swedish
