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
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from app.core import restriction
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
    # Contacts that concerned permits (have permit guidance rows): the report figure's drill-down.
    concerns_permits: bool = False

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


# `reader` for counting figures: every contact counts, nothing of its content is shown.
COUNTING = object()


def contact_select(flt: ContactFilter, *, reader: Any) -> sa.Select:
    """The ordered SELECT of non-deleted contacts matching `flt` (newest first, no loading).

    A filter on what a restricted contact holds – permit type, partner, participant (the user
    filter) or "only restricted" – never matches a restricted contact that `reader` may not
    read (app.core.restriction), so the list cannot be used as an oracle. `reader=COUNTING`
    (report figures, which show numbers only) counts every contact.
    """
    stmt = sa.select(Interaction).where(Interaction.deleted_at.is_(None))
    content_filter = (
        flt.user_id or flt.permit_type_id or flt.partner_id or flt.restricted_only or flt.concerns_permits
    )
    if content_filter and reader is not COUNTING:
        stmt = stmt.where(restriction.readable_clause(reader, "interaction"))
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
    if flt.concerns_permits:
        stmt = stmt.where(sa.exists().where(PermitGuidance.interaction_id == Interaction.id))
    if flt.partner_id:
        stmt = stmt.where(
            sa.exists().where(
                Referral.interaction_id == Interaction.id, Referral.partner_id == flt.partner_id
            )
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


def list_contacts(flt: ContactFilter, page: int, per_page: int = 25, *, reader: Any) -> Page[Interaction]:
    """One page of contacts with company, author and primary focus area loaded; count capped."""
    return paginate(contact_select(flt, reader=reader).options(*_LIST_LOADING), page, per_page)


CONTACT_ORDER = (SortKey(Interaction.occurred_at, descending=True), SortKey(Interaction.id, descending=True))


def list_contacts_after(
    flt: ContactFilter, cursor: str | None, limit: int = 25, *, reader: Any
) -> KeysetPage[Interaction]:
    """A page of the list after `cursor` (keyset pagination; the list's own newest-first order)."""
    stmt = contact_select(flt, reader=reader).options(*_LIST_LOADING)
    return keyset_paginate(stmt, CONTACT_ORDER, cursor=cursor, limit=limit, tag="contacts")


def shown_contacts(actor: Any, contacts: list[Interaction], *, for_mail: bool = False) -> list[Any]:
    """The contacts as `actor` may see them (app.core.restriction): a restricted one the actor
    may not read comes back masked (subject "Kontakt med begränsad åtkomst", no notes); one the
    actor may read is an audited read. One query for the page."""
    verdicts = restriction.judge(actor, contacts, interaction=lambda i: i.id)
    neutral = restriction.neutral_for_mail("interaction") if for_mail else restriction.neutral("interaction")
    return [
        restriction.shown(actor, v, it, subject=neutral, notes="")
        for v, it in zip(verdicts, contacts, strict=True)
    ]


def export_contacts(flt: ContactFilter, *, reader: Any) -> Iterator[Interaction]:
    """Every contact matching `flt`, streamed in chunks, with what the export shows loaded."""
    stmt = (
        contact_select(flt, reader=reader)
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
        raise NotFound(_("Kontakten finns inte."))
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


def shown_referrals(actor: Any, referrals: list[Referral]) -> list[Any]:
    """Referrals as `actor` may see them: a referral inherits the restriction of its contact
    and its case (app.core.restriction); one the actor may not read is masked (partner
    "Hänvisning med begränsad åtkomst", no reason or outcome), one it may read is an audited
    read. Two queries at most."""
    verdicts = restriction.judge(
        actor, referrals, interaction=lambda r: r.interaction_id, case=lambda r: r.case_id
    )
    partner = SimpleNamespace(name=restriction.neutral("referral"), id=None)
    return [
        restriction.shown(
            actor,
            v,
            r,
            partner=partner,
            partner_id=None,
            reason="",
            outcome=restriction.NOT_SHOWN if r.outcome is not None else None,
        )
        for v, r in zip(verdicts, referrals, strict=True)
    ]


def referrals_awaiting_outcome(user: Any, limit: int = 10) -> list[Any]:
    """Referrals the user made that have no outcome yet, oldest first (start-page panel), as
    the user may see them."""
    rows = list(
        db.session.scalars(
            sa.select(Referral)
            .where(Referral.created_by_id == user.id, Referral.outcome.is_(None))
            .options(joinedload(Referral.partner), joinedload(Referral.company))
            .order_by(Referral.referred_on, Referral.id)
            .limit(limit)
        )
    )
    return shown_referrals(user, rows)


# ---------------------------------------------------------------------------------------------
# Company timeline


def contact_timeline_items(company: Any, actor: Any, filters: TimelineFilter) -> list[TimelineItem]:
    """Timeline provider: the company's contacts, newest first.

    `filters.extra` may hold "contact_kind" (an InteractionKind value) and "focus_area_id"
    (matches primary or other focus areas). A restricted contact shows as "Kontakt med
    begränsad åtkomst" to those who may not read it (app.core.restriction); for those who may,
    showing it here is an audited read.
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
        contact_select(flt, reader=actor)
        .options(
            joinedload(Interaction.focus_area),
            joinedload(Interaction.author),
            selectinload(Interaction.other_focus_areas),
        )
        .limit(filters.limit)
    )
    rows = list(db.session.scalars(stmt))
    items = []
    for it in shown_contacts(actor, rows):
        areas = [it.focus_area.label, *(a.label for a in it.other_focus_areas)]
        notes = " ".join(it.notes.split())
        summary = (notes[:200] + "…") if len(notes) > 200 else notes
        summary = (
            f"{it.author.name}. {summary}".strip()
            if summary
            else _("Loggad av %(name)s", name=it.author.name)
        )
        items.append(
            TimelineItem(
                at=it.occurred_at,
                kind="kontakt",
                title=f"{it.kind_label}: {it.subject}",
                url=url_for("interactions.detail", interaction_id=it.id),
                focus_areas=areas,
                summary=summary,
                anchor=f"kontakt-{it.id}",
            )
        )
    return items


__all__ = [
    "COUNTING",
    "ContactFilter",
    "contact_select",
    "contact_timeline_items",
    "export_contacts",
    "get_contact_or_404",
    "last_focus_area_id",
    "list_contacts",
    "list_contacts_after",
    "shown_contacts",
]
