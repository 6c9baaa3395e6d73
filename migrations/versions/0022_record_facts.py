"""Report facts of the case, follow-up, visit and referral figures (issue 18): per Stockholm
day, family, focus area, user and detail, filled from the existing rows; covering indexes for
the contact facts of 0017.

Derived data like the contact facts of 0017 (app.reports.record_facts keeps them in step in the
same transaction as every write; `flask reports rebuild-facts` and the nightly reconcile
recompute them). The fill calls that same rebuild so it cannot disagree with the hook.

Revision ID: 0022_record_facts
Revises: 0021_english_codes
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_record_facts"
down_revision = "0021_english_codes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_record_days",
        sa.Column("family", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("focus_area_id", sa.Integer(), nullable=False),
        sa.Column("detail", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "family", "user_id", "day", "focus_area_id", "detail", name=op.f("pk_report_record_days")
        ),
    )
    op.create_index(
        "ix_report_record_days_cover",
        "report_record_days",
        ["family", "user_id", "day", "focus_area_id", "detail", "n"],
    )
    op.create_index(
        "ix_report_record_days_family_day",
        "report_record_days",
        ["family", "day", "user_id", "focus_area_id", "detail", "n"],
    )
    # Covering indexes for the contact facts of 0017: the figures sum n over an index range
    # without a table lookup per row.
    op.create_index(
        "ix_report_contact_days_cover",
        "report_contact_days",
        ["focus_area_id", "user_id", "day", "kind", "contacts"],
    )
    op.create_index("ix_report_user_months_cover", "report_user_months", ["month", "user_id", "contacts"])

    from app.reports.record_facts import rebuild

    rebuild(op.get_bind(), months=False)  # report_record_months comes with 0026


def downgrade() -> None:
    op.drop_index("ix_report_user_months_cover", table_name="report_user_months")
    op.drop_index("ix_report_contact_days_cover", table_name="report_contact_days")
    op.drop_index("ix_report_record_days_family_day", table_name="report_record_days")
    op.drop_index("ix_report_record_days_cover", table_name="report_record_days")
    op.drop_table("report_record_days")
