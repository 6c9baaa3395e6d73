"""The privacy screens in English: flashes, form labels, validation and service messages, the
retention actions and the inventory's categories reach an administrator who chose English.
What is a record or a document stays Swedish: the registerutdrag (JSON download), the
gallringsprotokoll's stored texts."""

from __future__ import annotations

import io
import json
import zipfile

import sqlalchemy as sa

from app.privacy import retention
from app.privacy.models import DisposalRun, DisposalRunItem
from tests.builders.companies import make_company, make_contact_person
from tests.pages import served
from tests.privacy.test_earkiv import _closed_cases


def _english(client):
    client.post("/sprak", data={"lang": "en", "next": "/"})
    return client


def _person(name: str):
    company = make_company()
    return make_contact_person(company, name, email=f"{name.split()[0].lower()}@foretag.example")


def _objection(client, person, objected: str = "1"):
    back = f"/personuppgifter/utdrag?p=contact_person:{person.id}"
    return client.post(
        f"/personuppgifter/kontaktperson/{person.id}/invandning",
        data={"objected": objected, "reason": "Invände i telefon", "next": back},
        follow_redirects=True,
    ).get_data(as_text=True)


def test_objection_flash_in_english_and_in_swedish(db, users, admin_client, login_as):
    english_person, swedish_person = _person("Eva Engelsk"), _person("Sven Svensk")
    db.session.commit()
    page = _objection(_english(admin_client), english_person)
    assert "The objection has been registered: no more mailings to the person." in page
    assert "Invändningen är registrerad" not in page

    page = _objection(login_as("admin"), swedish_person)
    assert "Invändningen är registrerad: inga fler utskick till personen." in page
    assert "The objection has been registered" not in page


def test_search_error_in_english_and_in_swedish(db, users, admin_client, login_as):
    page = _english(admin_client).get("/personuppgifter/?q=a").get_data(as_text=True)
    assert "Type at least two characters: name, e-mail, telephone or personal identity number." in page
    assert "Skriv minst två tecken" not in page
    page = login_as("admin").get("/personuppgifter/?q=a").get_data(as_text=True)
    assert "Skriv minst två tecken: namn, e-post, telefon eller personnummer." in page


def test_rule_form_labels_actions_and_service_error_in_english(db, users, admin_client, login_as):
    client = _english(admin_client)
    page = client.get("/personuppgifter/gallring").get_data(as_text=True)
    assert "Contacts (the contact log)" in page  # a retention target's label
    assert "Kontakter (kontaktloggen)" not in page

    form = client.get("/personuppgifter/gallring/interactions").get_data(as_text=True)
    for english, swedish in [
        ("Number of years", "Antal år"),
        ("Disposal decision (registration number, section)", "Gallringsbeslut (diarienummer, paragraf)"),
        ("Anonymise (dispose of the content)", "Anonymisera (gallra innehållet)"),  # ACTION_LABELS
    ]:
        assert english in form, english
        assert swedish not in form, swedish

    refused = client.post(
        "/personuppgifter/gallring/interactions",
        data={"action": "anonymise", "years": "3", "decision_reference": ""},
    )
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "Nothing may be disposed of without a decision" in page
    assert "Inget får gallras utan beslut" not in page

    refused = login_as("admin").post(
        "/personuppgifter/gallring/interactions",
        data={"action": "anonymise", "years": "3", "decision_reference": ""},
    )
    assert "Inget får gallras utan beslut" in refused.get_data(as_text=True)


def test_inventory_is_in_english(db, users, admin_client, login_as):
    page = _english(admin_client).get("/personuppgifter/forteckning").get_data(as_text=True)
    assert "Contact details (e-mail, telephone)" in page
    assert "Service and guidance for companies (KL 2:8): the contact log" in page
    assert "Kontaktuppgift (e-post, telefon)" not in page
    swedish = login_as("admin").get("/personuppgifter/forteckning").get_data(as_text=True)
    assert "Kontaktuppgift (e-post, telefon)" in swedish
    assert "Service och lotsning till företag (KL 2:8): kontaktloggen" in swedish


def test_a_run_in_english_flashes_english_and_stores_the_protocol_in_swedish(db, users, admin_client):
    client = _english(admin_client)
    page = client.post("/personuppgifter/gallring/kor", follow_redirects=True).get_data(as_text=True)
    assert "No active retention rule: nothing was disposed of." in page
    first = db.session.scalars(sa.select(DisposalRun).order_by(DisposalRun.id.desc())).first()
    assert first.summary == "Ingen aktiv gallringsregel: inget gallrades."

    retention.save_rule(
        "interactions",
        retention.RuleInput("anonymise", 3, "KS 2026/123, § 45", first.started_at.date()),
        actor=users["admin"],
    )
    db.session.commit()
    page = client.post("/personuppgifter/gallring/kor", follow_redirects=True).get_data(as_text=True)
    assert "Nothing to dispose of (everything the rules cover has already been disposed of)." in page
    run = db.session.scalars(sa.select(DisposalRun).order_by(DisposalRun.id.desc())).first()
    assert run.summary == "Inget att gallra (allt som reglerna omfattar är redan gallrat)."
    [item] = db.session.scalars(sa.select(DisposalRunItem).where(DisposalRunItem.run_id == run.id))
    assert item.record_label == "Kontakter (kontaktloggen)"


def test_the_registerutdrag_stays_swedish_for_an_english_reader(db, users, admin_client):
    person = _person("Ulla Utdrag")
    db.session.commit()
    client = _english(admin_client)
    _objection(client, person)
    download = client.get(f"/personuppgifter/utdrag.json?p=contact_person:{person.id}")
    text = served(download, mimetype="application/json", marker="registerutdrag")
    extract = json.loads(text)
    assert extract["information"]["ändamål"].startswith("Kommunens näringslivsarbete")
    assert "Kontakter (kontaktloggen): bevaras (inget gallringsbeslut)." in extract["gallring"]
    rights = [r for r in extract["poster"] if r["kategori"] == "Rättelser och invändningar"]
    assert [r["rubrik"] for r in rights] == ["Invändning (art. 21)"]
    assert "Objection (Art. 21)" not in text
    assert "Contacts (the contact log)" not in text


def test_the_e_arkiv_screen_is_english_and_the_package_swedish(db, users, admin_client):
    _closed_cases(users)
    db.session.commit()
    client = _english(admin_client)
    empty = client.post("/personuppgifter/e-arkiv", data={"closed_before": "2020-01-01", "creator": "KS"})
    assert empty.status_code == 400
    page = empty.get_data(as_text=True)
    assert "No cases closed before that date." in page
    assert "Inga avslutade ärenden" not in page

    response = client.post("/personuppgifter/e-arkiv", data={"closed_before": "2026-04-01", "creator": "KS"})
    assert response.mimetype == "application/zip"
    package = zipfile.ZipFile(io.BytesIO(response.data))
    [name] = [n for n in package.namelist() if n.endswith("data/arenden.json")]
    records = json.loads(package.read(name))["arenden"]
    assert {contact["typ"] for r in records for contact in r["kontakter"]} == {"Telefonsamtal"}
    [documentation] = [n for n in package.namelist() if n.endswith("om-paketet.txt")]
    assert "Innehåll: 2 lotsärenden avslutade före 2026-04-01" in package.read(documentation).decode()
