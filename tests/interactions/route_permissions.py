"""Route × role table for the contact log and its catalogues (see tests/route_permissions.py)."""

from __future__ import annotations

from app.catalogues.models import PermitType, ReferralPartner
from app.interactions import services
from tests.builders.catalogues import partner, permit_type
from tests.builders.companies import make_company
from tests.builders.interactions import make_interaction
from tests.route_permissions import Route, catalogue_routes

LOTS = frozenset({"lots"})
READERS = frozenset({"lots", "ledning", "chef"})  # Perm.VIEW_CONTACTS
ADMIN = frozenset({"admin"})


def build_world(world) -> None:
    world.contact_company = make_company("Kontaktloggens Bolag AB")
    world.interaction = make_interaction(world.contact_company, world.users["lots"])
    world.referral = services.add_referral(
        services.ReferralInput(
            partner_id=partner().id, reason="Behöver finansiering", interaction_id=world.interaction.id
        ),
        actor=world.users["lots"],
    )
    world.permit_type = permit_type("bygglov")
    world.partner = partner()


def _interaction(w):
    return {"interaction_id": w.interaction.id}


ROUTES = {
    "interactions.list": Route(allowed=READERS),
    "interactions.mine": Route(allowed=READERS),
    "interactions.export": Route(allowed=READERS, args=lambda w: {"fmt": "csv"}, marker="Datum;Tid;Typ;"),
    "interactions.new": Route(allowed=LOTS),
    "interactions.detail": Route(allowed=READERS, args=_interaction),
    "interactions.edit": Route(allowed=LOTS, args=_interaction),
    "interactions.delete": Route("POST", allowed=LOTS, args=_interaction),
    "interactions.referral_new": Route("POST", allowed=LOTS, args=_interaction),
    "interactions.referral_outcome": Route(allowed=LOTS, args=lambda w: {"referral_id": w.referral.id}),
    **catalogue_routes("permit_types", PermitType, lambda w: w.permit_type.id),
    **catalogue_routes("partners", ReferralPartner, lambda w: w.partner.id),
}
