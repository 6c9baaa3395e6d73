"""Report facts for long periods (issue 18): the companies-reached markers counted per month and
month of the previous marker (report_company_months), an index on the markers' previous day,
the contacts that concerned permits as rows of report_contact_days (kind
"concerns_permits") and the record facts summed per month (report_record_months), so that a dashboard of any period up to five years reads a few hundred
fact rows instead of every marker and contact of the period (app.reports.facts).

Derived data like 0017 and 0022: filled here from the existing markers and contacts, kept in step
by app.reports.facts_sync in the same transaction as every write.

Revision ID: 0026_company_months
Revises: 0025_indicator_focus_areas
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0026_company_months"
down_revision = "0025_indicator_focus_areas"
branch_labels = None
depends_on = None

_MONTH = {
    "sqlite": "date({col}, 'start of month')",
    "postgresql": "CAST(date_trunc('month', {col}) AS DATE)",
}


def upgrade() -> None:
    op.create_table(
        "report_company_months",
        sa.Column("focus_area_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("prev_month", sa.Date(), nullable=False),
        sa.Column("markers", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "focus_area_id", "month", "prev_month", name=op.f("pk_report_company_months")
        ),
    )
    op.create_index(
        "ix_report_company_days_prev_day", "report_company_days", ["focus_area_id", "prev_day", "day"]
    )
    bind = op.get_bind()
    month = _MONTH[bind.dialect.name]
    day, prev = month.format(col="day"), month.format(col="prev_day")
    # The same rows as app.reports.facts_sync._month_pairs (a marker whose previous marker lies in
    # the same month is left out; NO_PREVIOUS = 1900-01-01 for a company's first).
    bind.execute(
        sa.text(
            "INSERT INTO report_company_months (focus_area_id, month, prev_month, markers) "
            f"SELECT focus_area_id, {day}, COALESCE({prev}, :none), count(*) FROM report_company_days "  # noqa: S608
            f"WHERE prev_day IS NULL OR {prev} <> {day} "
            f"GROUP BY focus_area_id, {day}, COALESCE({prev}, :none)"
        ).bindparams(sa.bindparam("none", type_=sa.Date())),
        {"none": date(1900, 1, 1)},
    )

    op.create_table(
        "report_record_months",
        sa.Column("family", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("focus_area_id", sa.Integer(), nullable=False),
        sa.Column("detail", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "family", "user_id", "month", "focus_area_id", "detail", name=op.f("pk_report_record_months")
        ),
    )
    op.create_index(
        "ix_report_record_months_family_month",
        "report_record_months",
        ["family", "month", "user_id", "focus_area_id", "detail", "n"],
    )
    # app.reports.record_months.month_key: a user's closed cases without the days to close.
    detail = "CASE WHEN family = 'case_closed' AND user_id <> 0 THEN 0 ELSE detail END"
    bind.execute(
        sa.text(
            "INSERT INTO report_record_months (family, user_id, month, focus_area_id, detail, n) "
            f"SELECT family, user_id, {day}, focus_area_id, {detail}, sum(n) FROM report_record_days "  # noqa: S608
            f"GROUP BY family, user_id, {day}, focus_area_id, {detail} HAVING sum(n) <> 0"
        )
    )

    from app.reports import facts_sync as fs

    guided = fs._contacts(bind, [fs._i.id.in_(sa.select(fs._guidance.c.interaction_id))])
    rows = {key: n for key, n in fs._day_rows(guided).items() if key[3] == fs.PERMITS}
    # A database upgraded from before 0017 in one go got them from 0017's fill already.
    bind.execute(sa.delete(fs._days).where(fs._days.c.kind == fs.PERMITS))
    fs._apply(bind, fs._days, ("day", "focus_area_id", "user_id", "kind"), "contacts", {}, rows)


def downgrade() -> None:
    op.drop_index("ix_report_record_months_family_month", table_name="report_record_months")
    op.drop_table("report_record_months")
    op.execute("DELETE FROM report_contact_days WHERE kind = 'concerns_permits'")
    op.drop_index("ix_report_company_days_prev_day", table_name="report_company_days")
    op.drop_table("report_company_months")
