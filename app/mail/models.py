"""The mail outbox: every e-mail is a row written in the same transaction as its cause."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from app.core.time import utcnow
from app.extensions import db

# queued → sending → sent
#                  ↘ failed (temporary error; retried at next_attempt_at) → sending → …
#                  ↘ dead (permanent 5xx error, or too many attempts)
QUEUED, SENDING, SENT, FAILED, DEAD = "queued", "sending", "sent", "failed", "dead"
STATUS_LABELS = {
    QUEUED: _l("Köad"),
    SENDING: _l("Skickas"),
    SENT: _l("Skickad"),
    FAILED: _l("Misslyckad, försöker igen"),
    DEAD: _l("Gav upp"),
}


class OutboxMessage(db.Model):
    """One e-mail, rendered when queued. `key` makes queueing idempotent (digest:{user}:{date})."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        # The delivery job's claim query: due rows by status and time.
        sa.Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
        # The admin list, newest first.
        sa.Index("ix_outbox_messages_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    template: Mapped[str] = mapped_column(sa.String(100))
    to_addr: Mapped[str] = mapped_column(sa.String(320))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    # Files sent with the message: [{"filename", "content_type", "data" (base64)}], e.g. the
    # .ics of a lotsmöte invitation. Column added by the cases migration (0005_cases).
    attachments: Mapped[list[dict[str, str]] | None] = mapped_column(sa.JSON)
    # Single-use secrets in the body (survey tokens), removed from the stored body as soon as
    # the message is sent (then NULL): a delivered link is not a record of the case.
    redact: Mapped[list[str] | None] = mapped_column(sa.JSON)
    status: Mapped[str] = mapped_column(sa.String(20), default=QUEUED, server_default=QUEUED)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A delivery run owns a row while locked_until is in the future and claim_token is its own.
    locked_until: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(sa.String(36))
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    @property
    def status_label(self) -> str:
        label = STATUS_LABELS.get(self.status, self.status)
        if has_request_context():
            return str(label)  # in the reader's language
        with force_locale("sv"):  # jobs, the CLI, a register extract built by a service
            return str(label)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.key} {self.status}>"
