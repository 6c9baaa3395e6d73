"""/api/v1/companies and contact persons, per role."""

from __future__ import annotations

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.companies import queries
from app.companies.models import Company
from tests.builders.companies import SOLE_TRADER, make_company, make_contact_person
from tests.pages import served


def test_list_walks_every_company_once_in_the_lists_order_with_cursors(db, users, api_as):
    for name in ("Åkeri Öst AB", "Bageri Berg AB", "Cafe Centrum AB", "Äppelgården AB", "Dala Bygg AB"):
        make_company(name)
    db.session.commit()
    api = api_as("chef")
    for sort in ("namn", "-namn", "nyast", "senast-kontakt"):
        names, cursor = [], None
        while True:
            query = {"limit": 2, "sort": sort, **({"cursor": cursor} if cursor else {})}
            page = api.get("/api/v1/companies", query_string=query).json
            names += [c["name"] for c in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        expected = [c.name for c in queries.list_companies(queries.CompanyFilter(sort=sort), 1, 50).items]
        assert names == expected, sort
    assert names[0] in {"Åkeri Öst AB", "Äppelgården AB", "Bageri Berg AB", "Cafe Centrum AB", "Dala Bygg AB"}
    swedish = [c["name"] for c in api.get("/api/v1/companies?limit=10").json["items"]]
    assert swedish[-2:] == ["Åkeri Öst AB", "Äppelgården AB"]  # å, ä after z
    mixed = api.get("/api/v1/companies", query_string={"sort": "nyast", "cursor": cursor or page_cursor(api)})
    assert mixed.status_code == 422
    assert mixed.json["errors"][0]["field"] == "cursor"


def page_cursor(api) -> str:
    return api.get("/api/v1/companies?limit=1&sort=namn").json["next_cursor"]


def test_search_and_filters_are_the_lists(db, users, api_as):
    make_company("Dala Bygg AB", city="Borlänge", status="establishing")
    make_company("Falu Plåt AB", status="active")
    db.session.commit()
    api = api_as("ledning")
    assert [c["name"] for c in api.get("/api/v1/companies?q=dala").json["items"]] == ["Dala Bygg AB"]
    assert [c["name"] for c in api.get("/api/v1/companies?status=establishing").json["items"]] == [
        "Dala Bygg AB"
    ]
    # The Swedish code from before migration 0021 still filters (an older integration).
    assert [c["name"] for c in api.get("/api/v1/companies?status=etablering").json["items"]] == [
        "Dala Bygg AB"
    ]
    bad = api.get("/api/v1/companies?status=okand")
    assert bad.status_code == 400
    assert bad.json["errors"][0]["field"] == "status"
    assert bad.json["errors"][0]["in"] == "query"


def test_a_sole_traders_personnummer_is_masked_as_in_the_ui(db, users, api_as):
    company = make_company("Anna Andersson Konsult", orgnr=SOLE_TRADER, orgnr_kind="personal_number")
    db.session.commit()
    for role in ("lots", "chef"):
        api = api_as(role)
        body = served(
            api.get(f"/api/v1/companies/{company.id}"), mimetype="application/json", marker=company.name
        )
        assert SOLE_TRADER not in body
        assert f"{SOLE_TRADER[:6]}-****" in body
        listing = served(
            api.get("/api/v1/companies"), mimetype="application/json", marker=f"{SOLE_TRADER[:6]}-****"
        )
        assert SOLE_TRADER not in listing


def test_create_read_update_with_etag_and_audit(db, users, api_as):
    api = api_as("lots")
    created = api.post(
        "/api/v1/companies", json={"name": "  Dala   Bygg AB ", "orgnr": "5560360793", "tags": ["Export"]}
    )
    assert created.status_code == 201
    company_id = created.json["id"]
    assert created.headers["Location"].endswith(f"/api/v1/companies/{company_id}")
    assert created.headers["ETag"] == '"1"'
    assert created.json["name"] == "Dala Bygg AB"
    assert created.json["orgnr"] == "556036-0793"
    assert created.json["legal_form"] == "Aktiebolag"
    assert created.json["tags"] == ["Export"]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.entity_type == "companies"))
    assert event.actor_id == users["lots"].id
    assert event.action == "create"

    assert api.patch(f"/api/v1/companies/{company_id}", json={"city": "Borlänge"}).status_code == 428
    assert (
        api.patch(
            f"/api/v1/companies/{company_id}", json={"city": "X"}, headers={"If-Match": 'W/"1"'}
        ).status_code
        == 412
    )
    updated = api.patch(
        f"/api/v1/companies/{company_id}", json={"city": "Borlänge"}, headers={"If-Match": '"1"'}
    )
    assert updated.status_code == 200
    assert updated.headers["ETag"] == '"2"'
    assert updated.json["city"] == "Borlänge"
    assert updated.json["orgnr"] == "556036-0793"
    assert updated.json["tags"] == ["Export"]
    stale = api.patch(f"/api/v1/companies/{company_id}", json={"city": "Falun"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 409
    assert "någon annan" in stale.json["detail"].lower()
    assert stale.json["type"].endswith("#problem-inaktuell-version")
    db.session.expire_all()
    assert db.session.get(Company, company_id).city == "Borlänge"
    update_event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.entity_type == "companies", AuditEvent.action == "update")
    ).one()
    assert update_event.actor_id == users["lots"].id
    assert update_event.changes["city"] == ["", "Borlänge"]


