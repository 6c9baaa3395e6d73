"""Scheduled jobs of the lots-case feature (registered in app.scheduler.registry.JOBS)."""

from __future__ import annotations

from datetime import datetime

from app.cases.surveys import send_due_surveys


def send_surveys(now: datetime | None = None) -> int:
    """Queue the due satisfaction surveys (each exactly once; see app.cases.surveys)."""
    return send_due_surveys(now)
