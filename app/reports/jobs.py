"""Scheduled job of the reports feature (registered in app.scheduler.registry.JOBS)."""

from __future__ import annotations

import logging
from datetime import datetime

from app.core.sqlite import begin_write
from app.core.time import utcnow
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
