"""The JSON API (/api/v1): one more thin caller of the features' services and queries.

`init_app` wires flask-smorest (OpenAPI 3.1 at /api/v1/openapi.json), the resource blueprints
(CSRF-exempt: the API is token-only, see app.api.auth), problem-details errors for /api/,
token authentication, the reference page, the token screens ("Mina inställningar" section,
admin list), the `flask tokens` CLI and the hook that revokes a deactivated user's tokens.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, request

from app.api.spec import API_PREFIX, DESCRIPTION

SECURITY_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": "Personlig API-nyckel (lb_…) från Mina inställningar → API-nycklar. "
                   "Skickas som Authorization: Bearer <nyckel>.",
}  # fmt: skip


def init_app(app: Flask) -> None:
    from app.api import auth, problems
    from app.api.cli import tokens_cli
    from app.api.reference import bp as reference_bp
    from app.api.resources import BLUEPRINTS
    from app.api.spec import api
    from app.api.tokens import revoke_tokens_of_deactivated_users
    from app.api.views import bp as token_views_bp
    from app.core.navigation import register_admin_link, register_settings_section
    from app.core.web import register_error_responder
    from app.extensions import csrf

    app.config.setdefault("API_TITLE", "Lotsbok API")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", API_PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {"description": DESCRIPTION, "contact": {"name": "Näringslivskontoret"}},
            "components": {"securitySchemes": {"bearerAuth": SECURITY_SCHEME}},
            "security": [{"bearerAuth": []}],
        },
    )
    from app.api.common import IdConverter, id_param_schema

    app.url_map.converters["id"] = IdConverter
    api.init_app(app)
    api.register_converter(IdConverter, id_param_schema)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
        csrf.exempt(blueprint)
    app.register_blueprint(reference_bp)
    app.register_blueprint(token_views_bp)

    register_error_responder(app, "/api/", problems.respond)
    app.url_value_preprocessor(auth.authenticate)
    app.before_request(auth.load_actor)

    @app.after_request
    def _api_headers(response):
        if request.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    if not sa.event.contains(sa.orm.Session, "before_flush", revoke_tokens_of_deactivated_users):
        sa.event.listen(sa.orm.Session, "before_flush", revoke_tokens_of_deactivated_users)
    app.cli.add_command(tokens_cli)
    register_admin_link(app, "API-nycklar", "tokens.admin_list")
    from app.api.views import settings_context

    app.jinja_env.globals["api_tokens_section"] = settings_context
    register_settings_section(app, "api/_settings_tokens.html")
