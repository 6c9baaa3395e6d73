"""This package's own timeline items: the company's registration and contact-person moves."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.companies.models import Company, ContactPersonMove
from app.core.timeline import TimelineFilter, TimelineItem
from app.extensions import db


def company_timeline(company: Company, actor: object, filters: TimelineFilter) -> list[TimelineItem]:
    items = [TimelineItem(at=company.created_at, kind="foretag", title=_("Registrerat i Lotsbok"))]
    moves = db.session.scalars(
        sa.select(ContactPersonMove)
        .where(
            sa.or_(
                ContactPersonMove.from_company_id == company.id, ContactPersonMove.to_company_id == company.id
            )
        )
        .options(joinedload(ContactPersonMove.contact_person))
        .order_by(ContactPersonMove.moved_at.desc())
        .limit(filters.limit)
    )
    for move in moves:
        person = move.contact_person
        if move.from_company_id == company.id:
            title = _("%(name)s slutade här och gick till ett annat företag", name=person.name)
            url = url_for("companies.detail", company_id=move.to_company_id)
        else:
            title = _("%(name)s började här (kom från ett annat företag)", name=person.name)
            url = url_for("companies.detail", company_id=move.from_company_id)
        items.append(TimelineItem(at=move.moved_at, kind="foretag", title=title, url=url))
    return items
