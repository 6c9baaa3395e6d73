"""Personal data and records duties (issue 17): person-rights log, retention rules, the
gallringsprotokoll, the Art. 21 objection on contact persons, and the outbox's list of
single-use secrets to remove after delivery. Survey mails already delivered lose their link
here (the link is not a record of the case).

Revision ID: 0014_privacy
Revises: 0013_sign_in
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0014_privacy"
down_revision = "0013_sign_in"
branch_labels = None
depends_on = None

REDACTED = "[engångslänken togs bort efter leveransen]"
SURVEY_LINK = re.compile(r"(/enkat/)[A-Za-z0-9_\-]{16,}")


def upgrade():
    # Plain ADD COLUMN (nullable): no batch rebuild of tables that others reference.
    op.add_column("contact_persons", sa.Column("objected_at", sa.DateTime(), nullable=True))
    op.add_column("outbox_messages", sa.Column("redact", sa.JSON(), nullable=True))
    where = sa.text("objected_at IS NOT NULL")
    op.create_index("ix_contact_persons_objected_at_set", "contact_persons", ["objected_at"],
                    sqlite_where=where, postgresql_where=where)

    op.create_table(
        "privacy_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("entity_type", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=60), server_default="", nullable=False),
        sa.Column("old_value", sa.Text(), server_default="", nullable=False),
        sa.Column("new_value", sa.Text(), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("decision_reference", sa.String(length=200), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_privacy_events_actor_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_events")),
    )
    op.create_index("ix_privacy_events_entity", "privacy_events", ["entity_type", "entity_id"])
    op.create_index(op.f("ix_privacy_events_actor_id"), "privacy_events", ["actor_id"])

    op.create_table(
        "retention_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=20), server_default="keep", nullable=False),
        sa.Column("years", sa.Integer(), nullable=True),
        sa.Column("decision_reference", sa.String(length=200), server_default="", nullable=False),
        sa.Column("decision_on", sa.Date(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("action IN ('keep', 'delete', 'anonymise')", name=op.f("ck_retention_rules_action")),
        sa.CheckConstraint("years IS NULL OR years >= 0", name=op.f("ck_retention_rules_years")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_retention_rules_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_rules")),
        sa.UniqueConstraint("record_type", name=op.f("uq_retention_rules_record_type")),
    )
    op.create_index(op.f("ix_retention_rules_updated_by_id"), "retention_rules", ["updated_by_id"])

    op.create_table(
        "disposal_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=False),
        sa.Column("trigger", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("total", sa.Integer(), server_default="0", nullable=False),
        sa.Column("summary", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_disposal_runs_actor_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disposal_runs")),
    )
    op.create_index(op.f("ix_disposal_runs_started_at"), "disposal_runs", ["started_at"])
    op.create_index(op.f("ix_disposal_runs_actor_id"), "disposal_runs", ["actor_id"])

    op.create_table(
        "disposal_run_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_label", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("years", sa.Integer(), nullable=True),
        sa.Column("cutoff", sa.DateTime(), nullable=True),
        sa.Column("decision_reference", sa.String(length=200), nullable=False),
        sa.Column("decision_on", sa.Date(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["disposal_runs.id"], name=op.f("fk_disposal_run_items_run_id_disposal_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disposal_run_items")),
    )
    op.create_index(op.f("ix_disposal_run_items_run_id"), "disposal_run_items", ["run_id"])

    # Survey mails delivered before this release still hold their single-use link.
    bind = op.get_bind()
    outbox = sa.table("outbox_messages", sa.column("id", sa.Integer), sa.column("body_text", sa.Text),
                      sa.column("body_html", sa.Text), sa.column("status", sa.String), sa.column("template", sa.String))
    rows = bind.execute(sa.select(outbox.c.id, outbox.c.body_text, outbox.c.body_html)
                        .where(outbox.c.template == "cases/survey", outbox.c.status == "sent")).all()
    for row in rows:
        bind.execute(sa.update(outbox).where(outbox.c.id == row.id).values(
            body_text=SURVEY_LINK.sub(r"\1" + REDACTED, row.body_text or ""),
            body_html=SURVEY_LINK.sub(r"\1" + REDACTED, row.body_html) if row.body_html else row.body_html,
        ))


def downgrade():
    op.drop_index(op.f("ix_disposal_run_items_run_id"), table_name="disposal_run_items")
    op.drop_table("disposal_run_items")
    op.drop_index(op.f("ix_disposal_runs_actor_id"), table_name="disposal_runs")
    op.drop_index(op.f("ix_disposal_runs_started_at"), table_name="disposal_runs")
    op.drop_table("disposal_runs")
    op.drop_index(op.f("ix_retention_rules_updated_by_id"), table_name="retention_rules")
    op.drop_table("retention_rules")
    op.drop_index(op.f("ix_privacy_events_actor_id"), table_name="privacy_events")
    op.drop_index("ix_privacy_events_entity", table_name="privacy_events")
    op.drop_table("privacy_events")
    # Plain DROP COLUMN (SQLite ≥ 3.35): a batch rebuild would cascade referencing rows away.
    op.drop_column("outbox_messages", "redact")
    op.drop_index("ix_contact_persons_objected_at_set", table_name="contact_persons")
    op.drop_column("contact_persons", "objected_at")
