"""`flask cases …`: maintenance commands for lots cases."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db

cases_cli = AppGroup("cases", help="Lotsärenden.")


@cases_cli.command("recompute-clocks")
@click.option(
    "--alla", "include_decided", is_flag=True, help="Även rader med beslut (rapporternas jämförelse)."
)
def recompute_clocks_command(include_decided: bool) -> None:
    """Recompute the expected decision and "ansök senast" dates of undecided permit rows
    (saving a permit type does this for its own rows; run by hand after changing the rules).
    --alla also rewrites the deadlines of decided rows. Commits."""
    from app.cases.permits import recompute_clocks

    changed = recompute_clocks(include_decided=include_decided)
    db.session.commit()
    click.echo(f"{changed} tillståndsrader fick nya datum.")


@cases_cli.command("send-surveys")
def send_surveys_command() -> None:
    """Queue the due satisfaction surveys now (the scheduler does this every 15 minutes). Commits."""
    from app.cases.surveys import send_due_surveys

    queued = send_due_surveys()
    db.session.commit()
    click.echo(f"{queued} enkäter lagda i utkorgen.")
