"""Reference catalogues that admin maintains: permit types and referral partners."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from app.catalogues.views import bp
    from app.core.navigation import register_admin_link

    app.register_blueprint(bp)
    register_admin_link(app, "Tillståndstyper", "catalogues.permit_types")
    register_admin_link(app, "Hänvisningspartner", "catalogues.partners")
