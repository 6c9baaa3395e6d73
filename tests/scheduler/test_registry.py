"""The job registry, the run wrapper (commit/rollback/JobRun), the CLI and the guard against a
second scheduler process."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from apscheduler.schedulers.blocking import BlockingScheduler

import app.scheduler.registry as registry
from app.core.time import STOCKHOLM, utcnow
from app.extensions import db as _db
from app.mail import queue_mail
from app.mail.models import OutboxMessage
from app.scheduler.models import JobRun
from app.scheduler.registry import JOBS, JobSpec, every, get_job
from app.scheduler.runner import LEASE_TTL, JobRunner, acquire_lease, build_scheduler, release_lease

# Test jobs, addressed by "module:function" like the real ones.
CALLS: list[str] = []


def job_that_queues_mail(now=None) -> int:
    CALLS.append("ran")
    queue_mail("a@kommun.example", "notice", f"job:{len(CALLS)}", subject="S", body="B", link=None)
    return 1


def job_that_fails(now=None) -> int:
    queue_mail("a@kommun.example", "notice", "job:fails", subject="S", body="B", link=None)
    raise RuntimeError("trasigt")


GOOD = JobSpec("test.good", f"{__name__}:job_that_queues_mail", every(minutes=1), "varje minut")
BAD = JobSpec("test.bad", f"{__name__}:job_that_fails", every(minutes=1), "varje minut")


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()


def test_registry_ids_are_unique_and_every_function_resolves():
    ids = [job.id for job in JOBS]
    assert len(ids) == len(set(ids))
    assert {"mail.deliver", "followups.daily_digest", "followups.cadence_check"} <= set(ids)
    for job in JOBS:
        assert callable(job.resolve()), job.id
        assert job.trigger.timezone == STOCKHOLM
    assert get_job("mail.deliver").trigger.interval == timedelta(minutes=1)
    assert get_job("finns.inte") is None


def test_build_scheduler_adds_every_job_with_safe_defaults(app):
    runner = JobRunner(app, holder="test")
    scheduler = build_scheduler(app, runner)
    assert isinstance(scheduler, BlockingScheduler)
    assert str(scheduler.timezone) == "Europe/Stockholm"
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {job.id for job in JOBS}
    # Applied to each job when the scheduler starts (APScheduler keeps them as scheduler defaults).
    defaults = scheduler._job_defaults
    assert (defaults["coalesce"], defaults["max_instances"]) == (True, 1)
    assert defaults["misfire_grace_time"] >= 600  # the default of 1 s would skip late ticks
    for job in jobs.values():
        assert job.args[0] is get_job(job.id)


def test_wrapper_commits_on_success_and_logs_a_run(app, db):
    run = JobRunner(app, holder="h1").run(GOOD)
    assert run.ok
    assert run.result_count == 1
    assert run.job_id == "test.good"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1
    assert db.session.scalar(sa.select(JobRun.ok).where(JobRun.job_id == "test.good")) is True


def test_wrapper_rolls_back_a_failing_job_and_records_the_error(app, db):
    run = JobRunner(app, holder="h1").run(BAD)
    assert run.ok is False
    assert "RuntimeError: trasigt" in run.error
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(sa.select(JobRun.error).where(JobRun.job_id == "test.bad")).count("trasigt") >= 1


def test_a_second_scheduler_runs_nothing_until_the_first_one_is_gone(app, db):
    first, second = JobRunner(app, holder="first"), JobRunner(app, holder="second")
    t0 = utcnow()
    assert first.run(GOOD, now=t0) is not None
    assert second.run(GOOD, now=t0 + timedelta(seconds=30)) is None
    assert first.run(GOOD, now=t0 + timedelta(minutes=1)) is not None  # renews the lease
    assert second.run(GOOD, now=t0 + timedelta(minutes=1) + LEASE_TTL - timedelta(seconds=1)) is None
    assert CALLS == ["ran", "ran"]
    # The first one stops renewing (crashed): after the lease runs out the second takes over.
    later = t0 + timedelta(minutes=1) + LEASE_TTL + timedelta(seconds=1)
    assert second.run(GOOD, now=later) is not None
    assert first.run(GOOD, now=later + timedelta(seconds=1)) is None
    assert CALLS == ["ran", "ran", "ran"]


def test_releasing_the_lease_hands_over_at_once(app, db):
    assert acquire_lease("a")
    assert not acquire_lease("b")
    release_lease("a")
    assert acquire_lease("b")


def test_cli_list_and_run_once(app, db, runner):
    result = runner.invoke(args=["scheduler", "list"])
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert [line.split()[0] for line in lines] == [job.id for job in JOBS]
    assert "har inte körts" in lines[0]

    result = runner.invoke(args=["scheduler", "run-once", "followups.cadence_check"])
    assert result.exit_code == 0
    assert "followups.cadence_check: OK (0)" in result.output
    db.session.rollback()
    assert "OK (0)" in runner.invoke(args=["scheduler", "list"]).output

    result = runner.invoke(args=["scheduler", "run-once", "finns.inte"])
    assert result.exit_code != 0
    assert "okänt jobb" in result.output


def test_run_once_reports_a_failing_job(app, db, runner, monkeypatch):
    monkeypatch.setattr(registry, "JOBS", [*JOBS, BAD])
    result = runner.invoke(args=["scheduler", "run-once", "test.bad"])
    assert result.exit_code == 1
    assert "FEL" in result.output


def test_adding_a_job_is_one_line(app, monkeypatch):
    monkeypatch.setattr(registry, "JOBS", [*JOBS, GOOD])
    scheduler = build_scheduler(app, JobRunner(app, holder="x"), registry.JOBS)
    assert "test.good" in {job.id for job in scheduler.get_jobs()}


def test_scheduler_run_prints_one_line_per_job_and_releases_the_lease(app, db, runner, monkeypatch):
    started = []
    monkeypatch.setattr(
        BlockingScheduler, "start", lambda self, *a, **k: started.append(len(self.get_jobs()))
    )
    result = runner.invoke(args=["scheduler", "run"])
    assert result.exit_code == 0, result.output
    assert started == [len(JOBS)]
    for job in JOBS:
        assert sum(line.strip().startswith(job.id) for line in result.output.splitlines()) == 1
    assert "Schemaläggaren har stannat." in result.output
    _db.session.rollback()
    assert acquire_lease("someone-else")  # released at shutdown


def test_a_second_scheduler_process_says_it_stands_by(app, db, runner, monkeypatch):
    assert acquire_lease("the-first-one")
    monkeypatch.setattr(BlockingScheduler, "start", lambda self, *a, **k: None)
    result = runner.invoke(args=["scheduler", "run"])
    assert "En annan schemaläggare är aktiv (the-first-one)" in result.output
    _db.session.rollback()
    assert not acquire_lease("third")  # the stand-by did not take or release the first one's lease


def test_old_job_runs_are_pruned(app, db):
    old = utcnow() - timedelta(days=31)
    db.session.add_all(
        [
            JobRun(job_id="test.good", started_at=old, finished_at=old, ok=True, result_count=0),
            JobRun(job_id="other.job", started_at=old, finished_at=old, ok=True, result_count=0),
        ]
    )
    db.session.commit()
    JobRunner(app, holder="h").run(GOOD)
    db.session.rollback()
    rows = db.session.execute(sa.select(JobRun.job_id, JobRun.started_at).order_by(JobRun.id)).all()
    assert [r.job_id for r in rows] == ["other.job", "test.good"]
    assert rows[1].started_at > old
