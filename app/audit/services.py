"""Writing audit events in the caller's transaction.

Every service that creates, updates or deletes calls one of these before it flushes, so the
event commits (or rolls back) together with the change it describes.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.core.client import client_address
from app.core.time import utcnow
from app.extensions import db

# Columns that never belong in an audit diff (secrets, bookkeeping).
_SKIP = {"password_hash", "session_token", "version", "updated_at", "created_at", "search_text"}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def entity_name(obj: Any) -> str:
    return getattr(obj, "__tablename__", type(obj).__name__.lower())


def pending_changes(obj: Any) -> dict[str, list[Any]]:
    """Column changes of a loaded object not yet flushed: {field: [old, new]}."""
    state = sa.inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIP:
            continue
        hist = state.attrs[attr.key].history
        if hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old != new:
                changes[attr.key] = [_plain(old), _plain(new)]
    return changes


def snapshot(obj: Any) -> dict[str, Any]:
    """All column values of an object (for create and delete events)."""
    state = sa.inspect(obj)
    return {
        attr.key: _plain(getattr(obj, attr.key))
        for attr in state.mapper.column_attrs
        if attr.key not in _SKIP and getattr(obj, attr.key) is not None
    }


def record(
    actor: Any,
    action: str,
    entity_type: str,
    entity_id: int | None,
    *,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Add an audit event to the session (no commit), with the client address of the request."""
    event = AuditEvent(
        at=now or utcnow(),
        actor_id=getattr(actor, "id", None),
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        summary=summary[:300],
        changes=changes or None,
        ip=client_address(),
    )
    db.session.add(event)
    return event


def record_create(actor: Any, obj: Any, *, summary: str = "") -> AuditEvent:
    """Audit a new object; flushes so the object has its id."""
    db.session.flush()
    return record(actor, "create", entity_name(obj), obj.id, summary=summary, changes=snapshot(obj))


def record_update(actor: Any, obj: Any, *, summary: str = "") -> dict[str, list[Any]]:
    """Audit the pending changes of `obj`; returns them (empty dict: nothing recorded)."""
    changes = pending_changes(obj)
    if changes:
        record(actor, "update", entity_name(obj), obj.id, summary=summary, changes=changes)
    return changes


def record_delete(actor: Any, obj: Any, *, summary: str = "") -> AuditEvent:
    """Audit a (soft or hard) delete with the values the record had."""
    return record(actor, "delete", entity_name(obj), obj.id, summary=summary, changes=snapshot(obj))
