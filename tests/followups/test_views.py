"""Follow-up screens: the list with filters, one-click done/snooze, create from a company page,
the start-page panel, the nav badge and the settings page."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
import time_machine

from app.companies.models import Company
from app.core.calendar import working_day_on_or_after
from app.core.time import local_datetime, local_today
from app.extensions import db as _db
from app.followups.models import DONE, OPEN, FollowUp
from tests.builders.companies import make_company
from tests.builders.followups import make_followup
from tests.pages import rendered

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the results depend on today's date


def test_list_shows_mine_and_lots_can_filter_by_colleague(db, users, login_as):
    today = local_today()
    mine = make_followup(users["lots"], today, title="Min uppföljning")
    theirs = make_followup(users["chef"], today, title="Chefens uppföljning")
    db.session.commit()
    client = login_as("lots")
    page = rendered(client.get("/uppfoljningar"), heading="Uppföljningar")
    assert "Min uppföljning" in page
    assert "Chefens uppföljning" not in page
    page = rendered(client.get(f"/uppfoljningar?assignee={users['chef'].id}"), heading="Uppföljningar")
    assert "Chefens uppföljning" in page
    assert "Min uppföljning" not in page
    page = client.get("/uppfoljningar?assignee=all").get_data(as_text=True)
    assert f'id="uppfoljning-{mine.id}"' in page
    assert f'id="uppfoljning-{theirs.id}"' in page


def test_ledning_sees_only_their_own(db, users, login_as):
    make_followup(users["ledning"], local_today(), title="Besöksuppföljning")
    make_followup(users["lots"], local_today(), title="Lotsens")
    db.session.commit()
    page = rendered(login_as("ledning").get("/uppfoljningar?assignee=all"), heading="Uppföljningar")
    assert "Besöksuppföljning" in page
    assert "Lotsens" not in page
    assert 'name="assignee"' not in page
    assert "Klar<span" not in page  # no edit buttons without EDIT_FOLLOWUPS


def test_done_in_one_click_returns_to_the_page(db, users, login_as):
    f = make_followup(users["lots"], local_today())
    db.session.commit()
    client = login_as("lots")
    response = client.post(
        f"/uppfoljningar/{f.id}/klar", data={"next": "/uppfoljningar?period=today", "version": f.version}
    )
    assert response.status_code == 302
    assert response.location.endswith("/uppfoljningar?period=today")
    _db.session.expire_all()
    assert _db.session.get(FollowUp, f.id).status == DONE
    # A second click (another tab) says it is already done instead of failing.
    response = client.post(
        f"/uppfoljningar/{f.id}/klar", data={"next": "/uppfoljningar"}, follow_redirects=True
    )
    assert "redan klar" in response.get_data(as_text=True)


def test_snooze_via_fetch_answers_json(db, users, login_as):
    f = make_followup(users["lots"], local_today())
    db.session.commit()
    client = login_as("lots")
    response = client.post(
        f"/uppfoljningar/{f.id}/skjut-upp", data={"days": "7"}, headers={"X-Requested-With": "fetch"}
    )
    assert response.status_code == 200
    data = response.get_json()
    assert data["ok"] is True
    assert data["status"] == OPEN
    # "En vecka" lands on a working day: a weekend or holiday moves to the next one.
    assert data["due_on"] == working_day_on_or_after(local_today() + timedelta(days=7)).isoformat()
    stale = client.post(
        f"/uppfoljningar/{f.id}/klar", data={"version": "1"}, headers={"X-Requested-With": "fetch"}
    )
    assert stale.status_code == 409
    assert stale.get_json()["ok"] is False


def test_external_next_is_not_followed(db, users, login_as):
    f = make_followup(users["lots"], local_today())
    db.session.commit()
    response = login_as("lots").post(f"/uppfoljningar/{f.id}/klar", data={"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response.location == "/"  # the start page instead
    assert "evil.example" not in response.location


def test_create_from_a_company_page_with_the_company_preselected(db, users, login_as):
    company = make_company(name="Tunaverken AB")
    db.session.commit()
    client = login_as("lots")
    page = client.get(f"/uppfoljningar/ny?company_id={company.id}").get_data(as_text=True)
    assert "Tunaverken AB" in page
    assert f'value="{company.id}"' in page
    response = client.post(
        f"/uppfoljningar/ny?company_id={company.id}",
        data={
            "title": "Skicka broschyren",
            "due_on": (local_today() + timedelta(days=3)).isoformat(),
            "assignee_id": str(users["lots"].id),
            "company_id": str(company.id),
            "next": f"/foretag/{company.id}",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.location.endswith(f"/foretag/{company.id}")
    _db.session.expire_all()
    f = _db.session.query(FollowUp).one()
    assert (f.company_id, f.title, f.assignee_id) == (company.id, "Skicka broschyren", users["lots"].id)


def test_create_standalone_with_company_by_name_and_errors_shown(db, users, login_as):
    make_company(name="Dala Kaffe AB")
    db.session.commit()
    client = login_as("lots")
    day = (local_today() + timedelta(days=1)).isoformat()
    page = client.post(
        "/uppfoljningar/ny",
        data={"title": "x", "due_on": day, "assignee_id": str(users["lots"].id), "company": "Finns Inte AB"},
    ).get_data(as_text=True)
    assert "Inga företag matchar ”Finns Inte AB”" in page
    response = client.post(
        "/uppfoljningar/ny",
        data={
            "title": "Bjud in",
            "due_on": day,
            "assignee_id": str(users["lots"].id),
            "company": "dala  kaffe ab",
        },
    )
    assert response.status_code == 302
    company_id = _db.session.query(FollowUp).one().company_id
    assert company_id is not None
    assert _db.session.get(Company, company_id).name == "Dala Kaffe AB"


def test_start_panel_and_nav_badge(db, users, login_as):
    today = local_today()
    make_followup(users["lots"], today - timedelta(days=2), title="Försenad sak")
    make_followup(users["lots"], today, title="Dagens sak")
    db.session.commit()
    page = login_as("lots").get("/").get_data(as_text=True)
    assert "Att göra" in page
    assert "Försenade" in page
    assert "Försenad sak" in page
    assert "Dagens sak" in page
    assert '<span class="badge" aria-label="2 att göra">2</span>' in page
    assert "Att göra" not in rendered(login_as("admin").get("/"), heading="Hej ")


def test_settings_switch_the_digest_off(db, users, login_as):
    client = login_as("lots")
    assert "sammanfattning av dagens uppföljningar" in client.get("/mina-installningar").get_data(
        as_text=True
    )
    response = client.post("/mina-installningar", data={"digest_enabled": ""})  # unticked
    assert response.status_code == 302
    _db.session.expire_all()
    assert users["lots"].digest_enabled is False
    client.post("/mina-installningar", data={"digest_enabled": "y"})
    _db.session.expire_all()
    assert users["lots"].digest_enabled is True


def test_admin_outbox_shows_job_runs(db, users, admin_client, runner):
    assert runner.invoke(args=["scheduler", "run-once", "mail.deliver"]).exit_code == 0
    db.session.rollback()  # end this test's read snapshot (SQLite WAL) to see the CLI's commit
    page = admin_client.get("/admin/utkorg/").get_data(as_text=True)
    assert "mail.deliver" in page
    assert "followups.daily_digest" in page
    assert "Har inte körts" in page
    assert "OK" in page
    assert "Utkorg" in admin_client.get("/admin/").get_data(as_text=True)


def test_next_working_day_on_the_thursday_before_langfredagen(db, users, login_as):
    # Skärtorsdagen 2026-04-02: "Nästa arbetsdag" skips långfredagen, påskafton, påskdagen and
    # annandag påsk and lands on Tuesday 7 April – on the page and in the stored follow-up.
    thursday = local_datetime(date(2026, 4, 2), time(10, 0))
    with time_machine.travel(thursday, tick=False):
        f = make_followup(users["lots"], date(2026, 4, 2), title="Ring Kupolen")
        db.session.commit()
        client = login_as("lots")
        page = client.get("/uppfoljningar").get_data(as_text=True)
        assert "Nästa arbetsdag" in page
        response = client.post(f"/uppfoljningar/{f.id}/skjut-upp", data={"days": "1"}, follow_redirects=True)
        assert response.status_code == 200
    _db.session.expire_all()
    assert _db.session.get(FollowUp, f.id).due_on == date(2026, 4, 7)
