"""The lots-case screens in English (app.cases wrapped for translation): after "In English" a
flash, form labels, a service's validation error, label dicts and the statutory clock's
explanation reach the user in English – and the same pages still speak Swedish by default."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import cases as f


def _english(client):
    client.post("/sprak", data={"lang": "en", "next": "/"})
    return client


def _page(response) -> str:
    assert response.status_code in (200, 400), response.status_code
    return response.get_data(as_text=True)


@pytest.fixture
def case(db, users):
    """An open case with a submitted permit row (its clock has started)."""
    made = f.make_case(users["lots"])
    f.make_permit(made, users["lots"], "bygglov", submitted_on=date(2026, 2, 2))
    db.session.commit()
    return made


def _add_note(client, case) -> str:
    return _page(
        client.post(
            f"/arenden/{case.id}/anteckning",
            data={"kind": "note", "text": "Ringde sökanden."},
            follow_redirects=True,
        )
    )


def _meeting_ending_before_it_starts(client, case) -> str:
    return _page(
        client.post(
            f"/arenden/{case.id}/moten/nytt",
            data={"day": "2026-12-07", "start": "10:00", "end": "09:00", "place": "Stadshuset"},
        )
    )


def test_a_note_is_saved_and_the_case_page_shown_in_english(case, lots_client):
    html = _add_note(_english(lots_client), case)
    # The flash of the view.
    assert "The note has been saved." in html
    assert "Anteckningen är sparad." not in html
    # A label dict: the history's event kinds (models.EVENT_KINDS).
    assert "Case registered" in html
    assert "Ärendet registrerat" not in html
    # The statutory clock's rule and explanation (statutory.py).
    assert "From the submission" in html
    assert "The time is counted from 2026-02-02, when the application came in" in html
    assert "Tiden räknas från" not in html
    # A form's choices (NoteForm.kind).
    assert "Feedback (what came back)" in html
    assert "Återkoppling (vad kom tillbaka)" not in html


def test_the_meeting_form_and_a_service_error_in_english(case, lots_client):
    client = _english(lots_client)
    form = _page(client.get(f"/arenden/{case.id}/moten/nytt"))
    assert "Other external participants" in form
    assert "Andra externa deltagare" not in form
    # The hint is a plain text, escaped like any other (not taken as markup).
    assert "One per line: Name &lt;e-mail&gt;." in form
    html = _meeting_ending_before_it_starts(client, case)
    assert "The meeting must end after it starts." in html
    assert "Mötet måste sluta efter att det börjar." not in html


def test_the_case_list_views_in_english(case, lots_client):
    html = _page(_english(lots_client).get("/arenden?vy=mina"))
    assert "My cases" in html
    assert "Time limit near or passed" in html
    assert "Mina ärenden" not in html
    assert "Frist nära eller passerad" not in html


def test_the_same_screens_stay_swedish_by_default(case, lots_client):
    html = _add_note(lots_client, case)
    assert "Anteckningen är sparad." in html
    assert "The note has been saved." not in html
    assert "Ärendet registrerat" in html
    assert "Tiden räknas från 2026-02-02, då ansökan kom in" in html
    assert "Återkoppling (vad kom tillbaka)" in html
    form = _page(lots_client.get(f"/arenden/{case.id}/moten/nytt"))
    assert "Andra externa deltagare" in form
    assert "En per rad: Namn &lt;e-post&gt;." in form
    html = _meeting_ending_before_it_starts(lots_client, case)
    assert "Mötet måste sluta efter att det börjar." in html
    assert "The meeting must end after it starts." not in html
    html = _page(lots_client.get("/arenden?vy=mina"))
    assert "Mina ärenden" in html
    assert "My cases" not in html


def test_stored_texts_stay_swedish_when_the_user_reads_english(case, db, lots_client):
    """A case event written by someone who reads English is a record in Swedish."""
    from app.cases import queries

    _english(lots_client).post(
        f"/arenden/{case.id}/moten/nytt",
        data={"day": "2026-12-07", "start": "09:00", "end": "10:00", "place": "Stadshuset"},
    )
    texts = [event.text for event in queries.history(case.id)]
    assert any(text.startswith("Lotsmöte planerat ") for text in texts), texts
