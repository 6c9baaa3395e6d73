"""Who may read a record marked "kan innehålla uppgifter som omfattas av sekretess".

Contacts and lots cases share the rule: those who may list the kind read an unrestricted record;
a restricted one only with `restricted.view` (lots, admin) or as its owner (author/responsible)
or one of its participants. One place, so the two cannot drift apart.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.core.permissions import Perm, can
from app.extensions import db


def is_owner_or_participant(
    actor: Any, *, owner_id: int | None, participants: sa.Table, record_column: str, record_id: int
) -> bool:
    """The record's owner, or a row (record_id, actor.id) in `participants` (one indexed lookup)."""
    if actor is None:
        return False
    if actor.id == owner_id:
        return True
    stmt = sa.select(sa.literal(1)).where(
        participants.c[record_column] == record_id, participants.c.user_id == actor.id
    )
    return db.session.scalar(stmt) is not None


def can_read_record(
    actor: Any,
    *,
    list_perm: Perm,
    is_restricted: bool,
    owner_id: int | None,
    participants: sa.Table,
    record_column: str,
    record_id: int,
) -> bool:
    """May `actor` read the record's content (subject, notes, description, history)?"""
    if not can(actor, list_perm):
        return False
    if not is_restricted:
        return True
    return can(actor, Perm.VIEW_RESTRICTED) or is_owner_or_participant(
        actor, owner_id=owner_id, participants=participants, record_column=record_column, record_id=record_id
    )
