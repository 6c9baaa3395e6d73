"""Registerutdrag: a person present in every kind of record gets every record in the extract."""

from __future__ import annotations

import json

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.privacy import services
from tests.builders.companies import SOLE_TRADER
from tests.privacy.world import EMAIL, NAME, person_everywhere, picked


def test_search_finds_every_row_of_the_person_and_the_namesake_separately(db, users):
    w = person_everywhere(users)
    admin = users["admin"]
    by_name = {c.key for c in services.search("lindqvist-öhman", actor=admin)}
    assert {
        f"contact_person:{w.person.id}",
        f"contact_person:{w.merged_person.id}",
        f"contact_person:{w.deleted_company_person.id}",
        f"contact_person:{w.namesake.id}",
        f"company:{w.trader.id}",
    } <= by_name
    assert {c.key for c in services.search(EMAIL.upper(), actor=admin)} == {
        f"contact_person:{w.person.id}",
        f"contact_person:{w.deleted_company_person.id}",
    }
    assert {c.key for c in services.search("0701234567", actor=admin)} == {f"contact_person:{w.person.id}"}
    assert {c.key for c in services.search(f"19{SOLE_TRADER[:6]}-{SOLE_TRADER[6:]}", actor=admin)} == {
        f"company:{w.trader.id}"
    }
    assert services.search("Ingen Sådan Person", actor=admin) == []


def test_extract_lists_every_record_that_names_the_person(db, users):
    w = person_everywhere(users)
    extract = services.build_extract(services.subject_for(picked(w)), actor=users["admin"])
    found = {(r.entity_type, r.entity_id) for r in extract.records}
    expected = {
        ("contact_persons", w.person.id),
        ("contact_persons", w.merged_person.id),
        ("contact_persons", w.deleted_company_person.id),
        ("companies", w.trader.id),
        ("interactions", w.contact.id),
        ("interactions", w.restricted_contact.id),
        ("interactions", w.deleted_contact.id),
        ("referrals", w.referral.id),
        ("lots_cases", w.case.id),
        ("lots_meetings", w.meeting.id),
        ("survey_invitations", w.invitation.id),
        ("survey_responses", w.answer.id),
        ("company_visits", w.visit.id),
        ("followups", w.followup.id),
        ("outbox_messages", w.mail_id),
    }
    missing = expected - found
    assert not missing, missing
    # Audit rows about her (her contact-person row was created through the service, audited).
    audit_ids = {r.entity_id for r in extract.records if r.entity_type == "audit_events"}
    about_her = set(
        db.session.scalars(
            sa.select(AuditEvent.id).where(
                AuditEvent.entity_type == "contact_persons", AuditEvent.entity_id == w.person.id
            )
        )
    )
    assert about_her
    assert about_her <= audit_ids
    # The namesake's row is not hers.
    assert ("contact_persons", w.namesake.id) not in found
    # Restricted content is included and the extract is marked for sekretessprövning.
    restricted = next(
        r
        for r in extract.records
        if r.entity_id == w.restricted_contact.id and r.entity_type == "interactions"
    )
    assert restricted.restricted
    assert restricted.fields["Anteckningar"] == "Känsliga planer."
    assert extract.needs_secrecy_review
    # The merge moved her row from the merged-away company to the survivor; the row on the
    # deleted company is there and named as such.
    rows = {r.entity_id: r for r in extract.records if r.entity_type == "contact_persons"}
    assert rows[w.merged_person.id].fields["Företag"] == "Bageri Dalarna AB"
    assert "borttaget" in rows[w.deleted_company_person.id].fields["Företag"]
    # The extract itself is audited.
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.entity_type == "registerutdrag"))
    assert event is not None
    assert event.actor_id == users["admin"].id
    assert "sekretessprövning" in event.summary


def test_extract_pages_html_and_json(db, users, admin_client):
    w = person_everywhere(users)
    db.session.commit()
    query = "&".join(f"p={k}" for k in picked(w))
    page = admin_client.get(f"/personuppgifter/utdrag?{query}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Sekretessprövning krävs före utlämnande" in html
    assert "Integritetsskyddsmyndigheten" in html
    assert "6.1 e" in html
    assert "Uppföljningar (klara och avbrutna): bevaras (inget gallringsbeslut)." in html
    assert f'data-entity="lots_cases:{w.case.id}"' in html
    download = admin_client.get(f"/personuppgifter/utdrag.json?{query}")
    assert download.status_code == 200
    data = json.loads(download.get_data(as_text=True))
    assert data["sekretessprovning_kravs"] is True
    assert NAME in data["person"]["namn"]
    assert {p["tabell"] for p in data["poster"]} >= {
        "contact_persons",
        "interactions",
        "lots_cases",
        "followups",
    }


def test_nobody_and_bad_picks(db, users, admin_client):
    page = admin_client.get("/personuppgifter/?q=Finns+Inte")
    assert "Ingen person matchar sökningen" in page.get_data(as_text=True)
    short = admin_client.get("/personuppgifter/?q=a")
    assert "minst två tecken" in short.get_data(as_text=True)
    back = admin_client.get("/personuppgifter/utdrag?p=nonsense:1", follow_redirects=True)
    assert "Okänd person i urvalet" in back.get_data(as_text=True)
