"""`flask reports …`: send (or preview) the monthly summary by hand; rebuild the report facts."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.core.errors import ValidationError
from app.extensions import db
from app.reports.figures import Scope, build_report
from app.reports.periods import parse_month
from app.reports.summary import queue_monthly_summaries, recipients, render_summary


@click.group("reports", help="Rapporter och månadssammanfattningen.")
def reports_cli() -> None:
    pass


@reports_cli.command("send-monthly")
@click.option("--month", required=True, help="Månaden som ÅÅÅÅ-MM, t.ex. 2025-03.")
@click.option("--preview", is_flag=True, help="Skriv ut brevet (text) i stället för att skicka det.")
@click.option("--user", "user_email", default=None, help="Förhandsgranska som den här användaren (e-post).")
@with_appcontext
def send_monthly(month: str, preview: bool, user_email: str | None) -> None:
    """Queue the summary of MONTH for every recipient who has not got it (exactly once per
    user and month: running it again queues nothing new). --preview prints it instead."""
    try:
        period = parse_month(month)
    except ValidationError as exc:
        raise click.BadParameter(exc.message, param_hint="--month") from exc
    if preview:
        from app.auth.services import get_user_by_email

        people = recipients()
        user = get_user_by_email(user_email) if user_email else (people[0] if people else None)
        if user is None:
            raise click.ClickException("Ingen mottagare att förhandsgranska som (ange --user).")
        mail = render_summary(build_report(Scope(period)), user)
        click.echo(f"Till: {user.email}\nÄmne: {mail.subject}\n")
        click.echo(mail.text)
        return
    count = queue_monthly_summaries(period)
    db.session.commit()
    click.echo(f"Månadssammanfattningen för {period.label}: {count} brev köade i utkorgen.")


@reports_cli.command("rebuild-facts")
@click.option("--since", default=None, help="Bara dagarna från ÅÅÅÅ-MM-DD (standard: allt).")
@with_appcontext
def rebuild_facts(since: str | None) -> None:
    """Recompute the report facts (app.reports.facts, app.reports.record_facts) from the rows and
    repair what differs."""
    from datetime import date

    from app.core.sqlite import begin_write
    from app.reports import record_facts
    from app.reports.facts import rebuild

    try:
        first = date.fromisoformat(since) if since else None
    except ValueError as exc:
        raise click.BadParameter("Ange datumet som ÅÅÅÅ-MM-DD.", param_hint="--since") from exc
    begin_write()
    conn = db.session.connection()
    repaired = rebuild(conn, since=first) + record_facts.rebuild(conn, since=first)
    db.session.commit()
    click.echo(f"Rapportunderlaget omräknat: {repaired} rader rättade.")
