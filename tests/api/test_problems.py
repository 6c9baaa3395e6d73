"""Errors are problem documents (RFC 9457) in Swedish, and no input gives a server error."""

from __future__ import annotations

import pytest

from tests.builders.companies import make_company
from tests.pages import rendered

ODD_INPUTS = [
    ("GET", "/api/v1/companies/99999999999999999999999", None),
    ("GET", "/api/v1/companies/0", None),
    ("GET", "/api/v1/companies?area_id=99999999999999999999", None),
    ("GET", "/api/v1/companies?q=%00", None),
    (
        "GET",
        "/api/v1/companies?cursor=eyJzIjoiY29tcGFuaWVzOm5hbW4iLCJrIjpbIlx1MDAwMCIsMV19",
        None,
    ),  # NUL in a cursor
    ("GET", "/api/v1/contacts?date_from=0001-01-01&date_to=9999-12-31", None),
    ("GET", "/api/v1/reports/figures?period=year&year=99999", None),
    ("POST", "/api/v1/companies", {"name": "A\u0000B"}),
    ("POST", "/api/v1/companies", {"name": "\ud800"}),
    ("POST", "/api/v1/companies", {"name": "x", "area_id": 2**40}),
    ("POST", "/api/v1/companies", {"name": "x", "website": "a" * 200}),
    ("POST", "/api/v1/companies", {"name": "x", "website": "https://[::1"}),
    ("POST", "/api/v1/companies", ["not", "an", "object"]),
    ("POST", "/api/v1/companies", {"name": True}),
    (
        "POST",
        "/api/v1/contacts",
        {"company_id": 1, "focus_area_id": 1, "subject": "x", "duration_minutes": 1e300},
    ),
    (
        "POST",
        "/api/v1/contacts",
        {"company_id": 1, "focus_area_id": 1, "subject": "x", "occurred_at": "0001-01-01T00:00:00"},
    ),
    (
        "POST",
        "/api/v1/cases",
        {"company_id": 1, "title": "x", "case_type_id": 1, "focus_area_id": 1, "expected_visitors": 2**40},
    ),
]


@pytest.mark.parametrize(("method", "url", "body"), ODD_INPUTS)
def test_odd_input_is_a_client_error_with_a_problem_document(db, users, api_as, method, url, body):
    make_company("Finns AB")
    db.session.commit()
    api = api_as("lots")
    response = api.client.open(url, method=method, json=body, headers=api._headers(None))
    assert 400 <= response.status_code < 500, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == "application/problem+json"
    problem = response.json
    assert problem["status"] == response.status_code
    assert problem["instance"] == url.split("?")[0]
    assert problem["title"]
    assert problem["detail"]
    assert problem["type"].startswith("http://lotsbok.test/api/v1/dokumentation#")


def test_malformed_json_wrong_content_type_and_empty_body(db, users, api_as):
    api = api_as("lots")
    headers = api._headers({"Content-Type": "application/json"})
    broken = api.client.post("/api/v1/companies", data="{broken", headers=headers)
    assert broken.status_code == 400
    assert broken.json["errors"][0]["message"] == "Begäran är inte giltig JSON."
    form = api.client.post("/api/v1/companies", data={"name": "Formulär AB"}, headers=api._headers(None))
    assert form.status_code == 415
    assert form.json["title"] == "Fel innehållstyp"
    empty = api.client.patch("/api/v1/companies/1", headers=api._headers({"If-Match": "*"}))
    assert empty.status_code in (400, 404)


def test_unknown_paths_and_methods(db, users, api_as):
    api = api_as("lots")
    missing = api.get("/api/v1/finns-inte")
    assert missing.status_code == 404
    assert missing.json["title"] == "Finns inte"
    method = api.client.put("/api/v1/companies", headers=api._headers(None))
    assert method.status_code == 405
    assert set(method.headers["Allow"].split(", ")) >= {"GET", "POST"}
    assert method.mimetype == "application/problem+json"


def test_field_errors_name_the_field_in_swedish(db, users, api_as):
    response = api_as("lots").post("/api/v1/companies", json={"name": "x" * 201, "bogus": 1})
    assert response.status_code == 400
    errors = {e["field"]: e["message"] for e in response.json["errors"]}
    assert errors == {"name": "Högst 200 tecken.", "bogus": "Okänt fält."}


def test_openapi_document_and_reference_page(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"] == "3.1.0"
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    operations = [op for item in spec["paths"].values() for op in item.values() if isinstance(op, dict)]
    assert len(operations) >= 30
    for op in operations:  # every field of every schema is described in Swedish
        assert op.get("summary"), op
    for name, schema in spec["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            assert prop.get("description") or "$ref" in prop or "anyOf" in prop, f"{name}.{field}"
    links = spec["paths"]["/api/v1/companies"]["post"]["responses"]["201"]["links"]
    assert links["UpdateCompany"]["parameters"]["header.If-Match"] == "$response.header.ETag"
    page = client.get("/api/v1/dokumentation")
    html = rendered(page, heading="Lotsbok")
    assert "Autentisering" in html
    assert "POST /api/v1/contacts" in html
    assert "problem-inaktuell-version" in html
    assert "Logga en kontakt" in html
    assert 'src="http' not in html
    assert 'href="http' not in html
    assert "<script>" not in html
    assert " style=" not in html
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]


def test_the_api_answers_in_swedish_even_beside_an_english_browser_session(db, users, api_as):
    """The API is Swedish (a client has no language): a browser's English session cookie sent
    along with a token must not turn the service's messages English."""
    body = {"name": "Språkprov AB", "orgnr": "12345"}
    plain = api_as("lots").post("/api/v1/companies", json=body)
    english = api_as("lots")
    english.client.post("/sprak", data={"lang": "en", "next": "/"})
    answered = english.post("/api/v1/companies", json=body)
    assert plain.status_code == answered.status_code == 422, plain.json
    assert plain.json["detail"] == "Organisationsnumret ska ha 10 siffror (eller 12 med sekelsiffror)."
    assert answered.json["detail"] == plain.json["detail"]
