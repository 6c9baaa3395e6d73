"""Report facts (issue 18): the contact figures per Stockholm day and the per-company day
markers for "companies reached", filled from the existing contacts.

The tables are derived data (app.reports.facts keeps them in step in the same transaction as
every contact write, `flask reports rebuild-facts` recomputes them). The fill calls that same
rebuild so it cannot disagree with the hook; it reads only the contact tables, whose counted
columns this revision does not change.

Revision ID: 0017_report_facts
Revises: 0016_search_personal_ids
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_report_facts"
down_revision = "0016_search_personal_ids"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_contact_days",
        sa.Column("focus_area_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("contacts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("focus_area_id", "user_id", "day", "kind", name=op.f("pk_report_contact_days")),
    )
    op.create_index("ix_report_contact_days_day", "report_contact_days", ["day"])
    op.create_table(
        "report_user_months",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("contacts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("month", "user_id", name=op.f("pk_report_user_months")),
    )
    op.create_table(
        "report_company_days",
        sa.Column("focus_area_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("prev_day", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("focus_area_id", "company_id", "day", name=op.f("pk_report_company_days")),
    )
    op.create_index(
        "ix_report_company_days_focus_area_id_day", "report_company_days", ["focus_area_id", "day", "prev_day"]
    )
    op.create_table(
        "report_company_periods",
        sa.Column("grain", sa.String(length=1), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("focus_area_id", sa.Integer(), nullable=False),
        sa.Column("companies", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("grain", "start", "focus_area_id", name=op.f("pk_report_company_periods")),
    )
    op.create_index("ix_followups_reports", "followups", ["status", "done_on", "due_on", "assignee_id"])
    op.create_index(
        "ix_lots_cases_reports", "lots_cases", ["intake_on", "closed_at", "focus_area_id", "responsible_user_id"]
    )
    from app.reports.facts import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_lots_cases_reports", table_name="lots_cases")
    op.drop_index("ix_followups_reports", table_name="followups")
    op.drop_table("report_company_periods")
    op.drop_index("ix_report_company_days_focus_area_id_day", table_name="report_company_days")
    op.drop_table("report_company_days")
    op.drop_table("report_user_months")
    op.drop_index("ix_report_contact_days_day", table_name="report_contact_days")
    op.drop_table("report_contact_days")
