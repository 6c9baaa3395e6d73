"""Search: one full-text table per kind of record (issue 18).

Before, SQLite kept every kind in one FTS5 table `search_fts` (rowid = id * 4 + kind), and a
search for companies read the postings of every kind: the prefix "bygg" matches ~150 000
contacts' "bygglov" at 100 000 companies, and the company list and the search page walked them
all before `rowid % 4` kept the companies. PostgreSQL had GIN expression indexes on the source
tables; the search page's "newest matches first" walk then ran to_tsvector over every row it
passed (3 s for a word no contact person has, walking all 250 000 of them).

Now each kind has its own table, named alike on both databases (app.core.fulltext):

* SQLite: FTS5 `search_fts_<kind>(title, body)`, rowid = source id, the same tokenizer
  (unicode61, remove_diacritics 0: å, ä, ö stay letters of their own) and the same triggers
  (search_<table>_ai / _au / _ad) as before, writing to the kind's table.
* PostgreSQL: `search_fts_<kind>(id PRIMARY KEY, document tsvector)` with a GIN index, written by
  one trigger function per source table; `document` is the expression the old index had, so
  ranks are unchanged. The old expression indexes go (nothing else reads them).

Revision ID: 0023_search_per_kind
Revises: 0022_record_facts
"""

from alembic import op

revision = "0023_search_per_kind"
down_revision = "0022_record_facts"
branch_labels = None
depends_on = None

LEGAL_ONLY = "CASE WHEN substr({t}orgnr, 3, 2) >= '20' THEN {t}orgnr ELSE '' END"

# kind, source table, SQLite title, SQLite body, columns whose update re-indexes, PostgreSQL document
SOURCES = [
    ("company", "companies", "{t}name", LEGAL_ONLY, "name, orgnr",
     "setweight(to_tsvector('swedish', coalesce({t}name, '')), 'A') || "
     f"setweight(to_tsvector('swedish', {LEGAL_ONLY}), 'B')"),
    ("person", "contact_persons", "{t}name", "''", "name", "to_tsvector('swedish', coalesce({t}name, ''))"),
    ("interaction", "interactions", "{t}subject", "{t}notes", "subject, notes",
     "setweight(to_tsvector('swedish', coalesce({t}subject, '')), 'A') || "
     "setweight(to_tsvector('swedish', coalesce({t}notes, '')), 'B')"),
    ("case", "lots_cases", "{t}title", "''", "title", "to_tsvector('swedish', coalesce({t}title, ''))"),
]  # fmt: skip

# What 0008 and 0016 created, for the downgrade.
OLD_CODES = {"company": 0, "person": 1, "interaction": 2, "case": 3}
OLD_PG_INDEXES = {
    "company": "ix_fts_companies",
    "person": "ix_fts_contact_persons",
    "interaction": "ix_fts_interactions",
    "case": "ix_fts_lots_cases",
}


def _sqlite_triggers(table: str, columns: str, target: str, key: str, title: str, body: str) -> None:
    """The three triggers keeping `target` in sync with `table` (key: the rowid expression on
    `new.`/`old.`)."""
    row = f"({key.format(r='new')}, {title.format(t='new.')}, {body.format(t='new.')})"
    for suffix in ("ai", "au", "ad"):
        op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{suffix}")
    op.execute(
        f"CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {target}(rowid, title, body) VALUES {row}; END"
    )
    op.execute(
        f"CREATE TRIGGER search_{table}_au AFTER UPDATE OF {columns} ON {table} BEGIN "
        f"DELETE FROM {target} WHERE rowid = {key.format(r='old')}; "
        f"INSERT INTO {target}(rowid, title, body) VALUES {row}; END"
    )
    op.execute(
        f"CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN "
        f"DELETE FROM {target} WHERE rowid = {key.format(r='old')}; END"
    )
    op.execute(
        f"INSERT INTO {target}(rowid, title, body) "
        f"SELECT {key.format(r='src')}, {title.format(t='src.')}, {body.format(t='src.')} FROM {table} AS src"
    )


def _pg_upgrade() -> None:
    for kind, table, _title, _body, columns, document in SOURCES:
        target = f"search_fts_{kind}"
        op.execute(f"CREATE TABLE {target} (id integer PRIMARY KEY, document tsvector NOT NULL)")
        op.execute(f"INSERT INTO {target} (id, document) SELECT id, {document.format(t='')} FROM {table}")
        op.execute(f"CREATE INDEX ix_fts_{kind}_document ON {target} USING gin (document)")
        op.execute(
            f"CREATE FUNCTION {target}_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP = 'DELETE' THEN DELETE FROM {target} WHERE id = OLD.id; RETURN OLD; END IF; "
            f"IF TG_OP = 'UPDATE' THEN DELETE FROM {target} WHERE id = OLD.id; END IF; "
            f"INSERT INTO {target} (id, document) VALUES (NEW.id, {document.format(t='NEW.')}); "
            "RETURN NEW; END $$"
        )
        op.execute(
            f"CREATE TRIGGER search_{table}_sync AFTER INSERT OR DELETE OR UPDATE OF {columns} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {target}_sync()"
        )
        op.execute(f"DROP INDEX IF EXISTS {OLD_PG_INDEXES[kind]}")
        op.execute(f"ANALYZE {target}")


def _pg_downgrade() -> None:
    for kind, table, _title, _body, _columns, document in SOURCES:
        target = f"search_fts_{kind}"
        op.execute(f"DROP TRIGGER IF EXISTS search_{table}_sync ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {target}_sync()")
        op.execute(f"DROP TABLE IF EXISTS {target}")
        op.execute(f"CREATE INDEX {OLD_PG_INDEXES[kind]} ON {table} USING gin (({document.format(t='')}))")


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts")
        for kind, table, title, body, columns, _document in SOURCES:
            target = f"search_fts_{kind}"
            op.execute(
                f"CREATE VIRTUAL TABLE {target} USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0')"
            )
            _sqlite_triggers(table, columns, target, "{r}.id", title, body)
            # One b-tree per table after the bulk fill: fewer segments to read per query.
            op.execute(f"INSERT INTO {target}({target}) VALUES ('optimize')")
    elif dialect == "postgresql":
        _pg_upgrade()


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0')"
        )
        for kind, table, title, body, columns, _document in SOURCES:
            key = f"{{r}}.id * 4 + {OLD_CODES[kind]}"
            _sqlite_triggers(table, columns, "search_fts", key, title, body)
            op.execute(f"DROP TABLE IF EXISTS search_fts_{kind}")
    elif dialect == "postgresql":
        _pg_downgrade()
