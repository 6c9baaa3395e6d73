"""Partial indexes for soft-delete and merge columns.

Full indexes on companies.deleted_at, companies.merged_into_id and interactions.deleted_at
(almost always NULL) made SQLite without ANALYZE statistics pick them for "IS NULL" and then
sort the whole table for the company and contact lists (0.5 s at 1 000 000 contacts). Only the
rare non-NULL rows are indexed now, which is what lookups of merged or deleted rows need.

Revision ID: 0009_partial_indexes
Revises: 0008_search
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_partial_indexes"
down_revision = "0008_search"
branch_labels = None
depends_on = None

PARTIAL = [
    ("companies", "ix_companies_merged_into_id", "ix_companies_merged_into_id_set", "merged_into_id"),
    ("companies", "ix_companies_deleted_at", "ix_companies_deleted_at_set", "deleted_at"),
    ("interactions", "ix_interactions_deleted_at", "ix_interactions_deleted_at_set", "deleted_at"),
]


def upgrade():
    for table, old, new, column in PARTIAL:
        op.drop_index(old, table_name=table)
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(new, table, [column], sqlite_where=where, postgresql_where=where)


def downgrade():
    for table, old, new, column in PARTIAL:
        op.drop_index(new, table_name=table)
        op.create_index(old, table, [column])
