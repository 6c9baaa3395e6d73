"""Company visits by kommunledning (strategy §6.3): the visit, its participants and focus areas,
the question bank for visit briefs and the yearly visit target.

Design notes (docs/ARCHITECTURE.md "Företagsbesök"):

* Promises made on a visit are ordinary follow-ups (app.followups.FollowUp with source "visit"
  and `visit_id`), so they show up in the owner's to-do list, digest and calendar. A promise is
  *kept* when its follow-up was done on or before its due date.
* `uid` and `sequence` belong to the .ics invitation: the UID never changes, the sequence is
  raised on every change that is sent out (RFC 5545 §3.8.7.4), so calendars update the event
  instead of adding a second one.
* When a visit is recorded it becomes a contact (app.interactions, kind "besök hos företaget");
  `interaction_id` points at it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.companies.models import Company
from app.core.db import TimestampMixin, VersionedMixin
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.companies.models import ContactPerson
    from app.strategy.models import FocusArea

PROPOSED, PLANNED, DONE, CANCELLED = "proposed", "planned", "done", "cancelled"
STATUS_LABELS: dict[str, str] = {
    PROPOSED: _l("Föreslaget"),
    PLANNED: _l("Planerat"),
    DONE: _l("Genomfört"),
    CANCELLED: _l("Inställt"),
}
# Visits that are still ahead of us (shown in the calendar, block a new proposal).
UPCOMING_STATUSES = (PROPOSED, PLANNED)

LEDNING, OFFICE = "leadership", "office"
SIDE_LABELS: dict[str, str] = {LEDNING: _l("Kommunledning"), OFFICE: _l("Näringslivskontoret")}

# The Swedish codes stored before migration 0021 → today's code (bookmarked links, old rows in
# the audit trail). The same renames are written out in the migration.
LEGACY_STATUSES: dict[str, str] = {
    "foreslaget": PROPOSED,
    "planerat": PLANNED,
    "genomfort": DONE,
    "installt": CANCELLED,
}
LEGACY_SIDES: dict[str, str] = {"ledning": LEDNING, "kontor": OFFICE}

# Size classes of the company register that count as a large employer (≥ 50 employees).
LARGE_SIZE_CLASSES = ("50-99", "100-249", "250-499", "500+")


visit_focus_areas = sa.Table(
    "visit_focus_areas",
    db.metadata,
    sa.Column("visit_id", sa.ForeignKey("company_visits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("focus_area_id", sa.ForeignKey("focus_areas.id"), primary_key=True, index=True),
)


class CompanyVisit(TimestampMixin, VersionedMixin, db.Model):
    """A visit by kommunledning to a company: föreslaget → planerat → genomfört (or inställt)."""

    __tablename__ = "company_visits"
    __table_args__ = (
        # The list and month calendar: visits by status in a time window.
        sa.Index("ix_company_visits_status_starts_at", "status", "starts_at"),
        # A company's visits (brief, timeline, proposals' "not visited since").
        sa.Index("ix_company_visits_company_id_status_starts_at", "company_id", "status", "starts_at"),
        sa.CheckConstraint("status IN ('proposed', 'planned', 'done', 'cancelled')", name="status"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed through the composite index above (its leading column).
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"))
    status: Mapped[str] = mapped_column(sa.String(20), default=PLANNED, server_default=PLANNED)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    host_contact_person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contact_persons.id"), index=True
    )
    host_name: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    purpose: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # "Budskap och frågor": what kommunledning wants to say and ask (the brief; not in the invitation).
    key_messages: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # .ics identity: stable UID, SEQUENCE raised on each change sent out.
    uid: Mapped[str] = mapped_column(sa.String(120), unique=True)
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    organizer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    interaction_id: Mapped[int | None] = mapped_column(sa.ForeignKey("interactions.id"), index=True)
    recorded_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    company: Mapped[Company] = relationship(lazy="raise")
    host: Mapped[ContactPerson | None] = relationship("ContactPerson", lazy="raise")
    organizer: Mapped[User | None] = relationship("User", foreign_keys=[organizer_id], lazy="raise")
    participants: Mapped[list[VisitParticipant]] = relationship(
        back_populates="visit",
        cascade="all, delete-orphan",
        lazy="raise",
        order_by="VisitParticipant.side, VisitParticipant.user_id",
    )
    focus_areas: Mapped[list[FocusArea]] = relationship(
        "FocusArea", secondary=visit_focus_areas, lazy="raise", order_by="FocusArea.position"
    )

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def is_upcoming(self) -> bool:
        return self.status in UPCOMING_STATUSES

    @property
    def host_display(self) -> str:
        """The host's name: the contact person (with title) or the free-text name."""
        if self.host is not None:
            return f"{self.host.name}, {self.host.title}" if self.host.title else self.host.name
        return self.host_name

    def people(self, side: str) -> list[User]:
        """Participants on one side (LEDNING or OFFICE); needs `participants` (and users) loaded."""
        return [p.user for p in self.participants if p.side == side]

    def __repr__(self) -> str:
        return f"<CompanyVisit {self.id} company={self.company_id} {self.status} {self.starts_at}>"


class VisitParticipant(db.Model):
    """A user taking part in a visit, from kommunledning or from the näringslivskontor."""

    __tablename__ = "visit_participants"
    __table_args__ = (sa.CheckConstraint("side IN ('leadership', 'office')", name="side"),)

    visit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("company_visits.id", ondelete="CASCADE"), primary_key=True
    )
    # A user's own visits (calendar feed, "mina besök").
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True, index=True)
    side: Mapped[str] = mapped_column(sa.String(10))

    visit: Mapped[CompanyVisit] = relationship(back_populates="participants", lazy="raise")
    user: Mapped[User] = relationship("User", lazy="raise")


class VisitQuestion(TimestampMixin, VersionedMixin, db.Model):
    """The question bank: suggested questions for visit briefs, per focus area (or general when
    `focus_area_id` is NULL). Admin maintains it; inactive questions are kept but not suggested."""

    __tablename__ = "visit_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    focus_area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("focus_areas.id"), index=True)
    text: Mapped[str] = mapped_column(sa.String(300))
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true(), index=True)

    focus_area: Mapped[FocusArea | None] = relationship("FocusArea", lazy="raise")


class VisitTarget(TimestampMixin, VersionedMixin, db.Model):
    """How many company visits kommunledning aims for in a calendar year (set by admin)."""

    __tablename__ = "visit_targets"
    __table_args__ = (sa.CheckConstraint("target_count >= 0", name="target_count"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    target_count: Mapped[int]


# The proposals' "large employers without contact in 12 months" filters on size class and sorts
# on last contact. The company register does not need this index itself, so it is declared (and
# migrated) here, by the feature whose query uses it.
sa.Index(
    "ix_companies_size_class_last_contact_at",
    Company.__table__.c.size_class,
    Company.__table__.c.last_contact_at,
)
