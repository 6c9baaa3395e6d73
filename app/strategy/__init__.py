"""The business strategy: its focus areas, indicators (indicators.py) and handlingsplan
(action_plan.py). Focus-area admin screens live in app.admin; indicator and handlingsplan
screens in this package's blueprint "strategy" (/strategi)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from app.core.navigation import register_admin_link
    from app.strategy.views import bp

    app.register_blueprint(bp)
    register_admin_link(app, "Strategins indikatorer (mål och utfall)", "strategy.indicators")
