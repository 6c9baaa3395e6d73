"""Route × role table for the company register (see tests/route_permissions.py)."""

from __future__ import annotations

from app.companies.models import Area, ImportBatch
from app.extensions import db
from tests.builders.companies import SOLE_TRADER, make_company, make_contact_person
from tests.route_permissions import Route, catalogue_routes

EDIT = frozenset({"lots"})
PERSONAL = frozenset({"lots", "admin"})
ADMIN = frozenset({"admin"})


def build_world(world) -> None:
    world.company = make_company("Världens Företag AB")
    world.other_company = make_company("Världens Företag Kopia AB")
    world.sole_trader = make_company("Enskilda Firman", orgnr=SOLE_TRADER)
    world.contact = make_contact_person(world.company)
    world.batch = ImportBatch(
        filename="test.csv",
        status="preview",
        headers=["Namn"],
        rows=[[2, ["Nytt AB"]]],
        mapping={"0": "name"},
    )
    world.done_batch = ImportBatch(
        filename="klar.csv", status="done", headers=["Namn"], rows=None, mapping={"0": "name"}
    )
    db.session.add_all([world.batch, world.done_batch])
    db.session.flush()
    world.area_id = 1


def _company(w):
    return {"company_id": w.company.id}


def _contact_person(w):
    return {"company_id": w.company.id, "person_id": w.contact.id}


ROUTES = {
    "companies.list": Route(),
    "companies.export": Route(args=lambda w: {"fmt": "csv"}, marker="Namn;Organisationsnummer;"),
    "companies.sni_search": Route(),
    "companies.detail": Route(args=_company),
    "companies.reveal_orgnr": Route(
        "POST",
        allowed=PERSONAL,
        args=lambda w: {"company_id": w.sole_trader.id},
        marker=f"{SOLE_TRADER[:6]}-{SOLE_TRADER[6:]}",  # the full number, shown
    ),
    "companies.new": Route(allowed=EDIT),
    "companies.edit": Route(allowed=EDIT, args=_company),
    "companies.delete": Route("POST", allowed=EDIT, args=_company),
    "companies.restore": Route("POST", allowed=EDIT, args=_company),
    "companies.contact_person_new": Route(allowed=EDIT, args=_company),
    "companies.contact_person_edit": Route(allowed=EDIT, args=_contact_person),
    "companies.contact_person_remove": Route("POST", allowed=EDIT, args=_contact_person),
    "companies.contact_person_move": Route(
        "POST", allowed=EDIT, args=_contact_person, data=lambda w: {"to_orgnr": w.other_company.orgnr}
    ),
    **catalogue_routes("areas", Area, lambda w: w.area_id),
    "companies.import_upload": Route(allowed=EDIT),
    "companies.import_preview": Route(allowed=EDIT, args=lambda w: {"batch_id": w.batch.id}),
    "companies.import_confirm": Route("POST", allowed=EDIT, args=lambda w: {"batch_id": w.batch.id}),
    "companies.import_cancel": Route("POST", allowed=EDIT, args=lambda w: {"batch_id": w.batch.id}),
    "companies.import_log": Route(allowed=EDIT),
    "companies.import_undo": Route("POST", allowed=EDIT, args=lambda w: {"batch_id": w.done_batch.id}),
    "companies.duplicates": Route(allowed=EDIT),
    "companies.merge_choose": Route(allowed=EDIT, args=_company),
    "companies.contact_persons_json": Route(args=_company, marker='"label":'),
    "companies.suggest": Route(args=lambda w: {"q": "Världens"}, marker="application/json"),
    "companies.merge_companies": Route(
        allowed=EDIT, args=lambda w: {"target_id": w.company.id, "source_id": w.other_company.id}
    ),
}
