"""Running jobs: the app-context wrapper (commit, rollback, JobRun log) and the single-scheduler
lease, and building the APScheduler BlockingScheduler from the registry.

Only one scheduler may run jobs. A second process started by mistake (two `make run`s, a
systemd unit plus a manual start) finds the lease row held and skips every tick; if the first
one dies, its lease runs out after LEASE_TTL and the second takes over. The lease is renewed
by every job run, and mail.deliver runs every minute, well inside the TTL.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
import uuid
from datetime import datetime, timedelta

import sqlalchemy as sa
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy.dialects import postgresql, sqlite

from app.core.sqlite import begin_write
from app.core.time import STOCKHOLM, utcnow
from app.extensions import db
from app.scheduler.models import JobRun, SchedulerLease
from app.scheduler.registry import JOBS, JobSpec

log = logging.getLogger("lotsbok.scheduler")

LEASE_NAME = "scheduler"
LEASE_TTL = timedelta(minutes=3)
JOB_RUN_RETENTION = timedelta(days=30)
JOB_DEFAULTS = {
    "coalesce": True,  # many missed ticks → one run
    "max_instances": 1,  # never two runs of one job at once in this process
    "misfire_grace_time": 3600,  # a late tick still runs (the default of 1 s would skip it)
}


def new_holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire_lease(holder: str, now: datetime | None = None, *, ttl: timedelta = LEASE_TTL) -> bool:
    """Take or renew the scheduler lease; True if `holder` holds it now. Commits."""
    now = now or utcnow()
    begin_write()
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    created = db.session.execute(
        insert(SchedulerLease)
        .values(name=LEASE_NAME, holder=holder, expires_at=now + ttl, acquired_at=now)
        .on_conflict_do_nothing(index_elements=["name"])
        .returning(SchedulerLease.name)
    ).scalar_one_or_none()
    if created is not None:
        db.session.commit()
        return True
    # On PostgreSQL a concurrent taker waits for our row lock, then re-checks the WHERE clause
    # against the committed row: only one of two expired-lease takers wins.
    result = db.session.execute(
        sa.update(SchedulerLease)
        .where(
            SchedulerLease.name == LEASE_NAME,
            sa.or_(SchedulerLease.holder == holder, SchedulerLease.expires_at < now),
        )
        .values(
            expires_at=now + ttl,
            acquired_at=sa.case((SchedulerLease.holder == holder, SchedulerLease.acquired_at), else_=now),
            holder=holder,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def release_lease(holder: str) -> None:
    """Give the lease up at shutdown so a stand-by scheduler can take over at once. Commits."""
    begin_write()
    db.session.execute(
        sa.update(SchedulerLease)
        .where(SchedulerLease.name == LEASE_NAME, SchedulerLease.holder == holder)
        .values(expires_at=utcnow() - timedelta(seconds=1))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def lease_holder() -> SchedulerLease | None:
    return db.session.get(SchedulerLease, LEASE_NAME)


class JobRunner:
    """Runs registry jobs inside an app context, one transaction each, and logs a JobRun."""

    def __init__(self, app: Flask, *, holder: str | None = None, guard: bool = True) -> None:
        self.app = app
        self.holder = holder or new_holder_id()
        self.guard = guard

    def run(self, spec: JobSpec, now: datetime | None = None) -> JobRun | None:
        """Run one job now. Returns its JobRun, or None if another scheduler holds the lease.

        `now` only moves the lease clock (tests); the job itself reads the clock.
        """
        with self.app.app_context():
            try:
                if self.guard and not acquire_lease(self.holder, now):
                    log.info("%s: en annan schemaläggare har ansvaret; hoppar över.", spec.id)
                    return None
                started = utcnow()
                try:
                    count = spec.resolve()()
                    db.session.commit()
                    ok, error = True, None
                except Exception:
                    db.session.rollback()
                    log.exception("Jobbet %s misslyckades", spec.id)
                    ok, count, error = False, None, traceback.format_exc(limit=5)[-4000:]
                run = JobRun(
                    job_id=spec.id,
                    started_at=started,
                    finished_at=utcnow(),
                    ok=ok,
                    result_count=count if isinstance(count, int) else None,
                    error=error,
                    holder=self.holder,
                )
                begin_write()
                db.session.add(run)
                # Keep the log bounded (mail.deliver alone runs 1 440 times a day).
                db.session.execute(
                    sa.delete(JobRun).where(
                        JobRun.job_id == spec.id, JobRun.started_at < started - JOB_RUN_RETENTION
                    )
                )
                db.session.commit()
                db.session.refresh(run)  # loaded, so callers can read it after the context ends
                if ok:
                    log.info("%s: klart (%s)", spec.id, count)
                return run
            finally:
                db.session.remove()


def build_scheduler(app: Flask, runner: JobRunner, jobs: list[JobSpec] | None = None) -> BlockingScheduler:
    """A BlockingScheduler (Stockholm time, memory job store) with every registry job added."""
    scheduler = BlockingScheduler(timezone=STOCKHOLM, job_defaults=JOB_DEFAULTS)
    start = datetime.now(STOCKHOLM)
    for spec in jobs if jobs is not None else JOBS:
        options = {"next_run_time": start} if spec.run_at_start else {}
        scheduler.add_job(
            runner.run,
            spec.trigger,
            args=[spec],
            id=spec.id,
            name=str(spec.description or spec.id),
            replace_existing=True,
            **options,
        )
    return scheduler
