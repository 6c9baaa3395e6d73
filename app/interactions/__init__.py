"""The contact log: calls, visits, meetings, e-mails, permit guidance and event contacts,
each tied to a focus area; permit guidance rows; referrals to partners.

`init_app` wires the blueprint, the company-timeline provider, the company-merge handler and
the start-page panel of referrals awaiting an outcome.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from app.core.merge import register_merge_handler
    from app.core.navigation import StartPanel, register_start_panel
    from app.core.permissions import Perm
    from app.core.timeline import register_timeline_provider
    from app.interactions.queries import contact_timeline_items, referrals_awaiting_outcome
    from app.interactions.services import move_contacts_on_merge
    from app.interactions.views import bp

    app.register_blueprint(bp)
    register_timeline_provider(app, contact_timeline_items)
    register_merge_handler(
        app,
        move_contacts_on_merge,
        label="kontakter och hänvisningar",  # untranslated: written into the merge's audit summary
    )
    register_start_panel(
        app, StartPanel(_l("Kontakter"), "interactions/_start_panel.html", Perm.EDIT_CONTACTS, 30)
    )
    app.jinja_env.globals["referrals_awaiting_outcome"] = referrals_awaiting_outcome
