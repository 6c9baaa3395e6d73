"""Reference data for integrations: focus areas, permit types, referral partners, case types,
areas (read only; administrators keep them in the app)."""

from __future__ import annotations

from typing import Any

from app.api.auth import requires
from app.api.fields import Bool, Int, Nested, NestedList, Schema, Str
from app.api.spec import Blueprint, problems
from app.cases.queries import case_types
from app.catalogues.queries import list_partners, list_permit_types
from app.companies.queries import areas
from app.core.permissions import Perm
from app.strategy.queries import list_focus_areas

blp = Blueprint("api_catalogues", __name__, url_prefix="/api/v1",
                description="Fokusområden och kataloger (tillståndstyper, partner, ärendetyper, områden).")  # fmt: skip

RETIRED = Bool(metadata={"description": "Avslutad: finns kvar på gamla poster men kan inte väljas för nya."})


class FocusAreaSchema(Schema):
    id = Int(metadata={"description": "Fokusområdets id."})
    name = Str(metadata={"description": "Namn."})
    short_name = Str(metadata={"description": "Kort namn."})
    strategy = Str(metadata={"description": "Näringslivsstrategin det hör till."})
    retired = RETIRED


class PermitTypeSchema(Schema):
    id = Int(metadata={"description": "Tillståndstypens id."})
    code = Str(metadata={"description": "Stabil kod, t.ex. bygglov."})
    name = Str(metadata={"description": "Namn."})
    law = Str(metadata={"description": "Lagrum."})
    deciding_body = Str(metadata={"description": "Beslutande instans."})
    statutory_time_value = Int(
        allow_none=True, metadata={"description": "Lagstadgad handläggningstid (antal)."}
    )
    statutory_time_unit = Str(allow_none=True, metadata={"description": "weeks eller months."})
    retired = RETIRED


class PartnerSchema(Schema):
    id = Int(metadata={"description": "Partnerns id."})
    name = Str(metadata={"description": "Namn."})
    website = Str(metadata={"description": "Webbplats."})
    retired = RETIRED


class CaseTypeSchema(Schema):
    id = Int(metadata={"description": "Ärendetypens id."})
    code = Str(metadata={"description": "Stabil kod."})
    name = Str(metadata={"description": "Namn."})
    is_event = Bool(metadata={"description": "Evenemang (har evenemangsfält och ”ansök senast”)."})
    retired = RETIRED


class AreaSchema(Schema):
    id = Int(metadata={"description": "Områdets id."})
    name = Str(metadata={"description": "Namn."})
    retired = RETIRED


def _list_schema(item: type[Schema], name: str) -> type[Schema]:
    return type(name, (Schema,), {"items": NestedList(Nested(item), metadata={"description": "Posterna."})})


def _items(rows: list[Any], fields: tuple[str, ...], **extra: Any) -> dict[str, Any]:
    return {"items": [{**{f: getattr(r, f) for f in fields}, "retired": r.retired_at is not None,
                       **{k: fn(r) for k, fn in extra.items()}} for r in rows]}  # fmt: skip


@blp.route("/focus-areas", methods=["GET"])
@requires(Perm.VIEW_START)
@blp.response(200, _list_schema(FocusAreaSchema, "FocusAreaList"))
@problems(blp, 403)
def focus_areas():
    """Näringslivsstrategins fokusområden (varje kontakt och ärende hör till ett)."""
    return _items(list_focus_areas(), ("id", "name", "short_name"), strategy=lambda a: a.strategy.name)


@blp.route("/permit-types", methods=["GET"])
@requires(Perm.VIEW_START)
@blp.response(200, _list_schema(PermitTypeSchema, "PermitTypeList"))
@problems(blp, 403)
def permit_types():
    """Tillståndskatalogen med lagstadgade handläggningstider."""
    return _items(list_permit_types(), ("id", "code", "name", "law", "deciding_body", "statutory_time_value",
                                        "statutory_time_unit"))  # fmt: skip


@blp.route("/referral-partners", methods=["GET"])
@requires(Perm.VIEW_START)
@blp.response(200, _list_schema(PartnerSchema, "PartnerList"))
@problems(blp, 403)
def partners():
    """Partner som företag hänvisas till."""
    return _items(list_partners(), ("id", "name", "website"))


@blp.route("/case-types", methods=["GET"])
@requires(Perm.VIEW_START)
@blp.response(200, _list_schema(CaseTypeSchema, "CaseTypeList"))
@problems(blp, 403)
def case_type_list():
    """Ärendetyper för lotsärenden."""
    return _items(case_types(), ("id", "code", "name", "is_event"))


@blp.route("/areas", methods=["GET"])
@requires(Perm.VIEW_START)
@blp.response(200, _list_schema(AreaSchema, "AreaList"))
@problems(blp, 403)
def area_list():
    """Kommunens områden (för företag)."""
    return _items(areas(), ("id", "name"))
