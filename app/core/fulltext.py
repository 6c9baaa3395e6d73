"""The one full-text index every feature's search reads: one table per kind of record,
`search_fts_company`, `search_fts_person`, `search_fts_interaction`, `search_fts_case`
(migration 0023_search_per_kind; before it one table held every kind, and a common prefix of one
kind – "bygg", ~150 000 contacts' "bygglov" – was read for every kind's search).

* SQLite: FTS5 tables with columns `title`, `body`, rowid = the source row's id, kept in sync
  by AFTER INSERT / UPDATE OF / DELETE triggers on the source tables.
* PostgreSQL: plain tables `(id, document tsvector)` with a GIN index on `document`, kept in
  sync by a trigger function per source table; `document` is `PG_DOCUMENTS[kind]` computed once
  when the row is written (ranking and the "newest matches" walk then read a stored vector
  instead of running to_tsvector over the source row again).

It lives in core, beside the text helpers (app.core.text), so that a low feature (the company
list) and the high search page (app.search) read the same index without importing each other.
Plain SQL text only: no model is imported here.
"""

from __future__ import annotations

KINDS = ("company", "person", "interaction", "case")

# The source table of each kind.
SOURCE_TABLES = {
    "company": "companies",
    "person": "contact_persons",
    "interaction": "interactions",
    "case": "lots_cases",
}

# The PostgreSQL document of each kind, as the migration's trigger functions compute it ("{t}"
# is the row: "NEW." in a trigger, "" in a backfill). Only a legal person's organisationsnummer
# (digits 3–4 ≥ 20) is indexed; a personnummer never is.
PG_DOCUMENTS = {
    "company": "setweight(to_tsvector('swedish', coalesce({t}name, '')), 'A') || setweight(to_tsvector('swedish', CASE WHEN substr({t}orgnr, 3, 2) >= '20' THEN {t}orgnr ELSE '' END), 'B')",
    "person": "to_tsvector('swedish', coalesce({t}name, ''))",
    "interaction": "setweight(to_tsvector('swedish', coalesce({t}subject, '')), 'A') || setweight(to_tsvector('swedish', coalesce({t}notes, '')), 'B')",
    "case": "to_tsvector('swedish', coalesce({t}title, ''))",
}


def fts_table(kind: str) -> str:
    """The full-text table of `kind` (both databases)."""
    return f"search_fts_{kind}"


def pg_document(kind: str, alias: str = "") -> str:
    """The tsvector expression of `kind` over a source row aliased `alias` (none: bare columns)."""
    return PG_DOCUMENTS[kind].replace("{t}", f"{alias}." if alias else "")
