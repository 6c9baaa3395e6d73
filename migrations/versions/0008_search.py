"""Full-text search: SQLite FTS5 table with triggers, or PostgreSQL GIN expression indexes.

SQLite: one FTS5 table `search_fts` (tokenizer unicode61 with remove_diacritics 0, so å, ä and ö
stay letters of their own: "får" never matches "far"). rowid = source id * 4 + kind
(0 company, 1 contact person, 2 contact, 3 lots case) so each trigger replaces its row by key.
PostgreSQL: GIN indexes on to_tsvector('swedish', …) expressions, identical to the ones in
app/search/queries.py (the swedish configuration also keeps å/ä/ö and stems Swedish words).

Revision ID: 0008_search
Revises: 0007_reports
"""

from alembic import op

revision = "0008_search"
down_revision = "0007_reports"
branch_labels = None
depends_on = None

# kind code, table, title expression, body expression, columns whose update re-indexes (SQLite)
SOURCES = [
    (0, "companies", "new.name", "coalesce(new.orgnr, '')", "name, orgnr"),
    (1, "contact_persons", "new.name", "''", "name"),
    (2, "interactions", "new.subject", "new.notes", "subject, notes"),
    (3, "lots_cases", "new.title", "''", "title"),
]

PG_INDEXES = [
    ("ix_fts_companies", "companies", "setweight(to_tsvector('swedish', coalesce(name, '')), 'A') || setweight(to_tsvector('swedish', coalesce(orgnr, '')), 'B')"),
    ("ix_fts_contact_persons", "contact_persons", "to_tsvector('swedish', coalesce(name, ''))"),
    ("ix_fts_interactions", "interactions", "setweight(to_tsvector('swedish', coalesce(subject, '')), 'A') || setweight(to_tsvector('swedish', coalesce(notes, '')), 'B')"),
    ("ix_fts_lots_cases", "lots_cases", "to_tsvector('swedish', coalesce(title, ''))"),
]


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "title, body, tokenize = 'unicode61 remove_diacritics 0')"
        )
        for code, table, title, body, columns in SOURCES:
            row = f"(new.id * 4 + {code}, {title}, {body})"
            op.execute(
                f"CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN "
                f"INSERT INTO search_fts(rowid, title, body) VALUES {row}; END"
            )
            op.execute(
                f"CREATE TRIGGER search_{table}_au AFTER UPDATE OF {columns} ON {table} BEGIN "
                f"DELETE FROM search_fts WHERE rowid = old.id * 4 + {code}; "
                f"INSERT INTO search_fts(rowid, title, body) VALUES {row}; END"
            )
            op.execute(
                f"CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN "
                f"DELETE FROM search_fts WHERE rowid = old.id * 4 + {code}; END"
            )
            # Rows that existed before this migration.
            old_row = row.replace("new.", "src.")
            op.execute(f"INSERT INTO search_fts(rowid, title, body) SELECT {old_row[1:-1]} FROM {table} AS src")
    elif dialect == "postgresql":
        for name, table, expression in PG_INDEXES:
            op.execute(f"CREATE INDEX {name} ON {table} USING gin (({expression}))")
        # Prefix search on organisationsnummer ("556036…") with a B-tree whatever the collation.
        op.execute("CREATE INDEX ix_fts_companies_orgnr_prefix ON companies (orgnr varchar_pattern_ops)")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for _code, table, _title, _body, _columns in SOURCES:
            for suffix in ("ai", "au", "ad"):
                op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{suffix}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    elif dialect == "postgresql":
        for name, _table, _expression in PG_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
        op.execute("DROP INDEX IF EXISTS ix_fts_companies_orgnr_prefix")
