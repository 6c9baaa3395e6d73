"""Queueing mail: `queue_mail` is the only way features send e-mail.

It renders the templates now (so the message is frozen as it was meant) and INSERTs an outbox
row in the caller's transaction: if the caller rolls back, nothing is sent; if it commits, the
delivery job (app.mail.delivery) sends it. A second call with the same key does nothing.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from app.core.errors import ValidationError
from app.core.time import utcnow
from app.extensions import db
from app.mail.models import QUEUED, OutboxMessage
from app.mail.render import render_mail


@dataclass(frozen=True)
class MailAttachment:
    """A file sent with a message. `content_type` may carry parameters
    ("text/calendar; method=REQUEST"); `data` is the raw bytes."""

    filename: str
    content_type: str
    data: bytes

    def to_json(self) -> dict[str, str]:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "data": base64.b64encode(self.data).decode("ascii"),
        }


def _insert_ignoring_duplicates(values: dict[str, Any]) -> int | None:
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(OutboxMessage)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(OutboxMessage.id)
    )
    return db.session.execute(stmt).scalar_one_or_none()


_BLOCKERS = "lotsbok_mail_recipient_blockers"

# What a single-use secret (a survey token) becomes in a delivered message's stored body.
REDACTED = "[engångslänken togs bort efter leveransen]"  # untranslated: stored in the sent mail


def register_recipient_blocker(app: Flask, blocker: Callable[[str], bool]) -> None:
    """Register `blocker(address) -> True` to refuse mail to an address (e.g. a contact person
    who objected to processing, GDPR Art. 21). Every queue_mail call asks every blocker, so
    every job that mails people honours it without knowing why."""
    app.extensions.setdefault(_BLOCKERS, []).append(blocker)


def is_blocked(address: str) -> bool:
    """True if a registered blocker refuses mail to `address`."""
    return any(blocker(address) for blocker in current_app.extensions.get(_BLOCKERS, []))


def queue_mail(
    to: str,
    template: str,
    key: str,
    *,
    now: datetime | None = None,
    attachments: Sequence[MailAttachment] | None = None,
    redact_after_delivery: Sequence[str] | None = None,
    **ctx: Any,
) -> int | None:
    """Render mail/<template>.* with `ctx` and add it to the outbox under the idempotency `key`.

    `now` (reserved, not passed to the template) is when the message becomes deliverable.
    `attachments` (reserved too) are stored with the message and sent as MIME parts.
    `redact_after_delivery` (reserved): single-use secrets in the body (a survey token); the
    delivery job replaces them with REDACTED in the stored body once the message is sent.

    Returns the new outbox id, or None if a message with this key was queued before (then
    nothing changes: the first one stands) or a registered blocker refuses the address.
    Does not commit; the caller's commit makes the message deliverable. Raises
    ValidationError for an empty or multi-line address.
    """
    to = (to or "").strip()
    if not to or "\n" in to or "\r" in to or "@" not in to:
        raise ValidationError(_("Ogiltig e-postadress: %(address)s", address=repr(to)), field="to")
    if not key or len(key) > 200:
        raise ValidationError(_("Utkorgen kräver en nyckel på högst 200 tecken."), field="key")
    if is_blocked(to):
        return None
    mail = render_mail(template, **ctx)
    now = now or utcnow()
    return _insert_ignoring_duplicates(
        {
            "key": key,
            "template": template,
            "to_addr": to,
            "subject": mail.subject[:300],
            "body_text": mail.text,
            "body_html": mail.html,
            "attachments": [a.to_json() for a in attachments] if attachments else None,
            "redact": [v for v in redact_after_delivery if v] if redact_after_delivery else None,
            "status": QUEUED,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
    )


def is_queued(key: str) -> bool:
    """True if a message with this key is in the outbox (in any status)."""
    return db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None


def redacted(text: str | None, secrets: Sequence[str] | None) -> str | None:
    """`text` with each single-use secret replaced by REDACTED."""
    if not text or not secrets:
        return text
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text
