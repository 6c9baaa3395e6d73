"""Audit trail: who did what to which record, with old and new values."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The audit trail records every read of restricted content (app.core.restriction)."""
    from app.audit.services import record
    from app.core import restriction

    def log_read(actor, entity_type: str, entity_id: int, summary: str) -> None:
        record(actor, "view", entity_type, entity_id, summary=summary)

    restriction.register_read_log(app, log_read)
    restriction.init_app(app)
