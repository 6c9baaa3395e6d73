"""Scheduled jobs of the follow-ups feature. Each takes `now`, returns a count, never commits
(the scheduler's wrapper or the CLI commits)."""

from __future__ import annotations

import logging
from datetime import date, datetime, time

from sqlalchemy.dialects import postgresql, sqlite

from app.core.calendar import is_vardag, is_working_day
from app.core.sqlite import begin_write
from app.core.time import to_local, utcnow
from app.extensions import db
from app.followups import queries
from app.followups.cadence import ensure_cadence_items
from app.followups.models import DigestRun
from app.mail import queue_mail

log = logging.getLogger(__name__)

DIGEST_TIME = time(7, 0)  # Stockholm wall-clock time


def digest_key(user_id: int, day: date) -> str:
    return f"digest:{user_id}:{day.isoformat()}"


def queue_daily_digests(day: date, *, now: datetime | None = None) -> int:
    """Queue the digest of `day` for every user who wants it and has something due.

    One e-mail per user listing overdue and today's open follow-ups; a user with nothing due
    gets none. A follow-up of a restricted contact or case appears as "Uppföljning med
    begränsad åtkomst – öppna i Lotsbok" with its link, even to a reader who may read it. Idempotent through the outbox key digest:{user}:{day}. Returns how many were
    newly queued. Does not commit.
    """
    queued = 0
    for user, items in queries.due_for_digest(day):
        # An e-mail leaves the system: restricted items say only that they exist.
        items = queries.shown_followups(user, items, outside=True)
        overdue = [f for f in items if f.due_on < day]
        today = [f for f in items if f.due_on == day]
        new_id = queue_mail(
            user.email,
            "followups/digest",
            digest_key(user.id, day),
            user=user,
            day=day,
            overdue=overdue,
            today=today,
            now=now,
        )
        if new_id is not None:
            queued += 1
    return queued


def _mark_day(day: date) -> bool:
    """Record that `day`'s digests are being queued; False if that was done before."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = (
        insert(DigestRun)
        .values(day=day, queued_count=0, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["day"])
        .returning(DigestRun.day)
    )
    return db.session.execute(stmt).scalar_one_or_none() is not None


def digest_time_reached(now: datetime) -> bool:
    """True from 07:00 Stockholm wall-clock time (CET or CEST) until midnight."""
    return to_local(now).time() >= DIGEST_TIME


def daily_digest(now: datetime | None = None) -> int:
    """Catch-up tick (every ~10 minutes): on a working day (app.core.calendar: not a weekend, a
    Swedish holiday, midsommar-, jul- or nyårsafton, or a day the kommun closed) from 07:00
    Stockholm time, queue the day's digests once. A scheduler that was down at 07:00 sends them when it is back the same
    day; later ticks that day do nothing (not even for follow-ups added after the digest went).
    """
    now = now or utcnow()
    local = to_local(now)
    day = local.date()
    if not is_vardag(day) or not digest_time_reached(now):
        return 0
    begin_write()  # before the first query (the closed days), or SQLite cannot take the write lock
    if not is_working_day(day) or not _mark_day(day):
        return 0
    count = queue_daily_digests(day, now=now)
    db.session.get(DigestRun, day).queued_count = count
    log.info("Dagens sammanfattningar %s: %d köade", day, count)
    return count


def cadence_check(now: datetime | None = None) -> int:
    """Hourly: create the "Dags att höra av sig" items whose cadence has run out."""
    begin_write()
    return ensure_cadence_items(now)
