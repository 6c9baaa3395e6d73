"""The scheduler: one registry of jobs (registry.JOBS), run by `flask scheduler run` in its own
process. The app factory never starts a scheduler."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from app.scheduler.cli import scheduler_cli

    app.cli.add_command(scheduler_cli)
