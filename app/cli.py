"""Registers every feature's CLI group, and the demo-data command."""

from __future__ import annotations

from flask import Flask


def register_cli(app: Flask) -> None:
    from app.auth.cli import users_cli
    from app.demo import demo_data_command, demo_logins_command

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(demo_logins_command)
