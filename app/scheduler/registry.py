"""THE registry of scheduled jobs. Adding a job is one line in JOBS.

A job is a function `fn(now: datetime | None = None) -> int` (a count for the log) that reads
the database, calls services and does not commit: the scheduler's wrapper commits on success
and rolls back on failure (app.scheduler.runner). Jobs must be idempotent ticks that catch up
by themselves (unique keys, "not yet done today?" checks): a missed or doubled run is harmless.
Functions are named "module:function" so this module imports no feature at import time.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask_babel import lazy_gettext as _l

from app.core.time import STOCKHOLM


def every(**interval: int) -> IntervalTrigger:
    """An interval trigger in Stockholm time: every(minutes=10)."""
    return IntervalTrigger(timezone=STOCKHOLM, **interval)


def cron(**fields: int | str) -> CronTrigger:
    """A cron trigger in Stockholm time: cron(day=1, hour=6). Avoid 02:00–03:00 (DST)."""
    return CronTrigger(timezone=STOCKHOLM, **fields)


@dataclass(frozen=True)
class JobSpec:
    id: str  # "<feature>.<verb>"
    function: str  # "package.module:function"
    trigger: BaseTrigger
    schedule: str  # for people: "varje minut"
    description: str = ""
    run_at_start: bool = True  # catch up at once when the scheduler (re)starts

    def resolve(self) -> Callable[..., int | None]:
        module, _, name = self.function.partition(":")
        return getattr(importlib.import_module(module), name)


JOBS: list[JobSpec] = [
    JobSpec(
        "mail.deliver",
        "app.mail.delivery:deliver_outbox",
        every(minutes=1),
        _l("varje minut"),
        _l("Skicka e-posten i utkorgen"),
    ),
    JobSpec(
        "followups.daily_digest",
        "app.followups.jobs:daily_digest",
        every(minutes=10),
        _l("var 10:e minut (skickar kl. 07 arbetsdagar)"),
        _l("Dagens uppföljningar per e-post"),
    ),
    JobSpec(
        "followups.cadence_check",
        "app.followups.jobs:cadence_check",
        every(hours=1),
        _l("varje timme"),
        _l("Nyckelföretag: dags att höra av sig"),
    ),
    JobSpec(
        "cases.send_surveys",
        "app.cases.jobs:send_surveys",
        every(minutes=15),
        _l("var 15:e minut"),
        _l("Nöjdhetsenkäter efter avslutade lotsärenden"),
    ),
    JobSpec(
        "reports.monthly_summary",
        "app.reports.jobs:monthly_summary",
        cron(minute=0),
        _l("varje hel timme (skickar den 1:a kl. 07)"),
        _l("Månadssammanfattningen per e-post"),
    ),
    JobSpec(
        "reports.reconcile_facts",
        "app.reports.jobs:reconcile_facts",
        cron(hour=3, minute=45),
        _l("varje natt kl. 03.45"),
        _l("Stäm av rapportunderlaget mot kontakterna (senaste månaderna)"),
    ),
    JobSpec(
        "auth.prune_sign_in_attempts",
        "app.auth.jobs:prune_sign_in_attempts",
        cron(hour=4, minute=15),
        _l("varje natt kl. 04.15"),
        _l("Rensa gamla inloggningsförsök, säkerhetshändelser och avslutade inloggningar"),
    ),
    # Not at start: every run writes a gallringsprotokoll, a restart should not add one.
    JobSpec(
        "privacy.apply_retention",
        "app.privacy.jobs:apply_retention",
        cron(hour=1, minute=30),
        _l("varje natt kl. 01.30"),
        _l("Gallring enligt aktiva gallringsregler (gallringsprotokoll)"),
        run_at_start=False,
    ),
]


def get_job(job_id: str) -> JobSpec | None:
    return next((job for job in JOBS if job.id == job_id), None)
