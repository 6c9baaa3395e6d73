"""The focus areas' admin screen in English (app.strategy): the screen's title and labels, the
form's labels, the flash after a save and the service's error – and Swedish when Swedish is
chosen."""

from __future__ import annotations

from tests.builders.strategy import focus_areas


def _english(client):
    client.post("/sprak", data={"lang": "en", "next": "/"})
    return client


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_the_focus_area_screen_is_in_english(db, admin_client):
    client = _english(admin_client)
    listing = _text(client.get("/admin/fokusomraden"))
    assert "New focus area" in listing
    assert "Nytt fokusområde" not in listing
    assert "Active" in listing  # the screen's own status label
    assert "Aktivt" not in listing

    form = _text(client.get("/admin/fokusomraden/ny"))
    assert "Shown in lists and charts." in form  # a form field's description
    assert "Visas i listor och diagram." not in form

    created = _text(
        client.post(
            "/admin/fokusomraden/ny",
            data={"strategy_id": "1", "name": "Testområdet", "short_name": "Test"},
            follow_redirects=True,
        )
    )
    assert "The focus area has been created." in created
    assert "Fokusområdet är skapat." not in created

    clash = _text(client.post("/admin/fokusomraden/ny", data={"strategy_id": "1", "name": "Testområdet"}))
    assert "The strategy already has a focus area with that name." in clash
    assert "Strategin har redan" not in clash

    area = focus_areas()[0]
    retired = _text(client.post(f"/admin/fokusomraden/{area.id}/avsluta", follow_redirects=True))
    assert f"“{area.name}” has been retired. Existing records keep it." in retired


def test_the_focus_area_screen_stays_swedish_in_swedish(db, admin_client):
    created = _text(
        admin_client.post(
            "/admin/fokusomraden/ny",
            data={"strategy_id": "1", "name": "Testområdet", "short_name": "Test"},
            follow_redirects=True,
        )
    )
    assert "Fokusområdet är skapat." in created
    assert "Nytt fokusområde" in created
    assert "has been created" not in created
