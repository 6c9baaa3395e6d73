"""Registers every feature's CLI group, and the demo-data command."""

from __future__ import annotations

import click
from flask import Flask, current_app


def refuse_in_production(command: str) -> None:
    """Stop a command that must never run against a production database (published logins,
    synthetic data)."""
    if current_app.config.get("LOTSBOK_ENV_NAME") == "production":
        raise click.ClickException(
            f"`flask {command}` körs inte i produktion (LOTSBOK_ENV=production): den skapar "
            "påhittade data och inloggningar med kända lösenord."
        )


def register_cli(app: Flask) -> None:
    from app.auth.cli import users_cli
    from app.demo import demo_data_command, demo_logins_command

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(demo_logins_command)
