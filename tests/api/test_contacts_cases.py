"""/api/v1/contacts, /api/v1/cases, follow-ups, visits, catalogues, reports, per role."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.core.calendar import next_vardag
from app.core.time import local_today, utcnow
from app.followups.models import FollowUp
from app.interactions.models import Interaction
from app.interactions.services import RESTRICTED_TITLE
from tests.builders import cases as case_f
from tests.builders.catalogues import permit_type
from tests.builders.companies import make_company, make_contact_person
from tests.builders.followups import make_followup
from tests.builders.interactions import make_interaction
from tests.builders.strategy import focus_areas
from tests.builders.visits import make_visit
from tests.pages import served

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the results depend on today's date


def _views(db, entity: str, entity_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(
            AuditEvent.action == "view", AuditEvent.entity_type == entity, AuditEvent.entity_id == entity_id
        )
    )


def test_log_a_contact_with_the_forms_rules_and_a_follow_up(db, users, api_as):
    company = make_company("Loggbolaget AB")
    person = make_contact_person(company, "Anna Öberg")
    db.session.commit()
    api = api_as("lots")
    area = focus_areas()[0].id
    body = {"company_id": company.id, "focus_area_id": area, "subject": "Fråga om bygglov",
            "contact_person_ids": [person.id], "follow_up": {"when": "2w"}}  # fmt: skip
    created = api.post("/api/v1/contacts", json=body)
    assert created.status_code == 201, created.json
    assert created.json["participant_ids"] == [users["lots"].id]  # like the form: me by default
    assert created.json["kind"] == "phone_call"
    assert created.json["contact_person_ids"] == [person.id]
    contact = db.session.get(Interaction, created.json["id"])
    assert contact.author_id == users["lots"].id
    followup = db.session.scalar(sa.select(FollowUp).where(FollowUp.interaction_id == contact.id))
    assert followup.title == "Följ upp: Fråga om bygglov"
    assert followup.due_on >= local_today() + timedelta(days=14)
    audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.entity_type == "interactions"))
    assert audit.actor_id == users["lots"].id
    assert audit.action == "create"

    future = api.post(
        "/api/v1/contacts", json={**body, "occurred_at": (utcnow() + timedelta(days=1)).isoformat()}
    )
    assert future.status_code == 422
    assert future.json["errors"][0]["field"] == "occurred_on"
    guidance = api.post("/api/v1/contacts", json={**body, "kind": "permit_guidance"})
    assert guidance.status_code == 422
    assert guidance.json["errors"][0]["field"] == "permit_guidance"
    with_permit = api.post(
        "/api/v1/contacts",
        json={
            **body,
            "kind": "permit_guidance",
            "permit_guidance": [
                {"permit_type_id": permit_type("bygglov").id, "handed_to": "Byggnadsnämnden"}
            ],
        },
    )
    assert with_permit.status_code == 201
    assert with_permit.json["permit_guidance"][0]["handed_to"] == "Byggnadsnämnden"
    other = make_company("Annat AB")
    db.session.commit()
    wrong_person = api.post("/api/v1/contacts", json={**body, "company_id": other.id})
    assert wrong_person.status_code == 422
    assert wrong_person.json["errors"][0]["field"] == "contact_person_ids"
    no_subject = api.post("/api/v1/contacts", json={"company_id": company.id, "focus_area_id": area})
    assert no_subject.status_code == 400
    assert no_subject.json["errors"][0]["field"] == "subject"
    assert api_as("chef").post("/api/v1/contacts", json=body).status_code == 403


def test_restricted_contact_as_on_the_contact_page(db, users, api_as):
    company = make_company("Hemligt AB")
    contact = make_interaction(
        company, users["lots"], subject="Nedläggning planeras", notes="Konfidentiellt", is_restricted=True
    )
    db.session.commit()
    chef = api_as("chef").get(f"/api/v1/contacts/{contact.id}")
    text = served(chef, mimetype="application/json", marker=RESTRICTED_TITLE)
    assert chef.json["content_hidden"] is True
    assert chef.json["subject"] == RESTRICTED_TITLE
    assert "Konfidentiellt" not in text
    assert "Nedläggning" not in text
    assert _views(db, "interactions", contact.id) == 0  # nothing was read
    lots = api_as("lots").get(f"/api/v1/contacts/{contact.id}")
    assert lots.json["subject"] == "Nedläggning planeras"
    assert lots.json["notes"] == "Konfidentiellt"
    assert _views(db, "interactions", contact.id) == 1  # the full read is audited
    # The list follows the one rule, as the contact list page does: shown to who may read it
    # (and that read is logged), the neutral title to everyone else.
    listed = api_as("lots").get(f"/api/v1/contacts?company_id={company.id}").json["items"]
    assert listed[0]["subject"] == "Nedläggning planeras"
    assert _views(db, "interactions", contact.id) == 2
    listed = api_as("chef").get(f"/api/v1/contacts?company_id={company.id}").json["items"]
    assert listed[0]["subject"] == RESTRICTED_TITLE
    assert api_as("admin").get(f"/api/v1/contacts/{contact.id}").status_code == 403


def test_contact_list_filters(db, users, api_as):
    company = make_company("Filterbolaget AB")
    make_interaction(company, users["lots"], subject="Äldre", occurred_at=utcnow() - timedelta(days=40))
    make_interaction(company, users["lots"], subject="Nyare")
    db.session.commit()
    api = api_as("ledning")
    since = (local_today() - timedelta(days=7)).isoformat()
    assert [c["subject"] for c in api.get(f"/api/v1/contacts?date_from={since}").json["items"]] == ["Nyare"]
    assert [c["subject"] for c in api.get(f"/api/v1/contacts?company_id={company.id}").json["items"]] == [
        "Nyare",
        "Äldre",
    ]
    assert api.get("/api/v1/contacts?mine=true").json["items"] == []


def test_cases_create_status_and_permits(db, users, api_as):
    company = make_company("Ärendebolaget AB")
    db.session.commit()
    api = api_as("lots")
    created = api.post("/api/v1/cases", json={"company_id": company.id, "title": "Ny lagerhall",
                                             "case_type_id": case_f.case_type().id, "focus_area_id": focus_areas()[0].id})  # fmt: skip
    assert created.status_code == 201
    assert created.json["status"] == "received"
    case_id = created.json["id"]
    url = f"/api/v1/cases/{case_id}/status"
    assert api.post(url, json={"status": "in_progress"}).status_code == 428
    no_outcome = api.post(url, json={"status": "closed"}, headers={"If-Match": '"1"'})
    assert no_outcome.status_code == 422
    assert no_outcome.json["errors"][0]["field"] == "outcome"
    moved = api.post(url, json={"status": "in_progress"}, headers={"If-Match": created.headers["ETag"]})
    assert moved.status_code == 200
    assert moved.json["status"] == "in_progress"
    assert moved.headers["ETag"] == '"2"'
    assert (
        api.post(url, json={"status": "closed", "outcome": "solved"}, headers={"If-Match": '"1"'}).status_code
        == 409
    )
    again = api.post(url, json={"status": "in_progress"}, headers={"If-Match": '"2"'})
    assert again.status_code == 409
    assert "redan status" in again.json["detail"]

    permit = api.post(f"/api/v1/cases/{case_id}/permits", json={
        "permit_type_id": permit_type("bygglov").id, "submitted_on": local_today().isoformat(),
        "complete_on": local_today().isoformat()})  # fmt: skip
    assert permit.status_code == 201
    # bygglov: 10 weeks from the complete application, moved to a vardag by the söndagsregel
    assert permit.json["expected_decision_on"] == next_vardag(local_today() + timedelta(weeks=10)).isoformat()
    patched = api.patch(f"/api/v1/cases/{case_id}/permits/{permit.json['id']}", json={"extended": True},
                        headers={"If-Match": permit.headers["ETag"]})  # fmt: skip
    assert patched.status_code == 200
    assert patched.json["extended"] is True
    assert patched.json["expected_decision_on"] > permit.json["expected_decision_on"]
    listed = api_as("chef").get(f"/api/v1/cases/{case_id}/permits").json["items"]
    assert [p["permit_type_name"] for p in listed] == ["Bygglov"]
    assert api_as("ledning").get(f"/api/v1/cases/{case_id}").status_code == 403
    assert (
        api_as("chef").post(url, json={"status": "waiting_on_company"}, headers={"If-Match": "*"}).status_code
        == 403
    )


def test_restricted_case_is_summarised_for_chef(db, users, api_as):
    case = case_f.make_case(
        users["lots"], title="Hemlig etablering", description="Bara för lotsar", is_restricted=True
    )
    case_f.make_permit(case, users["lots"], "bygglov")
    db.session.commit()
    chef = api_as("chef")
    body = chef.get(f"/api/v1/cases/{case.id}")
    text = served(body, mimetype="application/json", marker="Lotsärende med begränsad åtkomst")
    assert body.json["title"] == "Lotsärende med begränsad åtkomst"
    assert body.json["content_hidden"] is True
    assert "Hemlig" not in text
    assert "Bara för" not in text
    assert chef.get(f"/api/v1/cases/{case.id}/permits").status_code == 403
    listed = chef.get("/api/v1/cases").json["items"]
    assert [c["title"] for c in listed] == ["Lotsärende med begränsad åtkomst"]
    assert api_as("lots").get(f"/api/v1/cases/{case.id}").json["title"] == "Hemlig etablering"


def test_my_follow_ups_complete_and_snooze(db, users, api_as):
    today = local_today()
    mine = make_followup(users["lots"], today, title="Ring Dala Bygg")
    later = make_followup(users["lots"], today + timedelta(days=5), title="Skicka offert")
    colleagues = make_followup(users["chef"], today, title="Chefens egen")
    db.session.commit()
    api = api_as("lots")
    assert [f["title"] for f in api.get("/api/v1/followups/mine").json["items"]] == [
        "Ring Dala Bygg",
        "Skicka offert",
    ]
    assert [f["title"] for f in api.get("/api/v1/followups/mine?period=today").json["items"]] == [
        "Ring Dala Bygg"
    ]
    assert api.get(f"/api/v1/followups/{colleagues.id}").status_code == 403
    done = api.post(f"/api/v1/followups/{mine.id}/complete", json={"note": "Klart"})
    assert done.status_code == 200
    assert done.json["status"] == "done"
    assert done.json["done_note"] == "Klart"
    assert api.post(f"/api/v1/followups/{mine.id}/complete", json={}).status_code == 409
    stale = api.post(f"/api/v1/followups/{later.id}/snooze", json={"days": 7}, headers={"If-Match": '"9"'})
    assert stale.status_code == 409
    snoozed = api.post(
        f"/api/v1/followups/{later.id}/snooze", json={"until": (today + timedelta(days=20)).isoformat()}
    )
    assert snoozed.json["due_on"] == (today + timedelta(days=20)).isoformat()
    assert snoozed.json["snooze_count"] == 1
    past = api.post(f"/api/v1/followups/{later.id}/snooze", json={"until": today.isoformat()})
    assert past.status_code == 422
    assert past.json["errors"][0]["field"] == "until"
    assert api_as("ledning").post(f"/api/v1/followups/{later.id}/complete", json={}).status_code == 403


def test_visits_catalogues_reports_and_me(db, users, api_as):
    company = make_company("Besöksbolaget AB")
    visit = make_visit(
        company, users["lots"], ledning=[users["ledning"]], office=[users["lots"]], purpose="Lära känna"
    )
    db.session.commit()
    ledning = api_as("ledning")
    listed = ledning.get("/api/v1/visits").json["items"]
    assert [v["company_name"] for v in listed] == ["Besöksbolaget AB"]
    detail = ledning.get(f"/api/v1/visits/{visit.id}").json
    assert detail["purpose"] == "Lära känna"
    assert {p["side"] for p in detail["participants"]} == {"leadership", "office"}
    assert api_as("admin").get("/api/v1/visits").status_code == 403
    areas = ledning.get("/api/v1/focus-areas").json["items"]
    assert [a["name"] for a in areas][0] == focus_areas()[0].name
    assert any(p["code"] == "bygglov" for p in ledning.get("/api/v1/permit-types").json["items"])
    assert ledning.get("/api/v1/reports/figures").status_code == 403
    report = api_as("chef").get("/api/v1/reports/figures?period=year&year=2025").json
    assert report["period"]["label"] == "2025"
    assert report["previous_period"]["label"] == "2024"
    keys = {f["key"] for s in report["sections"] for f in s["figures"]}
    assert {"contacts.total", "cases.new", "followups.overdue"} <= keys
    backwards = api_as("chef").get("/api/v1/reports/figures?period=custom&from=2025-03-01&to=2025-01-01")
    assert backwards.status_code == 422
    assert backwards.json["errors"][0]["field"] == "to"
    half = api_as("chef").get("/api/v1/reports/figures?period=custom&to=2025-01-01")
    assert (half.status_code, half.json["errors"][0]["field"]) == (422, "from")  # a business rule, as above
    me = ledning.get("/api/v1/me").json
    assert me["role"] == "ledning"
    assert "visits.edit" in me["permissions"]
    assert me["token"]["scope"] == "write"


def test_my_follow_ups_follow_the_restriction_of_their_contact(db, users, api_as):
    """A follow-up inherits its contact's restriction in the API as on the pages: its title is
    an audited read for a reader, the neutral title without notes for anyone else – also for
    an assignee who no longer may read the contact."""
    company = make_company("Hemligt AB")
    contact = make_interaction(company, users["lots"], subject="Nedläggning planeras", is_restricted=True)
    db.session.flush()
    today = local_today()
    own = make_followup(
        users["lots"], today, title="Följ upp: Nedläggning planeras", interaction_id=contact.id
    )
    # (The services hand such a follow-up only to a reader; a participant removed later keeps it.)
    stale = make_followup(
        users["chef"],
        today,
        title="Följ upp: Nedläggning planeras",
        note="Konfidentiellt",
        interaction_id=contact.id,
    )
    db.session.commit()
    before = _views(db, "interactions", contact.id)
    mine = api_as("lots").get("/api/v1/followups/mine").json["items"]
    assert [f["title"] for f in mine if f["id"] == own.id] == ["Följ upp: Nedläggning planeras"]
    assert _views(db, "interactions", contact.id) == before + 1
    chef = api_as("chef")
    listed = chef.get("/api/v1/followups/mine").json["items"]
    assert [(f["title"], f["note"]) for f in listed if f["id"] == stale.id] == [
        ("Uppföljning med begränsad åtkomst", "")
    ]
    single = served(
        chef.get(f"/api/v1/followups/{stale.id}"),
        mimetype="application/json",
        marker="Uppföljning med begränsad åtkomst",
    )
    assert "Nedläggning" not in single
    assert "Konfidentiellt" not in single
    assert _views(db, "interactions", contact.id) == before + 1


def test_old_swedish_codes_are_still_accepted_and_answered_in_english(db, users, api_as):
    """An integration written before migration 0021 sends Swedish codes; it gets English back."""
    company = make_company("Gamla Koder AB")
    db.session.commit()
    api = api_as("lots")
    contact = api.post(
        "/api/v1/contacts",
        json={"company_id": company.id, "focus_area_id": focus_areas()[0].id, "subject": "Mejl om skylt",
              "kind": "epost", "inbound_channel": "webbformular"},
    )  # fmt: skip
    assert contact.status_code == 201, contact.json
    assert (contact.json["kind"], db.session.get(Interaction, contact.json["id"]).inbound_channel) == (
        "email",
        "web_form",
    )
    created = api.post("/api/v1/cases", json={"company_id": company.id, "title": "Gammal integration",
                                             "case_type_id": case_f.case_type().id, "focus_area_id": focus_areas()[0].id,
                                             "priority": "hog", "intake_channel": "telefon"})  # fmt: skip
    assert created.status_code == 201, created.json
    moved = api.post(
        f"/api/v1/cases/{created.json['id']}/status", json={"status": "pagaende"}, headers={"If-Match": '"1"'}
    )
    assert moved.status_code == 200, moved.json
    assert moved.json["status"] == "in_progress"
    assert [c["id"] for c in api.get("/api/v1/cases?view=alla&status=pagaende").json["items"]] == [
        created.json["id"]
    ]
