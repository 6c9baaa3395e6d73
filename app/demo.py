"""`flask demo-data`: fictitious demo data for `make run`. Running it twice adds nothing twice."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.auth import services as users
from app.core.permissions import Role
from app.extensions import db

DEMO_PASSWORD = "Lotsbok-demo-2026"  # noqa: S105 - printed demo login, demo data only

DEMO_USERS = [
    ("lots@lotsbok.example", "Karin Lindqvist", Role.LOTS, "Näringslivskontoret"),
    ("lots2@lotsbok.example", "Johan Åkerlund", Role.LOTS, "Näringslivskontoret"),
    ("ledning@lotsbok.example", "Maria Öhman", Role.LEDNING, "Kommunstyrelsen"),
    ("chef@lotsbok.example", "Anders Berglöf", Role.CHEF, "Näringslivskontoret"),
    ("admin@lotsbok.example", "Sara Nyström", Role.ADMIN, "Kommunledningsförvaltningen"),
]


def load_demo_users() -> int:
    created = 0
    for email, name, role, department in DEMO_USERS:
        if users.get_user_by_email(email) is None:
            users.create_user(
                users.UserInput(email=email, name=name, role=role.value, department=department),
                DEMO_PASSWORD,
                actor=None,
                must_change_password=False,
            )
            created += 1
    return created


def print_logins() -> None:
    click.echo(f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD}):")
    for email, name, role, _ in DEMO_USERS:
        click.echo(f"  {role.value:<8} {email:<28} {name}")


@click.command("demo-data")
@click.option("--quiet", is_flag=True, help="Skriv inte ut inloggningarna.")
@with_appcontext
def demo_data_command(quiet: bool) -> None:
    """Load fictitious demo data (users, companies, …). Safe to run again: nothing is added twice."""
    counts = {"användare": load_demo_users()}
    from app.companies.demo import load_demo_companies

    counts["företag"], counts["kontaktpersoner"] = load_demo_companies()
    from app.interactions.demo import load_demo_contacts

    counts["kontakter"] = load_demo_contacts()
    from app.cases.demo import load_demo_cases

    counts["lotsärenden"] = load_demo_cases()
    from app.visits.demo import load_demo_visits

    counts["företagsbesök"] = load_demo_visits()
    from app.followups.demo import load_demo_followups

    counts["uppföljningar"] = load_demo_followups()
    from app.strategy.demo import load_demo_strategy

    counts["indikatorvärden"], counts["aktiviteter i handlingsplanen"] = load_demo_strategy()
    db.session.commit()
    click.echo("Demodata: " + ", ".join(f"{n} nya {what}" for what, n in counts.items()))
    if not quiet:
        print_logins()


@click.command("demo-logins")
def demo_logins_command() -> None:
    """Print the demo logins (make run shows them before the server starts)."""
    print_logins()
