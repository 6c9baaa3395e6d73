"""A person who is present in every kind of record Lotsbok keeps (for the privacy tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from app.cases import meetings as case_meetings
from app.cases.models import SurveyInvitation, SurveyResponse
from app.companies import contact_persons
from app.companies import services as company_services
from app.companies.merge import merge_companies
from app.extensions import db
from app.followups.models import FollowUp
from app.interactions import services as contact_services
from app.mail import queue_mail
from app.visits.models import CompanyVisit
from tests.builders import cases as cf
from tests.builders import interactions as inf
from tests.builders.catalogues import partner
from tests.builders.companies import SOLE_TRADER, make_company, make_contact_person

NAME = "Åsa Lindqvist-Öhman"
EMAIL = "asa.lindqvist@bageriet.example"
PHONE = "070-123 45 67"
OTHER_EMAIL = "asa@gamla.example"
TRADER_NAME = "Åsa Lindqvist-Öhmans Konditori"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def person_everywhere(users) -> SimpleNamespace:
    """Åsa: contact person at a live company, at a company merged into another, at a
    soft-deleted company, and the owner of a sole trader (her personnummer); in contacts
    (one soft-deleted, one restricted), a closed case with a survey (sent and answered), a
    lotsmöte as guest, a visit as host, a referral, a follow-up, the outbox and the audit
    trail. A namesake at another company must stay out of her extract."""
    lots = users["lots"]
    w = SimpleNamespace()
    w.company = make_company("Bageriet i Borlänge AB")
    w.person = contact_persons.add_contact_person(
        w.company, contact_persons.ContactPersonInput(NAME, title="VD", phone=PHONE, email=EMAIL), actor=lots
    )
    # The same person at an older company that was merged into a third one.
    old = make_company("Gamla Bageriet AB")
    w.merged_person = make_contact_person(old, NAME, email=OTHER_EMAIL, title="Ägare")
    survivor = make_company("Bageri Dalarna AB")
    merge_companies(old, survivor, {}, actor=lots, now=NOW)
    w.old_company = old
    # ... and at a company that was later deleted.
    gone = make_company("Nedlagda Caféet AB")
    w.deleted_company_person = make_contact_person(gone, NAME, email=EMAIL)
    company_services.delete_company(gone, actor=lots, now=NOW)
    # Her own sole trader: the organisationsnummer is her personnummer.
    w.trader = make_company(TRADER_NAME, orgnr=SOLE_TRADER)
    # A namesake (another person): must not be in the extract.
    w.namesake = make_contact_person(make_company("Annat AB"), NAME, email="namne@annat.example")

    w.contact = inf.make_interaction(
        w.company,
        lots,
        subject="Lokalfrågor",
        notes=f"Pratade med {NAME} om nya lokaler.",
        contact_person_ids=(w.person.id,),
    )
    w.restricted_contact = inf.make_interaction(
        w.company,
        lots,
        subject="Etablering",
        notes="Känsliga planer.",
        contact_person_ids=(w.person.id,),
        is_restricted=True,
    )
    w.deleted_contact = inf.make_interaction(
        w.company, lots, subject="Felregistrerad", contact_person_ids=(w.person.id,)
    )
    contact_services.delete_contact(w.deleted_contact, actor=lots)
    w.referral = contact_services.add_referral(
        contact_services.ReferralInput(
            partner_id=partner().id, reason=f"{NAME} vill ha finansiering", interaction_id=w.contact.id
        ),
        actor=lots,
    )

    w.case = cf.make_case(lots, company=w.company, contact=w.person, now=NOW)
    w.meeting = case_meetings.create_meeting(
        w.case,
        cf.meeting_input(
            contact_person_ids=(w.person.id,),
            other_guests=(case_meetings.Guest("Bo Berg", "bo@exempel.example"),),
        ),
        actor=lots,
        now=NOW,
    )
    cf.close_case(w.case, lots, now=NOW)
    invitation = db.session.scalar(sa.select(SurveyInvitation).where(SurveyInvitation.case_id == w.case.id))
    invitation.sent_at = NOW + timedelta(days=3)
    invitation.used_at = NOW + timedelta(days=4)
    w.invitation = invitation
    w.answer = SurveyResponse(
        case_id=w.case.id,
        case_type_id=w.case.case_type_id,
        answered_at=NOW + timedelta(days=4),
        q_overall=9,
        q_expectations=8,
        q_ideal=8,
        free_text=f"Bra! /{NAME}",
    )
    db.session.add(w.answer)

    w.visit = CompanyVisit(
        company_id=w.company.id,
        status="done",
        starts_at=NOW - timedelta(days=30),
        ends_at=NOW - timedelta(days=30) + timedelta(hours=1),
        host_contact_person_id=w.person.id,
        purpose="Besök i bageriet",
        key_messages=f"Fråga {NAME} om lokalerna",
        uid="privacy-test-visit@lotsbok.test",
        organizer_id=lots.id,
    )
    db.session.add(w.visit)
    w.followup = FollowUp(
        title=f"Ring {NAME} om bygglovet",
        due_on=date(2026, 3, 9),
        assignee_id=lots.id,
        company_id=w.company.id,
        interaction_id=w.contact.id,
        status="open",
        source="contact",
    )
    db.session.add(w.followup)
    db.session.flush()
    w.mail_id = queue_mail(
        EMAIL, "notice", "privacy-test-mail", subject="Välkommen", body=f"Hej {NAME}!", link=None, now=NOW
    )
    db.session.flush()
    return w


def picked(w) -> list[str]:
    """The candidates the administrator ticks: all Åsa's rows, not the namesake's."""
    return [
        f"contact_person:{w.person.id}",
        f"contact_person:{w.merged_person.id}",
        f"contact_person:{w.deleted_company_person.id}",
        f"company:{w.trader.id}",
    ]
