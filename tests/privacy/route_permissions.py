"""Route × role table for the privacy screens: all need Perm.PRIVACY_MANAGE (admin)."""

from __future__ import annotations

from tests.route_permissions import Route

ADMIN = frozenset({"admin"})


def build_world(world) -> None:
    from tests.builders.companies import make_company, make_contact_person

    world.privacy_person = make_contact_person(
        make_company(), "Stina Registrerad", email="stina@foretag.example"
    )


def _pick(w):
    return {"p": f"contact_person:{w.privacy_person.id}"}


ROUTES = {
    "privacy.index": Route(allowed=ADMIN, args=lambda w: {"q": "Stina"}),
    "privacy.extract": Route(allowed=ADMIN, args=_pick),
    "privacy.extract_json": Route(allowed=ADMIN, args=_pick, marker="Stina Registrerad"),
    "privacy.rectify": Route(
        "POST",
        allowed=ADMIN,
        args=lambda w: {"person_id": w.privacy_person.id},
        data=lambda w: {"field": "title", "value": "VD", "reason": "Ny titel"},
    ),
    "privacy.objection": Route(
        "POST",
        allowed=ADMIN,
        args=lambda w: {"person_id": w.privacy_person.id},
        data=lambda w: {"objected": "1", "reason": "Invände"},
    ),
    "privacy.anonymise": Route(allowed=ADMIN, args=_pick),
    "privacy.rules": Route(allowed=ADMIN),
    "privacy.rule_edit": Route(allowed=ADMIN, args=lambda w: {"key": "followups"}),
    "privacy.run_now": Route("POST", allowed=ADMIN),
    "privacy.protocol": Route(allowed=ADMIN, args=lambda w: {"run_id": 999999}, ok=(404,)),
    "privacy.inventory_page": Route(allowed=ADMIN),
    "privacy.export": Route(allowed=ADMIN),
}
