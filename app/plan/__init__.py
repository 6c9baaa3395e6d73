"""The strategy's roof: the handlingsplan (action_plan.py) and the indicators (indicators.py),
with their screens (blueprint "plan", /strategi – the URLs the screens had when
they lived in app.strategy). A high package: it reads contacts, cases and companies. The
floor every feature may import – strategies and focus areas – stays in app.strategy."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from app.core.navigation import register_admin_link
    from app.plan.views import bp

    app.register_blueprint(bp)
    register_admin_link(app, _l("Strategins indikatorer (mål och utfall)"), "plan.indicators")