def test_same_validation_as_the_form(db, users, api_as):
    api = api_as("lots")
    bad = api.post("/api/v1/companies", json={"name": "X AB", "orgnr": "556036-0794"})
    assert bad.status_code == 422
    assert bad.json["errors"][0]["field"] == "orgnr"
    assert "kontrollsiffra" in bad.json["errors"][0]["message"].lower()
    make_company("Först AB", orgnr="5560360793")
    db.session.commit()
    duplicate = api.post("/api/v1/companies", json={"name": "Dubblett AB", "orgnr": "556036-0793"})
    assert duplicate.status_code == 409
    assert "Först AB" in duplicate.json["detail"]
    missing = api.post("/api/v1/companies", json={"orgnr": ""})
    assert missing.status_code == 400
    assert missing.json["errors"] == [{"field": "name", "in": "body", "message": "Fältet krävs."}]
    key = api.post("/api/v1/companies", json={"name": "Nyckel AB", "is_key_company": True})
    assert key.status_code == 422
    assert key.json["errors"][0]["field"] == "contact_cadence_months"


def test_idempotency_key_creates_once(db, users, api_as):
    api = api_as("lots")
    first = api.post("/api/v1/companies", json={"name": "En gång AB"}, headers={"Idempotency-Key": "abc-1"})
    again = api.post("/api/v1/companies", json={"name": "En gång AB"}, headers={"Idempotency-Key": "abc-1"})
    assert first.status_code == again.status_code == 201
    assert first.json["id"] == again.json["id"]
    assert db.session.scalar(sa.select(sa.func.count(Company.id))) == 1


def test_roles_that_may_not_edit_companies_get_403(db, users, api_as):
    company = make_company("Orört AB", city="Säter")
    db.session.commit()
    ledning = api_as("ledning")  # a write token, but the role may not edit companies
    response = ledning.patch(
        f"/api/v1/companies/{company.id}", json={"city": "X"}, headers={"If-Match": '"1"'}
    )
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert ledning.post("/api/v1/companies", json={"name": "Nej AB"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Company, company.id).city == "Säter"


def test_contact_persons(db, users, api_as):
    company = make_company("Personbolaget AB")
    make_contact_person(company, "Anna Öberg", title="VD")
    db.session.commit()
    api = api_as("lots")
    assert [p["name"] for p in api.get(f"/api/v1/companies/{company.id}/contact-persons").json["items"]] == [
        "Anna Öberg"
    ]
    created = api.post(
        f"/api/v1/companies/{company.id}/contact-persons", json={"name": "Bo Berg", "email": "bo@x.se"}
    )
    assert created.status_code == 201
    person_id = created.json["id"]
    bad_email = api.patch(
        f"/api/v1/contact-persons/{person_id}", json={"email": "inte-en-adress"}, headers={"If-Match": '"1"'}
    )
    assert bad_email.status_code == 422
    assert bad_email.json["errors"][0]["field"] == "email"
    ok = api.patch(
        f"/api/v1/contact-persons/{person_id}", json={"title": "Ekonomichef"}, headers={"If-Match": '"1"'}
    )
    assert ok.status_code == 200
    assert ok.json["title"] == "Ekonomichef"
    assert ok.json["email"] == "bo@x.se"
    assert api.get("/api/v1/contact-persons/999999").status_code == 404
