"""Objection (Art. 21) and rectification (Art. 16): every mailing job honours the objection,
corrections are logged old → new and listed in the extract."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.cases import meetings as case_meetings
from app.cases.models import SurveyInvitation
from app.cases.surveys import send_due_surveys
from app.companies.models import ContactPerson
from app.core.errors import ValidationError
from app.mail.delivery import deliver_outbox
from app.mail.services import REDACTED
from app.privacy import services
from tests.builders import cases as f
from tests.builders.companies import make_company, make_contact_person


def _closed_case(lots, email):
    company = make_company()
    person = make_contact_person(company, "Per Persson", email=email)
    case = f.make_case(lots, company=company, contact=person)
    f.close_case(case, lots)
    return case, person


def test_objection_stops_the_survey_mail_through_real_smtp(db, users, outbox, smtp_server):
    lots, admin = users["lots"], users["admin"]
    objecting_case, objecting = _closed_case(lots, "invander@foretag.example")
    other_case, _ = _closed_case(lots, "vill-ha@foretag.example")
    db.session.commit()
    assert services.set_objection(objecting.id, True, "Invände i telefon 2026-03-02", actor=admin)
    db.session.commit()

    due = f.NOW + timedelta(days=3, minutes=1)
    assert send_due_surveys(due) == 1
    db.session.commit()
    assert deliver_outbox(now=due) == 1
    assert [m["To"] for m in smtp_server.messages] == ["vill-ha@foretag.example"]
    withdrawn = db.session.scalar(
        sa.select(SurveyInvitation).where(SurveyInvitation.case_id == objecting_case.id)
    )
    assert withdrawn.withdrawn_at is not None
    assert withdrawn.sent_at is None

    # The delivered mail's stored body no longer holds the single-use link; the mail did.
    body = smtp_server.messages[0].get_body(preferencelist=("plain",)).get_content()
    token = re.search(r"/enkat/(\S+)", body).group(1)
    [row] = outbox("sent")
    assert token not in row.body_text
    assert REDACTED in row.body_text
    assert row.redact is None


def test_objection_is_honoured_by_lotsmote_invitations(db, users, outbox):
    lots, admin = users["lots"], users["admin"]
    company = make_company()
    objecting = make_contact_person(company, "Ola Invänd", email="ola@foretag.example")
    willing = make_contact_person(company, "Eva Villig", email="eva@foretag.example")
    case = f.make_case(lots, company=company, contact=willing)
    meeting = case_meetings.create_meeting(
        case,
        f.meeting_input(
            contact_person_ids=(objecting.id, willing.id),
            other_guests=(case_meetings.Guest("Ola igen", "OLA@foretag.example"),),
        ),
        actor=lots,
    )
    services.set_objection(objecting.id, True, "Vill inte bli kontaktad", actor=admin)
    case_meetings.send_meeting_invitation(meeting, actor=lots)
    addresses = {row.to_addr.lower() for row in outbox()}
    assert "eva@foretag.example" in addresses
    assert "ola@foretag.example" not in addresses  # neither as contact person nor typed by hand


def test_lifting_an_objection_and_rectification_are_logged_and_listed(db, users):
    admin = users["admin"]
    person = make_contact_person(make_company(), "Karin Felstavad", email="karin@foretag.example")
    with pytest.raises(ValidationError, match="skälet"):
        services.set_objection(person.id, True, "", actor=admin)
    services.set_objection(person.id, True, "Brev 2026-03-01", actor=admin)
    assert not db.session.get(ContactPerson, person.id).accepts_mailings
    services.set_objection(person.id, False, "Ångrade sig i telefon", actor=admin)
    assert db.session.get(ContactPerson, person.id).accepts_mailings
    with pytest.raises(ValidationError, match="varför"):
        services.rectify(person.id, "name", "Karin Rättstavad", "", actor=admin)
    event = services.rectify(person.id, "name", "Karin Rättstavad", "Namnet var felstavat", actor=admin)
    assert (event.old_value, event.new_value, event.actor_id) == (
        "Karin Felstavad",
        "Karin Rättstavad",
        admin.id,
    )
    with pytest.raises(ValidationError):
        services.rectify(person.id, "email", "inte en adress", "Ny adress", actor=admin)

    extract = services.build_extract(services.subject_for([f"contact_person:{person.id}"]), actor=admin)
    log = [r for r in extract.records if r.category == "Rättelser och invändningar"]
    assert [r.title for r in log] == ["Invändning (art. 21)", "Invändningen hävd", "Rättelse (art. 16)"]
    assert log[2].fields["Före"] == "Karin Felstavad"
    assert log[2].fields["Efter"] == "Karin Rättstavad"


def test_forms_return_only_to_a_local_page(db, users, admin_client):
    person = make_contact_person(make_company(), "Nils Nilsson", email="nils@foretag.example")
    db.session.commit()
    data = {"field": "title", "value": "VD", "reason": "Ny titel"}
    evil = admin_client.post(
        f"/personuppgifter/kontaktperson/{person.id}/rattelse", data={**data, "next": "//evil.example/x"}
    )
    assert evil.location.endswith("/personuppgifter/")
    local = admin_client.post(
        f"/personuppgifter/kontaktperson/{person.id}/rattelse",
        data={**data, "value": "Ägare", "next": "/personuppgifter/utdrag?p=x"},
    )
    assert local.location.endswith("/personuppgifter/utdrag?p=x")
    db.session.expire_all()
    assert db.session.get(ContactPerson, person.id).title == "Ägare"
