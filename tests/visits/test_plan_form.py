"""The plan-a-visit form's company and host fields (issue 15 §5): the picker's JSON endpoints,
the no-JavaScript path (part of a name → choose among the hits, "Hämta företagets
kontaktpersoner" without saving and keeping what was typed), `?company_id=` prefill, and
"Budskap och frågor" saved and shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.time import local_today
from app.visits.models import CompanyVisit
from tests.builders.companies import make_company, make_contact_person

pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def tuna(db):
    company = make_company("Tunaverken Industriservice AB", city="Borlänge")
    host = make_contact_person(company, "Karin Tunström", title="vd")
    other = make_company("Tunaholm Bygg AB")
    make_contact_person(other, "Bertil Bygg")
    db.session.commit()
    return company, host


def _form(users, **extra):
    day = local_today() + timedelta(days=10)
    return {
        "status": "planned",
        "starts_on": day.isoformat(),
        "starts_time": "09:00",
        "ends_time": "10:30",
        "ledning_ids": [users["ledning"].id],
        "purpose": "Lära känna företaget",
        **extra,
    }


def test_the_picker_suggests_by_part_of_the_name(tuna, login_as):
    """The form's company field is the one company picker: its suggestions (companies.suggest)."""
    company, _host = tuna
    html = login_as("ledning").get("/besok/nytt").get_data(as_text=True)
    assert "data-company-field" in html
    assert "js/companypick.js" in html
    found = login_as("ledning").get("/foretag/forslag?q=tunaverk").get_json()
    assert [c["name"] for c in found] == [company.name]
    assert found[0]["id"] == company.id
    assert "Borlänge" in found[0]["detail"]


def test_host_choices_are_the_companys_contact_persons(tuna, login_as):
    company, host = tuna
    found = login_as("lots").get(f"/besok/vardar?company_id={company.id}").get_json()
    assert found == [{"id": host.id, "name": "Karin Tunström", "label": "Karin Tunström, vd"}]
    assert login_as("lots").get("/besok/vardar").get_json() == []


def test_prefilled_from_the_company_page(tuna, login_as):
    company, _host = tuna
    html = login_as("ledning").get(f"/besok/nytt?company_id={company.id}").get_data(as_text=True)
    assert f'value="{company.name}"' in html
    assert ">Karin Tunström, vd</option>" in html


def test_without_javascript_part_of_a_name_offers_the_hits_and_keeps_the_form(db, tuna, users, login_as):
    company, host = tuna
    client = login_as("ledning")
    data = _form(users, company="tunaverk", key_messages="Fråga om lokaler")
    first = client.post("/besok/nytt", data=data)
    html = first.get_data(as_text=True)
    assert first.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CompanyVisit)) == 0  # not saved
    choices = html.split("data-company-choices")[1].split("</fieldset>")[0]
    assert f'type="radio" name="company_id" value="{company.id}"' in choices
    assert "Välj ett av företagen i listan under fältet." in html
    assert "Fråga om lokaler</textarea>" in html  # what was typed is kept
    # Choosing the hit and "Sök företag": the hosts, still not saved.
    second = client.post("/besok/nytt", data={**data, "company_id": company.id, "company_search": "1"})
    html = second.get_data(as_text=True)
    assert ">Karin Tunström, vd</option>" in html
    assert f'value="{company.id}" data-company-value' in html
    assert "data-company-choices" not in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CompanyVisit)) == 0
    saved = client.post(
        "/besok/nytt",
        data=_form(
            users,
            company="tunaverk",
            company_id=company.id,
            host_contact_person_id=host.id,
            key_messages="Fråga om lokaler",
        ),
    )
    assert saved.status_code == 302
    visit = db.session.scalar(sa.select(CompanyVisit))
    assert (visit.company_id, visit.host_contact_person_id) == (company.id, host.id)
    assert visit.key_messages == "Fråga om lokaler"
    detail = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Fråga om lokaler" in detail


def test_two_hits_are_a_choice_and_none_is_said(tuna, users, login_as):
    client = login_as("ledning")
    html = client.post("/besok/nytt", data=_form(users, company="tuna")).get_data(as_text=True)
    choices = html.split("data-company-choices")[1].split("</fieldset>")[0]
    assert choices.count('name="company_id"') == 2
    assert " checked" not in choices
    none = client.post("/besok/nytt", data=_form(users, company="Finns Inte AB")).get_data(as_text=True)
    assert "Inga företag matchar ”Finns Inte AB”" in none


def test_an_exact_name_chooses_and_a_stale_hidden_id_gives_way_to_the_typed_name(db, tuna, users, login_as):
    company, _host = tuna
    other = db.session.scalar(sa.select(type(company)).where(type(company).name == "Tunaholm Bygg AB"))
    response = login_as("ledning").post(
        "/besok/nytt", data=_form(users, company="Tunaholm Bygg AB", company_id=company.id)
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(CompanyVisit.company_id)) == other.id


def test_nytt_foretag_keeps_the_typed_name_and_returns_to_the_form(db, tuna, users, login_as):
    from urllib.parse import parse_qs, urlsplit

    from app.companies.picker import with_company

    client = login_as("ledning")
    response = client.post(
        "/besok/nytt", data=_form(users, company="Zqbesök Nya AB", company_new="1", purpose="Första besöket")
    )
    assert response.status_code == 302
    assert "/foretag/nytt?name=Zqbes" in response.location
    created = make_company("Zqbesök Nya AB")
    make_contact_person(created, "Nora Ny")
    db.session.commit()
    back = with_company(parse_qs(urlsplit(response.location).query)["next"][0], created.id)
    html = client.get(back).get_data(as_text=True)
    assert f'value="{created.id}" data-company-value' in html
    assert 'value="Zqbesök Nya AB"' in html
    assert "Första besöket</textarea>" in html
    assert ">Nora Ny</option>" in html


def test_no_company_is_an_error_on_the_company_field(tuna, users, login_as):
    html = login_as("ledning").post("/besok/nytt", data=_form(users)).get_data(as_text=True)
    assert 'id="company-error"' in html
    assert 'aria-invalid="true"' in html.split('id="company"')[1].split(">")[0]
