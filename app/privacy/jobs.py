"""Scheduled job of the privacy feature (registered in app.scheduler.registry.JOBS)."""

from __future__ import annotations

from datetime import datetime

from app.privacy.retention import apply_retention as _apply


def apply_retention(now: datetime | None = None) -> int:
    """Apply the active retention rules and write a gallringsprotokoll (also when nothing was
    due). Returns how many records were removed or anonymised."""
    return _apply(now).total
