"""Names in lots cases (issue 16): the outcome "löst" is stored as "solved" (was "lost", which
read as the English word), and the event organizer's column is `organizer` (was `organiser`,
while every other table says organizer).

Stored values that change, up and back down:

* `lots_cases.outcome` and `case_events.outcome` (the history of status changes);
* the audit trail of lots cases (`audit_events.changes`): an outcome value in an update
  (`{"outcome": [old, new]}`) or a delete snapshot (`{"outcome": value}`), and the key
  `organiser`, so the history reads in the names the code uses.

The column is renamed in place (`ALTER TABLE … RENAME COLUMN`, SQLite 3.25+ and PostgreSQL):
a batch copy of the table on SQLite would drop the search triggers on `lots_cases` (0008).

Revision ID: 0019_case_outcome_solved
Revises: 0018_list_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_case_outcome_solved"
down_revision = "0018_list_indexes"
branch_labels = None
depends_on = None

OLD, NEW = "lost", "solved"

audit_events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer),
    sa.column("entity_type", sa.String),
    sa.column("changes", sa.JSON),
)


def _value(value, old: str, new: str):
    if isinstance(value, list):
        return [new if v == old else v for v in value]
    return new if value == old else value


def _rename(old: str, new: str, old_key: str, new_key: str) -> None:
    for table in ("lots_cases", "case_events"):
        op.execute(sa.text(f"UPDATE {table} SET outcome = :new WHERE outcome = :old").bindparams(old=old, new=new))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(audit_events.c.id, audit_events.c.changes).where(
            audit_events.c.entity_type == "lots_cases",
            audit_events.c.changes.is_not(None),
            sa.or_(
                sa.cast(audit_events.c.changes, sa.Text).like(f'%"{old}"%'),
                sa.cast(audit_events.c.changes, sa.Text).like(f'%"{old_key}"%'),
            ),
        )
    ).all()
    for row_id, changes in rows:
        if not isinstance(changes, dict):
            continue
        renamed = {new_key if key == old_key else key: value for key, value in changes.items()}
        if "outcome" in renamed:
            renamed["outcome"] = _value(renamed["outcome"], old, new)
        if renamed != changes:
            connection.execute(sa.update(audit_events).where(audit_events.c.id == row_id).values(changes=renamed))


def upgrade():
    op.execute("ALTER TABLE lots_cases RENAME COLUMN organiser TO organizer")
    _rename(OLD, NEW, "organiser", "organizer")


def downgrade():
    _rename(NEW, OLD, "organizer", "organiser")
    op.execute("ALTER TABLE lots_cases RENAME COLUMN organizer TO organiser")
