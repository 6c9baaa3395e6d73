"""Duplicate scan and merge: field choices, every relation moves, the registry, the notice."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.companies import contact_persons, tags
from app.companies.merge import merge_companies
from app.companies.models import Company, ContactPerson, ContactPersonMove
from app.companies.queries import duplicate_candidates
from app.core.errors import Conflict, StaleEdit, ValidationError
from app.core.merge import merge_handlers, register_merge_handler
from tests.builders.companies import make_company, make_contact_person, valid_orgnr


def test_scan_finds_similar_names_at_the_same_postcode(db):
    a = make_company("Borlänge Rör & Värme AB", postcode="784 33")
    b = make_company("Borlänge Rör och Värme", postcode="784 33", orgnr=None)
    make_company("Borlänge Rör & Värme AB", postcode="781 70")  # other postcode
    make_company("Borlänge Bageri AB", postcode="784 33")  # other name
    pairs = duplicate_candidates()
    assert [(p.first.id, p.second.id) for p in pairs] == [(a.id, b.id)]
    assert "784 33" in pairs[0].reason


def test_scan_ignores_merged_and_deleted(db, users):
    a = make_company("Hagalunds Städ AB", postcode="784 40")
    make_company("Hagalunds Städ", postcode="784 40", orgnr=None, deleted_at=datetime.now(UTC))
    assert duplicate_candidates() == []
    assert a.is_live


def test_merge_moves_every_relation_and_takes_chosen_values(app, db, users):
    moved_by_later_feature = []

    def later_feature(source, target, actor):
        moved_by_later_feature.append((source.id, target.id, actor.id))
        return 7

    register_merge_handler(app, later_feature, label="ärenden")
    target = make_company(
        "Dala Stål AB",
        orgnr=None,
        phone="0243-111",
        email="",
        postcode="781 70",
        last_contact_at=datetime(2025, 1, 1, tzinfo=UTC),
        next_followup_on=date(2026, 6, 1),
    )
    source_orgnr = valid_orgnr("556999888")
    source = make_company(
        "Dala Stål",
        orgnr=source_orgnr,
        phone="0243-222",
        email="info@dalastal.example",
        postcode="781 70",
        last_contact_at=datetime(2025, 6, 1, tzinfo=UTC),
        next_followup_on=date(2026, 3, 1),
    )
    tags.set_tags(target, ["Stål"])
    tags.set_tags(source, ["Export"])
    elsewhere = make_company("Annat AB")
    current = make_contact_person(source, "Lena Åkerlund")
    former = make_contact_person(source, "Per Öst", is_active=False)
    moved_in = make_contact_person(elsewhere, "Kim Ek")
    contact_persons.move_contact_person(moved_in, source, actor=users["lots"])
    db.session.commit()

    merge_companies(
        source,
        target,
        {"orgnr": "source", "email": "source", "phone": "target"},
        actor=users["lots"],
        source_version=source.version,
        target_version=target.version,
    )
    db.session.commit()

    assert target.orgnr == source_orgnr
    assert target.orgnr_kind == "legal_person"
    assert target.email == "info@dalastal.example"
    assert target.phone == "0243-111"
    assert target.last_contact_at == datetime(2025, 6, 1, tzinfo=UTC)
    assert target.next_followup_on == date(2026, 3, 1)
    assert tags.tag_names(target.id) == ["Export", "Stål"]
    assert source.merged_into_id == target.id
    assert source.orgnr is None
    ids = set(
        db.session.scalars(
            sa.select(ContactPerson.company_id).where(
                ContactPerson.id.in_([current.id, former.id, moved_in.id])
            )
        )
    )
    assert ids == {target.id}
    move = db.session.scalar(sa.select(ContactPersonMove))
    assert move.to_company_id == target.id
    assert moved_by_later_feature == [(source.id, target.id, users["lots"].id)]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "merge"))
    # Other features' handlers (follow-ups, …) may have moved nothing here; ours and the test's did.
    assert event.changes["moved"]["kontaktpersoner"] == 3
    assert event.changes["moved"]["ärenden"] == 7
    assert [h.label for h in merge_handlers()][0] == "kontaktpersoner"


def test_merge_refuses_stale_self_and_already_merged(db, users):
    a = make_company("Ett AB")
    b = make_company("Två AB")
    db.session.commit()
    with pytest.raises(ValidationError):
        merge_companies(a, a, {}, actor=users["lots"])
    with pytest.raises(StaleEdit):
        merge_companies(b, a, {}, actor=users["lots"], source_version=b.version + 1)
    merge_companies(b, a, {}, actor=users["lots"])
    with pytest.raises(Conflict, match="redan sammanslaget"):
        merge_companies(b, a, {}, actor=users["lots"])


def test_merged_company_page_says_where_it_went(db, users, lots_client):
    target = make_company("Kupolen Konsult AB")
    source = make_company("Kupolen Konsult")
    merge_companies(source, target, {}, actor=users["lots"])
    db.session.commit()
    response = lots_client.get(f"/foretag/{source.id}", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.request.path == f"/foretag/{target.id}"
    assert "Kupolen Konsult har slagits samman med Kupolen Konsult AB" in html


def test_merge_screen_posts_field_choices(db, users, lots_client):
    target = make_company("Torsångs Camping AB", phone="1")
    source = make_company("Torsångs Camping", phone="2")
    db.session.commit()
    url = f"/foretag/sammanslagning/{target.id}/{source.id}"
    page = lots_client.get(url).get_data(as_text=True)
    assert 'name="field-phone"' in page
    response = lots_client.post(
        url,
        data={"field-phone": "source", "target_version": target.version, "source_version": source.version},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Company, target.id).phone == "2"
    assert db.session.get(Company, source.id).merged_into_id == target.id
