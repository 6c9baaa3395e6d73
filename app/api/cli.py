"""`flask tokens create|list|revoke`: API keys for integrations, from the server's shell."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.api import tokens
from app.api.models import SCOPES
from app.auth.services import get_user_by_email
from app.core.errors import DomainError
from app.core.time import to_local
from app.extensions import db


@click.group("tokens", help="API-nycklar (personliga åtkomstnycklar för JSON-API:t).")
def tokens_cli() -> None:
    pass


@tokens_cli.command("create")
@click.option(
    "--user", "email", required=True, help="Användarens e-postadress (nyckeln gör anrop som den användaren)."
)
@click.option("--name", required=True, help="Nyckelns namn, t.ex. systemet som ska använda den.")
@click.option(
    "--scope",
    type=click.Choice(list(SCOPES)),
    default="read",
    show_default=True,
    help="Läsa, eller läsa och skriva.",
)
@click.option(
    "--days",
    type=click.IntRange(1, 3650),
    default=None,
    help="Giltighetstid i dagar (standard 90, högst administratörens gräns).",
)
@with_appcontext
def create_command(email: str, name: str, scope: str, days: int | None) -> None:
    """Skapar en nyckel och skriver ut den. Den visas bara den här gången."""
    user = get_user_by_email(email)
    if user is None:
        raise click.ClickException(f"Ingen användare med e-postadressen {email}.")
    try:
        token, secret = tokens.create_token(
            user, tokens.TokenInput(name=name, scope=scope, days=days), actor=None, system=True
        )
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(secret)
    click.echo(
        f"Nyckel {token.id} ”{token.name}” för {user.email}: {SCOPES[token.scope].lower()}, "
        f"giltig till {to_local(token.expires_at):%Y-%m-%d %H:%M}. Den visas inte igen.",
        err=True,
    )


@tokens_cli.command("list")
@click.option("--all", "include_inactive", is_flag=True, help="Även återkallade och utgångna nycklar.")
@with_appcontext
def list_command(include_inactive: bool) -> None:
    """Listar nycklar (aldrig själva nyckeln)."""
    from app.core.time import utcnow

    now = utcnow()
    for token in tokens.all_tokens(include_inactive=include_inactive):
        used = f"{to_local(token.last_used_at):%Y-%m-%d %H:%M}" if token.last_used_at else "aldrig"
        click.echo(
            f"{token.id:>5}  {token.prefix}…  {token.user.email:<32} {token.scope:<5} "
            f"{token.state_label(now):<12} till {to_local(token.expires_at):%Y-%m-%d}  använd {used}  {token.name}"
        )


@tokens_cli.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def revoke_command(token_id: int) -> None:
    """Återkallar en nyckel (id från tokens list)."""
    try:
        token = tokens.get_token_or_404(token_id)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    tokens.revoke_token(token, actor=None, system=True)
    db.session.commit()
    click.echo(f"Nyckel {token.id} ”{token.name}” är återkallad.")
