"""Personal access tokens for the JSON API and the admin's maximum token lifetime.

Revision ID: 0015_api_tokens
Revises: 0014_privacy
"""

import sqlalchemy as sa
from alembic import op


revision = "0015_api_tokens"
down_revision = "0014_privacy"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_reason", sa.String(length=20), nullable=True),
        sa.Column("rate_window_start", sa.DateTime(), nullable=True),
        sa.Column("rate_count", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint("scope IN ('read', 'write')", name=op.f("ck_api_tokens_scope")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_api_tokens_created_by_id_users")),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["users.id"], name=op.f("fk_api_tokens_revoked_by_id_users")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index("ix_api_tokens_user_id_revoked_at", "api_tokens", ["user_id", "revoked_at"])
    op.create_index(op.f("ix_api_tokens_created_by_id"), "api_tokens", ["created_by_id"])
    op.create_index(op.f("ix_api_tokens_expires_at"), "api_tokens", ["expires_at"])
    op.create_index(op.f("ix_api_tokens_revoked_by_id"), "api_tokens", ["revoked_by_id"])
    op.create_table(
        "api_token_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("max_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("max_days BETWEEN 1 AND 3650", name=op.f("ck_api_token_policy_max_days")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_api_token_policy_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token_policy")),
    )
    op.create_index(op.f("ix_api_token_policy_updated_by_id"), "api_token_policy", ["updated_by_id"])


def downgrade():
    op.drop_index(op.f("ix_api_token_policy_updated_by_id"), table_name="api_token_policy")
    op.drop_table("api_token_policy")
    op.drop_index(op.f("ix_api_tokens_revoked_by_id"), table_name="api_tokens")
    op.drop_index(op.f("ix_api_tokens_expires_at"), table_name="api_tokens")
    op.drop_index(op.f("ix_api_tokens_created_by_id"), table_name="api_tokens")
    op.drop_index("ix_api_tokens_user_id_revoked_at", table_name="api_tokens")
    op.drop_table("api_tokens")
