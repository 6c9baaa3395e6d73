"""This package's own timeline items: the company's registration and contact-person moves."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import joinedload

from app.companies.models import Company, ContactPersonMove
from app.core.timeline import TimelineFilter, TimelineItem
from app.extensions import db


def company_timeline(company: Company, actor: object, filters: TimelineFilter) -> list[TimelineItem]:
    items = [TimelineItem(at=company.created_at, kind="foretag", title="Registrerat i Lotsbok")]
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
            title = f"{person.name} slutade här och gick till ett annat företag"
            url = url_for("companies.detail", company_id=move.to_company_id)
        else:
            title = f"{person.name} började här (kom från ett annat företag)"
            url = url_for("companies.detail", company_id=move.from_company_id)
        items.append(TimelineItem(at=move.moved_at, kind="foretag", title=title, url=url))
    return items
