"""Personal data and records duties: registerutdrag, rectification, objection, anonymisation,
retention bound to gallringsbeslut with a gallringsprotokoll, the personal-data inventory and
the e-arkiv export. It sits above every feature and reaches their data through each feature's
`personal_data` module (docs/ARCHITECTURE.md "Personuppgifter och arkiv")."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from app.core.navigation import register_admin_link
    from app.privacy.views import bp

    app.register_blueprint(bp)
    register_admin_link(
        app, _l("Personuppgifter: registerutdrag, gallring, förteckning, e-arkiv"), "privacy.index"
    )
