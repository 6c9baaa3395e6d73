"""Lots cases (lotsärenden): intake to closure with the status workflow, permit rows on
statutory clocks, actions (follow-ups), referrals, lotsmöten with .ics invitations and the
satisfaction survey (SS 884000; domain.md §1–2, §4.3)."""

from __future__ import annotations

import os

from flask import Flask


def init_app(app: Flask) -> None:
    from app.cases import action_views, meeting_views, permit_views  # noqa: F401 - their routes are on bp
    from app.cases.case_types import CASE_TYPES
    from app.cases.choices import open_case_choices
    from app.cases.cli import cases_cli
    from app.cases.permits import permit_type_clock_impact, recompute_permit_type_clocks
    from app.cases.queries import count_my_open
    from app.cases.services import move_cases_on_merge
    from app.cases.survey_views import public_bp
    from app.cases.timeline import case_timeline_items, meeting_calendar_events
    from app.cases.views import bp
    from app.core.case_choices import register_open_cases
    from app.core.catalogue import register_catalogue
    from app.core.clock_hooks import register_permit_clock_hooks
    from app.core.merge import register_merge_handler
    from app.core.navigation import register_nav_count
    from app.core.timeline import register_timeline_provider

    # Settings with defaults (the environment may override them).
    app.config.setdefault("LOTSBOK_SURVEY_DELAY_DAYS", int(os.environ.get("LOTSBOK_SURVEY_DELAY_DAYS", "3")))
    app.config.setdefault(
        "LOTSBOK_STATUTORY_NEAR_DAYS", int(os.environ.get("LOTSBOK_STATUTORY_NEAR_DAYS", "14"))
    )
    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
    app.cli.add_command(cases_cli)
    register_nav_count(app, "cases.list", count_my_open)
    register_timeline_provider(app, case_timeline_items)
    register_open_cases(app, open_case_choices)
    merged = "lotsärenden"  # untranslated: the merge's audit trail names it
    register_merge_handler(app, move_cases_on_merge, label=merged)
    register_permit_clock_hooks(app, preview=permit_type_clock_impact, recompute=recompute_permit_type_clocks)
    register_catalogue(app, CASE_TYPES)
    from app.followups.calendar import register_calendar_source

    register_calendar_source(app, meeting_calendar_events)
