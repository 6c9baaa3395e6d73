"""`flask reminders send --date YYYY-MM-DD`: queue a day's follow-up digests by hand."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

reminders_cli = AppGroup("reminders", help="Påminnelser om uppföljningar.")


@reminders_cli.command("send")
@click.option("--date", "day", required=True, help="Dagen (ÅÅÅÅ-MM-DD) vars sammanfattningar ska köas.")
def send_command(day: str) -> None:
    """Queue the digest e-mails of DATE (overdue and that day's follow-ups) and commit.

    Idempotent: a user who already has that day's digest in the outbox gets no second one.
    `flask mail deliver` (or the scheduler) sends them.
    """
    from app.core.sqlite import begin_write
    from app.extensions import db
    from app.followups.jobs import _mark_day, queue_daily_digests

    try:
        the_day = date.fromisoformat(day)
    except ValueError:
        raise click.BadParameter("ange datumet som ÅÅÅÅ-MM-DD", param_hint="--date") from None
    begin_write()
    _mark_day(the_day)  # the scheduler's tick then leaves the day alone
    count = queue_daily_digests(the_day)
    db.session.commit()
    click.echo(f"Köade {count} sammanfattningar för {the_day.isoformat()}.")
