"""The privacy feature's own records: the person-rights log, retention rules bound to a
gallringsbeslut, and the gallringsprotokoll (kept; no rule or job ever deletes it)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import TimestampMixin, VersionedMixin
from app.core.time import utcnow
from app.extensions import db

KEEP, DELETE, ANONYMISE = "keep", "delete", "anonymise"
ACTION_LABELS = {KEEP: _l("Bevara"), DELETE: _l("Radera"), ANONYMISE: _l("Anonymisera (gallra innehållet)")}

# Kinds of PersonRightsEvent.
RECTIFICATION, OBJECTION, OBJECTION_LIFTED, ANONYMISATION = (
    "rattelse",
    "invandning",
    "invandning_havd",
    "anonymisering",
)
EVENT_LABELS = {
    RECTIFICATION: _l("Rättelse (art. 16)"),
    OBJECTION: _l("Invändning (art. 21)"),
    OBJECTION_LIFTED: _l("Invändningen hävd"),
    ANONYMISATION: _l("Anonymisering (gallring)"),
}


class PersonRightsEvent(db.Model):
    """One handled request about a person: a rectification (old → new), an objection and its
    lifting, an anonymisation. Listed in the person's registerutdrag."""

    __tablename__ = "privacy_events"
    __table_args__ = (sa.Index("ix_privacy_events_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(sa.String(20))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    entity_type: Mapped[str] = mapped_column(sa.String(60))
    entity_id: Mapped[int]
    field: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")
    old_value: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    new_value: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    decision_reference: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")

    @property
    def kind_label(self) -> str:
        return EVENT_LABELS.get(self.kind, self.kind)


class RetentionRule(TimestampMixin, VersionedMixin, db.Model):
    """What happens to one record type N years after its closure or last activity. Inactive
    (nothing is touched) until a gallringsbeslut reference and its date are entered."""

    __tablename__ = "retention_rules"
    __table_args__ = (
        sa.CheckConstraint("action IN ('keep', 'delete', 'anonymise')", name="action"),
        sa.CheckConstraint("years IS NULL OR years >= 0", name="years"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(sa.String(40), unique=True)
    action: Mapped[str] = mapped_column(sa.String(20), default=KEEP, server_default=KEEP)
    years: Mapped[int | None]
    decision_reference: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    decision_on: Mapped[date | None]
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    @property
    def is_active(self) -> bool:
        return (
            self.action != KEEP
            and self.years is not None
            and bool(self.decision_reference.strip())
            and self.decision_on is not None
        )

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


class DisposalRun(db.Model):
    """A gallringsprotokoll: one run of the retention rules (or one anonymisation), kept."""

    __tablename__ = "disposal_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime]
    trigger: Mapped[str] = mapped_column(sa.String(20))  # schemalagd, manuell, anonymisering
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    total: Mapped[int] = mapped_column(default=0, server_default="0")
    summary: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    items: Mapped[list[DisposalRunItem]] = relationship(
        back_populates="run", lazy="raise", order_by="DisposalRunItem.id"
    )


class DisposalRunItem(db.Model):
    """One line of a gallringsprotokoll: what, how many, under which rule and decision."""

    __tablename__ = "disposal_run_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("disposal_runs.id"), index=True)
    record_type: Mapped[str] = mapped_column(sa.String(40))
    record_label: Mapped[str] = mapped_column(sa.String(120))
    action: Mapped[str] = mapped_column(sa.String(20))
    years: Mapped[int | None]
    cutoff: Mapped[datetime | None]
    decision_reference: Mapped[str] = mapped_column(sa.String(200))
    decision_on: Mapped[date | None]
    count: Mapped[int]

    run: Mapped[DisposalRun] = relationship(back_populates="items", lazy="raise")

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)
