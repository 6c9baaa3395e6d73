"""The lots-case screens through the test client: intake, the case page, the status form,
restriction on the page, lists and export."""

from __future__ import annotations

from datetime import date, time

import sqlalchemy as sa
import time_machine

from app.audit.models import AuditEvent
from app.cases.models import CasePermit, LotsCase
from app.core.permissions import Role
from app.core.time import local_datetime
from tests.builders import cases as f
from tests.builders.catalogues import permit_type
from tests.builders.companies import make_company, make_contact_person
from tests.builders.strategy import focus_areas
from tests.builders.users import make_user
from tests.pages import rendered, served


def test_new_case_from_the_form(db, users, lots_client):
    company = make_company("Kafé Kupolen AB")
    person = make_contact_person(company, email="asa@kupolen.example")
    db.session.commit()
    assert "Kafé Kupolen AB" in lots_client.get("/arenden/nytt?q=Kupolen").get_data(as_text=True)
    page = lots_client.get(f"/arenden/nytt?company_id={company.id}")
    assert page.status_code == 200
    response = lots_client.post(
        "/arenden/nytt",
        data={
            "company_id": company.id,
            "title": "Uteservering",
            "case_type_id": f.case_type().id,
            "focus_area_id": focus_areas()[2].id,
            "contact_person_id": person.id,
            "priority": "normal",
            "responsible_user_id": users["lots"].id,
            "intake_channel": "phone",
            "intake_on": "2026-03-02",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    case = db.session.scalar(sa.select(LotsCase))
    assert case.title == "Uteservering"
    assert case.contact_person_id == person.id


def test_new_case_errors_are_shown_in_swedish(db, users, lots_client):
    company = make_company()
    db.session.commit()
    response = lots_client.post(
        "/arenden/nytt", data={"company_id": company.id, "title": "", "responsible_user_id": users["lots"].id}
    )
    html = response.get_data(as_text=True)
    assert "Ge ärendet en rubrik." in html
    assert "Välj en ärendetyp." in html


def test_case_page_and_status_form(db, users, lots_client):
    case = f.make_case(users["lots"])
    f.make_permit(case, users["lots"], "bygglov", submitted_on=f.NOW.date(), complete_on=f.NOW.date())
    db.session.commit()
    html = lots_client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert case.title in html
    assert "Bygglov" in html
    assert "Ändra status" in html
    response = lots_client.post(
        f"/arenden/{case.id}/status", data={"status": "closed", "outcome": "", "version": case.version}
    )
    assert response.status_code == 400
    assert "Ange ett utfall när ärendet avslutas." in response.get_data(as_text=True)
    response = lots_client.post(
        f"/arenden/{case.id}/status",
        data={"status": "closed", "outcome": "solved", "send_survey": "y", "version": case.version},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(LotsCase, case.id).status == "closed"
    html = lots_client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert "Öppna ärendet igen" in html
    assert "skickas tidigast" in html


def test_restricted_case_page_for_chef_is_a_summary(db, users, login_as):
    case = f.make_case(
        users["lots"], is_restricted=True, title="Konfidentiell etablering", description="Hemliga planer"
    )
    db.session.commit()
    html = rendered(login_as("chef").get(f"/arenden/{case.id}"), heading="Lotsärende med begränsad åtkomst")
    assert "Konfidentiell etablering" not in html
    assert "Hemliga planer" not in html
    assert "begränsad åtkomst" in html
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "view")
        )
        == 0
    )
    html = rendered(login_as("lots").get(f"/arenden/{case.id}"), heading="Konfidentiell etablering")
    assert "Hemliga planer" in html
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "view")
        )
        == 1
    )
    listing = rendered(
        login_as("chef").get("/arenden"), heading="Lotsärenden", marker="Lotsärende med begränsad åtkomst"
    )
    assert "Konfidentiell etablering" not in listing


