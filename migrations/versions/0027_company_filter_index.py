"""The filtered company list's index (issue 18): `companies (area_id, status, last_contact_at)`
replaces `companies (area_id)`.

`/foretag?status=active&area=<id>&no_contact=12` ("active companies in an area without contact
for 12 months") read every company of the area through `ix_companies_area_id` – ~10 000 rows at
100 000 companies – to find ~1 600 matches, for the page and again for its capped count. With
all three filter columns in one index SQLite reads only the matches (a MULTI-INDEX OR over
"last_contact_at IS NULL" and "last_contact_at < cutoff"): list 8.8 → 3.9 ms, count 5.0 →
1.4 ms CPU. The old single-column index is a prefix of the new one (the area filter alone and
the foreign key's lookups use the new one), so it is dropped rather than kept twice.

Plans before and after: docs/ARCHITECTURE.md, "Plans at 100 000 companies".

Revision ID: 0027_company_filter_index
Revises: 0026_company_months
"""

from alembic import op

revision = "0027_company_filter_index"
down_revision = "0026_company_months"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_companies_area_id_status_last_contact_at", "companies", ["area_id", "status", "last_contact_at"]
    )
    op.drop_index("ix_companies_area_id", table_name="companies")


def downgrade():
    op.create_index("ix_companies_area_id", "companies", ["area_id"])
    op.drop_index("ix_companies_area_id_status_last_contact_at", table_name="companies")
