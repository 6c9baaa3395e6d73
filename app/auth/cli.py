"""`flask users …`: create users from the command line (the first admin comes from here)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from app.auth import services
from app.core.errors import DomainError
from app.core.permissions import Role
from app.extensions import db

users_cli = AppGroup("users", help="Hantera användare.")


@users_cli.command("create")
@click.option("--email", required=True, help="E-postadress (inloggningsnamn).")
@click.option("--name", required=True, help="Fullständigt namn.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--department", default="", help="Förvaltning/avdelning.")
@click.option(
    "--password-stdin", is_flag=True, help="Läs lösenordet från standard input i stället för prompt."
)
@click.option("--temporary/--permanent", default=False, help="Måste bytas vid första inloggningen.")
def create_user_command(email, name, role, department, password_stdin, temporary):
    """Create a user. The password is asked for at a prompt, or read from standard input."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Lösenord", hide_input=True, confirmation_prompt=True)
    try:
        user = services.create_user(
            services.UserInput(email=email, name=name, role=role, department=department),
            password,
            actor=None,
            must_change_password=temporary,
        )
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(f"Skapade {user.email} ({user.role}).")


@users_cli.command("list")
def list_users_command():
    """List users with role and status."""
    for user in services.list_users():
        status = "aktiv" if user.is_active else "inaktiv"
        click.echo(f"{user.id:>4}  {user.email:<40} {user.role:<8} {status}")


@users_cli.command("reset-mfa")
@click.option("--email", required=True, help="Användarens e-postadress.")
def reset_mfa_command(email):
    """Switch off a user's two-step verification (lost phone, and no admin can sign in)."""
    from app.auth import mfa

    user = services.get_user_by_email(email)
    if user is None:
        raise click.ClickException(f"Ingen användare med e-postadressen {email}.")
    mfa.reset_mfa(user, actor=None)
    db.session.commit()
    click.echo(f"Tvåstegsverifieringen för {user.email} är återställd; alla hens inloggningar är avslutade.")
