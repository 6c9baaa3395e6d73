"""Indexes the report queries need on other features' tables. Declared (and migrated, in
0007_reports) here, by the feature whose queries use them.

ix_interactions_reports covers every column the contact figures read, so counting a period's
contacts is an index-only range scan (measured on SQLite with 1 000 000 contacts: one month's
figures with the year-earlier comparison in about 0.6 s instead of 1.5 s; see
docs/ARCHITECTURE.md "Rapporter").
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.cases.models import LotsCase
from app.extensions import db
from app.followups.models import FollowUp
from app.interactions.models import Interaction

_c = Interaction.__table__.c

sa.Index(
    "ix_interactions_reports",
    _c.occurred_at,
    _c.deleted_at,
    _c.kind,
    _c.focus_area_id,
    _c.company_id,
    _c.author_id,
)


# The follow-up figures (done on time / late in a period, per assignee): a range on done_on read
# from the index alone; without it both databases walk (status, due_on) and fetch every done row.
_f = FollowUp.__table__.c
sa.Index("ix_followups_reports", _f.status, _f.done_on, _f.due_on, _f.assignee_id)
# Open cases at a moment and the cases closed in a period: index-only over intake_on/closed_at
# with the focus-area and user columns the scopes filter on.
_lc = LotsCase.__table__.c
sa.Index("ix_lots_cases_reports", _lc.intake_on, _lc.closed_at, _lc.focus_area_id, _lc.responsible_user_id)


# --------------------------------------------------------------------------- report facts
# Derived tables (app.reports.facts keeps them in step with the contacts, in the same
# transaction; `flask reports rebuild-facts` and the nightly reconcile job recompute them).
# No foreign keys: they are a cache of the contact rows, rebuilt from them at any time, and
# 0 means "every" in focus_area_id / user_id.


class ContactDayFact(db.Model):
    """Non-deleted contacts per Stockholm day: per kind (focus_area_id = user_id = 0), per kind
    and focus area (primary OR additional; user_id = 0), and per user (author OR participant;
    focus_area_id = 0, kind = '')."""

    __tablename__ = "report_contact_days"
    __table_args__ = (sa.Index("ix_report_contact_days_day", "day"),)  # recomputing a day

    # Key order: each family is one index range per focus area / user (the figures ask for
    # focus_area_id = x AND user_id = y AND day in the period).
    focus_area_id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(30), primary_key=True)
    contacts: Mapped[int]


class CompanyDayFact(db.Model):
    """One row per company, focus area (0 = any) and Stockholm day with at least one counted
    contact; `prev_day` is the company's previous such day (same focus area). The companies
    reached in [a, b) are then the rows with a <= day < b and prev_day NULL or < a – a count
    over an index range instead of a DISTINCT over every contact of the period."""

    __tablename__ = "report_company_days"
    __table_args__ = (sa.Index("ix_report_company_days_focus_area_id_day", "focus_area_id", "day", "prev_day"),)

    focus_area_id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    prev_day: Mapped[date | None]


class UserMonthFact(db.Model):
    """Contacts per user (author OR participant) per calendar month: the sums of the per-user
    rows of report_contact_days of that month. Per-user day rows barely compress (a user has a
    contact or two a day), so the per-user table of a long period reads the whole months here
    and only the edge days from report_contact_days."""

    __tablename__ = "report_user_months"

    month: Mapped[date] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(primary_key=True)
    contacts: Mapped[int]


class CompanyPeriodFact(db.Model):
    """Companies reached per calendar month ("m"), quarter ("q") and year ("y") and focus area
    (0 = any): the distinct count of report_company_days for the periods the dashboard offers,
    so those read one row. Custom periods count the markers."""

    __tablename__ = "report_company_periods"

    grain: Mapped[str] = mapped_column(sa.String(1), primary_key=True)
    start: Mapped[date] = mapped_column(primary_key=True)
    focus_area_id: Mapped[int] = mapped_column(primary_key=True)
    companies: Mapped[int]
