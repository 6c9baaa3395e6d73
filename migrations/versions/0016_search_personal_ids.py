"""Search: a sole trader's personnummer leaves the token index.

The full-text index held every organisationsnummer, and the last word of a search is a prefix:
typing a sole trader's personnummer one digit at a time found it. Now only a legal person's
number (digits 3–4 are 20 or more) is indexed; a personnummer or samordningsnummer is matched
only as a whole number, by equality on companies.orgnr (app/search/queries.py).

SQLite: the company triggers write an empty body for such a number, and every company row of
`search_fts` is written again. PostgreSQL: the GIN expression index on companies is rebuilt
with the same CASE as app.search.queries.PG_DOCUMENTS["company"].

Revision ID: 0016_search_personal_ids
Revises: 0015_api_tokens
"""

from alembic import op

revision = "0016_search_personal_ids"
down_revision = "0015_api_tokens"
branch_labels = None
depends_on = None

LEGAL_ONLY = "CASE WHEN substr({t}orgnr, 3, 2) >= '20' THEN {t}orgnr ELSE '' END"
OLD_BODY = "coalesce({t}orgnr, '')"

PG_OLD = (
    "setweight(to_tsvector('swedish', coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('swedish', coalesce(orgnr, '')), 'B')"
)
PG_NEW = (
    "setweight(to_tsvector('swedish', coalesce(name, '')), 'A') || "
    f"setweight(to_tsvector('swedish', {LEGAL_ONLY.format(t='')}), 'B')"
)


def _sqlite_company_triggers(body: str) -> None:
    row = f"(new.id * 4 + 0, new.name, {body.format(t='new.')})"
    for suffix in ("ai", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS search_companies_{suffix}")
    op.execute(
        "CREATE TRIGGER search_companies_ai AFTER INSERT ON companies BEGIN "
        f"INSERT INTO search_fts(rowid, title, body) VALUES {row}; END"
    )
    op.execute(
        "CREATE TRIGGER search_companies_au AFTER UPDATE OF name, orgnr ON companies BEGIN "
        "DELETE FROM search_fts WHERE rowid = old.id * 4 + 0; "
        f"INSERT INTO search_fts(rowid, title, body) VALUES {row}; END"
    )
    op.execute("DELETE FROM search_fts WHERE rowid % 4 = 0")
    op.execute(
        "INSERT INTO search_fts(rowid, title, body) "
        f"SELECT src.id * 4 + 0, src.name, {body.format(t='src.')} FROM companies AS src"
    )


def _index(sqlite_body: str, pg_expression: str) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_company_triggers(sqlite_body)
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_fts_companies")
        op.execute(f"CREATE INDEX ix_fts_companies ON companies USING gin (({pg_expression}))")


def upgrade():
    _index(LEGAL_ONLY, PG_NEW)


def downgrade():
    _index(OLD_BODY, PG_OLD)
