"""Personal data in the audit trail, for app.privacy: events about a person's records or done
by a kommun user, anonymisation of the values they hold, and the retention target
"Händelselogg". Rows are never changed otherwise (the trail is insert-only)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.core.personal_data import (
    FoundRecord,
    RetentionTarget,
    contains_any,
    json_forms,
    replace_all,
    replace_in_json,
)
from app.extensions import db

MAX_EVENTS = 5000


def find(entities: dict[str, set[int]], actor_ids: set[int], values: list[str]) -> list[FoundRecord]:
    """Events about the given records (entity type → ids), by the given users, or holding one
    of the values (at most MAX_EVENTS, newest first)."""
    conditions = [
        sa.and_(AuditEvent.entity_type == entity_type, AuditEvent.entity_id.in_(ids))
        for entity_type, ids in entities.items()
        if ids
    ]
    if actor_ids:
        conditions.append(AuditEvent.actor_id.in_(actor_ids))
    if values:
        conditions.append(contains_any(AuditEvent.summary, values))
        conditions.append(contains_any(sa.cast(AuditEvent.changes, sa.Text), json_forms(values)))
    if not conditions:
        return []
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(sa.or_(*conditions))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(MAX_EVENTS)
    )
    found = []
    for event in events:
        role = "om personens uppgifter"  # untranslated: registerutdrag (Swedish document)
        if event.actor_id in actor_ids:
            role = "utförd av personen"  # untranslated: registerutdrag (Swedish document)
        found.append(
            FoundRecord(
                "Händelselogg",  # untranslated: registerutdrag (Swedish document)
                "audit_events",
                event.id,
                event.summary or f"{event.action} {event.entity_type}",
                event.at,
                {
                    "Händelse": event.action,  # untranslated: registerutdrag (Swedish document)
                    "Post": f"{event.entity_type} {event.entity_id or ''}".strip(),
                    "Roll": role,
                },
            )
        )
    return found


def anonymise(values: list[str]) -> int:
    """Replace the values in every event's summary and recorded changes."""
    if not values:
        return 0
    changed = 0
    events = db.session.scalars(
        sa.select(AuditEvent).where(
            sa.or_(
                contains_any(AuditEvent.summary, values),
                contains_any(sa.cast(AuditEvent.changes, sa.Text), json_forms(values)),
            )
        )
    )
    for event in events:
        event.summary = replace_all(event.summary, values) or ""
        event.changes = replace_in_json(event.changes, values)
        changed += 1
    db.session.flush()
    return changed


def _count_due(cutoff: datetime, action: str = "delete") -> int:
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.at < cutoff))
        or 0
    )


def _apply(cutoff: datetime, action: str, now: datetime) -> int:
    return db.session.execute(
        sa.delete(AuditEvent).where(AuditEvent.at < cutoff).execution_options(synchronize_session=False)
    ).rowcount


RETENTION_TARGETS = [
    RetentionTarget(
        "audit_events",
        "Händelselogg",  # untranslated: stored in the gallringsprotokoll and the audit trail
        "år efter händelsen",  # untranslated: stored in the gallringsprotokoll and the audit trail
        ("delete",),
        _count_due,
        _apply,
    ),
]
