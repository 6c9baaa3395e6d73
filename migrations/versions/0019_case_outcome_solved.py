"""Names in lots cases (issue 16): a case's outcome is stored in English like the case history's
kinds — "löst" as "solved" (was "lost", which read as the English word), "hänvisat" as
"referred", "avböjt" as "declined", "avbrutet" as "cancelled" — and the event organizer's column
is `organizer` (was `organiser`, while every other table says organizer).

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

OUTCOMES = {"lost": "solved", "hanvisat": "referred", "avbojt": "declined", "avbrutet": "cancelled"}

audit_events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer),
    sa.column("entity_type", sa.String),
    sa.column("changes", sa.JSON),
)


def _value(value, names: dict[str, str]):
    if isinstance(value, list):
        return [names.get(v, v) if isinstance(v, str) else v for v in value]
    return names.get(value, value) if isinstance(value, str) else value


def _rename(names: dict[str, str], old_key: str, new_key: str) -> None:
    for table in ("lots_cases", "case_events"):
        for old, new in names.items():
            op.execute(sa.text(f"UPDATE {table} SET outcome = :new WHERE outcome = :old").bindparams(old=old, new=new))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(audit_events.c.id, audit_events.c.changes).where(
            audit_events.c.entity_type == "lots_cases",
            audit_events.c.changes.is_not(None),
            sa.or_(
                *(sa.cast(audit_events.c.changes, sa.Text).like(f'%"{old}"%') for old in names),
                sa.cast(audit_events.c.changes, sa.Text).like(f'%"{old_key}"%'),
            ),
        )
    ).all()
    for row_id, changes in rows:
        if not isinstance(changes, dict):
            continue
        renamed = {new_key if key == old_key else key: value for key, value in changes.items()}
        if "outcome" in renamed:
            renamed["outcome"] = _value(renamed["outcome"], names)
        if renamed != changes:
            connection.execute(sa.update(audit_events).where(audit_events.c.id == row_id).values(changes=renamed))


def upgrade():
    op.execute("ALTER TABLE lots_cases RENAME COLUMN organiser TO organizer")
    _rename(OUTCOMES, "organiser", "organizer")


def downgrade():
    _rename({new: old for old, new in OUTCOMES.items()}, "organizer", "organiser")
    op.execute("ALTER TABLE lots_cases RENAME COLUMN organizer TO organiser")
