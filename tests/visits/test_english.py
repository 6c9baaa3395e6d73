"""Company visits in English: flashes, form labels, validation errors, list filters, the month
calendar's names (Babel), the visit brief and the question bank reach a user who chose English,
while the same actions in Swedish stay Swedish and the .ics invitation stays Swedish (it is
mailed to the participants, like the invitation mail)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.time import local_today, utcnow
from app.visits.models import PLANNED, CompanyVisit, VisitQuestion
from tests.builders.companies import make_company
from tests.builders.strategy import focus_areas
from tests.builders.visits import make_visit, promise_input, record_visit

pytestmark = pytest.mark.usefixtures("fixed_clock")  # dates are relative to today


def _english(client):
    client.post("/sprak", data={"lang": "en", "next": "/"})
    return client


def _plan(client, users, company, *, ends_time: str = "10:30"):
    day = local_today() + timedelta(days=10)
    return client.post(
        "/besok/nytt",
        data={
            "company_id": company.id,
            "status": PLANNED,
            "starts_on": day.isoformat(),
            "starts_time": "09:00",
            "ends_time": ends_time,
            "ledning_ids": [users["ledning"].id],
            "office_ids": [users["lots"].id],
            "purpose": "Lära känna företaget",
            "focus_area_ids": [focus_areas()[0].id],
        },
        follow_redirects=True,
    ).get_data(as_text=True)


def test_planning_a_visit_in_english_flashes_english_and_the_ics_stays_swedish(db, users, login_as):
    company = make_company("Engelska Verken AB")
    db.session.commit()
    client = _english(login_as("ledning"))
    page = _plan(client, users, company)
    assert (
        "The visit to Engelska Verken AB has been saved. The invitation has been sent to the participants."
        in page
    )
    assert "är sparat" not in page
    visit = db.session.scalar(sa.select(CompanyVisit))
    ics = client.get(f"/besok/{visit.id}/inbjudan.ics").get_data(as_text=True)
    assert "SUMMARY:Företagsbesök: Engelska Verken AB" in ics
    assert "Syfte: Lära känna företaget" in ics
    assert "Company visit" not in ics


def test_planning_a_visit_in_swedish_stays_swedish(db, users, login_as):
    company = make_company("Svenska Verken AB")
    db.session.commit()
    page = _plan(login_as("ledning"), users, company)
    assert "Besöket hos Svenska Verken AB är sparat. Inbjudan är skickad till deltagarna." in page
    assert "has been saved" not in page


def test_form_labels_choices_and_validation_errors_are_english(db, users, login_as):
    company = make_company("Formulär AB")
    db.session.commit()
    client = _english(login_as("ledning"))
    page = client.get(f"/besok/nytt?company_id={company.id}").get_data(as_text=True)
    assert "Participants from the municipal leadership" in page
    assert "the invitation is sent to the participants" in page
    assert "– None / write the name below –" in page
    assert "Deltagare från kommunledningen" not in page
    assert "inbjudan skickas till deltagarna" not in page
    page = _plan(client, users, company, ends_time="08:00")
    assert "The visit must end after it starts." in page
    assert "Besöket måste sluta efter att det börjar." not in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CompanyVisit)) == 0


def test_list_filters_and_the_month_calendar_are_english(db, users, login_as):
    client = _english(login_as("ledning"))
    page = client.get("/besok").get_data(as_text=True)
    assert "Upcoming (proposed and planned)" in page
    assert "Kommande (föreslagna och planerade)" not in page
    today = local_today()
    page = client.get(f"/besok/kalender?manad={today:%Y-%m}").get_data(as_text=True)
    assert "November 2026" in page  # the fixed clock's month, from Babel
    assert 'title="Monday"' in page
    assert "november 2026" not in page
    assert "Måndag" not in page


def test_the_month_calendar_stays_swedish_in_swedish(db, users, login_as):
    page = login_as("ledning").get(f"/besok/kalender?manad={local_today():%Y-%m}").get_data(as_text=True)
    assert "november 2026" in page
    assert 'title="Måndag"' in page
    assert ">Mån</abbr>" in page
    assert "Monday" not in page


def test_the_brief_shows_promise_states_in_english(db, users, login_as):
    company = make_company("Underlag AB")
    visit = make_visit(
        company,
        users["ledning"],
        ledning=[users["ledning"]],
        starts_at=(utcnow() - timedelta(days=2)).replace(minute=0, second=0, microsecond=0),
    )
    due = local_today() + timedelta(days=20)
    record_visit(visit, users["ledning"], promises=[promise_input("Skicka detaljplanen", users["lots"], due)])
    db.session.commit()
    client = _english(login_as("ledning"))
    page = client.get(f"/besok/foretag/{company.id}/underlag").get_data(as_text=True)
    assert "Skicka detaljplanen" in page
    assert f"Not kept yet – due by {due.isoformat()}" in page
    assert "Inte hållet än" not in page


def test_the_question_bank_speaks_english(db, users, login_as):
    client = _english(login_as("admin"))
    page = client.post(
        "/admin/besoksfragor/ny",
        data={"text": "Hur går rekryteringen?", "focus_area_id": "", "is_active": "y"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "The question has been saved." in page
    assert "Frågan är sparad." not in page
    assert "Stop suggesting" in page  # the screen's retire button
    assert "All visits" in page  # the focus-area column of a general question
    assert "Sluta föreslå" not in page
    assert "Hur går rekryteringen?" in db.session.scalars(sa.select(VisitQuestion.text)).all()
    page = client.post("/admin/besoksfragor/ny", data={"text": "", "focus_area_id": ""}).get_data(
        as_text=True
    )
    assert "Write the question." in page
    assert "Skriv frågan." not in page
