"""`flask --app app generate-data --companies N --seed S`."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from app.core.time import local_today
from app.extensions import db


@click.command("generate-data")
@click.option("--companies", "n_companies", type=int, default=10_000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option(
    "--anchor",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Dagen datan byggs kring (standard: idag). Samma frö och dag ger samma data.",
)
@with_appcontext
def generate_data_command(n_companies: int, seed: int, anchor) -> None:
    """Generate a realistic synthetic dataset with bulk inserts (for benchmarks and trials).

    About 2.5 contact persons and 10 contacts per company over five years, cases with permit
    rows, follow-ups, visits and users. Deterministic for a given --seed and --anchor.
    """
    from app.core.cli import refuse_in_production
    from app.scale.generate import generate

    refuse_in_production("generate-data")
    started = time.perf_counter()
    counts = generate(
        n_companies, seed=seed, anchor=anchor.date() if anchor else local_today(), echo=click.echo
    )
    db.session.commit()
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{name} {count:,}".replace(",", " ") for name, count in counts.items())
    click.echo(f"Klart på {elapsed:.1f} s: {summary}")
