"""The one full-text index every feature's search reads (migrations 0008_search and
0016_search_personal_ids): on SQLite one FTS5 table `search_fts` kept in sync by triggers
(rowid = source id * 4 + kind code, so a trigger deletes its row by key); on PostgreSQL GIN
expression indexes on the source tables, whose expressions are `PG_DOCUMENTS`.

It lives in core, beside the text helpers (app.core.text), so that a low feature (the company
list) and the high search page (app.search) read the same index without importing each other.
Plain SQL text only: no model is imported here.
"""

from __future__ import annotations

KINDS = {0: "company", 1: "person", 2: "interaction", 3: "case"}
KIND_CODES = {name: code for code, name in KINDS.items()}

# The PostgreSQL expressions must be identical to those in the migrations' indexes, or the
# planner cannot use them. "{t}" is the table alias ("" in the index). Only a legal person's
# organisationsnummer (digits 3–4 ≥ 20) is indexed; a personnummer never is.
PG_DOCUMENTS = {
    "company": (
        "companies",
        "setweight(to_tsvector('swedish', coalesce({t}name, '')), 'A') || setweight(to_tsvector('swedish', CASE WHEN substr({t}orgnr, 3, 2) >= '20' THEN {t}orgnr ELSE '' END), 'B')",
    ),
    "person": ("contact_persons", "to_tsvector('swedish', coalesce({t}name, ''))"),
    "interaction": (
        "interactions",
        "setweight(to_tsvector('swedish', coalesce({t}subject, '')), 'A') || setweight(to_tsvector('swedish', coalesce({t}notes, '')), 'B')",
    ),
    "case": ("lots_cases", "to_tsvector('swedish', coalesce({t}title, ''))"),
}


def pg_document(kind: str, alias: str = "") -> str:
    """The tsvector expression of `kind`, on table alias `alias` (none: as in the index)."""
    return PG_DOCUMENTS[kind][1].replace("{t}", f"{alias}." if alias else "")
