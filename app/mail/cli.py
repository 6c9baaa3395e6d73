"""`flask mail deliver`: send what the outbox holds now."""

from __future__ import annotations

import click
from flask.cli import AppGroup

mail_cli = AppGroup("mail", help="E-post: utkorgen.")


@mail_cli.command("deliver")
def deliver_command() -> None:
    """Deliver the due outbox messages now (as the scheduler's mail.deliver job does).

    Commits each claim and result. Without SMTP_HOST nothing is sent and the mail stays queued.
    """
    from flask import current_app

    from app.mail.delivery import deliver_outbox

    if not current_app.config.get("SMTP_HOST"):
        click.echo("SMTP_HOST är inte satt: e-posten ligger kvar i utkorgen (se Admin → Utkorg).")
    sent = deliver_outbox()
    click.echo(f"Skickade {sent} e-postmeddelanden.")
