"""app.core's texts in English: the error pages, a spreadsheet that cannot be read (after an
upload), the stale-edit and length-limit messages, the role label and the restricted wording –
and the same in Swedish when Swedish is chosen."""

from __future__ import annotations

import io
from datetime import date

from flask_babel import force_locale

from app.catalogues.models import ReferralPartner
from app.core import restriction
from app.core.calendar import last_day_moved


def _english(client):
    client.post("/sprak", data={"lang": "en", "next": "/"})
    return client


def _swedish(client):
    client.post("/sprak", data={"lang": "sv", "next": "/"})
    return client


def _text(response) -> str:
    return response.get_data(as_text=True)


def _upload(client, name: str, data: bytes):
    return client.post(
        "/foretag/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


WIDE_ROW = ";".join(f"k{i}" for i in range(201)).encode()


def test_a_spreadsheet_error_is_shown_in_english_after_an_upload(db, lots_client):
    client = _english(lots_client)
    html = _text(_upload(client, "foretag.xls", b"not read"))
    assert "The .xls file format (Excel 97–2003) is not supported." in html
    assert "stöds inte" not in html
    wide = _text(_upload(client, "foretag.csv", WIDE_ROW + b"\r\n"))
    assert "Row 1 has more than 200 columns. Check that the right file was chosen." in wide
    assert "kolumner" not in wide
    empty = _text(_upload(client, "foretag.csv", b""))
    assert "The file is empty. The first row should contain the column headings." in empty


def test_a_spreadsheet_error_stays_swedish_in_swedish(db, lots_client):
    html = _text(_upload(lots_client, "foretag.xls", b"not read"))
    assert "Filformatet .xls (Excel 97–2003) stöds inte." in html
    assert "not supported" not in html
    wide = _text(_upload(lots_client, "foretag.csv", WIDE_ROW + b"\r\n"))
    assert "Rad 1 har fler än 200 kolumner. Kontrollera att rätt fil valdes." in wide


def test_the_error_pages_are_in_english(db, lots_client):
    client = _english(lots_client)
    missing = client.get("/finns-inte")
    assert missing.status_code == 404
    assert "Page not found" in _text(missing)
    assert "Sidan finns inte" not in _text(missing)
    assert "The page you were looking for does not exist" in _text(missing)
    refused = client.get("/admin/tillstandstyper")
    assert refused.status_code == 403
    assert "Access denied" in _text(refused)
    assert "Åtkomst nekad" not in _text(refused)

    assert "Sidan finns inte" in _text(_swedish(client).get("/finns-inte"))


def test_a_stale_edit_and_a_too_long_text_are_refused_in_english(db, admin_client):
    client = _english(admin_client)
    partner = client.post("/admin/partner/ny", data={"name": "Testpartnern"}, follow_redirects=True)
    assert partner.status_code == 200
    entry = db.session.query(ReferralPartner).filter_by(name="Testpartnern").one()
    stale = _text(
        client.post(
            f"/admin/partner/{entry.id}", data={"name": "Nytt namn", "version": str(entry.version - 1)}
        )
    )
    assert "Someone else changed the details while you were editing." in stale
    assert "Någon annan har ändrat" not in stale

    too_long = _text(
        client.post(
            "/admin/fokusomraden/ny", data={"strategy_id": "1", "name": "Långt", "description": "x" * 20_001}
        )
    )
    assert "The text is too long: at most 20 000 characters." in too_long  # a form's validator
    assert "Texten är för lång" not in too_long

    swedish = _text(
        _swedish(admin_client).post(
            "/admin/fokusomraden/ny", data={"strategy_id": "1", "name": "Långt", "description": "x" * 20_001}
        )
    )
    assert "Texten är för lång: högst 20 000 tecken." in swedish


def test_the_role_label_is_in_english(db, lots_client):
    client = _english(lots_client)
    html = _text(client.get("/"))
    assert "(Business advisor)" in html
    assert "Företagslots" not in html
    assert "(Företagslots)" in _text(_swedish(client).get("/"))


def test_the_restricted_wording_and_the_sondagsregel_follow_the_language(app):
    with app.test_request_context(), force_locale("en"):
        assert restriction.neutral("case") == "Business case with restricted access"
        assert (
            restriction.neutral_for_mail("meeting")
            == "Advisor meeting with restricted access – open in Lotsbok"
        )
        assert last_day_moved(_saturday()).explanation == "Saturday → Monday under lag (1930:173) 2 §"
    with app.test_request_context(), force_locale("sv"):
        assert restriction.neutral("case") == "Lotsärende med begränsad åtkomst"
        assert last_day_moved(_saturday()).explanation == "lördag → måndag enligt lag (1930:173) 2 §"


def _saturday() -> date:
    return date(2026, 3, 14)
