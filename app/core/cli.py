"""Guards shared by the CLI commands of several packages (app.cli, app.demo, app.scale)."""

from __future__ import annotations

import click
from flask import current_app


def refuse_in_production(command: str) -> None:
    """Stop a command that must never run against a production database (published logins,
    synthetic data)."""
    if current_app.config.get("LOTSBOK_ENV_NAME") == "production":
        raise click.ClickException(
            f"`flask {command}` körs inte i produktion (LOTSBOK_ENV=production): den skapar "
            "påhittade data och inloggningar med kända lösenord."
        )
