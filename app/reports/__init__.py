"""Reports: the figures (one query module, figures.py) behind the dashboard (/rapporter), its
CSV/XLSX export, the drill-down lists and the monthly summary e-mail."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from app.reports.cli import reports_cli
    from app.reports.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(reports_cli)
