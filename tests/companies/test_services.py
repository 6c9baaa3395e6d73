"""Company services: numbers, masking, audit, optimistic locking, contact persons, areas."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.companies import contact_persons, services, tags
from app.companies.models import Company, ContactPersonMove
from app.core.errors import Conflict, PermissionDenied, StaleEdit, ValidationError
from tests.builders.companies import SAMORDNING, SOLE_TRADER, make_company, valid_orgnr


def _input(**kw) -> services.CompanyInput:
    kw.setdefault("name", "Kupolens Cykel AB")
    return services.CompanyInput(**kw)


@pytest.mark.parametrize(
    ("raw", "stored", "kind", "legal_form"),
    [
        ("556036-0793", "5560360793", "legal_person", "Aktiebolag"),
        ("16556036-0793", "5560360793", "legal_person", "Aktiebolag"),
        ("5560360793", "5560360793", "legal_person", "Aktiebolag"),
        ("212000-0142", "2120000142", "legal_person", "Stat, region, kommun eller församling"),
        (f"19{SOLE_TRADER[:6]}-{SOLE_TRADER[6:]}", SOLE_TRADER, "personal_number", "Enskild firma"),
        (SAMORDNING, SAMORDNING, "coordination_number", "Enskild firma"),
    ],
)
def test_valid_numbers_are_stored_normalised(db, users, raw, stored, kind, legal_form):
    company = services.create_company(_input(orgnr=raw), actor=users["lots"])
    assert (company.orgnr, company.orgnr_kind, company.legal_form) == (stored, kind, legal_form)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("556036-0794", "kontrollsiffra"),
        ("123", "10 siffror"),
        ("456036-0790", None),  # group digit 4 (or check digit): refused either way
        ("17556036-0793", "börja med 16"),
        ("556O36-0793", "bara innehålla siffror"),
    ],
)
def test_invalid_numbers_are_refused_with_a_swedish_message(db, users, raw, message):
    with pytest.raises(ValidationError) as err:
        services.create_company(_input(orgnr=raw), actor=users["lots"])
    assert err.value.field == "orgnr"
    if message:
        assert message in err.value.message
    assert db.session.scalar(sa.select(sa.func.count(Company.id))) == 0


def test_number_is_unique(db, users):
    services.create_company(_input(orgnr="556036-0793"), actor=users["lots"])
    with pytest.raises(Conflict, match="redan ett företag"):
        services.create_company(_input(name="Annat AB", orgnr="16 556036 0793"), actor=users["lots"])


def test_prospect_without_number_and_name_normalised(db, users):
    company = services.create_company(_input(name="  Ölbryggeriet   i Ornäs "), actor=users["lots"])
    assert company.orgnr is None
    assert company.name == "Ölbryggeriet i Ornäs"
    assert company.name_norm == "ölbryggeriet i ornäs"


def test_only_lots_may_create(db, users):
    for role in ("ledning", "chef", "admin"):
        with pytest.raises(PermissionDenied):
            services.create_company(_input(), actor=users[role])


def test_business_rules(db, users):
    lots = users["lots"]
    with pytest.raises(ValidationError, match="namn"):
        services.create_company(_input(name=" "), actor=lots)
    with pytest.raises(ValidationError) as err:
        services.create_company(_input(email="info@"), actor=lots)
    assert err.value.field == "email"
    with pytest.raises(ValidationError, match="SNI 2025"):
        services.create_company(_input(sni_code="99999", sni_version="2025"), actor=lots)
    with pytest.raises(ValidationError) as err:
        services.create_company(_input(is_key_company=True), actor=lots)
    assert err.value.field == "contact_cadence_months"
    with pytest.raises(ValidationError) as err:
        services.create_company(_input(responsible_user_id=users["chef"].id), actor=lots)
    assert err.value.field == "responsible_user_id"


def test_create_stores_sni_with_version_and_tags(db, users):
    company = services.create_company(
        _input(sni_code="62.010", sni_version="2007", tags=("Export", "export", "Klimatklivet")),
        actor=users["lots"],
    )
    assert (company.sni_code, company.sni_version) == ("62010", "2007")
    assert tags.tag_names(company.id) == ["Export", "Klimatklivet"]


def test_sole_trader_number_is_masked_in_the_audit_trail(db, users):
    company = services.create_company(_input(orgnr=SOLE_TRADER), actor=users["lots"])
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.entity_type == "companies"))
    assert event.changes["orgnr"] == f"{SOLE_TRADER[:6]}-****"
    assert SOLE_TRADER not in str(event.changes)
    assert services.orgnr_display(company) == f"{SOLE_TRADER[:6]}-****"


@pytest.mark.parametrize("role", ["lots", "admin"])
def test_full_personnummer_view_is_audited(db, users, role):
    company = make_company(orgnr=SOLE_TRADER)
    full = services.reveal_orgnr(company, actor=users[role])
    assert full == f"{SOLE_TRADER[:6]}-{SOLE_TRADER[6:]}"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "view"))
    assert event.entity_id == company.id
    assert event.actor_id == users[role].id
    assert SOLE_TRADER not in event.summary


@pytest.mark.parametrize("role", ["chef", "ledning"])
def test_chef_and_ledning_cannot_see_full_personnummer(db, users, role):
    company = make_company(orgnr=SOLE_TRADER)
    with pytest.raises(PermissionDenied):
        services.reveal_orgnr(company, actor=users[role])
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "view")) == 0


def test_legal_person_number_is_public_and_not_audited_as_a_view(db, users):
    company = make_company(orgnr="5560360793")
    assert services.reveal_orgnr(company, actor=users["chef"]) == "556036-0793"


def test_stale_edit_is_refused(db, users):
    company = make_company("Tjärna Bygg AB")
    db.session.commit()
    version = company.version
    services.update_company(
        company, _input(name="Tjärna Bygg & Måleri AB"), actor=users["lots"], expected_version=version
    )
    db.session.commit()
    with pytest.raises(StaleEdit, match="Någon annan har ändrat"):
        services.update_company(
            company, _input(name="Tjärna Bygg i Borlänge AB"), actor=users["lots"], expected_version=version
        )


def test_update_with_blank_number_keeps_a_sole_traders_number(db, users):
    company = make_company("Sörens Trädgård", orgnr=SOLE_TRADER)
    services.update_company(
        company, _input(name="Sörens Trädgårdstjänst", keep_orgnr=True), actor=users["lots"]
    )
    assert company.orgnr == SOLE_TRADER
    assert company.name == "Sörens Trädgårdstjänst"


def test_tag_only_change_bumps_the_version(db, users):
    data = _input(name="Ornäs Musik AB", postcode="784 33")
    company = services.create_company(data, actor=users["lots"])
    db.session.commit()
    before = company.version
    services.update_company(
        company, replace(data, tags=("Musik",)), actor=users["lots"], expected_version=before
    )
    db.session.commit()
    assert company.version == before + 1
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert event.changes == {"tags": [[], ["Musik"]]}


def test_soft_delete_and_restore(db, users):
    company = make_company()
    services.delete_company(company, actor=users["lots"])
    assert company.deleted_at is not None
    with pytest.raises(Conflict, match="borttaget"):
        services.update_company(company, _input(), actor=users["lots"])
    services.restore_company(company, actor=users["lots"])
    assert company.deleted_at is None


def test_contact_person_lifecycle_and_move_keeps_history(db, users):
    lots = users["lots"]
    first = make_company("Domnarvets Smide AB")
    second = make_company("Kvarnsvedens Verkstad AB", orgnr=valid_orgnr("556677889"))
    person = contact_persons.add_contact_person(
        first,
        contact_persons.ContactPersonInput(name="Åsa Öhrn", title="VD", email="asa@smide.example"),
        actor=lots,
    )
    with pytest.raises(ValidationError):
        contact_persons.add_contact_person(
            first, contact_persons.ContactPersonInput(name="X", email="fel"), actor=lots
        )
    contact_persons.move_contact_person(person, second, actor=lots)
    assert person.company_id == second.id
    move = db.session.scalar(sa.select(ContactPersonMove))
    assert (move.from_company_id, move.to_company_id, move.title_before) == (first.id, second.id, "VD")
    contact_persons.remove_contact_person(person, actor=lots)
    assert person.is_active is False
    assert person.left_at is not None


def test_areas_are_seeded_and_managed_by_admin(db, users):
    from app.companies.queries import areas

    names = [a.name for a in areas()]
    assert names[:3] == ["Centrum", "Kupolen", "Norra Backa"]
    assert "Torsång" in names
    area = services.create_area(services.AreaInput("Barkargärdet"), actor=users["admin"])
    with pytest.raises(Conflict):
        services.create_area(services.AreaInput("barkargärdet"), actor=users["admin"])
    with pytest.raises(PermissionDenied):
        services.create_area(services.AreaInput("Repbäcken"), actor=users["lots"])
    services.set_area_retired(area, True, actor=users["admin"])
    with pytest.raises(ValidationError, match="används inte längre"):
        services.create_company(_input(area_id=area.id), actor=users["lots"])
