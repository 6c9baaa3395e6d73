"""Scheduled jobs of the auth package."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app

from app.auth.throttle import prune_sign_in_log
from app.core.time import utcnow

log = logging.getLogger("lotsbok.jobs")


def prune_sign_in_attempts(now: datetime | None = None) -> int:
    """Delete sign-in attempts, security events and ended sessions older than
    LOTSBOK_SIGN_IN_LOG_DAYS (90). Idempotent: a second run deletes nothing."""
    keep = timedelta(days=current_app.config["LOTSBOK_SIGN_IN_LOG_DAYS"])
    deleted = prune_sign_in_log(keep=keep, now=now or utcnow())
    log.info("auth.prune_sign_in_attempts: %d rows older than %s deleted", deleted, keep)
    return deleted
