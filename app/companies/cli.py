"""`flask companies import FILE [--dry-run]`: import companies from CSV/XLSX on the server."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app.auth.services import get_user_by_email
from app.companies import import_rows, importer
from app.core.errors import DomainError
from app.extensions import db

companies_cli = AppGroup("companies", help="Företagsregistret.")


@companies_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Visa vad som skulle hända men spara inget.")
@click.option(
    "--update-duplicates", is_flag=True, help="Uppdatera befintliga företag i stället för att hoppa över dem."
)
@click.option("--user", "user_email", default="", help="E-postadress till användaren importen loggas på.")
def import_command(file: Path, dry_run: bool, update_duplicates: bool, user_email: str) -> None:
    """Import companies from FILE (CSV or XLSX, first row = column headers).

    Columns are mapped from their headers as in the web import. Rows with errors stop the whole
    import (nothing is written) and are listed; rows matching an existing company (same
    organisationsnummer, or same name and postcode) are skipped unless --update-duplicates.
    The import appears in the web import log and can be undone there.
    """
    actor = None
    if user_email:
        actor = get_user_by_email(user_email)
        if actor is None:
            raise click.ClickException(f"Ingen användare med e-postadressen {user_email}.")
    try:
        with file.open("rb") as stream:
            batch = importer.start_import(stream, file.name, actor=actor, system=True)
        analysis = import_rows.analyse(batch)
        mapped = ", ".join(
            f"{batch.headers[int(i)]} → {importer.FIELDS[f][0]}"
            for i, f in sorted(batch.mapping.items(), key=lambda x: int(x[0]))
        )
        click.echo(f"Kolumner: {mapped or 'inga kända rubriker'}")
        bad = [row for row in analysis.rows if row.errors]
        for row in bad:
            click.echo(f"Rad {row.number}: {' '.join(row.errors)}", err=True)
        if bad:
            db.session.rollback()
            raise click.ClickException(f"{len(bad)} rader har fel. Inget har importerats.")
        actions = {
            row.number: ("update" if update_duplicates else "skip") if row.match is not None else "create"
            for row in analysis.rows
        }
        counts = importer.run_import(batch, actions, actor=actor, system=True)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    summary = f"{counts.created} nya, {counts.updated} uppdaterade, {counts.skipped} överhoppade"
    if dry_run:
        db.session.rollback()
        click.echo(f"Provkörning (inget sparat): {summary}.")
    else:
        db.session.commit()
        click.echo(f"Importerat: {summary}.")
