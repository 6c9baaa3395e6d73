"""The permit-type, partner and closed-day screens in English (app.catalogues): the screen's
title and labels, the form's labels and choices, the flash after a save, the service's errors
and the permit type's processing time – and the same in Swedish when Swedish is chosen."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from app.catalogues.models import ReferralPartner
from tests.builders.catalogues import permit_type


def _english(client):
    client.post("/sprak", data={"lang": "en", "next": "/"})
    return client


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_the_permit_type_screen_is_in_english(db, admin_client):
    client = _english(admin_client)
    bygglov = permit_type("bygglov")
    listing = _text(client.get("/admin/tillstandstyper"))
    assert "Permit types" in listing
    assert "Tillståndstyper" not in listing
    assert "New permit type" in listing
    assert "Ny tillståndstyp" not in listing
    # Column labels and the statutory time computed per request.
    assert "Processing time" in listing
    assert "Handläggningstid" not in listing
    assert "under the three-week rule of PBL" in listing
    assert "enligt PBL:s treveckorsregel" not in listing
    assert "Retire" in listing
    assert "Avsluta" not in listing

    form = _text(client.get(f"/admin/tillstandstyper/{bygglov.id}"))
    assert "Who decides" in form
    assert "Vem beslutar" not in form
    assert "from a complete application" in form  # a choice label
    assert "från komplett ansökan" not in form
    assert "Statutory processing time" in form  # the fieldset's legend


def test_a_refused_permit_type_shows_the_english_error(db, admin_client):
    client = _english(admin_client)
    data = {
        "code": "Fel kod!",
        "name": "Testlov",
        "statutory_time_unit": "",
        "extension_unit": "",
        "clock_starts": "complete",
    }
    html = _text(client.post("/admin/tillstandstyper/ny", data=data))
    assert "The code may only contain lower-case letters a–z" in html
    assert "Koden får bara innehålla" not in html


def test_saving_a_partner_flashes_in_english(db, admin_client):
    client = _english(admin_client)
    form = _text(client.get("/admin/partner/ny"))
    assert "What the partner helps companies with." in form
    assert "Vad partnern hjälper företag med." not in form
    page = _text(
        client.post(
            "/admin/partner/ny",
            data={"name": "Testpartnern", "website": "https://example.se"},
            follow_redirects=True,
        )
    )
    assert "The partner Testpartnern has been saved." in page
    assert "är sparad" not in page
    assert "Referral partners" in page
    assert "Hänvisningspartner" not in page

    partner = db.session.query(ReferralPartner).filter_by(name="Testpartnern").one()
    retired = _text(client.post(f"/admin/partner/{partner.id}/avsluta", follow_redirects=True))
    assert "“Testpartnern” has been retired. Existing referrals keep it." in retired
    refused = _text(client.post("/admin/partner/ny", data={"name": "Testpartnern"}))
    assert "There is already a partner with that name." in refused
    assert "Det finns redan en partner" not in refused


def test_the_closed_days_in_english(db, admin_client):
    client = _english(admin_client)
    assert "Closed days (bridge days)" in _text(client.get("/admin/"))
    page = _text(client.get("/admin/kataloger/stangda-dagar"))
    assert "Good Friday" in page
    assert "långfredagen" not in page
    added = _text(
        client.post(
            "/admin/kataloger/stangda-dagar", data={"day": "2026-05-15", "reason": ""}, follow_redirects=True
        )
    )
    assert "2026-05-15 is a closed day." in added
    assert "är en stängd dag" not in added
    saturday = _text(client.post("/admin/kataloger/stangda-dagar", data={"day": "2026-05-16", "reason": ""}))
    assert "2026-05-16 is a Saturday and already not a working day." in saturday
    assert "lördag" not in saturday
    missing = _text(client.post("/admin/kataloger/stangda-dagar", data={"day": "", "reason": ""}))
    assert "Enter a date (YYYY-MM-DD)." in missing


@pytest.mark.parametrize(
    ("path", "swedish"),
    [
        ("/admin/tillstandstyper", ["Tillståndstyper", "Ny tillståndstyp", "enligt PBL:s treveckorsregel"]),
        ("/admin/partner/ny", ["Vad partnern hjälper företag med."]),
        ("/admin/kataloger/stangda-dagar", ["långfredagen"]),
        ("/admin/", ["Stängda dagar (klämdagar)"]),
    ],
)
def test_swedish_stays_swedish(db, admin_client, path, swedish):
    html = _text(admin_client.get(path))
    for text in swedish:
        assert text in html


def test_a_partner_saved_in_swedish_flashes_in_swedish(db, admin_client):
    page = _text(admin_client.post("/admin/partner/ny", data={"name": "Testpartnern"}, follow_redirects=True))
    assert "Partnern Testpartnern är sparad." in page
    assert "has been saved" not in page
    refused = _text(
        admin_client.post("/admin/kataloger/stangda-dagar", data={"day": "2026-05-16", "reason": ""})
    )
    assert "2026-05-16 är lördag och redan ingen arbetsdag." in refused


def test_the_permit_types_statutory_time_reads_in_english(app, db):
    bygglov = permit_type("bygglov")
    with app.test_request_context(), force_locale("en"):
        assert bygglov.statutory_time_text == (
            "10 weeks under the three-week rule of PBL, can be extended by at most 10 weeks"
        )
    assert (
        bygglov.statutory_time_text
        == "10 veckor enligt PBL:s treveckorsregel, kan förlängas med högst 10 veckor"
    )
