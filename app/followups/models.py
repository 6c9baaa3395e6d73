"""Follow-ups (uppföljningar), the per-day digest marker and the calendar feed tokens.

A follow-up hangs on a company (company follow-ups) or stands alone (company_id NULL, e.g.
"förbered nätverksträff"). interaction_id / case_id / visit_id are plain integers for now: the
contact log, cases and visits are built by other features, whose migrations add the foreign
keys once their tables exist.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from flask_babel.speaklater import LazyString
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import TimestampMixin, VersionedMixin
from app.core.time import utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.companies.models import Company

OPEN, DONE, CANCELLED = "open", "done", "cancelled"


def _cancelled_label() -> str:
    # "Avbruten" is "Aborted" elsewhere (an import); a follow-up is cancelled.
    return pgettext("uppföljning", "Avbruten")


STATUS_LABELS = {OPEN: _l("Öppen"), DONE: _l("Klar"), CANCELLED: LazyString(_cancelled_label)}

SOURCES = {
    "manual": _l("Egen"),
    "cadence": _l("Kontaktintervall"),
    "contact": _l("Kontakt"),
    "case": _l("Lotsärende"),
    "visit": _l("Företagsbesök"),
}


class FollowUp(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "followups"
    __table_args__ = (
        # "My open follow-ups due by …": panel, nav badge, list, calendar feed.
        sa.Index("ix_followups_assignee_id_status_due_on", "assignee_id", "status", "due_on"),
        # The digest: every open follow-up due on or before a day, for all users.
        sa.Index("ix_followups_status_due_on", "status", "due_on"),
        # A company's open follow-ups (next_followup_on, company page).
        sa.Index("ix_followups_company_id_status_due_on", "company_id", "status", "due_on"),
        # Nothing piles up: at most one open cadence item per company, enforced by the database.
        sa.Index(
            "uq_followups_open_cadence",
            "company_id",
            unique=True,
            sqlite_where=sa.text("status = 'open' AND source = 'cadence'"),
            postgresql_where=sa.text("status = 'open' AND source = 'cadence'"),
        ),
        # The report figures (done on time / late in a period, per assignee): a range on done_on
        # read from the index alone; without it both databases walk (status, due_on) and fetch
        # every done row. Migration 0007_reports.
        sa.Index("ix_followups_reports", "status", "done_on", "due_on", "assignee_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    due_on: Mapped[date]
    due_time: Mapped[time | None]
    # Indexed through the composite indexes above (their leading column).
    assignee_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    company_id: Mapped[int | None] = mapped_column(sa.ForeignKey("companies.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    interaction_id: Mapped[int | None] = mapped_column(index=True)
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lots_cases.id"), index=True)  # FK: 0005_cases
    visit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("company_visits.id"), index=True
    )  # FK: 0006_visits
    source: Mapped[str] = mapped_column(sa.String(20), default="manual", server_default="manual")
    status: Mapped[str] = mapped_column(sa.String(20), default=OPEN, server_default=OPEN)
    done_on: Mapped[date | None]
    done_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    snooze_count: Mapped[int] = mapped_column(default=0, server_default="0")

    assignee: Mapped[User] = relationship("User", foreign_keys=[assignee_id], lazy="raise")
    company: Mapped[Company | None] = relationship("Company", lazy="raise")

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def source_label(self) -> str:
        return str(SOURCES.get(self.source, self.source))

    def __repr__(self) -> str:
        return f"<FollowUp {self.id} {self.title!r} {self.status} {self.due_on}>"


class DigestRun(db.Model):
    """The daily digests of `day` have been queued (so a later tick that day does nothing)."""

    __tablename__ = "digest_runs"

    day: Mapped[date] = mapped_column(primary_key=True)
    queued_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarFeed(db.Model):
    """A user's secret calendar URL token. Regenerating replaces it (old subscriptions stop).

    Stored as is (not hashed) so the settings page can show the address again; the feed only
    holds data that anyone with database access can read anyway.
    """

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
