"""Reading the job log (the admin's mail page and `flask scheduler list`)."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.scheduler.models import JobRun


def last_runs(job_ids: list[str]) -> dict[str, JobRun]:
    """The latest run of each job (one indexed lookup per job; the registry has a handful)."""
    runs: dict[str, JobRun] = {}
    for job_id in job_ids:
        run = db.session.scalar(
            sa.select(JobRun).where(JobRun.job_id == job_id).order_by(JobRun.started_at.desc()).limit(1)
        )
        if run is not None:
            runs[job_id] = run
    return runs
