"""Read-side of the company register: the filtered list (also used by exports), lookups, the
duplicate scan.

Built for 100 000 companies: every filter and sort column is indexed (see models), the list
never counts beyond app.core.pagination.COUNT_CAP, related rows are loaded deliberately
(joined many-to-one, never lazily), and exports stream with `yield_per`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.companies.fulltext import company_ids_matching
from app.companies.models import (
    COMPANY_STATUSES,
    Area,
    Company,
    ContactPerson,
    ContactPersonMove,
    ImportBatch,
    Tag,
    company_tags,
)
from app.companies.names import normalise_name
from app.companies.orgnr import OrgnrError, parse_orgnr
from app.companies.services import whole_personal_id
from app.companies.sni import normalise_sni_code
from app.core.errors import NotFound
from app.core.pagination import KeysetPage, Page, SortKey, keyset_paginate, order_clauses, paginate
from app.core.time import utcnow
from app.extensions import db

SORTS: dict[str, Any] = {
    "namn": _l("Namn A–Ö"),
    "-namn": _l("Namn Ö–A"),
    "senast-kontakt": _l("Längst sedan kontakt"),
    "-senast-kontakt": _l("Senaste kontakt"),
    "uppfoljning": _l("Närmaste uppföljning"),
    "nyast": _l("Senast registrerade"),
}

NO_CONTACT_MONTHS = (3, 6, 12, 24)


@dataclass(frozen=True)
class CompanyFilter:
    """The list's filters, straight from the query string (all optional)."""

    q: str = ""
    sni: str = ""
    sni_version: str = ""
    area_id: int | None = None
    status: str = ""
    responsible_id: int | None = None
    tag_id: int | None = None
    no_contact_months: int | None = None
    key_only: bool = False
    sort: str = "namn"

    def is_empty(self) -> bool:
        return self == CompanyFilter(sort=self.sort)


def name_order(descending: bool = False) -> list[sa.ColumnElement]:
    """Swedish alphabetical order (å, ä, ö after z), served by the `sort_name` index.

    `sort_name` is a key whose byte order is Swedish order, stored with collation "C" on
    PostgreSQL, so neither database needs a Swedish collation (SQLite has none an index can use;
    an ICU sort of 100 000 rows on PostgreSQL took 150–200 ms per page).
    """
    if descending:
        return [Company.sort_name.desc(), Company.id.desc()]
    return [Company.sort_name.asc(), Company.id.asc()]


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def company_select(filters: CompanyFilter, *, now: datetime | None = None) -> sa.Select:
    """The ordered SELECT of live companies matching `filters` (no eager loading)."""
    stmt = sa.select(Company).where(Company.deleted_at.is_(None), Company.merged_into_id.is_(None))
    q = " ".join(filters.q.split())
    if q:
        digits = re.sub(r"[\s\-+]", "", q)
        if digits.isdigit() and len(digits) >= 4:
            stmt = stmt.where(orgnr_search_condition(digits))
        else:
            # Names of the company and its contact persons, word by word through the full-text
            # index (a LIKE '%…%' scan would read every company and contact person).
            stmt = stmt.where(_id_among(company_ids_matching(q)))
    sni = normalise_sni_code(filters.sni)
    if sni:
        stmt = stmt.where(Company.sni_code.like(f"{_like_escape(sni)}%", escape="\\"))
    if filters.sni_version:
        stmt = stmt.where(Company.sni_version == filters.sni_version)
    if filters.area_id:
        stmt = stmt.where(Company.area_id == filters.area_id)
    if filters.status in COMPANY_STATUSES:
        stmt = stmt.where(Company.status == filters.status)
    if filters.responsible_id:
        stmt = stmt.where(Company.responsible_user_id == filters.responsible_id)
    if filters.tag_id:
        stmt = stmt.where(
            sa.exists().where(
                company_tags.c.company_id == Company.id, company_tags.c.tag_id == filters.tag_id
            )
        )
    if filters.no_contact_months:
        cutoff = (now or utcnow()) - timedelta(days=round(30.44 * filters.no_contact_months))
        stmt = stmt.where(sa.or_(Company.last_contact_at.is_(None), Company.last_contact_at < cutoff))
    if filters.key_only:
        stmt = stmt.where(Company.is_key_company.is_(True))
    return stmt.order_by(*_order(filters.sort))


