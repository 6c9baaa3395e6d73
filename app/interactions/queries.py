"""Read side of the contact log: filtered lists (also feeding exports), a contact with
everything loaded, the company timeline provider, defaults for quick logging, company search.

Built for 1 M contacts: every filter runs on an index that leads with the filtered column and
ends with occurred_at (see models), lists never count beyond app.core.pagination.COUNT_CAP,
many-to-one rows are joined and collections selectin-loaded deliberately (relationships are
lazy="raise", so an N+1 cannot slip in).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.companies.models import Company
from app.companies.queries import CompanyFilter, company_select
from app.core.errors import NotFound
from app.core.pagination import KeysetPage, Page, SortKey, keyset_paginate, paginate
from app.core.permissions import Perm, can
from app.core.time import local_midnight_utc
from app.core.timeline import TimelineFilter, TimelineItem
from app.extensions import db
from app.interactions.models import (
    Interaction,
    InteractionKind,
    PermitGuidance,
    Referral,
    interaction_focus_areas,
    interaction_participants,
)
from app.interactions.services import RESTRICTED_TITLE, readable_restricted_ids
from app.strategy.models import FocusArea


@dataclass(frozen=True)
class ContactFilter:
    """The list's filters (all optional). `user_id`: contacts the user logged or took part in."""

    date_from: date | None = None
    date_to: date | None = None
    kind: str = ""
    focus_area_id: int | None = None
    user_id: int | None = None
    permit_type_id: int | None = None
    partner_id: int | None = None
    company_id: int | None = None
    restricted_only: bool = False

    def is_empty(self) -> bool:
        return self == ContactFilter()

    def as_args(self) -> dict[str, Any]:
        """Query-string form (for export links and pagers)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, "", False):
                continue
            out[f.name] = value.isoformat() if isinstance(value, date) else ("1" if value is True else value)
        return out


def contact_select(flt: ContactFilter) -> sa.Select:
    """The ordered SELECT of non-deleted contacts matching `flt` (newest first, no loading)."""
    stmt = sa.select(Interaction).where(Interaction.deleted_at.is_(None))
    if flt.date_from:
        stmt = stmt.where(Interaction.occurred_at >= local_midnight_utc(flt.date_from))
    if flt.date_to:
        stmt = stmt.where(Interaction.occurred_at < local_midnight_utc(flt.date_to + timedelta(days=1)))
    if flt.kind:
        try:
            stmt = stmt.where(Interaction.kind == InteractionKind(flt.kind))
        except ValueError:
            stmt = stmt.where(sa.false())
    if flt.focus_area_id:
        stmt = stmt.where(
            sa.or_(
                Interaction.focus_area_id == flt.focus_area_id,
                sa.exists().where(
                    interaction_focus_areas.c.interaction_id == Interaction.id,
                    interaction_focus_areas.c.focus_area_id == flt.focus_area_id,
                ),
            )
        )
    if flt.user_id:
        stmt = stmt.where(
            sa.or_(
                Interaction.author_id == flt.user_id,
                sa.exists().where(
                    interaction_participants.c.interaction_id == Interaction.id,
                    interaction_participants.c.user_id == flt.user_id,
                ),
            )
        )
    if flt.permit_type_id:
        stmt = stmt.where(
            sa.exists().where(
                PermitGuidance.interaction_id == Interaction.id,
                PermitGuidance.permit_type_id == flt.permit_type_id,
            )
        )
    if flt.partner_id:
        stmt = stmt.where(
            sa.exists().where(Referral.interaction_id == Interaction.id, Referral.partner_id == flt.partner_id)
        )
    if flt.company_id:
        stmt = stmt.where(Interaction.company_id == flt.company_id)
    if flt.restricted_only:
        stmt = stmt.where(Interaction.is_restricted.is_(True))
    return stmt.order_by(Interaction.occurred_at.desc(), Interaction.id.desc())


_LIST_LOADING = (
    joinedload(Interaction.company),
    joinedload(Interaction.author),
    joinedload(Interaction.focus_area),
)


def list_contacts(flt: ContactFilter, page: int, per_page: int = 25) -> Page[Interaction]:
    """One page of contacts with company, author and primary focus area loaded; count capped."""
    return paginate(contact_select(flt).options(*_LIST_LOADING), page, per_page)


CONTACT_ORDER = (SortKey(Interaction.occurred_at, descending=True), SortKey(Interaction.id, descending=True))


def list_contacts_after(flt: ContactFilter, cursor: str | None, limit: int = 25) -> KeysetPage[Interaction]:
    """A page of the list after `cursor` (keyset pagination; the list's own newest-first order)."""
    stmt = contact_select(flt).options(*_LIST_LOADING)
    return keyset_paginate(stmt, CONTACT_ORDER, cursor=cursor, limit=limit, tag="contacts")


def export_contacts(flt: ContactFilter) -> Iterator[Interaction]:
    """Every contact matching `flt`, streamed in chunks, with what the export shows loaded."""
    stmt = (
        contact_select(flt)
        .options(
            *_LIST_LOADING,
            selectinload(Interaction.other_focus_areas),
            selectinload(Interaction.participants),
            selectinload(Interaction.permit_guidance).joinedload(PermitGuidance.permit_type),
            selectinload(Interaction.referrals).joinedload(Referral.partner),
        )
        .execution_options(yield_per=500)
    )
    yield from db.session.scalars(stmt)


def get_contact_or_404(interaction_id: int, *, include_deleted: bool = False) -> Interaction:
    """A contact with company, author, focus areas, people, permit guidance and referrals."""
    interaction = db.session.scalar(
        sa.select(Interaction)
        .where(Interaction.id == interaction_id)
        .options(
            *_LIST_LOADING,
            selectinload(Interaction.other_focus_areas),
            selectinload(Interaction.participants),
            selectinload(Interaction.contact_persons),
            selectinload(Interaction.permit_guidance).joinedload(PermitGuidance.permit_type),
            selectinload(Interaction.referrals).joinedload(Referral.partner),
        )
    )
    if interaction is None or (interaction.deleted_at is not None and not include_deleted):
        raise NotFound("Kontakten finns inte.")
    return interaction


def last_focus_area_id(company_id: int) -> int | None:
    """The primary focus area of the company's latest contact (by anyone), if still selectable."""
    row = db.session.execute(
        sa.select(Interaction.focus_area_id, FocusArea.retired_at)
        .join(FocusArea, FocusArea.id == Interaction.focus_area_id)
        .where(Interaction.company_id == company_id, Interaction.deleted_at.is_(None))
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(1)
    ).first()
    if row is None or row.retired_at is not None:
        return None
    return row.focus_area_id


def search_companies(q: str, limit: int = 10) -> list[Company]:
    """Live companies whose name (or a contact person, or orgnr start) matches `q`, for the
    company picker. Empty for fewer than two characters."""
    if len(q.strip()) < 2:
        return []
    stmt = company_select(CompanyFilter(q=q)).limit(limit)
    return list(db.session.scalars(stmt))


def participant_choices() -> list[User]:
    """Active users who can take part in a contact (everyone in the kommun's Lotsbok)."""
    return list(db.session.scalars(sa.select(User).where(User.is_active.is_(True)).order_by(User.name)))


def referrals_awaiting_outcome(user_id: int, limit: int = 10) -> list[Referral]:
    """Referrals the user made that have no outcome yet, oldest first (start-page panel)."""
    return list(
        db.session.scalars(
            sa.select(Referral)
            .where(Referral.created_by_id == user_id, Referral.outcome.is_(None))
            .options(joinedload(Referral.partner), joinedload(Referral.company))
            .order_by(Referral.referred_on, Referral.id)
            .limit(limit)
        )
    )


# ---------------------------------------------------------------------------------------------
# Company timeline


def contact_timeline_items(company: Any, actor: Any, filters: TimelineFilter) -> list[TimelineItem]:
    """Timeline provider: the company's contacts, newest first.

    `filters.extra` may hold "contact_kind" (an InteractionKind value) and "focus_area_id"
    (matches primary or other focus areas). A restricted contact shows as "Kontakt med
    begränsad åtkomst" to everyone here – its content is read (and audited) on its own page.
    """
    if not can(actor, Perm.VIEW_CONTACTS):
        return []
    if filters.kinds is not None and "kontakt" not in filters.kinds:
        return []
    extra = filters.extra or {}
    focus_area_id = extra.get("focus_area_id")
    flt = ContactFilter(
        company_id=company.id,
        kind=str(extra.get("contact_kind") or ""),
        focus_area_id=int(focus_area_id) if str(focus_area_id or "").isdigit() else None,
    )
    stmt = (
        contact_select(flt)
        .options(
            joinedload(Interaction.focus_area),
            joinedload(Interaction.author),
            selectinload(Interaction.other_focus_areas),
        )
        .limit(filters.limit)
    )
    items = []
    for it in db.session.scalars(stmt):
        areas = [it.focus_area.label, *(a.label for a in it.other_focus_areas)]
        if it.is_restricted:
            title, summary = f"{it.kind_label}: {RESTRICTED_TITLE}", f"Loggad av {it.author.name}"
        else:
            title = f"{it.kind_label}: {it.subject}"
            notes = " ".join(it.notes.split())
            summary = (notes[:200] + "…") if len(notes) > 200 else notes
            summary = f"{it.author.name}. {summary}".strip() if summary else f"Loggad av {it.author.name}"
        items.append(
            TimelineItem(
                at=it.occurred_at,
                kind="kontakt",
                title=title,
                url=url_for("interactions.detail", interaction_id=it.id),
                focus_areas=areas,
                summary=summary,
            )
        )
    return items


__all__ = [
    "ContactFilter",
    "contact_select",
    "contact_timeline_items",
    "export_contacts",
    "get_contact_or_404",
    "last_focus_area_id",
    "list_contacts",
    "list_contacts_after",
    "readable_restricted_ids",
    "search_companies",
]
