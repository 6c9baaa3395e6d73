"""Personal data in the outbox, for app.privacy: messages to or about a person, their
anonymisation (address, bodies and attached .ics files), and the retention target "Utkorg"."""

from __future__ import annotations

import base64
from datetime import datetime

import sqlalchemy as sa

from app.core.personal_data import (
    PLACEHOLDER,
    FoundRecord,
    RetentionTarget,
    Subject,
    contains_any,
    replace_all,
)
from app.extensions import db
from app.mail.models import DEAD, SENT, OutboxMessage


def _about(subject: Subject, values: list[str]):
    conditions = [contains_any(OutboxMessage.body_text, values)] if values else []
    emails = {e.lower() for e in subject.emails if e}
    if emails:
        conditions.append(sa.func.lower(OutboxMessage.to_addr).in_(emails))
    return sa.or_(*conditions) if conditions else sa.false()


def find(subject: Subject, values: list[str]) -> list[FoundRecord]:
    found = []
    for msg in db.session.scalars(
        sa.select(OutboxMessage).where(_about(subject, values)).order_by(OutboxMessage.created_at)
    ):
        found.append(
            FoundRecord(
                "E-post",
                "outbox_messages",
                msg.id,
                msg.subject,
                msg.sent_at or msg.created_at,
                {"Till": msg.to_addr, "Status": msg.status_label, "Text": msg.body_text},
            )
        )
    return found


def _clean_attachments(
    attachments: list[dict[str, str]] | None, values: list[str]
) -> list[dict[str, str]] | None:
    if not attachments:
        return attachments
    cleaned = []
    for attachment in attachments:
        data = base64.b64decode(attachment["data"]).decode("utf-8", errors="replace")
        new = replace_all(data, values)
        cleaned.append({**attachment, "data": base64.b64encode(new.encode("utf-8")).decode("ascii")})
    return cleaned


def anonymise(subject: Subject, values: list[str], now: datetime) -> int:
    """Messages to the subject or naming them: address, subject line, bodies and attachments
    (an .ics lists every guest) lose the identifying values. Attachments of other messages are
    checked too (they are base64, so SQL cannot search them)."""
    changed = 0
    emails = {e.lower() for e in subject.emails if e}
    for msg in db.session.scalars(
        sa.select(OutboxMessage).where(
            sa.or_(
                _about(subject, values),
                contains_any(OutboxMessage.subject, values),
                OutboxMessage.attachments.is_not(None),
            )
        )
    ):
        to_addr = PLACEHOLDER if msg.to_addr.lower() in emails else msg.to_addr
        new = {
            "to_addr": to_addr,
            "subject": replace_all(msg.subject, values),
            "body_text": replace_all(msg.body_text, values),
            "body_html": replace_all(msg.body_html, values),
            "attachments": _clean_attachments(msg.attachments, values),
        }
        if any(getattr(msg, k) != v for k, v in new.items()):
            for key, value in new.items():
                setattr(msg, key, value)
            changed += 1
    db.session.flush()
    return changed


def _due(cutoff: datetime):
    return sa.and_(OutboxMessage.status.in_([SENT, DEAD]), OutboxMessage.created_at < cutoff)


def _count_due(cutoff: datetime, action: str = "delete") -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(_due(cutoff))) or 0


def _apply(cutoff: datetime, action: str, now: datetime) -> int:
    return db.session.execute(
        sa.delete(OutboxMessage).where(_due(cutoff)).execution_options(synchronize_session=False)
    ).rowcount


RETENTION_TARGETS = [
    RetentionTarget(
        "outbox_messages",
        "Utkorg (skickad och uppgiven e-post)",  # untranslated: stored in the gallringsprotokoll and the audit trail
        "år efter att brevet köades",  # untranslated: stored in the gallringsprotokoll and the audit trail
        ("delete",),
        _count_due,
        _apply,
    ),
]
