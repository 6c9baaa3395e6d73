"""Company visits by kommunledning (strategy §6.3): planning with .ics invitations, proposals,
the printable visit brief, recording (contact + promises as follow-ups) and statistics.

`init_app` wires the blueprint, the admin links (question bank, yearly target), the company
timeline provider, the company-merge handler, the calendar-feed source and the start panel.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from app.core.catalogue import register_catalogue
    from app.core.merge import register_merge_handler
    from app.core.navigation import StartPanel, register_admin_link, register_start_panel
    from app.core.permissions import Perm
    from app.core.timeline import register_timeline_provider
    from app.followups.calendar import register_calendar_source
    from app.visits.queries import upcoming_for_panel
    from app.visits.question_bank import QUESTIONS
    from app.visits.services import move_visits_on_merge
    from app.visits.timeline import planned_visit_events, visit_timeline_items
    from app.visits.views import bp

    app.register_blueprint(bp)
    register_catalogue(app, QUESTIONS)
    register_admin_link(app, _l("Mål för företagsbesök"), "visits.targets")
    register_timeline_provider(app, visit_timeline_items)
    register_merge_handler(
        app,
        move_visits_on_merge,
        label="företagsbesök",  # untranslated: stored in the merge's audit trail
    )
    register_calendar_source(app, planned_visit_events)
    register_start_panel(
        app, StartPanel(_l("Kommande företagsbesök"), "visits/_panel.html", Perm.VIEW_VISITS, 20)
    )
    app.jinja_env.globals["upcoming_visits_for"] = upcoming_for_panel
