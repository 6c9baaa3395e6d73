"""Reading the outbox and the job log for the admin page."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from app.core.pagination import Page, paginate
from app.extensions import db
from app.mail.models import STATUS_LABELS, OutboxMessage


def list_messages(status: str | None, *, page: int, per_page: int) -> Page:
    """Outbox messages, newest first, optionally of one status."""
    stmt = sa.select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if status in STATUS_LABELS:
        stmt = stmt.where(OutboxMessage.status == status)
    return paginate(stmt, page, per_page)


def status_counts() -> dict[str, int]:
    """How many messages per status (the outbox stays small: sent mail is a few a day)."""
    rows = db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
    ).all()
    return {status: n for status, n in rows}


def get_message_or_404(message_id: int) -> OutboxMessage:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    return message
