"""The audit writer itself: what goes into an event, what is left out, and when nothing is
written (app.audit.services)."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa

from app.audit import services as audit
from app.audit.models import AuditEvent
from app.companies import import_rows
from app.companies.models import Company
from app.core.client import reset_client_address, set_client_address
from tests.builders.companies import make_company

T = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


class Colour(enum.Enum):
    RED = "röd"


def _events() -> list[AuditEvent]:
    return list(audit.db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)))


def test_values_are_stored_as_plain_json():
    assert audit._plain(datetime(2026, 3, 2, 9, 30)) == "2026-03-02T09:30:00"
    assert audit._plain(date(2026, 3, 2)) == "2026-03-02"
    assert audit._plain(Colour.RED) == "röd"
    assert audit._plain(Decimal("12.50")) == "12.50"
    assert audit._plain((date(2026, 1, 1), [Colour.RED])) == ["2026-01-01", ["röd"]]
    assert audit._plain({Decimal("1")}) == ["1"]
    assert audit._plain("text") == "text"
    assert audit._plain(7) == 7


def test_entity_names_are_table_names_or_the_class_name():
    class Loose:
        pass

    assert audit.entity_name(Company(name="x")) == "companies"
    assert audit.entity_name(Loose()) == "loose"


def test_record_writes_every_field(db, users):
    token = set_client_address("203.0.113.7")
    try:
        event = audit.record(
            users["lots"], "update", "companies", 12, summary="Å" * 400, changes={"name": ["a", "b"]}, now=T
        )
    finally:
        reset_client_address(token)
    db.session.flush()
    [stored] = _events()
    assert stored is event
    assert (stored.at, stored.actor_id, stored.action, stored.entity_type, stored.entity_id) == (
        T, users["lots"].id, "update", "companies", 12,
    )  # fmt: skip
    assert stored.summary == "Å" * 300
    assert (stored.changes, stored.ip) == ({"name": ["a", "b"]}, "203.0.113.7")


def test_record_without_actor_changes_or_request(db):
    before = datetime.now(UTC)
    event = audit.record(None, "sign_in", "users", None)
    db.session.flush()
    assert (event.actor_id, event.entity_id, event.summary, event.changes, event.ip) == (
        None,
        None,
        "",
        None,
        None,
    )
    assert before <= event.at.replace(tzinfo=event.at.tzinfo or UTC) <= datetime.now(UTC)
    assert audit.record(None, "x", "users", 1, changes={}).changes is None


def test_create_and_delete_record_the_values_without_bookkeeping(db, users):
    company = make_company("Granskade AB", area_id=None, notes="Anteckning")
    created = audit.record_create(users["lots"], company, summary="Skapad")
    assert (created.action, created.entity_type, created.entity_id, created.summary) == (
        "create", "companies", company.id, "Skapad",
    )  # fmt: skip
    snap = created.changes
    assert (snap["name"], snap["notes"], snap["id"]) == ("Granskade AB", "Anteckning", company.id)
    assert "area_id" not in snap  # None is left out
    assert not {"version", "updated_at", "created_at", "search_text"} & set(snap)
    deleted = audit.record_delete(users["lots"], company, summary="Borttagen")
    assert (deleted.action, deleted.actor_id, deleted.entity_id, deleted.summary, deleted.changes) == (
        "delete", users["lots"].id, company.id, "Borttagen", snap,
    )  # fmt: skip
    assert created.actor_id == users["lots"].id
    assert audit.record_delete(None, company).summary == audit.record_create(None, company).summary == ""


def test_update_records_only_real_changes(db, users):
    company = make_company("Före AB", city="Borlänge", notes="Oförändrad", area_id=None)
    db.session.commit()
    db.session.refresh(company)  # loaded: the old values are known
    area_id = import_rows.import_areas()[0].id  # (a query flushes: before the changes)
    company.name = "Efter AB"
    company.city = "Borlänge"  # set to what it was: no change
    company.phone = "0243-1"  # from ""
    company.area_id = area_id  # from None
    company.version += 1  # bookkeeping: never in a diff
    changes = audit.record_update(users["lots"], company, summary="Ändrad")
    assert changes == {"name": ["Före AB", "Efter AB"], "phone": ["", "0243-1"], "area_id": [None, area_id]}
    [event] = [e for e in db.session.new if isinstance(e, AuditEvent)]
    assert (event.action, event.entity_type, event.entity_id, event.summary, event.changes) == (
        "update", "companies", company.id, "Ändrad", changes,
    )  # fmt: skip
    db.session.commit()
    assert audit.record_update(users["lots"], company, summary="Inget") == {}
    assert [e.summary for e in _events()] == ["Ändrad"]
    assert audit.pending_changes(company) == {}
