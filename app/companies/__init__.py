"""The company register: companies, contact persons, areas, import/export, duplicates and merge.

`init_app` wires the blueprint, the `flask companies` CLI group, the areas' catalogue screen,
the contact-person merge handler, this package's own timeline provider and the mail blocker for
contact persons who objected to processing.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    # The view modules share one blueprint; importing them registers their routes on it.
    from app.companies import contact_person_views, import_views, merge_views, picker_views  # noqa: F401
    from app.companies.catalogue_screen import AREAS
    from app.companies.cli import companies_cli
    from app.companies.merge import move_contact_persons
    from app.companies.timeline import company_timeline
    from app.companies.views import bp
    from app.core.catalogue import register_catalogue
    from app.core.merge import register_merge_handler
    from app.core.timeline import register_timeline_provider

    app.register_blueprint(bp)
    app.cli.add_command(companies_cli)
    register_catalogue(app, AREAS)
    register_merge_handler(app, move_contact_persons, label="kontaktpersoner")
    register_timeline_provider(app, company_timeline)
    # GDPR Art. 21: no mail of any job reaches a contact person who objected.
    from app.companies.personal_data import address_objected
    from app.mail.services import register_recipient_blocker

    register_recipient_blocker(app, address_objected)
