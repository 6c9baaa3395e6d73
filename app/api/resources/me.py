"""/api/v1/me: who the token acts as, and what it may do."""

from __future__ import annotations

from flask import g

from app.api.auth import actor
from app.api.fields import Int, Moment, Nested, NestedList, Schema, Str
from app.api.models import ApiToken
from app.api.spec import Blueprint, problems
from app.core.permissions import ROLE_PERMISSIONS, Role
from app.extensions import db

blp = Blueprint("api_me", __name__, url_prefix="/api/v1", description="Nyckelns ägare och behörigheter.")


class TokenInfo(Schema):
    id = Int(metadata={"description": "Nyckelns id."})
    name = Str(metadata={"description": "Nyckelns namn."})
    scope = Str(metadata={"description": "read eller write."})
    expires_at = Moment(metadata={"description": "Går ut (UTC)."})


class MeSchema(Schema):
    id = Int(metadata={"description": "Användarens id."})
    name = Str(metadata={"description": "Namn."})
    email = Str(metadata={"description": "E-post."})
    role = Str(metadata={"description": "Roll: lots, ledning, chef eller admin."})
    role_label = Str(metadata={"description": "Rollen i klartext."})
    permissions = NestedList(Str(), metadata={"description": "Rollens behörigheter, t.ex. companies.view."})
    token = Nested(TokenInfo, metadata={"description": "Nyckeln som används."})


@blp.route("/me", methods=["GET"])
@blp.response(200, MeSchema)
@problems(blp)
def me():
    """Vem nyckeln gör anrop som, med vilken roll och vilka behörigheter."""
    user = actor()
    token = db.session.get(ApiToken, g.api_check.token_id)
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "role": user.role,
        "role_label": user.role_label,
        "permissions": sorted(p.value for p in ROLE_PERMISSIONS[Role(user.role)]),
        "token": {"id": token.id, "name": token.name, "scope": token.scope, "expires_at": token.expires_at},
    }
