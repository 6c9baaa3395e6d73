"""What the scheduler keeps in the database: a log of job runs and the single-scheduler lease."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class JobRun(db.Model):
    """One finished run of a scheduled job (or of `scheduler run-once`)."""

    __tablename__ = "job_runs"
    __table_args__ = (
        # "The last run of each job" (admin outbox page, `scheduler list`).
        sa.Index("ix_job_runs_job_id_started_at", "job_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(sa.String(100))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    ok: Mapped[bool]
    result_count: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(sa.Text)
    holder: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")


class SchedulerLease(db.Model):
    """The scheduler that holds this row (until `expires_at`) is the one that runs jobs.

    A second scheduler process finds the lease held and skips every job until the first one
    stops renewing it; then it takes over (a hot stand-by instead of double runs).
    """

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(sa.String(50), primary_key=True)
    holder: Mapped[str] = mapped_column(sa.String(200))
    expires_at: Mapped[datetime]
    acquired_at: Mapped[datetime]
