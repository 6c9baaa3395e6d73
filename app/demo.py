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


def _demo_mfa_off() -> list[str] | None:
    """Record "not required" for every role, unless someone already chose (then None)."""
    import sqlalchemy as sa
    from flask import current_app

    from app.auth import mfa
    from app.auth.models import MfaRolePolicy

    if db.session.scalar(sa.select(sa.func.count()).select_from(MfaRolePolicy)):
        return None
    defaults = current_app.config["LOTSBOK_MFA_DEFAULT_ROLES"]
    return mfa.set_required_roles(
        dict.fromkeys(mfa.required_roles(defaults), False), actor=None, default_roles=defaults
    )


def print_logins() -> None:
    click.echo(f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD}):")
    for email, name, role, _ in DEMO_USERS:
        click.echo(f"  {role.value:<8} {email:<28} {name}")


@click.command("demo-data")
@click.option("--quiet", is_flag=True, help="Skriv inte ut inloggningarna.")
@with_appcontext
def demo_data_command(quiet: bool) -> None:
    """Load fictitious demo data (users, companies, …). Safe to run again: nothing is added twice.

    Refuses in production. Leaves two-step verification off for every role (and says so), so
    that the demo logins work as README shows; an admin can require it under Administration.
    """
    from app.core.cli import refuse_in_production

    refuse_in_production("demo-data")
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
    from app.plan.demo import load_demo_strategy

    counts["indikatorvärden"], counts["aktiviteter i handlingsplanen"] = load_demo_strategy()
    mfa_changed = _demo_mfa_off()
    db.session.commit()
    click.echo("Demodata: " + ", ".join(f"{n} nya {what}" for what, n in counts.items()))
    if mfa_changed is None:
        click.echo("Kravet på tvåstegsverifiering lämnas som en administratör har valt det.")
    else:
        click.echo(
            "Tvåstegsverifiering krävs inte för någon roll i demodatan"
            + (" (kravet för " + ", ".join(mfa_changed) + " är avslaget)" if mfa_changed else "")
            + ", så att demoinloggningarna fungerar. Slå på kravet under Administration → "
            "Inloggning och säkerhet."
        )
    if not quiet:
        print_logins()


@click.command("demo-logins")
def demo_logins_command() -> None:
    """Print the demo logins (make run shows them before the server starts)."""
    print_logins()
