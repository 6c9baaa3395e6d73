"""The company list's word search through the shared full-text index (app.core.fulltext), so
the list stays fast at 100 000 companies without importing the search page (app.search)."""

from __future__ import annotations

import sqlalchemy as sa

from app.core.fulltext import KIND_CODES, pg_document
from app.core.text import fts5_match, pg_tsquery, query_tokens
from app.extensions import db


def company_ids_matching(query: str) -> sa.Select | None:
    """A SELECT of company ids whose name or organisationsnummer, or one of whose contact
    persons' names, matches `query` word by word (the last word as a prefix), through the
    full-text index – so the company list's search stays fast at 100 000 companies.
    None when the query has no searchable words."""
    tokens = query_tokens(query)
    if not tokens:
        return None
    if db.session.get_bind().dialect.name == "postgresql":
        tsquery = pg_tsquery(tokens)
        if not tsquery:
            return None
        company_doc = pg_document("company")
        person_doc = pg_document("person")
        return sa.select(sa.literal_column("id")).select_from(
            sa.text(
                f"(SELECT id FROM companies WHERE {company_doc} @@ to_tsquery('swedish', :tsq) "
                f"UNION SELECT company_id FROM contact_persons "
                f"WHERE {person_doc} @@ to_tsquery('swedish', :tsq)) AS matched"
            ).bindparams(tsq=tsquery)
        )
    company, person = KIND_CODES["company"], KIND_CODES["person"]
    return sa.select(sa.literal_column("id")).select_from(
        sa.text(
            f"(SELECT rowid / 4 AS id FROM search_fts WHERE search_fts MATCH :m AND rowid % 4 = {company} "
            "UNION SELECT cp.company_id FROM search_fts JOIN contact_persons AS cp "
            f"ON cp.id = search_fts.rowid / 4 WHERE search_fts MATCH :m AND search_fts.rowid % 4 = {person}) AS matched"
        ).bindparams(m=fts5_match(tokens))
    )