def test_lists_and_export(db, users, lots_client):
    f.make_case(users["lots"], title="Första ärendet")
    secret = f.make_case(users["lots"], title="Hemligt ärende", is_restricted=True)
    db.session.commit()
    for view in ("mina", "oppna", "vantar", "frister", "avslutade", "alla"):
        assert lots_client.get(f"/arenden?vy={view}").status_code == 200
    html = lots_client.get("/arenden?vy=oppna").get_data(as_text=True)
    assert "Första ärendet" in html
    assert "Ålder (dagar)" in html
    csv = served(
        lots_client.get("/arenden/export.csv?vy=alla"),
        mimetype="text/csv",
        marker="Ärende-id;Rubrik;Företag;",
    )
    assert "Första ärendet" in csv
    assert "Hemligt ärende" not in csv  # an export never carries a restricted title
    assert str(secret.id) in csv
    xlsx = lots_client.get("/arenden/export.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.data[:2] == b"PK"


def test_company_page_shows_case_events_on_the_timeline(db, users, lots_client):
    case = f.make_case(users["lots"], title="Tidslinjeärendet")
    db.session.commit()
    html = lots_client.get(f"/foretag/{case.company_id}").get_data(as_text=True)
    assert "Tidslinjeärendet" in html


def test_permit_rows_with_the_three_week_rule_through_the_forms(db, users, lots_client):
    case = f.make_case(users["lots"])
    db.session.commit()
    bygglov = permit_type("bygglov")
    url = f"/arenden/{case.id}/tillstand"

    # Bad dates are refused in Swedish and nothing is stored.
    response = lots_client.post(
        url,
        data={
            "permit-permit_type_id": bygglov.id,
            "permit-submitted_on": "2026-02-10",
            "permit-completion_requested_on": "2026-02-02",
        },
    )
    assert "Föreläggandet om komplettering kan inte vara före inlämningen." in response.get_data(as_text=True)
    response = lots_client.post(
        url,
        data={
            "permit-permit_type_id": bygglov.id,
            "permit-submitted_on": "2026-02-10",
            "permit-complete_on": "2026-02-01",
        },
    )
    assert "Ansökan kan inte ha blivit komplett före inlämningen." in response.get_data(as_text=True)
    response = lots_client.post(
        url,
        data={
            "permit-permit_type_id": bygglov.id,
            "permit-submitted_on": "2026-01-05",
            "permit-complete_on": "2026-01-20",
        },
    )
    assert "Ange när nämnden förelade om komplettering" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CasePermit)) == 0

    response = lots_client.post(
        url,
        data={
            "permit-permit_type_id": bygglov.id,
            "permit-submitted_on": "2026-01-05",
            "permit-completion_requested_on": "2026-01-27",
            "permit-complete_on": "2026-02-02",
        },
    )
    assert response.status_code == 302
    row = db.session.scalar(sa.select(CasePermit))
    assert row.expected_decision_on == date(2026, 3, 16)
    page = lots_client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert "2026-03-16 (måndag)" in page
    assert "Från inlämningen." in page
    assert "Föreläggandet om komplettering 2026-01-27 kom senare än tre veckor från 2026-01-05" in page

    edit = f"/arenden/{case.id}/tillstand/{row.id}"
    form = rendered(lots_client.get(edit), heading="Bygglov")
    assert "Underlag på eget initiativ" in form
    assert "Föreläggandets datum är okänt" not in form  # only on rows from before the rule
    bad = lots_client.post(
        edit, data={"submitted_on": "2026-01-05", "own_initiative_on": "15 januari", "version": row.version}
    )
    assert "Skriv datumen som ÅÅÅÅ-MM-DD, åtskilda med kommatecken." in bad.get_data(as_text=True)
    response = lots_client.post(
        edit,
        data={
            "submitted_on": "2026-01-05",
            "completion_requested_on": "2026-01-27",
            "complete_on": "2026-02-02",
            "own_initiative_on": "2026-01-15",
            "version": row.version,
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    row = db.session.get(CasePermit, row.id)
    assert (row.own_initiative_on, row.expected_decision_on) == (["2026-01-15"], date(2026, 4, 13))
    page = lots_client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert "Från kompletteringen." in page
    assert "underlag 2026-01-15" in page


def test_rows_from_before_the_rule_ask_for_the_request_date(db, users, lots_client):
    case = f.make_case(users["lots"])
    row = f.make_permit(
        case,
        users["lots"],
        "bygglov",
        submitted_on=date(2026, 1, 5),
        completion_requested_on=date(2026, 1, 12),
        complete_on=date(2026, 1, 20),
    )
    row.completion_requested_on, row.request_date_unknown = None, True  # as migration 0012 leaves them
    db.session.commit()
    page = lots_client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert "Från komplett ansökan (föreläggandets datum saknas)." in page
    assert "Fyll i föreläggandets datum" in page
    edit = f"/arenden/{case.id}/tillstand/{row.id}"
    assert "Föreläggandets datum är okänt" in lots_client.get(edit).get_data(as_text=True)
    # Unticking the box without a date: the completion no longer counts, so it is asked for.
    response = lots_client.post(
        edit, data={"submitted_on": "2026-01-05", "complete_on": "2026-01-20", "version": row.version}
    )
    assert "Ange när nämnden förelade om komplettering" in response.get_data(as_text=True)
    response = lots_client.post(
        edit,
        data={
            "submitted_on": "2026-01-05",
            "complete_on": "2026-01-20",
            "request_date_unknown": "y",
            "version": row.version,
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CasePermit, row.id).request_date_unknown


def test_lotsmote_and_action_defaults_land_on_working_days(db, users, login_as):
    case = f.make_case(users["lots"])
    db.session.commit()
    # From Friday 12 June 2026 a week later is midsommarafton: Monday 22 June. From Thursday
    # 11 June it is 18 June, a working day.
    with time_machine.travel(local_datetime(date(2026, 6, 12), time(10, 0)), tick=False):
        client = login_as("lots")
        meeting = client.get(f"/arenden/{case.id}/moten/nytt").get_data(as_text=True)
        detail = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert 'value="2026-06-22"' in meeting
    assert 'value="2026-06-22"' in detail  # the action's "senast"
    with time_machine.travel(local_datetime(date(2026, 6, 11), time(10, 0)), tick=False):
        meeting = login_as("lots").get(f"/arenden/{case.id}/moten/nytt").get_data(as_text=True)
    assert 'value="2026-06-18"' in meeting


def test_my_cases_are_those_i_am_responsible_for_or_take_part_in(db, users, lots_client):
    """ "Mina ärenden" is a UNION of the responsible user's cases and the participations
    (issue 18: the OR walked the whole intake index on PostgreSQL)."""
    me, other = users["lots"], make_user(Role.LOTS)
    mine = f.make_case(me, title="Ansvarig själv")
    taking_part = f.make_case(other, title="Deltar i", participant_ids=(me.id,))
    not_mine = f.make_case(other, title="Någon annans")
    closed_mine = f.close_case(f.make_case(me, title="Avslutat eget"), me)
    db.session.commit()
    html = lots_client.get("/arenden?vy=mina").get_data(as_text=True)
    assert mine.title in html
    assert taking_part.title in html
    assert not_mine.title not in html
    assert closed_mine.title not in html  # open cases only
    assert not_mine.title in lots_client.get("/arenden").get_data(as_text=True)
