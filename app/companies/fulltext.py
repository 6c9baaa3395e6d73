"""The company list's word search through the shared full-text index (app.core.fulltext), so
the list stays fast at 100 000 companies without importing the search page (app.search)."""

from __future__ import annotations

import sqlalchemy as sa

from app.core.fulltext import fts_table
from app.core.text import fts5_match, pg_tsquery, query_tokens
from app.extensions import db


def company_ids_matching(query: str) -> sa.Select | None:
    """A SELECT of company ids whose name or organisationsnummer, or one of whose contact
    persons' names, matches `query` word by word (the last word as a prefix), through the
    full-text tables of those two kinds only (app.core.fulltext) – so the company list's search
    stays fast at 100 000 companies whatever the contacts say.
    None when the query has no searchable words."""
    tokens = query_tokens(query)
    if not tokens:
        return None
    company, person = fts_table("company"), fts_table("person")
    if db.session.get_bind().dialect.name == "postgresql":
        tsquery = pg_tsquery(tokens)
        if not tsquery:
            return None
        return sa.select(sa.literal_column("id")).select_from(
            sa.text(
                f"(SELECT id FROM {company} WHERE document @@ to_tsquery('swedish', :tsq) "
                # The matching persons first (ARRAY(...) is computed once), then their rows by
                # primary key: as a join, PostgreSQL mis-estimated a prefix query's matches and
                # started parallel workers for a hash join over all contact persons (~17 ms
                # at 100 000 companies even when no person matched; docs/ARCHITECTURE.md).
                "UNION SELECT cp.company_id FROM contact_persons AS cp WHERE cp.id = ANY(ARRAY("
                f"SELECT f.id FROM {person} AS f WHERE f.document @@ to_tsquery('swedish', :tsq)))) AS matched"
            ).bindparams(tsq=tsquery)
        )
    return sa.select(sa.literal_column("id")).select_from(
        sa.text(
            f"(SELECT rowid AS id FROM {company} WHERE {company} MATCH :m "
            f"UNION SELECT cp.company_id FROM {person} JOIN contact_persons AS cp "
            f"ON cp.id = {person}.rowid WHERE {person} MATCH :m) AS matched"
        ).bindparams(m=fts5_match(tokens))
    )
