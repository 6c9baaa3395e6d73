"""Company register models: companies, contact persons, areas, tags, import log, create tokens.

Design notes (see docs/ARCHITECTURE.md "Företagsregistret"):

* ``Company.name_norm`` is the casefolded, whitespace-collapsed name. SQLite's ``lower()`` only
  folds ASCII, so searching and sorting on å/ä/ö needs a column we fill in Python.
* ``Company.sort_name`` is the same key in a form whose byte order is Swedish alphabetical
  order, so the default list sort is an index walk on SQLite too.
* ``Company.orgnr`` is the normalised 10-digit number (app.companies.orgnr) and unique; it is
  NULL for prospects whose number we do not know yet. For sole traders it is the owner's
  personnummer: never put it in a URL, a log line or an export unmasked.
* ``last_contact_at`` / ``next_followup_on`` are denormalised by the contact-log and follow-up
  features so the list can filter and sort on them without a join at 100 000 companies.
* A merged company keeps its row (``merged_into_id``) so old links can say where it went.
* A contact person who moves keeps their row (and so every contact logged with them); the move
  is recorded in ``contact_person_moves`` so the former company still shows who used to work
  there.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import TimestampMixin, VersionedMixin
from app.core.time import utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User

ACTIVE, ESTABLISHING, WOUND_UP = "active", "establishing", "wound_up"
COMPANY_STATUSES: dict[str, str] = {
    ACTIVE: _l("Aktiv"),
    ESTABLISHING: _l("Etablering/prospekt"),
    WOUND_UP: _l("Avvecklad"),
}
# The Swedish codes stored before migration 0021 → today's code (bookmarked links, API input,
# import files, old rows in the audit trail). The same renames are written out in the migration.
LEGACY_COMPANY_STATUSES: dict[str, str] = {"aktiv": ACTIVE, "etablering": ESTABLISHING, "avvecklad": WOUND_UP}

SIZE_CLASSES: dict[str, Any] = {
    "0": _l("0 anställda"),
    "1-4": _l("1–4 anställda"),
    "5-9": _l("5–9 anställda"),
    "10-19": _l("10–19 anställda"),
    "20-49": _l("20–49 anställda"),
    "50-99": _l("50–99 anställda"),
    "100-249": _l("100–249 anställda"),
    "250-499": _l("250–499 anställda"),
    "500+": _l("500 eller fler anställda"),
}


company_tags = sa.Table(
    "company_tags",
    db.metadata,
    sa.Column("company_id", sa.ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("tag_id", sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Area(TimestampMixin, VersionedMixin, db.Model):
    """An area of the kommun (Centrum, Kupolen, ...). Retired areas stay on old companies."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    retired_at: Mapped[datetime | None]

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class Tag(TimestampMixin, db.Model):
    """A free tag on companies ("Klimatklivet", "Exportnätverk"). Unique by normalised name."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    name_norm: Mapped[str] = mapped_column(sa.String(60), unique=True)


class Company(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "companies"
    __table_args__ = (
        # Duplicate detection blocks on postcode, then compares names inside the block.
        sa.Index("ix_companies_postcode_name_norm", "postcode", "name_norm"),
        # The list's "Senast tillagda" sort.
        sa.Index("ix_companies_created_at", "created_at"),
        # The list's filters area + status + "no contact for N months" together (also the area
        # filter alone and the foreign key): read only the matching companies, not every company
        # of the area (0027; 8.8 → 3.9 ms for the page at 100 000 companies on SQLite).
        sa.Index("ix_companies_area_id_status_last_contact_at", "area_id", "status", "last_contact_at"),
        # Partial: only merged / deleted rows are indexed. A full index on these mostly-NULL
        # columns makes SQLite (without ANALYZE statistics) choose it for "IS NULL" and sort
        # the whole table for the list (measured: 0.5 s at 1 000 000 contacts).
        sa.Index(
            "ix_companies_merged_into_id_set",
            "merged_into_id",
            sqlite_where=sa.text("merged_into_id IS NOT NULL"),
            postgresql_where=sa.text("merged_into_id IS NOT NULL"),
        ),
        sa.Index(
            "ix_companies_deleted_at_set",
            "deleted_at",
            sqlite_where=sa.text("deleted_at IS NOT NULL"),
            postgresql_where=sa.text("deleted_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_norm: Mapped[str] = mapped_column(sa.String(200), index=True)
    # name_norm rewritten so that plain byte order is Swedish order (å, ä, ö after z), so an
    # ordinary index serves the Swedish name sort. See app.companies.services.sort_key.
    # Byte order on PostgreSQL too ("C"), whatever the database's default collation.
    sort_name: Mapped[str] = mapped_column(
        sa.String(200).with_variant(sa.String(200, collation="C"), "postgresql"),
        default="",
        server_default="",
        index=True,
    )
    orgnr: Mapped[str | None] = mapped_column(sa.String(10), unique=True)
    orgnr_kind: Mapped[str | None] = mapped_column(sa.String(20))
    legal_form: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    sni_code: Mapped[str | None] = mapped_column(sa.String(5), index=True)
    sni_version: Mapped[str | None] = mapped_column(sa.String(4))
    size_class: Mapped[str] = mapped_column(sa.String(10), default="", server_default="")
    visiting_address: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    postal_address: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    postcode: Mapped[str] = mapped_column(sa.String(6), default="", server_default="")
    city: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("areas.id"))  # indexed with status, above
    website: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="", server_default="")
    status: Mapped[str] = mapped_column(sa.String(20), default=ACTIVE, server_default=ACTIVE, index=True)
    responsible_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    is_key_company: Mapped[bool] = mapped_column(default=False, server_default=sa.false(), index=True)
    contact_cadence_months: Mapped[int | None]
    notes: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("companies.id"))
    merged_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    last_contact_at: Mapped[datetime | None] = mapped_column(index=True)
    next_followup_on: Mapped[date | None] = mapped_column(index=True)

    area: Mapped[Area | None] = relationship(lazy="raise")
    responsible: Mapped[User | None] = relationship("User", lazy="raise")
    tags: Mapped[list[Tag]] = relationship(secondary=company_tags, lazy="raise")
    merged_into: Mapped[Company | None] = relationship(remote_side="Company.id", lazy="raise")

    @property
    def is_live(self) -> bool:
        """Not deleted and not merged into another company."""
        return self.deleted_at is None and self.merged_into_id is None

    def __repr__(self) -> str:
        return f"<Company {self.id} {self.name!r}>"


class ContactPerson(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "contact_persons"
    __table_args__ = (
        # Partial (objections only): every queued e-mail asks whether its address belongs to a
        # person who objected (app.companies.personal_data.address_objected); this keeps that
        # a lookup among the few objecting rows instead of a scan of every contact person.
        sa.Index(
            "ix_contact_persons_objected_at_set",
            "objected_at",
            sqlite_where=sa.text("objected_at IS NOT NULL"),
            postgresql_where=sa.text("objected_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    name_norm: Mapped[str] = mapped_column(sa.String(120), index=True)
    title: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="", server_default="")
    # GDPR Art. 13/14: when the person was told how we process their data.
    informed_on: Mapped[date | None]
    no_mailings: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # GDPR Art. 21: the person objected to our processing (recorded by app.privacy with its
    # reason). Unlike the no_mailings preference it is not changed on the person form, and
    # every mailing job refuses the person while it is set (`accepts_mailings`).
    objected_at: Mapped[datetime | None]
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    left_at: Mapped[datetime | None]

    company: Mapped[Company] = relationship(lazy="raise")

    @property
    def accepts_mailings(self) -> bool:
        """May be sent surveys, invitations and other mail: no opt-out and no objection."""
        return not self.no_mailings and self.objected_at is None


class ContactPersonMove(db.Model):
    """A contact person moved from one company to another (history kept on both sides)."""

    __tablename__ = "contact_person_moves"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_person_id: Mapped[int] = mapped_column(sa.ForeignKey("contact_persons.id"), index=True)
    from_company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    to_company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    title_before: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    moved_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    contact_person: Mapped[ContactPerson] = relationship(lazy="raise")


class CompanyCreateToken(db.Model):
    """One-time token of a "new company" form: a second POST finds the company already made."""

    __tablename__ = "company_create_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ImportBatch(db.Model):
    """One uploaded import file: its parsed rows (status "preview") and, once run, its log."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    # preview → done → undone; or preview → cancelled.
    status: Mapped[str] = mapped_column(sa.String(20), default="preview", index=True)
    headers: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    rows: Mapped[list[list[str]] | None] = mapped_column(sa.JSON)
    mapping: Mapped[dict[str, str] | None] = mapped_column(sa.JSON)
    confirmed_at: Mapped[datetime | None]
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_count: Mapped[int] = mapped_column(default=0, server_default="0")
    updated_count: Mapped[int] = mapped_column(default=0, server_default="0")
    skipped_count: Mapped[int] = mapped_column(default=0, server_default="0")
    error_count: Mapped[int] = mapped_column(default=0, server_default="0")

    created_by: Mapped[User | None] = relationship("User", foreign_keys=[created_by_id], lazy="raise")


class ImportRow(db.Model):
    """What an import did to one company; `before` holds the old values of an update (for undo)."""

    __tablename__ = "import_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(sa.ForeignKey("import_batches.id"), index=True)
    row_number: Mapped[int]
    action: Mapped[str] = mapped_column(sa.String(10))  # created / updated
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    # The company's version right after the import: undo refuses if it changed since.
    version_after: Mapped[int]
