"""The business strategy: its focus areas, indicators (indicators.py) and handlingsplan
(action_plan.py). Focus-area admin screens live in app.admin; indicator and handlingsplan
screens in this package's blueprint "strategy" (/strategi)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from app.core.catalogue import register_catalogue
    from app.core.navigation import register_admin_link
    from app.strategy.catalogue_screen import FOCUS_AREAS
    from app.strategy.views import bp

    app.register_blueprint(bp)
    # The admin start page links the focus areas itself (first among the catalogues).
    register_catalogue(app, FOCUS_AREAS, admin_link=False)
    register_admin_link(app, "Strategins indikatorer (mål och utfall)", "strategy.indicators")
