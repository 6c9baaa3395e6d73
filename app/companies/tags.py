"""Free-text tags on companies ("Export", "Klimatklivet"): read and replace a company's tags."""

from __future__ import annotations

import sqlalchemy as sa

from app.companies.models import Company, Tag, company_tags
from app.companies.names import normalise_name
from app.extensions import db


def tag_names(company_id: int) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Tag.name)
            .join(company_tags, company_tags.c.tag_id == Tag.id)
            .where(company_tags.c.company_id == company_id)
            .order_by(Tag.name_norm)
        )
    )


def set_tags(company: Company, names: tuple[str, ...] | list[str]) -> tuple[list[str], list[str]]:
    """Give `company` exactly these tags (created if new); returns (old names, new names).

    Works on the association table directly, so the `tags` relationship is never lazy-loaded.
    """
    wanted: dict[str, str] = {}
    for name in names:
        clean = " ".join(name.split())[:60]
        if clean:
            wanted.setdefault(normalise_name(clean), clean)
    old = tag_names(company.id)
    tag_ids: list[int] = []
    for norm, clean in wanted.items():
        tag = db.session.scalar(sa.select(Tag).where(Tag.name_norm == norm))
        if tag is None:
            tag = Tag(name=clean, name_norm=norm)
            db.session.add(tag)
            db.session.flush()
        tag_ids.append(tag.id)
    db.session.execute(sa.delete(company_tags).where(company_tags.c.company_id == company.id))
    if tag_ids:
        db.session.execute(
            sa.insert(company_tags), [{"company_id": company.id, "tag_id": tag_id} for tag_id in tag_ids]
        )
    # The relationship may hold a stale list if someone loaded it; drop it.
    db.session.expire(company, ["tags"])
    return old, sorted(wanted.values(), key=normalise_name)
