"""Survivor 5: editing a contact or a visit is in the audit trail, with old → new values (only
create, delete, view and case updates were tested)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.interactions import services as contacts
from app.visits import services as visits
from tests.builders.companies import make_company
from tests.builders.interactions import interaction_input, make_interaction
from tests.builders.visits import make_visit, visit_input


def _updates(entity_type: str, entity_id: int) -> list[AuditEvent]:
    return list(
        db_scalars(
            sa.select(AuditEvent).where(
                AuditEvent.action == "update",
                AuditEvent.entity_type == entity_type,
                AuditEvent.entity_id == entity_id,
            )
        )
    )


def db_scalars(stmt):
    from app.extensions import db

    return db.session.scalars(stmt)


def test_editing_a_contact_is_audited_with_old_and_new_values(db, users):
    company = make_company("Granskade Bolaget AB")
    contact = make_interaction(company, users["lots"], subject="Före")
    db.session.commit()
    contacts.update_contact(contact, interaction_input(company, subject="Efter"), actor=users["lots"])
    db.session.commit()
    [event] = _updates("interactions", contact.id)
    assert event.actor_id == users["lots"].id
    assert event.changes["subject"] == ["Före", "Efter"]


def test_editing_a_visit_is_audited_with_old_and_new_values(db, users):
    company = make_company("Besökta Bolaget AB")
    starts = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    visit = make_visit(company, users["lots"], ledning=[users["ledning"]], starts_at=starts, now=now)
    db.session.commit()
    visit = visits.load_visit(visit.id)
    visits.update_visit(
        visit,
        visit_input(
            company, ledning=[users["ledning"]], starts_at=starts + timedelta(hours=2), place="Nytt rum"
        ),
        actor=users["ledning"],
        now=now,
    )
    db.session.commit()
    [event] = [e for e in _updates("company_visits", visit.id) if e.changes and "place" in e.changes]
    assert event.actor_id == users["ledning"].id
    assert event.changes["place"][1] == "Nytt rum"
    assert "starts_at" in event.changes
