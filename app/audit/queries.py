"""Reading the audit trail (admin browsing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.audit.models import AuditEvent
from app.core.pagination import Page, paginate
from app.core.time import local_midnight_utc
from app.extensions import db


@dataclass(frozen=True)
class AuditFilter:
    entity_type: str | None = None
    entity_id: int | None = None
    actor_id: int | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def list_events(flt: AuditFilter, page: int, per_page: int = 50) -> Page[AuditEvent]:
    """Audit events matching `flt`, newest first, with the actor loaded in the same query."""
    stmt = sa.select(AuditEvent).options(joinedload(AuditEvent.actor))
    if flt.entity_type:
        stmt = stmt.where(AuditEvent.entity_type == flt.entity_type)
    if flt.entity_id is not None:
        stmt = stmt.where(AuditEvent.entity_id == flt.entity_id)
    if flt.actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == flt.actor_id)
    if flt.action:
        stmt = stmt.where(AuditEvent.action == flt.action)
    if flt.date_from:
        stmt = stmt.where(AuditEvent.at >= local_midnight_utc(flt.date_from))
    if flt.date_to:
        stmt = stmt.where(AuditEvent.at < local_midnight_utc(flt.date_to + timedelta(days=1)))
    stmt = stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    return paginate(stmt, page, per_page)


def entity_types() -> list[str]:
    """The entity types that occur in the trail (for the filter's choices)."""
    stmt = sa.select(AuditEvent.entity_type).distinct().order_by(AuditEvent.entity_type)
    return list(db.session.scalars(stmt))
