"""The one company picker (app.companies.picker, _macros/company_picker.html): its suggestions,
the no-JavaScript search, the "Nytt företag" round trip, the duplicate warning of the company form
and the company page's action bar."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import sqlalchemy as sa

from app.cases.models import LotsCase
from app.companies.models import Company
from app.companies.similar import similar_companies
from app.core.time import utcnow
from app.extensions import db as _db
from app.followups.models import FollowUp
from tests.builders import cases as cf
from tests.builders.companies import make_company, make_contact_person
from tests.builders.strategy import focus_areas
from tests.pages import rendered, served
from tests.test_query_counts import StatementCounter


def _suggest(client, q: str) -> list[dict]:
    return client.get("/foretag/forslag", query_string={"q": q}).get_json()


def test_suggestions_by_name_orgnr_and_contact_person(db, users, login_as):
    tuna = make_company("Tunaverken Industriservice AB", postcode="784 33", city="Borlänge")
    make_contact_person(tuna, name="Greta Zqvist")
    other = make_company("Kafé Kupolen AB")
    gone = make_company("Tunaverken Gamla AB", deleted_at=utcnow())
    db.session.commit()
    for role in ("lots", "chef", "ledning"):
        client = login_as(role)
        names = [r["name"] for r in _suggest(client, "Tunav")]
        assert names == ["Tunaverken Industriservice AB"], role  # not the deleted one
        assert [r["id"] for r in _suggest(client, f"{tuna.orgnr[:6]}-{tuna.orgnr[6:]}")] == [tuna.id]
        assert [r["id"] for r in _suggest(client, "Zqvist")] == [tuna.id]  # a contact person
    found = _suggest(login_as("lots"), "Tunaverken")[0]
    assert found["detail"] == f"{tuna.orgnr[:6]}-{tuna.orgnr[6:]} · 784 33 Borlänge"
    assert _suggest(login_as("lots"), "T") == []
    assert other.id
    assert gone.id


def test_suggestions_keep_the_personnummer_rule(db, users, login_as):
    """A sole trader: never by a prefix, by the whole number masked and audited – the rule of the
    company list (also swept for every role by tests/search/test_personal_ids.py)."""
    from app.audit.models import AuditEvent
    from tests.builders.companies import SOLE_TRADER

    person = make_company("Firman Zqpicker", orgnr=SOLE_TRADER)
    db.session.commit()
    client = login_as("lots")
    assert _suggest(client, SOLE_TRADER[:8]) == []
    text = served(
        client.get("/foretag/forslag", query_string={"q": SOLE_TRADER}),
        mimetype="application/json",
        marker="Zqpicker",
    )
    assert f"{SOLE_TRADER[:6]}-****" in text
    assert SOLE_TRADER not in text
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "lookup")).one()
    assert event.entity_id == person.id
    assert "företagsväljaren" in event.summary


def _case_fields(**extra) -> dict:
    return {
        "title": "Uteservering",
        "case_type_id": cf.case_type().id,
        "focus_area_id": focus_areas()[2].id,
        "priority": "normal",
        "intake_channel": "phone",
        "intake_on": "2026-03-02",
        **extra,
    }


def test_no_javascript_search_offers_choices_and_keeps_the_form(db, users, lots_client):
    first = make_company("Tunaverken Industriservice AB")
    make_company("Tunaverken Måleri AB")
    db.session.commit()
    page = rendered(
        lots_client.post("/arenden/nytt", data=_case_fields(company="Tunaverken", company_search="1")),
        heading="Nytt lotsärende",
    )
    assert f'type="radio" name="company_id" value="{first.id}"' in page
    assert "Tunaverken Måleri AB" in page
    assert 'value="Uteservering"' in page  # what was typed stays
    assert "Ge ärendet en rubrik" not in page  # a search is no save: no errors
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LotsCase)) == 0
    # Choosing a radio button and saving: the case is on that company.
    response = lots_client.post(
        "/arenden/nytt", data=_case_fields(company="Tunaverken", company_id=str(first.id))
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.scalar(sa.select(LotsCase.company_id)) == first.id


def test_an_unresolved_company_is_not_saved(db, users, lots_client):
    make_company("Tunaverken Industriservice AB")
    make_company("Tunaverken Måleri AB")
    db.session.commit()
    page = rendered(
        lots_client.post("/arenden/nytt", data=_case_fields(company="Tunaverken")), heading="Nytt lotsärende"
    )
    assert "Välj ett av företagen i listan under fältet." in page
    page = rendered(
        lots_client.post("/arenden/nytt", data=_case_fields(company="Zzyzx")), heading="Nytt lotsärende"
    )
    assert "Inga företag matchar ”Zzyzx”" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LotsCase)) == 0


def test_new_company_round_trip_keeps_the_form(db, users, lots_client):
    response = lots_client.post(
        "/arenden/nytt", data=_case_fields(company="Tunaverken Industriservice", company_new="1")
    )
    assert response.status_code == 302
    target = urlsplit(response.location)
    assert target.path == "/foretag/nytt"
    args = parse_qs(target.query)
    assert args["name"] == ["Tunaverken Industriservice"]
    back = args["next"][0]
    assert back.startswith("/arenden/nytt?")
    assert "title=Uteservering" in back
    form = rendered(lots_client.get(response.location), heading="Nytt företag")
    assert 'value="Tunaverken Industriservice"' in form
    saved = lots_client.post(
        "/foretag/nytt", data={"name": "Tunaverken Industriservice", "status": "active", "next": back}
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)
    company = db.session.scalar(sa.select(Company).where(Company.name == "Tunaverken Industriservice"))
    assert urlsplit(saved.location).path == "/arenden/nytt"
    assert parse_qs(urlsplit(saved.location).query)["company_id"] == [str(company.id)]
    page = rendered(lots_client.get(saved.location), heading="Nytt lotsärende")
    assert f'name="company_id" value="{company.id}"' in page
    assert 'value="Uteservering"' in page
    assert 'value="2026-03-02"' in page


def test_next_is_only_a_local_path(db, users, lots_client):
    saved = lots_client.post(
        "/foretag/nytt", data={"name": "Nytt Bolag AB", "status": "active", "next": "//evil.example/x"}
    )
    assert saved.status_code == 302
    assert urlsplit(saved.location).path.startswith("/foretag/")
    assert "evil" not in saved.location


def test_duplicate_warning_then_save_anyway(db, users, lots_client):
    existing = make_company("Tunaverken Industriservice AB", postcode="784 33")
    make_company("Tunaverken Industriservice AB Falun", postcode="791 71")
    db.session.commit()
    data = {
        "name": "Tunaverken industriservice.",
        "postcode": "78433",
        "status": "active",
        "phone": "0243-123",
    }
    page = rendered(lots_client.post("/foretag/nytt", data=data), heading="Nytt företag")
    assert "Finns företaget redan?" in page
    assert f'href="/foretag/{existing.id}"' in page
    assert "Falun" not in page  # another postcode
    assert 'value="0243-123"' in page  # nothing typed is lost
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Company)) == 2
    saved = lots_client.post("/foretag/nytt", data={**data, "confirm_similar": "1"})
    assert saved.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Company)) == 3


def test_duplicate_check_is_a_constant_number_of_queries(app, db, users):
    make_company("Tunaverken Industriservice AB", postcode="784 33")
    for n in range(40):
        make_company(f"Annat Bolag {n} AB", postcode="784 33" if n % 2 else "781 00")
    db.session.commit()
    counter = StatementCounter(_db.engine)

    def selects() -> list[str]:
        return [s for s in counter.statements if s.startswith("SELECT")]

    found = similar_companies("TUNAVERKEN  Industriservice", "784 33", orgnr="")
    assert [c.name for c in found] == ["Tunaverken Industriservice AB"]
    assert len(selects()) <= 2, selects()
    counter.statements = []
    taken = make_company("Annat Nummer AB", postcode="111 11")
    db.session.commit()
    taken_id, taken_orgnr = taken.id, taken.orgnr
    counter.statements = []
    found = similar_companies("Helt Annat", "999 99", orgnr=taken_orgnr)
    assert [c.id for c in found] == [taken_id]
    assert len(selects()) <= 2, selects()
    sa.event.remove(_db.engine, "before_cursor_execute", counter._record)


EXPECTED_ACTIONS = {
    "lots": ["contact", "case", "followup", "visit", "brief"],
    "ledning": ["visit", "brief"],
    "chef": ["brief"],
    "admin": [],
}


def test_action_bar_per_role_opens_each_form_with_the_company(db, users, login_as):
    import re

    company = make_company("Tunaverken Industriservice AB")
    db.session.commit()
    for role, expected in EXPECTED_ACTIONS.items():
        client = login_as(role)
        page = rendered(client.get(f"/foretag/{company.id}"), heading=company.name)
        shown = re.findall(r'href="([^"]+)" data-action="(\w+)"', page)
        assert [key for _url, key in shown] == expected, role
        for url, key in shown:
            url = url.replace("&amp;", "&")
            form = client.get(url)
            assert form.status_code == 200, (role, key, url)
            text = form.get_data(as_text=True)
            assert company.name in text, (role, key)
            if key in ("case", "followup"):
                assert f'name="company_id" value="{company.id}"' in text, (role, key)


def test_followup_prefilled_from_the_company_page(db, users, login_as):
    company = make_company("Tunaverken Industriservice AB")
    db.session.commit()
    client = login_as("lots")
    page = client.get(f"/uppfoljningar/ny?company_id={company.id}&next=/foretag/{company.id}").get_data(
        as_text=True
    )
    assert 'value="Tunaverken Industriservice AB"' in page
    response = client.post(
        "/uppfoljningar/ny",
        data={
            "title": "Ring",
            "due_on": "2026-12-01",
            "assignee_id": str(users["lots"].id),
            "company_id": str(company.id),
            "company": company.name,
            "next": f"/foretag/{company.id}",
        },
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(FollowUp.company_id)) == company.id


def test_merge_chooses_the_other_company_with_the_picker(db, users, lots_client):
    keep = make_company("Tunaverken Industriservice AB")
    dup = make_company("Tunaverken Industriservice")
    db.session.commit()
    page = rendered(
        lots_client.get(
            f"/foretag/{keep.id}/sla-samman", query_string={"company": "Tunaverken", "company_search": "1"}
        ),
        heading="Slå samman",
    )
    assert f'value="{dup.id}"' in page
    response = lots_client.get(
        f"/foretag/{keep.id}/sla-samman", query_string={"company": "Tunaverken", "company_id": dup.id}
    )
    assert response.status_code == 302
    assert response.location.endswith(f"/foretag/sammanslagning/{keep.id}/{dup.id}")
    same = lots_client.get(f"/foretag/{keep.id}/sla-samman", query_string={"company_id": keep.id})
    assert "Välj ett annat företag än" in same.get_data(as_text=True)


def test_plan_link_lists_the_chosen_companys_contacts_and_cases(db, users, lots_client):
    from app.plan import action_plan as plan

    company = make_company("Tunaverken Industriservice AB")
    case = cf.make_case(users["lots"], company=company, title="Ny lokal")
    activity = plan.create_activity(
        plan.ActivityInput(
            focus_area_id=focus_areas()[0].id, title="Företagsbesök", responsible_name="Näringsliv"
        ),
        actor=users["lots"],
    )
    db.session.commit()
    page = rendered(
        lots_client.get(f"/strategi/handlingsplan/{activity.id}", query_string={"company_id": company.id}),
        heading=activity.title,
    )
    assert "Ny lokal" in page
    assert f'name="record_id" value="{case.id}"' in page
