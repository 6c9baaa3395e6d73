"""The one search box on SQLite FTS5 and PostgreSQL full text: Swedish letters, prefixes,
ranking, visibility and hostile input."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.time import utcnow
from app.interactions import services as contacts
from app.search.queries import load_hits, search
from tests.builders.companies import make_company, make_contact_person
from tests.builders.interactions import make_interaction

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the results depend on today's date


def _names(results, kind="company"):
    return [hit.id for hit in results.hits.get(kind, [])]


def test_far_does_not_match_far_with_ring(db, users):
    far = make_company("Far och Son Bygg AB")
    faar = make_company("Får och Lamm i Dalarna AB")
    db.session.commit()
    assert _names(search("får", actor=users["lots"])) == [faar.id]
    assert _names(search("far", actor=users["lots"])) == [far.id]


def test_prefix_matching_as_you_type_and_case_folding_of_swedish_letters(db, users):
    company = make_company("Östra Borlänge Ståltjänst AB")
    db.session.commit()
    for typed in ["Ös", "östra", "ÖSTRA BORL", "stålt"]:
        assert company.id in _names(search(typed, actor=users["lots"])), typed


def test_organisationsnummer_with_or_without_hyphen(db, users):
    company = make_company("Nummerbolaget AB")
    db.session.commit()
    number = company.orgnr
    for typed in [number, f"{number[:6]}-{number[6:]}", number[:6]]:
        assert company.id in _names(search(typed, actor=users["lots"])), typed


def test_contact_person_finds_the_company(db, users):
    company = make_company("Kvarnsvedens Verkstad AB")
    make_contact_person(company, name="Märta Ekström")
    db.session.commit()
    results = search("märta ekström", actor=users["chef"])
    shown = load_hits(results, actor=users["chef"])
    assert [hit.args["company_id"] for hit in shown["person"]] == [company.id]


def test_contact_subject_and_notes_are_found_and_ranked(db, users):
    company = make_company("Rankning AB")
    in_subject = make_interaction(
        company, users["lots"], subject="Serveringstillstånd inför festivalen", notes="Kort samtal."
    )
    in_notes = make_interaction(
        company, users["lots"], subject="Allmänt", notes="Nämnde serveringstillstånd i förbigående."
    )
    db.session.commit()
    hits = _names(search("serveringstillstånd", actor=users["lots"]), "interaction")
    assert hits == [in_subject.id, in_notes.id]  # the subject weighs more than the notes


def test_restricted_contact_is_not_found_by_those_who_may_not_read_it(db, users):
    company = make_company("Sekretess AB")
    hidden = make_interaction(company, users["lots"], subject="Känslig omstrukturering", is_restricted=True)
    db.session.commit()
    assert _names(search("omstrukturering", actor=users["lots"]), "interaction") == [hidden.id]
    assert (
        _names(search("omstrukturering", actor=users["admin"]), "interaction") == []
    )  # admin: no contact access
    assert _names(search("omstrukturering", actor=users["chef"]), "interaction") == []
    assert "interaction" not in search("omstrukturering", actor=users["ledning"]).hits or not _names(
        search("omstrukturering", actor=users["ledning"]), "interaction"
    )


def test_deleted_contact_and_merged_company_disappear(db, users):
    company = make_company("Borttagen Handel AB")
    contact = make_interaction(company, users["lots"], subject="Raderingstest")
    db.session.commit()
    contacts.delete_contact(contact, actor=users["lots"])
    company.merged_into_id = make_company("Överlevaren AB").id
    db.session.commit()
    assert _names(search("raderingstest", actor=users["lots"]), "interaction") == []
    assert _names(search("borttagen", actor=users["lots"])) == []


def test_updates_are_reindexed(db, users):
    company = make_company("Gammalt Namn AB")
    db.session.commit()
    company.name = "Nytt Namn AB"
    db.session.commit()
    assert _names(search("gammalt", actor=users["lots"])) == []
    assert _names(search("nytt", actor=users["lots"])) == [company.id]


@pytest.mark.parametrize(
    "hostile", ["e-post", "AND", "kund:", '"', "NEAR(", "*", "a OR", "');--", "ä" * 500, "NOT"]
)
def test_any_input_is_safe_through_the_page(lots_client, db, hostile):
    make_company("E-post och Kund AB")
    db.session.commit()
    response = lots_client.get("/sok", query_string={"q": hostile})
    assert response.status_code == 200


def test_search_page_shows_grouped_results(lots_client, db, users):
    company = make_company("Domnarvets Musik AB")
    make_interaction(
        company, users["lots"], subject="Musikfestival i Domnarvet", occurred_at=utcnow() - timedelta(days=2)
    )
    db.session.commit()
    html = lots_client.get("/sok?q=domnarvet").get_data(as_text=True)
    assert "Domnarvets Musik AB" in html
    assert "Musikfestival i Domnarvet" in html
    assert '<h2 id="hits-company">Företag' in html
