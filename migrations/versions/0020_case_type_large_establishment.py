"""CaseType.is_large_establishment: a case type says itself that its cases are large
establishments ("stor etablering"), for the report figure "Nya större etableringar" and the
notable items. Until now app/reports/figures.py guessed it from four spellings of the code and
`lower(name) LIKE '%stor%etablering%'` on the editable name; the upgrade applies that guess
once, here, so the same case types count as before.

Revision ID: 0020_large_establishment
Revises: 0018_list_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_large_establishment"  # alembic_version holds at most 32 characters
down_revision = "0019_case_outcome_solved"
branch_labels = None
depends_on = None

# The codes the old guess matched (with the name test below).
GUESSED_CODES = ("stor_etablering", "storetablering", "stor-etablering", "storre_etablering")


def upgrade():
    # A plain ADD COLUMN (no batch rebuild): lots_cases and survey_responses refer to case_types.
    op.add_column(
        "case_types",
        sa.Column("is_large_establishment", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    case_types = sa.table(
        "case_types",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("is_large_establishment", sa.Boolean),
    )
    op.execute(
        case_types.update()
        .where(
            sa.or_(
                case_types.c.code.in_(GUESSED_CODES),
                sa.func.lower(case_types.c.name).like("%stor%etablering%"),
            )
        )
        .values(is_large_establishment=True)
    )


def downgrade():
    # SQLite's own DROP COLUMN (3.35+): rebuilding case_types would trip the foreign keys to it.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE case_types DROP COLUMN is_large_establishment")
    else:
        op.drop_column("case_types", "is_large_establishment")
