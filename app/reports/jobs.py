"""Scheduled jobs of the reports feature (registered in app.scheduler.registry.JOBS)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from app.core.sqlite import begin_write
from app.core.time import local_today, utcnow
from app.extensions import db
from app.reports import facts, record_facts
from app.reports.summary import due_period, queue_monthly_summaries

log = logging.getLogger("lotsbok.reports")


def monthly_summary(now: datetime | None = None) -> int:
    """Hourly catch-up tick: from 07:00 Stockholm time on the 1st, queue last month's summary
    for every recipient who has not got it yet. Later ticks (and a second scheduler) find
    nothing pending and do nothing; a scheduler that was down on the 1st catches up at its
    next tick. Returns the number queued; the scheduler's wrapper commits."""
    now = now or utcnow()
    period = due_period(now)
    if period is None:
        return 0
    begin_write()
    count = queue_monthly_summaries(period, now=now)
    if count:
        log.info("Månadssammanfattning %s: %d köade", period.month_key, count)
    return count


RECONCILE_MONTHS = 3


def reconcile_facts(now: datetime | None = None) -> int:
    """Nightly: recompute the report facts of the last RECONCILE_MONTHS months (and the markers
    of every company with a contact since then; the record facts of cases, follow-ups, visits
    and referrals from the same day) from the rows and repair what differs. The
    facts are kept in the same transaction as every write, so this normally repairs nothing;
    a repair means a write went around the ORM and is logged as a warning. Idempotent: a second
    run (or a second scheduler) finds nothing left to repair. Returns the rows repaired."""
    now = now or utcnow()
    today = local_today(now)
    since = (today.replace(day=1) - timedelta(days=31 * (RECONCILE_MONTHS - 1))).replace(day=1)
    begin_write()
    conn = db.session.connection()
    repaired = facts.rebuild(conn, since=since) + record_facts.rebuild(conn, since=since)
    if repaired:
        log.warning("Rapportunderlaget: %d rader rättade från och med %s", repaired, since.isoformat())
    return repaired
