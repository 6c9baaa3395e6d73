"""Follow-ups (uppföljningar): to-do items on companies, the contact cadence of key
companies, the start-page panel and nav badge, the daily digest e-mail and the calendar feed."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

# One-click snooze buttons: (days, label). 1 = next working day.
SNOOZE_CHOICES = [(1, _l("Nästa arbetsdag")), (7, _l("En vecka"))]


def init_app(app: Flask) -> None:
    from app.core.merge import register_merge_handler
    from app.core.navigation import StartPanel, register_nav_count, register_start_panel
    from app.core.permissions import Perm
    from app.core.timeline import register_timeline_provider
    from app.followups import queries
    from app.followups.cli import reminders_cli
    from app.followups.services import move_followups_on_merge
    from app.followups.timeline import followup_timeline_items
    from app.followups.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(reminders_cli)
    register_start_panel(
        app, StartPanel(_l("Att göra"), "followups/_panel.html", Perm.VIEW_FOLLOWUPS, position=10)
    )
    register_nav_count(app, "followups.list", queries.count_due)
    register_timeline_provider(app, followup_timeline_items)
    register_merge_handler(
        app,
        move_followups_on_merge,
        label="uppföljningar",  # untranslated: stored in the merge's audit trail
    )
    app.jinja_env.globals.update(followups_todo=queries.todo_for, followup_snooze_choices=SNOOZE_CHOICES)
