"""`flask cases …`: maintenance commands for lots cases."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db

cases_cli = AppGroup("cases", help="Lotsärenden.")


@cases_cli.command("recompute-clocks")
def recompute_clocks_command() -> None:
    """Recompute the expected decision and "ansök senast" dates of undecided permit rows
    (run after editing a permit type's statutory time or lead time). Commits."""
    from app.cases.services import recompute_clocks

    changed = recompute_clocks()
    db.session.commit()
    click.echo(f"{changed} tillståndsrader fick nya datum.")


@cases_cli.command("send-surveys")
def send_surveys_command() -> None:
    """Queue the due satisfaction surveys now (the scheduler does this every 15 minutes). Commits."""
    from app.cases.surveys import send_due_surveys

    queued = send_due_surveys()
    db.session.commit()
    click.echo(f"{queued} enkäter lagda i utkorgen.")
