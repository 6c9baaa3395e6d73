"""The deadline list's count reads only indexes (issue 18): the permit rows' "undecided by
expected decision date" and "unsubmitted by apply-by date" indexes also hold `case_id`.

`/arenden?vy=frister` counts the cases with a permit deadline near or passed from the permit side
(`app.cases.queries.warning_case_ids`: ~4 200 permit rows at 100 000 companies). The two indexes
found the rows but not their case, so SQLite read each permit row from the table for its
`case_id`. With `case_id` in the index it does not: the count 6.2 → 2.7 ms CPU on SQLite (what is
left is the cases' own status check; PostgreSQL's plan, a hash semi join over a BitmapOr, stays
as it was). The new indexes begin with the old ones' columns and replace them for every query
they served (deadline digests, the case page's clocks).

Plans before and after: docs/ARCHITECTURE.md, "Plans at 100 000 companies".

Revision ID: 0028_permit_deadline_indexes
Revises: 0027_company_filter_index
"""

from alembic import op

revision = "0028_permit_deadline_indexes"
down_revision = "0027_company_filter_index"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_case_permits_decision_on_expected_case",
        "case_permits",
        ["decision_on", "expected_decision_on", "case_id"],
    )
    op.create_index(
        "ix_case_permits_submitted_on_apply_by_case", "case_permits", ["submitted_on", "apply_by", "case_id"]
    )
    op.drop_index("ix_case_permits_decision_on_expected", table_name="case_permits")
    op.drop_index("ix_case_permits_submitted_on_apply_by", table_name="case_permits")


def downgrade():
    op.create_index("ix_case_permits_decision_on_expected", "case_permits", ["decision_on", "expected_decision_on"])
    op.create_index("ix_case_permits_submitted_on_apply_by", "case_permits", ["submitted_on", "apply_by"])
    op.drop_index("ix_case_permits_decision_on_expected_case", table_name="case_permits")
    op.drop_index("ix_case_permits_submitted_on_apply_by_case", table_name="case_permits")
