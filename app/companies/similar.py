"""Likely duplicates of a company about to be created (the company form's warning): the company
with the same organisationsnummer, and live companies in the same postcode whose names are
equal apart from case, punctuation and legal-form words ("AB") or very similar
(`queries.name_similarity`, the duplicate scan's measure).

Two indexed queries whatever the register's size: the organisationsnummer's unique index, and
the (postcode, name_norm) index for the companies of one postcode – a postcode holds a few
hundred companies at most, never the 100 000 of the register."""

from __future__ import annotations

import sqlalchemy as sa

from app.companies.models import Company
from app.companies.names import normalise_name
from app.companies.orgnr import OrgnrError, parse_orgnr
from app.companies.queries import SIMILARITY, name_similarity
from app.companies.services import normalise_postcode
from app.extensions import db

POSTCODE_LIMIT = 2000  # a safety bound: no Swedish postcode holds this many companies
SHOWN = 5


def similar_companies(name: str, postcode: str, orgnr: str = "") -> list[Company]:
    """Live companies the new one may duplicate: the one with the same organisationsnummer
    first (deleted or merged ones included: the number is still taken), then the most similar
    names in the same postcode. At most SHOWN."""
    found: list[Company] = []
    try:
        number = parse_orgnr(orgnr).number if orgnr.strip() else None
    except OrgnrError:
        number = None
    if number:
        same = db.session.scalar(sa.select(Company).where(Company.orgnr == number).limit(1))
        if same is not None:
            found.append(same)
    name_norm = normalise_name(name)
    code = normalise_postcode(postcode)
    if name_norm and code:
        rows = db.session.execute(
            sa.select(Company.id, Company.name_norm)
            .where(
                Company.postcode == code,
                Company.deleted_at.is_(None),
                Company.merged_into_id.is_(None),
            )
            .limit(POSTCODE_LIMIT)
        ).all()
        scored = sorted(
            (
                (score, cid)
                for cid, other in rows
                if (score := name_similarity(name_norm, other)) >= SIMILARITY
            ),
            reverse=True,
        )
        ids = [cid for _score, cid in scored if all(c.id != cid for c in found)][: SHOWN - len(found)]
        if ids:
            by_id = {c.id: c for c in db.session.scalars(sa.select(Company).where(Company.id.in_(ids)))}
            found += [by_id[i] for i in ids if i in by_id]
    return found[:SHOWN]
