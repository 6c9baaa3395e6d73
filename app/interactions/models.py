"""The contact log: contacts (kontakter) with companies, permit guidance given, and referrals.

* `Interaction` is one contact: a call, a visit, a meeting, an e-mail, permit guidance, an
  event-organizer contact or anything else. It always has one primary focus area (required)
  and optionally others; it may name the company's contact persons and kommun participants.
* `case_id` (on interactions and referrals) is a plain integer for now: the lots-case feature
  (issue 5) adds the foreign key to `cases.id` in its own migration once that table exists.
* `is_restricted` marks "kan innehålla uppgifter som omfattas av sekretess". It is a marker
  for a case-by-case secrecy assessment (OSL), never a promise of secrecy: see
  app.interactions.services.can_read and docs/ARCHITECTURE.md.
* `form_token` is the one-time token of the form that created the contact: a second POST of
  the same form finds the contact instead of logging it twice.
* Deletion is soft (`deleted_at`): notes are allmänna handlingar and the audit trail keeps
  the values; a deleted contact leaves lists, timeline and last_contact_at.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as pgettext  # lazy; this name is one pybabel extracts
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import TimestampMixin, VersionedMixin
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.catalogues.models import PermitType, ReferralPartner
    from app.companies.models import Company, ContactPerson
    from app.strategy.models import FocusArea


class InteractionKind(enum.StrEnum):
    PHONE = "phone_call"
    VISIT = "visit"
    MEETING = "meeting"
    EMAIL = "email"
    DIGITAL = "digital"
    PERMIT_GUIDANCE = "permit_guidance"
    EVENT = "event"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


KIND_LABELS: dict[InteractionKind, str] = {
    InteractionKind.PHONE: _l("Telefonsamtal"),
    InteractionKind.VISIT: _l("Besök hos företaget"),
    InteractionKind.MEETING: _l("Möte"),
    InteractionKind.EMAIL: _l("E-post"),
    InteractionKind.DIGITAL: _l("Digitalt möte"),
    InteractionKind.PERMIT_GUIDANCE: _l("Tillståndsvägledning"),
    InteractionKind.EVENT: _l("Arrangörskontakt/evenemang"),
    InteractionKind.OTHER: _l("Övrigt"),
}

# "How" the contact took place: the kinds the contact form offers (issue 15). What it was about is
# recorded apart: its permit guidance rows ("gällde tillstånd"), focus areas and subject. The
# older kinds that mixed in a purpose (permit_guidance, event, other) stay valid for old rows, the
# API and importers, and keep their labels; the form shows one only on a contact that has it.
HOW_KINDS: tuple[InteractionKind, ...] = (
    InteractionKind.PHONE,
    InteractionKind.VISIT,
    InteractionKind.MEETING,
    InteractionKind.EMAIL,
    InteractionKind.DIGITAL,
)

# The Swedish codes stored before migration 0021 → today's code (bookmarked links, API input,
# old rows in the audit trail). The same renames are written out in the migration.
LEGACY_KINDS: dict[str, InteractionKind] = {
    "telefonsamtal": InteractionKind.PHONE,
    "besok": InteractionKind.VISIT,
    "mote": InteractionKind.MEETING,
    "epost": InteractionKind.EMAIL,
    "tillstandsvagledning": InteractionKind.PERMIT_GUIDANCE,
    "evenemang": InteractionKind.EVENT,
    "ovrigt": InteractionKind.OTHER,
}


class InboundChannel(enum.StrEnum):
    """How the company reached us (NULL: we made contact)."""

    PHONE = "phone"
    EMAIL = "email"
    WEB_FORM = "web_form"
    CONTACT_CENTRE = "contact_centre"
    WALK_IN = "walk_in"
    DEPARTMENT = "department"

    @property
    def label(self) -> str:
        return str(CHANNEL_LABELS[self])


CHANNEL_LABELS: dict[InboundChannel, str] = {
    InboundChannel.PHONE: _l("Telefon"),
    InboundChannel.EMAIL: _l("E-post"),
    InboundChannel.WEB_FORM: _l("Webbformulär"),
    InboundChannel.CONTACT_CENTRE: _l("Kontaktcenter"),
    InboundChannel.WALK_IN: pgettext("kanal", "Besök"),  # "Besök" alone: the company visits
    InboundChannel.DEPARTMENT: _l("Remiss från förvaltning"),
}

LEGACY_CHANNELS: dict[str, InboundChannel] = {
    "telefon": InboundChannel.PHONE,
    "epost": InboundChannel.EMAIL,
    "webbformular": InboundChannel.WEB_FORM,
    "kontaktcenter": InboundChannel.CONTACT_CENTRE,
    "besok": InboundChannel.WALK_IN,
    "remiss": InboundChannel.DEPARTMENT,
}


def _enum_type(enum_cls: type[enum.Enum], length: int) -> sa.Enum:
    # Stored as the enum's value in a VARCHAR (no native ENUM type, no CHECK): adding a kind
    # later is a code change, not a schema change, on both databases.
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


interaction_contact_persons = sa.Table(
    "interaction_contact_persons",
    db.metadata,
    sa.Column("interaction_id", sa.ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("contact_person_id", sa.ForeignKey("contact_persons.id"), primary_key=True, index=True),
)

interaction_participants = sa.Table(
    "interaction_participants",
    db.metadata,
    sa.Column("interaction_id", sa.ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True, index=True),
)

interaction_focus_areas = sa.Table(
    "interaction_focus_areas",
    db.metadata,
    sa.Column("interaction_id", sa.ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("focus_area_id", sa.ForeignKey("focus_areas.id"), primary_key=True, index=True),
)


class Interaction(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "interactions"
    __table_args__ = (
        # The company timeline and last_contact_at (max occurred_at per company). Its leading
        # column also serves every company_id lookup (merge), so company_id has no index of its own.
        sa.Index("ix_interactions_company_id_occurred_at", "company_id", "occurred_at"),
        # "Mina kontakter" and the user filter.
        sa.Index("ix_interactions_author_id_occurred_at", "author_id", "occurred_at"),
        # Filters by kind and by primary focus area over a period.
        sa.Index("ix_interactions_kind_occurred_at", "kind", "occurred_at"),
        sa.Index("ix_interactions_focus_area_id_occurred_at", "focus_area_id", "occurred_at"),
        # The all-contacts list (period filter, newest first).
        sa.Index("ix_interactions_occurred_at", "occurred_at"),
        # Partial (deleted rows only): a full index on this mostly-NULL column lures SQLite
        # without statistics into "IS NULL" lookups plus a sort of every contact.
        sa.Index(
            "ix_interactions_deleted_at_set",
            "deleted_at",
            sqlite_where=sa.text("deleted_at IS NOT NULL"),
            postgresql_where=sa.text("deleted_at IS NOT NULL"),
        ),
        # Restricted contacts (reports of what is marked, the "only restricted" filter).
        sa.Index("ix_interactions_is_restricted_occurred_at", "is_restricted", "occurred_at"),
        # A case's contacts, newest first (the case page). Partial: almost every contact has no
        # case, and a full index on the NULLs made SQLite expect a million rows per case and
        # walk ix_interactions_occurred_at instead – seconds per case page at 1 000 000 contacts.
        sa.Index(
            "ix_interactions_case_id_occurred_at",
            "case_id",
            "occurred_at",
            sqlite_where=sa.text("case_id IS NOT NULL"),
            postgresql_where=sa.text("case_id IS NOT NULL"),
        ),
        # The report figures (app.interactions.report_queries): covers every column the contact
        # figures read, so counting a period's contacts is an index-only range scan (measured on
        # SQLite with 1 000 000 contacts: one month's figures with the year-earlier comparison in
        # about 0.6 s instead of 1.5 s; docs/ARCHITECTURE.md "Rapporter"). Migration 0007_reports.
        sa.Index(
            "ix_interactions_reports",
            "occurred_at",
            "deleted_at",
            "kind",
            "focus_area_id",
            "company_id",
            "author_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[InteractionKind] = mapped_column(_enum_type(InteractionKind, 30))
    occurred_at: Mapped[datetime]
    duration_minutes: Mapped[int | None]
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"))
    inbound_channel: Mapped[InboundChannel | None] = mapped_column(_enum_type(InboundChannel, 20))
    subject: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    focus_area_id: Mapped[int] = mapped_column(sa.ForeignKey("focus_areas.id"))
    # FK to lots_cases.id added by the lots-case feature's migration 0005_cases.
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lots_cases.id"))  # partial index above
    is_restricted: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    form_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    company: Mapped[Company] = relationship("Company", lazy="raise")
    author: Mapped[User] = relationship("User", foreign_keys=[author_id], lazy="raise")
    focus_area: Mapped[FocusArea] = relationship("FocusArea", lazy="raise")
    other_focus_areas: Mapped[list[FocusArea]] = relationship(
        "FocusArea", secondary=interaction_focus_areas, lazy="raise", order_by="FocusArea.position"
    )
    participants: Mapped[list[User]] = relationship(
        "User", secondary=interaction_participants, lazy="raise", order_by="User.name"
    )
    contact_persons: Mapped[list[ContactPerson]] = relationship(
        "ContactPerson", secondary=interaction_contact_persons, lazy="raise", order_by="ContactPerson.name"
    )
    permit_guidance: Mapped[list[PermitGuidance]] = relationship(
        back_populates="interaction", lazy="raise", cascade="all, delete-orphan", order_by="PermitGuidance.id"
    )
    referrals: Mapped[list[Referral]] = relationship(
        back_populates="interaction", lazy="raise", order_by="Referral.id"
    )

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[InteractionKind(self.kind)])

    @property
    def channel_label(self) -> str:
        return str(CHANNEL_LABELS[InboundChannel(self.inbound_channel)]) if self.inbound_channel else ""

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def __repr__(self) -> str:
        return f"<Interaction {self.id} {self.kind} {self.occurred_at:%Y-%m-%d}>"


class PermitGuidance(db.Model):
    """One permit type discussed in a tillståndsvägledning contact, and where it was handed on."""

    __tablename__ = "permit_guidances"
    __table_args__ = (sa.UniqueConstraint("interaction_id", "permit_type_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(
        sa.ForeignKey("interactions.id", ondelete="CASCADE"), index=True
    )
    permit_type_id: Mapped[int] = mapped_column(sa.ForeignKey("permit_types.id"), index=True)
    guidance_given: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    handed_to: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")

    interaction: Mapped[Interaction] = relationship(back_populates="permit_guidance", lazy="raise")
    permit_type: Mapped[PermitType] = relationship("PermitType", lazy="raise")


class Referral(TimestampMixin, VersionedMixin, db.Model):
    """A company referred to an external partner (from a contact or a case); outcome later."""

    __tablename__ = "referrals"
    __table_args__ = (
        sa.Index("ix_referrals_partner_id_referred_on", "partner_id", "referred_on"),
        sa.Index("ix_referrals_company_id_referred_on", "company_id", "referred_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int | None] = mapped_column(sa.ForeignKey("interactions.id"), index=True)
    # FK to lots_cases.id added by the lots-case feature's migration 0005_cases.
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lots_cases.id"), index=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"))
    partner_id: Mapped[int] = mapped_column(sa.ForeignKey("referral_partners.id"))
    reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    referred_on: Mapped[date]
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    outcome_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    interaction: Mapped[Interaction | None] = relationship(back_populates="referrals", lazy="raise")
    partner: Mapped[ReferralPartner] = relationship("ReferralPartner", lazy="raise")
    company: Mapped[Company] = relationship("Company", lazy="raise")

    @property
    def has_outcome(self) -> bool:
        return self.outcome is not None


# A contact can be marked restricted: the one rule (app.core.restriction) decides who reads it.
from app.core.restriction import register_root  # noqa: E402

register_root(
    "interaction",
    Interaction,
    owner="author_id",
    participants=interaction_participants,
    record_column="interaction_id",
    entity_type="interactions",
)
