"""A few tests per screen: planning and recording through the forms, the list, calendar, brief,
proposals, statistics and the admin pages."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.core.time import local_datetime, local_today, to_local, utcnow
from app.followups.models import FollowUp
from app.mail.models import OutboxMessage
from app.visits.models import DONE, CompanyVisit, VisitQuestion, VisitTarget
from tests.builders.cases import make_case
from tests.builders.companies import make_company, make_contact_person
from tests.builders.strategy import focus_areas
from tests.builders.visits import make_visit

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the results depend on today's date


def test_plan_a_visit_through_the_form(db, users, login_as):
    company = make_company("Formulär AB")
    host = make_contact_person(company, "Vera Värd")
    db.session.commit()
    client = login_as("ledning")
    page = client.get(f"/besok/nytt?company_id={company.id}")
    assert page.status_code == 200
    assert "Vera Värd" in page.get_data(as_text=True)
    day = local_today() + timedelta(days=10)
    response = client.post(
        "/besok/nytt",
        data={
            "company_id": company.id,
            "status": "planned",
            "starts_on": day.isoformat(),
            "starts_time": "09:00",
            "ends_time": "10:30",
            "ledning_ids": [users["ledning"].id],
            "office_ids": [users["lots"].id],
            "host_contact_person_id": host.id,
            "purpose": "Lära känna företaget",
            "focus_area_ids": [focus_areas()[0].id],
        },
    )
    assert response.status_code == 302
    visit = db.session.scalar(sa.select(CompanyVisit))
    assert to_local(visit.starts_at).strftime("%Y-%m-%d %H:%M") == f"{day.isoformat()} 09:00"
    assert visit.host_contact_person_id == host.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 2


def test_form_errors_are_shown(db, users, login_as):
    company = make_company()
    db.session.commit()
    response = login_as("lots").post(
        "/besok/nytt",
        data={
            "company_id": company.id,
            "status": "planned",
            "starts_on": local_today().isoformat(),
            "starts_time": "09:00",
            "ends_time": "10:00",
            "office_ids": [users["lots"].id],
        },
    )
    assert response.status_code == 200
    assert "minst en deltagare från kommunledningen" in response.get_data(as_text=True)


def test_list_calendar_and_start_panel_show_the_visit(db, users, login_as):
    visit = make_visit(
        make_company("Kalender AB"),
        users["lots"],
        ledning=[users["ledning"]],
        starts_at=utcnow() + timedelta(days=2),
    )
    db.session.commit()
    client = login_as("chef")
    assert "Kalender AB" in client.get("/besok").get_data(as_text=True)
    month = to_local(visit.starts_at).strftime("%Y-%m")
    html = client.get(f"/besok/kalender?manad={month}").get_data(as_text=True)
    assert "Kalender AB" in html
    assert '<th scope="col"><abbr title="Måndag">Mån</abbr></th>' in html
    assert "Kalender AB" in login_as("ledning").get("/").get_data(as_text=True)


def test_record_through_the_form_with_an_extra_promise_row(db, users, login_as):
    company = make_company("Registrera AB")
    visit = make_visit(
        company,
        users["lots"],
        ledning=[users["ledning"]],
        starts_at=utcnow() - timedelta(hours=3),
        now=utcnow() - timedelta(days=3),
    )
    db.session.commit()
    client = login_as("ledning")
    due = (local_today() + timedelta(days=14)).isoformat()
    base = {"version": visit.version, "focus_area_id": focus_areas()[2].id, "notes": "Bra möte."}
    more = client.post(f"/besok/{visit.id}/registrera", data={**base, "more": "1"})
    assert 'name="promises-3-text"' in more.get_data(as_text=True)  # a fourth row
    response = client.post(
        f"/besok/{visit.id}/registrera",
        data={
            **base,
            "promises-0-text": "Vi återkommer om detaljplanen",
            "promises-0-owner_id": users["lots"].id,
            "promises-0-due_on": due,
            "promises-1-text": "",
            "promises-1-owner_id": "",
            "promises-1-due_on": "",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CompanyVisit, visit.id).status == DONE
    [followup] = db.session.scalars(sa.select(FollowUp).where(FollowUp.visit_id == visit.id)).all()
    assert followup.title == "Vi återkommer om detaljplanen"
    assert followup.source == "visit"


def test_brief_page_is_logged_and_printable(db, users, login_as):
    from app.audit.models import AuditEvent

    company = make_company("Underlag AB")
    make_case(
        users["lots"],
        company=company,
        contact_person_id=None,
        now=None,
        title="Serveringstillstånd för uteservering",
    )
    visit = make_visit(
        company, users["lots"], ledning=[users["ledning"]], starts_at=utcnow() + timedelta(days=5)
    )
    db.session.commit()
    html = login_as("ledning").get(f"/besok/{visit.id}/underlag").get_data(as_text=True)
    assert "Besöksunderlag: Underlag AB" in html
    assert "Serveringstillstånd för uteservering" in html
    assert "Hur vill ni att vi återkopplar?" in html
    assert "data-print" in html
    assert "js/visits.js" in html
    assert (
        db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "view", AuditEvent.entity_id == company.id)
        )
        is not None
    )
    other = make_company("Utan Besök AB")
    db.session.commit()
    assert "Besöksunderlag: Utan Besök AB" in login_as("chef").get(
        f"/besok/foretag/{other.id}/underlag"
    ).get_data(as_text=True)


def test_proposals_and_stats_pages(db, users, login_as):
    make_company("Förslag AB", status="establishing")
    db.session.commit()
    client = login_as("ledning")
    html = client.get("/besok/forslag").get_data(as_text=True)
    assert "Förslag AB" in html
    assert "Nyetablering/prospekt (status etablering)" in html
    assert "Genomförda besök per kvartal" in client.get("/besok/statistik").get_data(as_text=True)


def test_ics_download_and_cancel(db, users, login_as):
    visit = make_visit(
        make_company(), users["lots"], ledning=[users["ledning"]], starts_at=utcnow() + timedelta(days=5)
    )
    db.session.commit()
    client = login_as("lots")
    response = client.get(f"/besok/{visit.id}/inbjudan.ics")
    assert response.headers["Content-Type"].startswith("text/calendar")
    assert b"METHOD:REQUEST" in response.data
    response = client.post(
        f"/besok/{visit.id}/stall-in", data={"version": visit.version, "reason": "Sjukdom"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CompanyVisit, visit.id).status == "cancelled"


def test_admin_question_bank_and_target(db, users, login_as):
    client = login_as("admin")
    assert "Hur vill ni att vi återkopplar?" in client.get("/admin/besoksfragor").get_data(as_text=True)
    response = client.post(
        "/admin/besoksfragor/ny",
        data={"text": "Hur ser er export ut?", "focus_area_id": focus_areas()[4].id, "is_active": "y"},
    )
    assert response.status_code == 302
    assert (
        db.session.scalar(sa.select(VisitQuestion).where(VisitQuestion.text == "Hur ser er export ut?"))
        is not None
    )
    response = client.post("/admin/besok/mal", data={"year": 2027, "target_count": 0})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(VisitTarget.target_count).where(VisitTarget.year == 2027)) == 0
    assert "Frågebank för besöksunderlag" in client.get("/admin/").get_data(as_text=True)


def test_new_visit_suggests_a_working_day_and_the_calendar_names_holidays(db, users, login_as):
    # From Friday 12 June 2026 a week ahead is midsommarafton: the form suggests Monday 22 June.
    with time_machine.travel(local_datetime(date(2026, 6, 12), time(10, 0)), tick=False):
        client = login_as("lots")
        page = client.get("/besok/nytt").get_data(as_text=True)
        html = client.get("/besok/kalender?manad=2026-06").get_data(as_text=True)
    assert 'name="starts_on" required type="date" value="2026-06-22"' in page
    assert '<span class="month__holiday">Midsommarafton</span>' in html
    assert '<span class="month__holiday">Nationaldagen</span>' in html
