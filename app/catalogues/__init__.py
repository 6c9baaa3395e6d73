"""Reference catalogues that admin maintains: permit types, referral partners and the
kommun's extra closed days (read by app.core.calendar)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from app.catalogues.catalogue_screen import PARTNERS, PERMIT_TYPES
    from app.catalogues.services import closed_days_by_day
    from app.catalogues.views import bp
    from app.core.calendar import register_closed_days_source
    from app.core.catalogue import register_catalogue
    from app.core.navigation import register_admin_link

    app.register_blueprint(bp)
    register_catalogue(app, PERMIT_TYPES)
    register_catalogue(app, PARTNERS)
    register_admin_link(app, _l("Stängda dagar (klämdagar)"), "catalogues.closed_days")
    register_closed_days_source(app, closed_days_by_day)