def _id_among(matching: sa.Select | None) -> sa.ColumnElement[bool]:
    """`Company.id` among the ids `matching` selects.

    On PostgreSQL as `id = ANY(ARRAY(subquery))`: the subquery runs once and the companies are
    fetched through the primary key. As `id IN (subquery)` the planner, expecting thousands of
    matches, hashed them against a sequential scan of every company – 250 ms for "bygg" at
    100 000 companies instead of a few (docs/ARCHITECTURE.md, "Indexes and why")."""
    if matching is None:
        return sa.false()
    if db.session.get_bind().dialect.name == "postgresql":
        return Company.id == sa.any_(sa.func.array(matching.scalar_subquery()))
    return Company.id.in_(matching)


def orgnr_search_condition(digits: str) -> sa.ColumnElement[bool]:
    """What digits typed into a search box match.

    A whole valid number (10 or 12 digits) matches by equality – also a sole trader's
    personnummer, for every role (the caller audits it: `personal_ids_in`). Anything shorter
    or invalid is a B-tree prefix of a *legal person's* number only: digits 3–4 of a
    personnummer or samordningsnummer are below 20, so `substr(orgnr, 3, 2) >= '20'` keeps a
    prefix from ever reaching one ("16556036…" is the 12-digit form of a legal person's number).
    """
    try:
        return Company.orgnr == parse_orgnr(digits).number
    except OrgnrError:
        pass
    if len(digits) > 10:
        digits = digits[2:]
    return sa.and_(Company.orgnr.like(f"{digits}%"), sa.func.substr(Company.orgnr, 3, 2) >= "20")


def personal_ids_in(q: str) -> list[str]:
    """The whole personnummer a search box's text is (for the audited lookup), if it is one."""
    number = whole_personal_id(q)
    return [number] if number else []


def sort_keys(sort: str) -> list[SortKey]:
    """The list's order for a sort choice, as keys (the last one unique) – shared by the paged
    list (ORDER BY) and the cursor pages of the API (WHERE after the last row)."""
    if sort == "-namn":
        return [SortKey(Company.sort_name, descending=True), SortKey(Company.id, descending=True)]
    if sort == "senast-kontakt":
        # Never contacted first: they are the ones to call.
        return [SortKey(Company.last_contact_at, nullable=True, nulls_first=True), SortKey(Company.id)]
    if sort == "-senast-kontakt":
        return [SortKey(Company.last_contact_at, descending=True, nullable=True), SortKey(Company.id)]
    if sort == "uppfoljning":
        return [SortKey(Company.next_followup_on, nullable=True), SortKey(Company.id)]
    if sort == "nyast":
        return [SortKey(Company.created_at, descending=True), SortKey(Company.id, descending=True)]
    return [SortKey(Company.sort_name), SortKey(Company.id)]


def _order(sort: str) -> list[sa.ColumnElement]:
    return order_clauses(sort_keys(sort))


def list_companies(filters: CompanyFilter, page: int, per_page: int = 25) -> Page:
    """One page of the list, with area and responsible loaded; count capped."""
    stmt = company_select(filters).options(joinedload(Company.area), joinedload(Company.responsible))
    return paginate(stmt, page, per_page)


def list_companies_after(
    filters: CompanyFilter, cursor: str | None, limit: int = 25, *, extra_options: tuple = ()
) -> KeysetPage:
    """A page of the list after `cursor` (keyset pagination), area and responsible loaded.

    Raises app.core.pagination.InvalidCursor for a cursor of another sort order."""
    stmt = company_select(filters).options(
        joinedload(Company.area), joinedload(Company.responsible), *extra_options
    )
    sort = filters.sort if filters.sort in SORTS else "namn"
    return keyset_paginate(stmt, sort_keys(sort), cursor=cursor, limit=limit, tag=f"companies:{sort}")


