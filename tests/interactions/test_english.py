"""The contact log in English: the contact form's labels and follow-up choices, its validation
and service messages, the flashes and the export headers reach a user who chose English – and
the same actions in Swedish still speak Swedish."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.time import local_today
from tests.builders.companies import make_company
from tests.builders.strategy import focus_areas
from tests.interactions.test_views import _form_fields
from tests.pages import served

pytestmark = pytest.mark.usefixtures("fixed_clock")


def _english(client):
    client.post("/sprak", data={"lang": "en", "next": "/"})
    return client


def _contact_data(client, company, users, **changes) -> dict[str, str]:
    html = client.get(f"/kontakter/ny?company_id={company.id}").get_data(as_text=True)
    data = _form_fields(html)
    data.update(
        {
            "subject": "Ringde om bygglov",
            "focus_area_id": str(focus_areas()[0].id),
            "participant_ids": str(users["lots"].id),
            **changes,
        }
    )
    return data


def test_the_contact_form_is_in_english(db, users, lots_client):
    company = make_company("Språkföretaget AB")
    db.session.commit()
    html = _english(lots_client).get(f"/kontakter/ny?company_id={company.id}").get_data(as_text=True)
    # Field labels, the follow-up choices ("Om 2 veckor") and a field description.
    for english, swedish in [
        ("Contact method", "Kontaktsätt"),
        ("Duration in minutes", "Längd i minuter"),
        ("Contact persons at the company", "Kontaktpersoner på företaget"),
        ("In 2 weeks", "Om 2 veckor"),
        ("No follow-up", "Ingen uppföljning"),
        ("We got in touch / not applicable", "Vi tog kontakt / ej aktuellt"),
        ("Concerned permits", "Gällde tillstånd"),
        ("More details", "Fler uppgifter"),
        ("The marking is no promise of confidentiality", "Markeringen är inget löfte om sekretess"),
    ]:
        assert english in html, english
        assert swedish not in html, swedish


def test_logging_a_contact_flashes_in_english_and_swedish(db, users, lots_client, login_as):
    company = make_company("Flaggföretaget AB")
    db.session.commit()
    client = _english(lots_client)
    response = client.post("/kontakter/ny", data=_contact_data(client, company, users), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "with Flaggföretaget AB has been logged." in page
    assert "är loggad" not in page

    swedish = login_as("lots")
    response = swedish.post(
        "/kontakter/ny",
        data=_contact_data(swedish, company, users, subject="Andra samtalet"),
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "med Flaggföretaget AB är loggad." in page
    assert "has been logged" not in page


def test_form_validation_and_service_errors_are_in_english(db, users, lots_client, login_as):
    company = make_company("Felföretaget AB")
    db.session.commit()
    client = _english(lots_client)
    # A form validator's message (WTForms, lazy) …
    response = client.post("/kontakter/ny", data=_contact_data(client, company, users, subject=""))
    page = response.get_data(as_text=True)
    assert "Write briefly what the contact was about." in page
    assert "Skriv kort vad kontakten gällde." not in page
    # … and a service's ValidationError (a time in the future).
    tomorrow = (local_today() + timedelta(days=2)).isoformat()
    response = client.post("/kontakter/ny", data=_contact_data(client, company, users, occurred_on=tomorrow))
    page = response.get_data(as_text=True)
    assert "The time is in the future." in page
    assert "Tidpunkten ligger i framtiden." not in page

    swedish = login_as("lots")
    response = swedish.post(
        "/kontakter/ny", data=_contact_data(swedish, company, users, occurred_on=tomorrow)
    )
    page = response.get_data(as_text=True)
    assert "Tidpunkten ligger i framtiden." in page
    assert "The time is in the future." not in page


def test_list_filters_and_export_headers_are_in_english(db, users, lots_client, login_as):
    company = make_company("Exportföretaget AB")
    db.session.commit()
    client = _english(lots_client)
    client.post("/kontakter/ny", data=_contact_data(client, company, users))
    html = client.get("/kontakter").get_data(as_text=True)
    assert "All types" in html
    assert "Alla typer" not in html
    assert "Only contacts with restricted access" in html
    assert "Bara kontakter med begränsad åtkomst" not in html

    csv_text = served(client.get("/kontakter/export.csv"), mimetype="text/csv", marker="Exportföretaget AB")
    header = csv_text.splitlines()[0]
    assert "Duration (min)" in header
    assert "Other focus areas" in header
    assert "Längd (min)" not in header

    swedish = served(login_as("lots").get("/kontakter/export.csv"), mimetype="text/csv", marker="Längd (min)")
    assert "Duration (min)" not in swedish.splitlines()[0]
