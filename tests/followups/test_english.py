"""Follow-ups in English: flashes, form labels, validation and service errors and the label
dicts reach a user who chose English, while the same actions in Swedish stay Swedish and the
calendar feed (read without a session) stays Swedish whatever the subscriber reads Lotsbok in."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.time import local_today
from app.followups.models import CANCELLED, FollowUp
from app.followups.services import feed_for
from tests.builders.companies import make_company
from tests.builders.followups import make_followup

pytestmark = pytest.mark.usefixtures("fixed_clock")  # due dates are relative to today


def _english(client):
    client.post("/sprak", data={"lang": "en", "next": "/"})
    return client


def _create(client, users, title: str):
    day = local_today() + timedelta(days=3)
    response = client.post(
        "/uppfoljningar/ny",
        data={"title": title, "due_on": day.isoformat(), "assignee_id": str(users["lots"].id)},
        follow_redirects=True,
    )
    return response.get_data(as_text=True), day


def test_creating_a_follow_up_in_english_flashes_english(db, users, login_as):
    page, day = _create(_english(login_as("lots")), users, "Call the mill")
    assert f"The follow-up “Call the mill” has been saved for {day.isoformat()}." in page
    assert "är sparad till" not in page
    assert db.session.scalar(sa.select(FollowUp.title)) == "Call the mill"


def test_creating_a_follow_up_in_swedish_stays_swedish(db, users, login_as):
    page, day = _create(login_as("lots"), users, "Ring bruket")
    assert f"Uppföljningen ”Ring bruket” är sparad till {day.isoformat()}." in page
    assert "has been saved" not in page


def test_form_labels_and_validation_messages_are_english(db, users, login_as):
    client = _english(login_as("lots"))
    page = client.get("/uppfoljningar/ny").get_data(as_text=True)
    assert "What needs to be done?" in page
    assert "Company (optional)" in page
    assert "Vad ska göras?" not in page
    page = client.post(
        "/uppfoljningar/ny", data={"title": "", "due_on": "", "assignee_id": str(users["lots"].id)}
    ).get_data(as_text=True)
    assert "Write what needs to be done." in page
    assert "Enter a date (YYYY-MM-DD)." in page
    assert "Skriv vad som ska göras." not in page


def test_a_service_error_is_english(db, users, login_as):
    f = make_followup(users["lots"], local_today())
    db.session.commit()
    client = _english(login_as("lots"))
    page = client.post(
        f"/uppfoljningar/{f.id}/skjut-upp",
        data={"until": local_today().isoformat(), "next": "/uppfoljningar"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Choose a date after today." in page
    assert "Välj ett datum efter idag." not in page


def test_status_and_period_labels_are_english(db, users, login_as):
    make_followup(users["lots"], local_today(), title="Skip the fair", status=CANCELLED, source="contact")
    db.session.commit()
    page = _english(login_as("lots")).get("/uppfoljningar?status=cancelled").get_data(as_text=True)
    assert "Skip the fair" in page
    # The period filter (PERIODS), the status filter and column (STATUS_LABELS, "Avbruten" with
    # the context "uppföljning": cancelled, not the import's "aborted") and the source tag.
    assert "Up to and including this week" in page
    assert "Cancelled" in page
    assert "Aborted" not in page
    assert ">Contact</span>" in page
    assert "Till och med denna vecka" not in page
    assert "Avbruten" not in page


def test_the_calendar_feed_stays_swedish_for_an_english_reader(db, users, login_as):
    company = make_company(name="Bruket AB")
    make_followup(users["lots"], local_today(), title="Ring bruket", company_id=company.id)
    db.session.commit()
    client = _english(login_as("lots"))
    page = client.post("/mina-installningar/kalenderlank", follow_redirects=True).get_data(as_text=True)
    assert "Your calendar link has been created. An earlier link no longer works." in page
    assert "Din kalenderlänk är skapad" not in page
    token = feed_for(users["lots"]).token
    feed = client.get(f"/kalender/{token}.ics").get_data(as_text=True)
    assert "SUMMARY:Uppföljning: Ring bruket – Bruket AB" in feed
    assert "Follow-up" not in feed
