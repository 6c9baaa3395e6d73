"""Merging two companies moves every related record of every feature to the survivor:
contact persons, contacts, referrals, lots cases, follow-ups and company visits."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.cases.models import LotsCase
from app.companies.merge import merge_companies
from app.companies.models import ContactPerson
from app.core.time import local_today
from app.followups.models import FollowUp
from app.interactions import services as contacts
from app.interactions.models import Interaction, Referral
from app.visits.models import CompanyVisit
from tests.builders.cases import make_case
from tests.builders.catalogues import partner
from tests.builders.companies import make_company, make_contact_person
from tests.builders.followups import make_followup
from tests.builders.interactions import make_interaction
from tests.builders.visits import make_visit

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the results depend on today's date


def _company_ids(db, model, ids) -> set[int]:
    return set(db.session.scalars(sa.select(model.company_id).where(model.id.in_(ids))))


def test_merge_moves_every_relation(db, users):
    lots = users["lots"]
    target = make_company("Kupolens Handel AB")
    source = make_company("Kupolens Handel")
    person = make_contact_person(source, "Britt Åström")
    contact = make_interaction(source, lots, subject="Lokalbehov")
    referral = contacts.add_referral(
        contacts.ReferralInput(
            company_id=source.id,
            partner_id=partner().id,
            reason="Finansiering",
            referred_on=local_today(),
            interaction_id=contact.id,
        ),
        actor=lots,
    )
    case = make_case(lots, company=source, contact=person)
    followup = make_followup(lots, local_today() + timedelta(days=3), company_id=source.id)
    visit = make_visit(source, users["ledning"], ledning=[users["ledning"]], office=[lots])
    db.session.commit()

    merge_companies(
        source, target, {}, actor=lots, source_version=source.version, target_version=target.version
    )
    db.session.commit()

    assert _company_ids(db, ContactPerson, [person.id]) == {target.id}
    assert _company_ids(db, Interaction, [contact.id]) == {target.id}
    assert _company_ids(db, Referral, [referral.id]) == {target.id}
    assert _company_ids(db, LotsCase, [case.id]) == {target.id}
    assert _company_ids(db, FollowUp, [followup.id]) == {target.id}
    assert _company_ids(db, CompanyVisit, [visit.id]) == {target.id}
    assert source.merged_into_id == target.id
