"""`flask scheduler run | list | run-once JOB`."""

from __future__ import annotations

import logging
import signal

import click
from flask import current_app
from flask.cli import AppGroup

scheduler_cli = AppGroup("scheduler", help="Schemalagda jobb (körs som en egen process).")


@scheduler_cli.command("run")
def run_command() -> None:
    """Run the scheduler in the foreground until stopped (Ctrl+C or SIGTERM).

    Run exactly one per installation, as its own process (systemd unit), never inside the web
    server. A second one started by mistake stands by and runs nothing while the first is alive.
    """
    from app.scheduler.registry import JOBS
    from app.scheduler.runner import JobRunner, acquire_lease, build_scheduler, lease_holder, release_lease

    if not logging.getLogger().handlers:  # one line per job run in the journal
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
    app = current_app._get_current_object()
    runner = JobRunner(app)
    scheduler = build_scheduler(app, runner)
    click.echo(f"Schemaläggaren startar ({runner.holder}), tidszon Europe/Stockholm:")
    for spec in JOBS:
        click.echo(f"  {spec.id:<28} {str(spec.schedule):<45} {spec.description}")
    if not acquire_lease(runner.holder):
        holder = lease_holder()
        click.echo(
            f"En annan schemaläggare är aktiv ({holder.holder if holder else '?'}): "
            "den här väntar i beredskap och kör inga jobb förrän den andra slutar."
        )

    def _stop(_signum, _frame) -> None:  # noqa: ANN001 - signal handler signature
        if scheduler.running:  # a second SIGTERM during shutdown is harmless
            scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, _stop)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        with app.app_context():
            release_lease(runner.holder)
        click.echo("Schemaläggaren har stannat.")


@scheduler_cli.command("list")
def list_command() -> None:
    """List the registered jobs with their schedule and last run."""
    from app.scheduler.queries import last_runs
    from app.scheduler.registry import JOBS

    runs = last_runs([spec.id for spec in JOBS])
    for spec in JOBS:
        run = runs.get(spec.id)
        last = "har inte körts"
        if run is not None:
            last = f"senast {run.started_at:%Y-%m-%d %H:%M} UTC: " + (
                f"OK ({run.result_count})" if run.ok else "FEL"
            )
        click.echo(f"{spec.id:<28} {str(spec.schedule):<45} {last}")


@scheduler_cli.command("run-once")
@click.argument("job_id")
def run_once_command(job_id: str) -> None:
    """Run one job now (committing its work) and print its result. Exit code 1 if it failed."""
    from app.scheduler.registry import JOBS, get_job
    from app.scheduler.runner import JobRunner

    spec = get_job(job_id)
    if spec is None:
        raise click.BadParameter(
            f"okänt jobb {job_id!r}; finns: {', '.join(s.id for s in JOBS)}", param_hint="JOB"
        )
    # Manual runs skip the lease: jobs are idempotent, and an operator may need one now.
    run = JobRunner(current_app._get_current_object(), holder="run-once", guard=False).run(spec)
    if run is None or not run.ok:
        click.echo(f"{job_id}: FEL\n{run.error if run else ''}", err=True)
        raise SystemExit(1)
    click.echo(f"{job_id}: OK ({run.result_count})")