def export_companies(filters: CompanyFilter) -> Iterator[Company]:
    """Every company matching `filters`, streamed in chunks, area/responsible/tags loaded."""
    stmt = (
        company_select(filters)
        .options(joinedload(Company.area), joinedload(Company.responsible), selectinload(Company.tags))
        .execution_options(yield_per=500)
    )
    yield from db.session.scalars(stmt)


def get_company_or_404(company_id: int) -> Company:
    """A company (live, deleted or merged) with area, responsible, tags and merge target loaded."""
    company = db.session.scalar(
        sa.select(Company)
        .where(Company.id == company_id)
        .options(
            joinedload(Company.area),
            joinedload(Company.responsible),
            selectinload(Company.tags),
            joinedload(Company.merged_into),
        )
    )
    if company is None:
        raise NotFound(_("Företaget finns inte."))
    return company


def contact_persons(company_id: int, *, active: bool = True) -> list[ContactPerson]:
    stmt = sa.select(ContactPerson).where(
        ContactPerson.company_id == company_id, ContactPerson.is_active.is_(active)
    )
    return list(db.session.scalars(stmt.order_by(ContactPerson.name_norm, ContactPerson.id)))


def former_contact_person_moves(company_id: int) -> list[ContactPersonMove]:
    """People who moved from this company to another (the move, with the person loaded)."""
    return list(
        db.session.scalars(
            sa.select(ContactPersonMove)
            .where(ContactPersonMove.from_company_id == company_id)
            .options(joinedload(ContactPersonMove.contact_person))
            .order_by(ContactPersonMove.moved_at.desc())
        )
    )


def get_contact_person_or_404(company_id: int, person_id: int) -> ContactPerson:
    person = db.session.get(ContactPerson, person_id)
    if person is None or person.company_id != company_id:
        raise NotFound(_("Kontaktpersonen finns inte."))
    return person


def areas(include_retired: bool = True) -> list[Area]:
    stmt = sa.select(Area).order_by(Area.position, Area.id)
    if not include_retired:
        stmt = stmt.where(Area.retired_at.is_(None))
    return list(db.session.scalars(stmt))


def get_area_or_404(area_id: int) -> Area:
    area = db.session.get(Area, area_id)
    if area is None:
        raise NotFound(_("Området finns inte."))
    return area


def area_by_name(name: str) -> Area | None:
    norm = normalise_name(name)
    return next((a for a in areas() if normalise_name(a.name) == norm), None)


def all_tags() -> list[Tag]:
    return list(db.session.scalars(sa.select(Tag).order_by(Tag.name_norm)))


def find_company_by_orgnr(number: str) -> Company | None:
    return db.session.scalar(sa.select(Company).where(Company.orgnr == number))


def find_companies_by_name_postcode(name_norm: str, postcode: str) -> list[Company]:
    return list(
        db.session.scalars(
            sa.select(Company).where(
                Company.name_norm == name_norm,
                Company.postcode == postcode,
                Company.deleted_at.is_(None),
                Company.merged_into_id.is_(None),
            )
        )
    )


def import_batches(limit: int = 50) -> list[ImportBatch]:
    return list(
        db.session.scalars(
            sa.select(ImportBatch)
            .where(ImportBatch.status != "preview")
            .options(joinedload(ImportBatch.created_by))
            .order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc())
            .limit(limit)
        )
    )


def get_import_batch_or_404(batch_id: int) -> ImportBatch:
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFound(_("Importen finns inte."))
    return batch


# --------------------------------------------------------------------------- duplicates

