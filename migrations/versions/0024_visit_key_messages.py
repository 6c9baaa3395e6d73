"""Company visits: "Budskap och frågor" (key messages and questions for the visit brief).

Revision ID: 0024_visit_key_messages
Revises: 0023_search_per_kind
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_visit_key_messages"
down_revision = "0023_search_per_kind"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (no batch rebuild): followups.visit_id refers to company_visits.
    op.add_column("company_visits", sa.Column("key_messages", sa.Text(), server_default="", nullable=False))


def downgrade():
    # SQLite's own DROP COLUMN (3.35+): rebuilding company_visits would trip the foreign keys to it.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE company_visits DROP COLUMN key_messages")
    else:
        op.drop_column("company_visits", "key_messages")
