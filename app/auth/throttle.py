"""The sign-in throttle: growing delays per (account, client address), a per-address ceiling
for unknown accounts only, and the admin's view of it.

Why this shape: a counter per address alone lets anyone behind the same proxy or NAT lock the
whole office out (10 guesses at unknown e-mail addresses did); a lock per account alone lets
anyone lock a chosen account (the admin). Here failures count per (account, address): after
`free_failures` in the window each further attempt from that address on that account must wait
a doubling delay (30 s, 1 min, 2 min … at most 15 min). An address that keeps guessing
*unknown* accounts hits a ceiling that stops only its attempts on unknown accounts. A known
user from another address – or from the same address with their own account – is never held
up by someone else's failures. The price: once an address has hit the unknown-account ceiling,
it can tell unknown from known accounts by the answer; every such attempt is on the admin's page.

All counting is in the database (login_attempts), so it holds across gunicorn workers. Only
attempts with reason `wrong` or `mfa_wrong` and no `cleared_at` count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import ngettext

from app.audit import services as audit
from app.auth.models import LoginAttempt, SecurityEvent, User, UserSession
from app.core.permissions import Perm, require
from app.core.time import utcnow
from app.extensions import db


@dataclass(frozen=True)
class ThrottleRules:
    window: timedelta = timedelta(minutes=15)
    free_failures: int = 5
    first_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(minutes=15)
    unknown_ceiling: int = 10

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ThrottleRules:
        return cls(
            window=config["LOTSBOK_LOGIN_WINDOW"],
            free_failures=config["LOTSBOK_LOGIN_FREE_FAILURES"],
            first_delay=config["LOTSBOK_LOGIN_FIRST_DELAY"],
            max_delay=config["LOTSBOK_LOGIN_MAX_DELAY"],
            unknown_ceiling=config["LOTSBOK_LOGIN_UNKNOWN_CEILING"],
        )

    def delay_after(self, failures: int) -> timedelta:
        """How long to wait after the `failures`-th counted failure (zero while still free)."""
        if failures < self.free_failures:
            return timedelta(0)
        return min(self.first_delay * 2 ** (failures - self.free_failures), self.max_delay)


def _counted(since: datetime) -> list[sa.ColumnElement[bool]]:
    return [
        LoginAttempt.at >= since,
        LoginAttempt.reason.in_(LoginAttempt.COUNTED),
        LoginAttempt.cleared_at.is_(None),
    ]


def wait_for(email: str, ip: str, *, known: bool, rules: ThrottleRules, now: datetime) -> timedelta | None:
    """How long this (account, address) must still wait, or None if it may try now."""
    since = now - rules.window
    count, last = db.session.execute(
        sa.select(sa.func.count(LoginAttempt.id), sa.func.max(LoginAttempt.at)).where(
            LoginAttempt.email == email, LoginAttempt.ip == ip, *_counted(since)
        )
    ).one()
    waits = []
    if count and last is not None:
        last = last if last.tzinfo else last.replace(tzinfo=now.tzinfo)
        until = last + rules.delay_after(count)
        if until > now:
            waits.append(until - now)
    if not known:
        # The ceiling frees up when the oldest failure that keeps it full leaves the window.
        ats = db.session.scalars(
            sa.select(LoginAttempt.at)
            .where(LoginAttempt.ip == ip, LoginAttempt.user_id.is_(None), *_counted(since))
            .order_by(LoginAttempt.at.desc())
            .limit(rules.unknown_ceiling)
        ).all()
        if len(ats) >= rules.unknown_ceiling:
            waits.append(ats[-1] + rules.window - now)
    return max(waits) if waits else None


def record_attempt(email: str, ip: str, *, user: User | None, reason: str, now: datetime) -> LoginAttempt:
    """Add one attempt row (the caller commits, also when sign-in fails)."""
    attempt = LoginAttempt(
        at=now,
        email=email[:254],
        ip=ip[:64],
        succeeded=reason == "ok",
        user_id=user.id if user else None,
        reason=reason,
    )
    db.session.add(attempt)
    return attempt


def wait_message(wait: timedelta) -> str:
    minutes = max(1, round(wait.total_seconds() / 60)) if wait.total_seconds() >= 60 else 0
    if minutes:
        return ngettext(
            "För många misslyckade inloggningsförsök. Vänta %(num)s minut och försök igen, "
            "eller kontakta en administratör.",
            "För många misslyckade inloggningsförsök. Vänta %(num)s minuter och försök igen, "
            "eller kontakta en administratör.",
            minutes,
        )
    seconds = max(1, int(wait.total_seconds()))
    # Swedish said "1 sekunder" before the texts were wrapped; kept, so the Swedish text is unchanged.
    return ngettext(
        "För många misslyckade inloggningsförsök. Vänta %(num)s sekunder och försök igen, "
        "eller kontakta en administratör.",
        "För många misslyckade inloggningsförsök. Vänta %(num)s sekunder och försök igen, "
        "eller kontakta en administratör.",
        seconds,
    )


@dataclass(frozen=True)
class Delay:
    """A delay in force, for the admin page: per (account, address), or the unknown ceiling."""

    email: str | None  # None: the ceiling on unknown accounts from `ip`
    ip: str
    failures: int
    last_at: datetime
    until: datetime
    user_id: int | None = None


def list_delays(*, rules: ThrottleRules, now: datetime | None = None) -> list[Delay]:
    """Every delay that holds someone up right now, newest first."""
    now = now or utcnow()
    since = now - rules.window
    delays: list[Delay] = []
    rows = db.session.execute(
        sa.select(
            LoginAttempt.email,
            LoginAttempt.ip,
            sa.func.count(LoginAttempt.id),
            sa.func.max(LoginAttempt.at),
            sa.func.max(LoginAttempt.user_id),
        )
        .where(*_counted(since))
        .group_by(LoginAttempt.email, LoginAttempt.ip)
        .having(sa.func.count(LoginAttempt.id) >= rules.free_failures)
    ).all()
    for email, ip, count, last, user_id in rows:
        until = last + rules.delay_after(count)
        if until > now:
            delays.append(
                Delay(email=email, ip=ip, failures=count, last_at=last, until=until, user_id=user_id)
            )
    for ip, count, last in db.session.execute(
        sa.select(LoginAttempt.ip, sa.func.count(LoginAttempt.id), sa.func.max(LoginAttempt.at))
        .where(LoginAttempt.user_id.is_(None), *_counted(since))
        .group_by(LoginAttempt.ip)
        .having(sa.func.count(LoginAttempt.id) >= rules.unknown_ceiling)
    ).all():
        wait = wait_for("", ip, known=False, rules=rules, now=now)
        if wait:
            delays.append(Delay(email=None, ip=ip, failures=count, last_at=last, until=now + wait))
    return sorted(delays, key=lambda d: d.last_at, reverse=True)


def lift_delay(email: str | None, ip: str, *, actor: User, now: datetime | None = None) -> int:
    """Admin: stop counting the failures behind a delay (audited). Returns rows cleared.

    With `email` the delay of that account from `ip`; without, the unknown-account ceiling of `ip`.
    """
    require(actor, Perm.MANAGE_USERS)
    now = now or utcnow()
    where = [
        LoginAttempt.ip == ip,
        LoginAttempt.cleared_at.is_(None),
        LoginAttempt.reason.in_(LoginAttempt.COUNTED),
    ]
    where.append(LoginAttempt.email == email if email else LoginAttempt.user_id.is_(None))
    result = db.session.execute(sa.update(LoginAttempt).where(*where).values(cleared_at=now))
    what = f"{email} från {ip}" if email else f"okända konton från {ip}"  # untranslated: audit trail
    summary = f"Fördröjning hävd: {what}"  # untranslated: audit trail
    audit.record(actor, "lift_throttle", "login_attempts", None, summary=summary, now=now)
    db.session.flush()
    return result.rowcount or 0


def list_failed_attempts(limit: int = 200) -> list[LoginAttempt]:
    """Recent attempts that did not succeed (address, account, time, why), newest first."""
    return list(
        db.session.scalars(
            sa.select(LoginAttempt)
            .where(LoginAttempt.succeeded.is_(False))
            .order_by(LoginAttempt.at.desc())
            .limit(limit)
        )
    )


def prune_sign_in_log(*, keep: timedelta, now: datetime | None = None) -> int:
    """Delete sign-in attempts and security events older than `keep`, and sessions that ended or
    expired that long ago. Idempotent; returns the number of rows deleted."""
    now = now or utcnow()
    cutoff = now - keep
    deleted = 0
    for stmt in (
        sa.delete(LoginAttempt).where(LoginAttempt.at < cutoff),
        sa.delete(SecurityEvent).where(SecurityEvent.at < cutoff),
        sa.delete(UserSession).where(
            sa.or_(
                UserSession.ended_at < cutoff,
                sa.and_(UserSession.ended_at.is_(None), UserSession.expires_at < cutoff),
            )
        ),
    ):
        deleted += db.session.execute(stmt).rowcount or 0
    return deleted
