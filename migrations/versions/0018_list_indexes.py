"""List and detail indexes found by `make bench` at 100 000 companies (issue 18).

* `lots_cases (intake_on, id)`: `/arenden` (all open cases, oldest intake first) filters
  `status <> 'avslutat'` and orders by (intake_on, id). The (status, intake_on) index cannot
  serve a "not equal" in that order, so both databases read every case, joined companies,
  case types and users to all of them and sorted (PostgreSQL: a hash join over all 100 000
  companies, 485 ms). Now they walk this index in list order and stop after a page (2 ms).
* `interactions (case_id, occurred_at) WHERE case_id IS NOT NULL` replaces the full index on
  `case_id`: almost every contact has no case, and with ANALYZE statistics over all those NULLs
  SQLite expected a million rows per case and walked `ix_interactions_occurred_at` through every
  contact for the case page's linked contacts (seconds per request). Partial, as in 0009.

Plans before and after: docs/ARCHITECTURE.md, "Indexes and why".

Revision ID: 0018_list_indexes
Revises: 0017_report_facts
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_list_indexes"
down_revision = "0017_report_facts"
branch_labels = None
depends_on = None

CASE_ID_SET = sa.text("case_id IS NOT NULL")


def upgrade():
    op.create_index("ix_lots_cases_intake_on_id", "lots_cases", ["intake_on", "id"])
    op.drop_index("ix_interactions_case_id", table_name="interactions")
    op.create_index(
        "ix_interactions_case_id_occurred_at",
        "interactions",
        ["case_id", "occurred_at"],
        sqlite_where=CASE_ID_SET,
        postgresql_where=CASE_ID_SET,
    )


def downgrade():
    op.drop_index("ix_interactions_case_id_occurred_at", table_name="interactions")
    op.create_index("ix_interactions_case_id", "interactions", ["case_id"])
    op.drop_index("ix_lots_cases_intake_on_id", table_name="lots_cases")
