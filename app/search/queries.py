"""The one search interface: `search(query, actor=…)` over companies, contact persons, contacts
and lots cases, ranked, on SQLite (FTS5) or PostgreSQL (full text, swedish configuration).

The indexes are created by migration 0008_search: on SQLite one FTS5 table `search_fts` kept in
sync by triggers (rowid = source id * 4 + kind, so a trigger deletes its row by key); on
PostgreSQL GIN expression indexes on the source tables. Visibility is applied when reading:
deleted and merged records never show, and restricted contacts and cases only for those who
may read them (so a search cannot reveal what a restricted note says).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from app.core.permissions import Perm, can
from app.extensions import db
from app.search.text import fts5_match, pg_tsquery, query_tokens

KINDS = {0: "company", 1: "person", 2: "interaction", 3: "case"}
KIND_CODES = {name: code for code, name in KINDS.items()}

# The PostgreSQL expressions must be identical to those in the migration's indexes, or the
# planner cannot use them.
PG_DOCUMENTS = {
    "company": ("companies", "setweight(to_tsvector('swedish', coalesce(name, '')), 'A') || setweight(to_tsvector('swedish', coalesce(orgnr, '')), 'B')"),
    "person": ("contact_persons", "to_tsvector('swedish', coalesce(name, ''))"),
    "interaction": ("interactions", "setweight(to_tsvector('swedish', coalesce(subject, '')), 'A') || setweight(to_tsvector('swedish', coalesce(notes, '')), 'B')"),
    "case": ("lots_cases", "to_tsvector('swedish', coalesce(title, ''))"),
}


@dataclass(frozen=True)
class SearchHit:
    kind: str
    id: int
    rank: float


@dataclass
class SearchResults:
    query: str
    hits: dict[str, list[SearchHit]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(h) for h in self.hits.values())


def _may_see_restricted(actor: Any) -> bool:
    return can(actor, Perm.VIEW_RESTRICTED)


def search(query: str, *, actor: Any, limit: int = 10, kinds: tuple[str, ...] | None = None) -> SearchResults:
    """Ranked hits per kind (at most `limit` each). Any input is safe: tokens are reduced to
    letters and digits and quoted, so no query-syntax error can reach the user."""
    tokens = query_tokens(query)
    results = SearchResults(query=query)
    if not tokens:
        return results
    wanted = kinds or tuple(KINDS.values())
    if not can(actor, Perm.VIEW_CONTACTS):
        wanted = tuple(k for k in wanted if k != "interaction")
    if not can(actor, Perm.VIEW_CASES):
        wanted = tuple(k for k in wanted if k != "case")
    dialect = db.session.get_bind().dialect.name
    for kind in wanted:
        if dialect == "postgresql":
            rows = _pg_hits(kind, tokens, actor, limit)
        else:
            rows = _sqlite_hits(kind, tokens, actor, limit)
        results.hits[kind] = [SearchHit(kind, int(r[0]), float(r[1])) for r in rows]
    return results


def _visibility(kind: str, alias: str, actor: Any) -> str:
    """SQL conditions (no user input) hiding deleted, merged and unreadable restricted rows."""
    if kind == "company":
        return f"{alias}.deleted_at IS NULL AND {alias}.merged_into_id IS NULL"
    if kind == "person":
        return f"{alias}.is_active"
    restricted = "" if _may_see_restricted(actor) else f" AND NOT {alias}.is_restricted"
    if kind == "interaction":
        return f"{alias}.deleted_at IS NULL" + restricted
    return "1 = 1" + restricted


# Ranking scores every match, and a common word ("bygglov") matches tens of thousands of
# contacts at 1 000 000. Only the newest RANK_WINDOW matches of each kind are ranked: for a
# contact log the recent ones are the ones people look for, and the time stays bounded.
RANK_WINDOW = 300


def _score(tokens: list[str], title: str, body: str) -> float:
    """A small relevance score: words in the title count ten times those in the body, whole
    words more than prefixes, and a shorter title (a closer match) a little more."""
    title_words = title.casefold().split()
    body_words = body.casefold().split()
    score = 0.0
    for token in tokens:
        for words, weight in ((title_words, 10.0), (body_words, 1.0)):
            if token in words:
                score += weight
            elif any(word.startswith(token) for word in words):
                score += weight * 0.6
    return score + 1.0 / (1 + len(title_words))


def _sqlite_hits(kind: str, tokens: list[str], actor: Any, limit: int) -> list[Any]:
    table = PG_DOCUMENTS[kind][0]
    code = KIND_CODES[kind]
    # The FTS5 MATCH in rowid order with a LIMIT reads only the newest postings (fast);
    # bm25() would score every match first.
    sql = sa.text(
        f"""
        SELECT src.id, f.title, f.body
        FROM (SELECT rowid, title, body FROM search_fts
              WHERE search_fts MATCH :match AND rowid % 4 = {code}
              ORDER BY rowid DESC LIMIT {RANK_WINDOW}) AS f
        JOIN {table} AS src ON src.id = f.rowid / 4
        WHERE {_visibility(kind, "src", actor)}
        """
    )
    rows = db.session.execute(sql, {"match": fts5_match(tokens)}).all()
    scored = sorted(((row.id, _score(tokens, row.title or "", row.body or "")) for row in rows),
                    key=lambda pair: (-pair[1], -pair[0]))
    return scored[:limit]


def _pg_hits(kind: str, tokens: list[str], actor: Any, limit: int) -> list[Any]:
    table, document = PG_DOCUMENTS[kind]
    tsquery = pg_tsquery(tokens)
    if not tsquery:
        return []
    newest = document.replace("coalesce(", "coalesce(w.")
    document = document.replace("coalesce(", "coalesce(src.")
    sql = sa.text(
        f"""
        SELECT src.id, ts_rank({document}, q) AS rank
        FROM {table} AS src, to_tsquery('swedish', :tsquery) AS q
        WHERE src.id IN (
              SELECT w.id FROM {table} AS w
              WHERE {newest} @@ to_tsquery('swedish', :tsquery)
              ORDER BY w.id DESC LIMIT {RANK_WINDOW})
          AND {_visibility(kind, "src", actor)}
        ORDER BY rank DESC, src.id DESC LIMIT :limit
        """
    )
    return list(db.session.execute(sql, {"tsquery": tsquery, "limit": limit}))


@dataclass(frozen=True)
class ShownHit:
    kind: str
    title: str
    subtitle: str
    endpoint: str
    args: dict[str, int]


def load_hits(results: SearchResults, *, actor: Any) -> dict[str, list[ShownHit]]:
    """The records behind the hits, one query per kind (no N+1), in rank order."""
    from app.companies.models import Company, ContactPerson
    from app.companies.orgnr import parse_orgnr

    shown: dict[str, list[ShownHit]] = {}

    def _orgnr_label(company: Company) -> str:
        if not company.orgnr:
            return ""
        try:
            parsed = parse_orgnr(company.orgnr)
        except ValueError:
            return company.orgnr
        # Sole traders' numbers are personnummer: masked in search results for everyone.
        return parsed.masked if parsed.is_personal_data else parsed.display

    def _ordered(model: Any, hits: list[SearchHit], *options: Any) -> list[Any]:
        if not hits:
            return []
        rows = db.session.scalars(sa.select(model).where(model.id.in_([h.id for h in hits])).options(*options))
        by_id = {row.id: row for row in rows}
        return [by_id[h.id] for h in hits if h.id in by_id]

    for company in _ordered(Company, results.hits.get("company", [])):
        shown.setdefault("company", []).append(
            ShownHit("company", company.name, " · ".join(filter(None, [_orgnr_label(company), company.city])),
                     "companies.detail", {"company_id": company.id})
        )
    for person in _ordered(ContactPerson, results.hits.get("person", []), sa.orm.joinedload(ContactPerson.company)):
        shown.setdefault("person", []).append(
            ShownHit("person", person.name, " · ".join(filter(None, [person.title, person.company.name])),
                     "companies.detail", {"company_id": person.company_id})
        )
    if results.hits.get("interaction"):
        from app.interactions.models import Interaction

        for item in _ordered(Interaction, results.hits["interaction"], sa.orm.joinedload(Interaction.company)):
            when = item.occurred_at.date().isoformat()
            shown.setdefault("interaction", []).append(
                ShownHit("interaction", item.subject or "Kontakt", f"{when} · {item.company.name}",
                         "interactions.detail", {"interaction_id": item.id})
            )
    if results.hits.get("case"):
        from app.cases.models import LotsCase

        for case in _ordered(LotsCase, results.hits["case"], sa.orm.joinedload(LotsCase.company)):
            shown.setdefault("case", []).append(
                ShownHit("case", case.title, f"{case.company.name} · {case.status}", "cases.detail", {"case_id": case.id})
            )
    return shown


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
        company_doc = PG_DOCUMENTS["company"][1]
        person_doc = PG_DOCUMENTS["person"][1]
        return sa.select(sa.literal_column("id")).select_from(
            sa.text(
                f"(SELECT id FROM companies WHERE {company_doc} @@ to_tsquery('swedish', :tsq) "
                f"UNION SELECT company_id FROM contact_persons "
                f"WHERE {person_doc} @@ to_tsquery('swedish', :tsq)) AS matched"
            ).bindparams(tsq=tsquery)
        )
    return sa.select(sa.literal_column("id")).select_from(
        sa.text(
            "(SELECT rowid / 4 AS id FROM search_fts WHERE search_fts MATCH :m AND rowid % 4 = 0 "
            "UNION SELECT cp.company_id FROM search_fts JOIN contact_persons AS cp "
            "ON cp.id = search_fts.rowid / 4 WHERE search_fts MATCH :m AND search_fts.rowid % 4 = 1) AS matched"
        ).bindparams(m=fts5_match(tokens))
    )