# Words that say nothing about which company it is; dropped before comparing names.
_NOISE_WORDS = {
    "ab",
    "aktiebolag",
    "hb",
    "kb",
    "handelsbolag",
    "kommanditbolag",
    "ek",
    "för",  # untranslated: words matched in company names
    "ekonomisk",
    "förening",  # untranslated: words matched in company names
    "i",
    "borlänge",  # untranslated: words matched in company names
    "&",
    "och",
    "the",
}
BLOCK_PREFIX = 6
SIMILARITY = 0.85


@dataclass(frozen=True)
class DuplicatePair:
    first: Company
    second: Company
    score: float
    reason: str


def _core_name(name_norm: str) -> str:
    words = [w for w in re.split(r"[\s,.\-]+", name_norm) if w and w not in _NOISE_WORDS]
    return " ".join(words) or name_norm


def name_similarity(a: str, b: str) -> float:
    """0..1; names equal apart from legal-form words and punctuation score 1."""
    ca, cb = _core_name(a), _core_name(b)
    if ca == cb:
        return 1.0
    # Cheap upper bounds first: SequenceMatcher.ratio() is the expensive part of a scan.
    if 2 * min(len(ca), len(cb)) / (len(ca) + len(cb)) < SIMILARITY:
        return 0.0
    matcher = SequenceMatcher(None, ca, cb)
    if matcher.real_quick_ratio() < SIMILARITY or matcher.quick_ratio() < SIMILARITY:
        return 0.0
    return matcher.ratio()


def duplicate_candidates(limit: int = 100) -> list[DuplicatePair]:
    """Likely duplicates among live companies: same postcode and similar names.

    One pass over the (postcode, name_norm) index streams (id, postcode, name_norm) of the live
    companies in postcode order. Within one postcode, names are blocked on the first
    BLOCK_PREFIX letters of their core name (legal-form words like "AB" dropped, so "AB Dala
    Bygg" meets "Dala Bygg AB"), and only names inside one block are compared. Memory and
    comparisons therefore grow with the largest postcode, not with the register (about 0.3 s
    for 100 000 companies on SQLite). Equal organisationsnummer cannot occur among stored
    companies (the column is unique); the import checks numbers before anything is written.
    """
    live = sa.and_(Company.deleted_at.is_(None), Company.merged_into_id.is_(None), Company.postcode != "")
    rows = db.session.execute(
        sa.select(Company.id, Company.postcode, Company.name_norm)
        .where(live)
        .order_by(Company.postcode, Company.name_norm)
        .execution_options(yield_per=2000)
    )
    found: list[tuple[int, int, float, str]] = []

    def compare(postcode: str, members: list[tuple[int, str]]) -> None:
        blocks: dict[str, list[tuple[int, str]]] = {}
        for company_id, name_norm in members:
            blocks.setdefault(_core_name(name_norm)[:BLOCK_PREFIX], []).append((company_id, name_norm))
        for block in blocks.values():
            for i, (first_id, first_name) in enumerate(block[:50]):
                for second_id, second_name in block[i + 1 : 50]:
                    score = name_similarity(first_name, second_name)
                    if score >= SIMILARITY:
                        pair = (min(first_id, second_id), max(first_id, second_id))
                        found.append((*pair, score, postcode))

    current: str | None = None
    members: list[tuple[int, str]] = []
    for company_id, postcode, name_norm in rows:
        if postcode != current:
            if members:
                compare(current or "", members)
            current, members = postcode, []
        members.append((company_id, name_norm))
    if members:
        compare(current or "", members)

    found.sort(key=lambda item: (-item[2], item[0], item[1]))
    found = found[:limit]
    ids = {company_id for item in found for company_id in item[:2]}
    companies = (
        {c.id: c for c in db.session.scalars(sa.select(Company).where(Company.id.in_(ids)))} if ids else {}
    )
    return [
        DuplicatePair(
            companies[a],
            companies[b],
            score,
            _("Liknande namn, samma postnummer (%(postcode)s)", postcode=postcode),
        )
        for a, b, score, postcode in found
    ]
