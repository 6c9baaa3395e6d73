"""Demo contacts: a few hundred over two years, every kind and focus area, loaded once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.companies.models import Company
from app.core.time import utcnow
from app.interactions.demo import load_demo_contacts
from app.interactions.models import Interaction, InteractionKind, Referral
from tests.builders.strategy import focus_areas

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the results depend on today's date


def test_demo_contacts_load_once(db):
    # The loaders `flask demo-data` runs, in its order (users, companies, contacts); called
    # directly so another feature's demo loader cannot hide a failure of this one.
    from app.companies.demo import load_demo_companies
    from app.demo import load_demo_users

    load_demo_users()
    load_demo_companies()
    assert load_demo_contacts() == 320
    db.session.commit()
    contacts = list(db.session.scalars(sa.select(Interaction)))
    assert 300 <= len(contacts) <= 400
    assert {c.kind for c in contacts} == set(InteractionKind)
    assert {c.focus_area_id for c in contacts} >= {a.id for a in focus_areas()}
    oldest = min(c.occurred_at for c in contacts)
    assert utcnow() - timedelta(days=740) < oldest < utcnow() - timedelta(days=365)
    assert any(c.is_restricted for c in contacts)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Referral)) > 0
    # last_contact_at agrees with the contacts.
    company_id, latest = db.session.execute(
        sa.select(Interaction.company_id, sa.func.max(Interaction.occurred_at))
        .group_by(Interaction.company_id)
        .limit(1)
    ).one()
    assert db.session.get(Company, company_id).last_contact_at == latest

    assert load_demo_contacts() == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Interaction)) == len(contacts)
