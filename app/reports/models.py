"""The report facts: derived tables of the contact figures (app.reports.facts).

The indexes the report queries need on other features' tables are declared with those tables'
models (ix_interactions_reports, ix_followups_reports, ix_lots_cases_reports; migrated in
0007_reports).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

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
    __table_args__ = (
        sa.Index("ix_report_contact_days_day", "day"),  # recomputing a day
        # Covering (the key plus contacts, 0022): the figures sum a range without table lookups.
        sa.Index("ix_report_contact_days_cover", "focus_area_id", "user_id", "day", "kind", "contacts"),
    )

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
    __table_args__ = (
        sa.Index("ix_report_company_days_focus_area_id_day", "focus_area_id", "day", "prev_day"),
        # A custom period starting mid-month: the markers whose prev_day lies in that month's
        # first days (app.reports.facts.companies_reached; 0026).
        sa.Index("ix_report_company_days_prev_day", "focus_area_id", "prev_day", "day"),
    )

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
    __table_args__ = (sa.Index("ix_report_user_months_cover", "month", "user_id", "contacts"),)  # 0022

    month: Mapped[date] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(primary_key=True)
    contacts: Mapped[int]


class CompanyMonthFact(db.Model):
    """The markers of report_company_days counted per focus area, month of `day` and month of
    `prev_day` (NO_PREVIOUS for a company's first marker); markers whose prev_day lies in the
    same month are left out (they never count as a company's first in a range of whole months).
    Companies reached in the whole months [A, B) are then the sum over month in [A, B) and
    prev_month < A – a few hundred rows for five years instead of every marker (0026)."""

    __tablename__ = "report_company_months"

    focus_area_id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(primary_key=True)
    prev_month: Mapped[date] = mapped_column(primary_key=True)
    markers: Mapped[int]


class CompanyPeriodFact(db.Model):
    """Companies reached per calendar month ("m"), quarter ("q") and year ("y") and focus area
    (0 = any): the distinct count of report_company_days for the periods the dashboard offers,
    so those read one row. Custom periods count the markers."""

    __tablename__ = "report_company_periods"

    grain: Mapped[str] = mapped_column(sa.String(1), primary_key=True)
    start: Mapped[date] = mapped_column(primary_key=True)
    focus_area_id: Mapped[int] = mapped_column(primary_key=True)
    companies: Mapped[int]


class RecordDayFact(db.Model):
    """The case, follow-up, visit and referral figures per Stockholm day (app.reports.record_facts):
    `family` names the figure family, `detail` one value it is split by (case_new: 1 = large
    establishment; case_closed: days from intake to closing; followup_done: 1 = on time;
    visit_done: 1 = with kommunledningen; referral: the partner). focus_area_id / user_id 0 =
    every; a row has at most one of them set."""

    __tablename__ = "report_record_days"
    # Covering indexes (the key plus n): the reads sum n over a range without a table lookup per
    # row – (family, user 0, days) for the totals, (family, days) for the per-user figures.
    __table_args__ = (
        sa.Index("ix_report_record_days_cover", "family", "user_id", "day", "focus_area_id", "detail", "n"),
        sa.Index(
            "ix_report_record_days_family_day", "family", "day", "user_id", "focus_area_id", "detail", "n"
        ),
    )

    # Key order: the totals and focus-area rows of a family are one index range (user_id = 0).
    family: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    user_id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    focus_area_id: Mapped[int] = mapped_column(primary_key=True)
    detail: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int]


class RecordMonthFact(db.Model):
    """report_record_days summed per calendar month (same key with the month's first day): a
    long period reads its whole months here and only its edge days from the day rows (0026)."""

    __tablename__ = "report_record_months"
    __table_args__ = (
        sa.Index(
            "ix_report_record_months_family_month",
            "family",
            "month",
            "user_id",
            "focus_area_id",
            "detail",
            "n",
        ),
    )

    family: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    user_id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(primary_key=True)
    focus_area_id: Mapped[int] = mapped_column(primary_key=True)
    detail: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int]
