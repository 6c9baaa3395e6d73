"""The calendar feed: a secret per-user URL, only that user's open items, valid iCalendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from icalendar import Calendar

from app.followups.calendar import CalendarEvent, register_calendar_source
from app.followups.models import DONE
from app.followups.services import regenerate_calendar_token
from tests.builders.companies import make_company
from tests.builders.followups import make_followup


def _parse(body: bytes) -> Calendar:
    cal = Calendar.from_ical(body)
    assert cal.errors == []
    assert str(cal["VERSION"]) == "2.0"
    assert "PRODID" in cal
    for event in cal.walk("VEVENT"):
        assert event.errors == []
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert prop in event, prop
    return cal


def test_feed_holds_only_this_users_open_follow_ups(app, db, users, client):
    lots, chef = users["lots"], users["chef"]
    company = make_company(name="Stora Tunabyggen AB")
    allday = make_followup(
        lots,
        date(2026, 3, 10),
        title="Ring om detaljplanen",
        company_id=company.id,
        note="Fråga om tidplanen",
    )
    timed = make_followup(lots, date(2026, 3, 30), title="Lotsmöte", due_time=time(9, 0))  # CEST that day
    make_followup(lots, date(2026, 3, 5), title="Klar sak", status=DONE)
    make_followup(chef, date(2026, 3, 10), title="Chefens hemliga")
    token = regenerate_calendar_token(lots, actor=lots).token
    regenerate_calendar_token(chef, actor=chef)
    db.session.commit()

    response = client.get(f"/kalender/{token}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    cal = _parse(response.data)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {f"followup-{allday.id}@lotsbok.test", f"followup-{timed.id}@lotsbok.test"}
    first = events[f"followup-{allday.id}@lotsbok.test"]
    assert str(first["SUMMARY"]) == "Uppföljning: Ring om detaljplanen – Stora Tunabyggen AB"
    assert first.decoded("DTSTART") == date(2026, 3, 10)
    assert first.decoded("DTEND") == date(2026, 3, 11)
    assert "Fråga om tidplanen" in str(first["DESCRIPTION"])
    assert f"http://lotsbok.test/foretag/{company.id}" in str(first["DESCRIPTION"])
    second = events[f"followup-{timed.id}@lotsbok.test"]
    assert second.decoded("DTSTART") == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    body = response.get_data(as_text=True)
    assert "Chefens hemliga" not in body
    assert "Klar sak" not in body


def test_invalid_or_replaced_token_is_404_and_nothing_leaks(app, db, users, client):
    lots = users["lots"]
    make_followup(lots, date(2026, 3, 10))
    old = regenerate_calendar_token(lots, actor=lots).token
    db.session.commit()
    assert client.get("/kalender/fel-token.ics").status_code == 404
    assert client.get(f"/kalender/{old}.ics").status_code == 200
    new = regenerate_calendar_token(lots, actor=lots).token
    db.session.commit()
    assert new != old
    assert client.get(f"/kalender/{old}.ics").status_code == 404
    assert client.get(f"/kalender/{new}.ics").status_code == 200
    lots.is_active = False
    db.session.commit()
    assert client.get(f"/kalender/{new}.ics").status_code == 404


def test_other_features_can_add_events(app, db, users, client):
    lots = users["lots"]

    def planned_visits(user, now):
        if user.id != lots.id:
            return []
        return [
            CalendarEvent(
                uid="visit-7@lotsbok.test",
                summary="Företagsbesök",
                start=datetime(2026, 4, 2, 8, 0, tzinfo=UTC),
                location="Borlänge",
            )
        ]

    register_calendar_source(app, planned_visits)
    token = regenerate_calendar_token(lots, actor=lots).token
    db.session.commit()
    cal = _parse(client.get(f"/kalender/{token}.ics").data)
    [visit] = cal.walk("VEVENT")
    assert str(visit["UID"]) == "visit-7@lotsbok.test"
    assert str(visit["LOCATION"]) == "Borlänge"
    assert visit.decoded("DTEND") == datetime(2026, 4, 2, 8, 30, tzinfo=UTC)


def test_settings_page_creates_and_shows_the_address(app, db, users, login_as):
    client = login_as("lots")
    page = client.get("/mina-installningar").get_data(as_text=True)
    assert "Du har ingen kalenderlänk ännu." in page
    response = client.post("/mina-installningar/kalenderlank")
    assert response.status_code == 302
    page = client.get("/mina-installningar").get_data(as_text=True)
    assert "http://lotsbok.test/kalender/" in page
    assert ".ics" in page
