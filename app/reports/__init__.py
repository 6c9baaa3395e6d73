"""Reports: the figures (one query module, figures.py) behind the dashboard (/rapporter), its
CSV/XLSX export, the drill-down lists and the monthly summary e-mail."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from app.core.merge import register_merge_handler
    from app.reports import facts
    from app.reports.cli import reports_cli
    from app.reports.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(reports_cli)
    facts.init_app()
    # Runs after the contacts' handler (features are wired in order): the merge moves contacts
    # with a bulk UPDATE the flush hook does not see.
    register_merge_handler(app, facts.resync_merged, label="rapportunderlag")
    from app.core.bulk_load import register_after_load

    register_after_load(facts.rebuild_all)
