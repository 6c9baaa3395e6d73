"""The one search interface: `search(query, actor=…)` over companies, contact persons, contacts
and lots cases, ranked, on SQLite (FTS5) or PostgreSQL (full text, swedish configuration).

The indexes (one full-text table per kind) are created by migration 0023_search_per_kind and
described in app.core.fulltext (shared with the company list, app.companies.fulltext).

* Visibility is applied when reading: deleted and merged records never show, and a restricted
  contact or case only to those who may read it (app.core.restriction: restricted.view, or its
  owner or participants – so participants find their own records, and a search cannot reveal
  what a restricted note says). Showing a restricted hit's title is an audited read.
* A sole trader's organisationsnummer is a personnummer: it is not in the token index at all
  (no prefix can reach it) and is matched only as a whole number (10 or 12 digits, with or
  without hyphen) by equality on `companies.orgnr`; results show it masked.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.cases.models import LotsCase
from app.companies.models import Company, ContactPerson
from app.companies.orgnr import OrgnrError, parse_orgnr
from app.companies.services import orgnr_display
from app.core import restriction
from app.core.fulltext import KINDS, SOURCE_TABLES, fts_table
from app.core.permissions import Perm, can
from app.core.text import fts5_match, pg_tsquery, query_tokens
from app.extensions import db
from app.interactions.models import Interaction

RESTRICTABLE = {"interaction": "interaction", "case": "case"}  # search kind → restriction root


@dataclass(frozen=True)
class SearchHit:
    kind: str
    id: int
    rank: float


@dataclass
class SearchResults:
    query: str
    hits: dict[str, list[SearchHit]] = field(default_factory=dict)
    # Whole personnummer/samordningsnummer in the query (normalised): looked up by equality,
    # and the caller audits the lookup (app.companies.services.audit_personal_id_lookup).
    personal_ids: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(h) for h in self.hits.values())


def personal_id_tokens(tokens: list[str]) -> list[str]:
    """The tokens that are a whole personnummer or samordningsnummer (10 or 12 digits),
    normalised to the stored 10 digits."""
    found = []
    for token in tokens:
        if token.isdigit() and len(token) in (10, 12):
            try:
                parsed = parse_orgnr(token)
            except OrgnrError:
                continue
            if parsed.is_personal_data:
                found.append(parsed.number)
    return found


def search(query: str, *, actor: Any, limit: int = 10, kinds: tuple[str, ...] | None = None) -> SearchResults:
    """Ranked hits per kind (at most `limit` each). Any input is safe: tokens are reduced to
    letters and digits and quoted, so no query-syntax error can reach the user."""
    tokens = query_tokens(query)
    results = SearchResults(query=query)
    if not tokens:
        return results
    wanted = kinds or KINDS
    if not can(actor, Perm.VIEW_CONTACTS):
        wanted = tuple(k for k in wanted if k != "interaction")
    if not can(actor, Perm.VIEW_CASES):
        wanted = tuple(k for k in wanted if k != "case")
    results.personal_ids = personal_id_tokens(tokens)
    # A personnummer is not in the index; as a whole number it is matched by equality below.
    kind_tokens = {
        kind: [t for t in tokens if not (kind == "company" and t in results.personal_ids)] for kind in wanted
    }
    windows = _windows({kind: toks for kind, toks in kind_tokens.items() if toks})
    for kind in wanted:
        rows = windows.get(kind, [])
        if kind == "company" and results.personal_ids:
            rows = _personal_id_hits(results.personal_ids) + rows
        rows = _readable(kind, rows, actor)
        ranked = sorted(rows, key=lambda r: (-r[1], -r[0]))
        seen: set[int] = set()
        hits = []
        for rid, rank, _restricted in ranked:
            if rid not in seen:
                seen.add(rid)
                hits.append(SearchHit(kind, int(rid), float(rank)))
        results.hits[kind] = hits[:limit]
    return results


def _readable(kind: str, rows: list[Any], actor: Any) -> list[Any]:
    """Drop the restricted rows `actor` may not read (the one rule, batch form: one query)."""
    if kind not in RESTRICTABLE:
        return rows
    restricted = [r[0] for r in rows if r[2]]
    readable = restriction.readable_ids(actor, RESTRICTABLE[kind], restricted) if restricted else set()
    return [r for r in rows if not r[2] or r[0] in readable]


def _personal_id_hits(numbers: list[str]) -> list[Any]:
    """Live companies whose organisationsnummer is one of these whole personal numbers."""
    rows = db.session.execute(
        sa.select(Company.id).where(
            Company.orgnr.in_(numbers), Company.deleted_at.is_(None), Company.merged_into_id.is_(None)
        )
    )
    return [(cid, 100.0, False) for (cid,) in rows]


def _visibility(kind: str, alias: str) -> str:
    """SQL conditions (no user input) hiding deleted, merged and inactive rows (restriction is
    applied afterwards, by `_readable`)."""
    if kind == "company":
        return f"{alias}.deleted_at IS NULL AND {alias}.merged_into_id IS NULL"
    if kind == "person":
        return f"{alias}.is_active"
    if kind == "interaction":
        return f"{alias}.deleted_at IS NULL"
    return "1 = 1"


def _restricted_column(kind: str, alias: str) -> str:
    return f"{alias}.is_restricted" if kind in RESTRICTABLE else "false"


# Ranking scores every match, and a common word ("bygglov") matches tens of thousands of
# contacts at 1 000 000. Only the newest RANK_WINDOW matches of each kind are ranked: for a
# contact log the recent ones are the ones people look for, and the time stays bounded. Each
# kind has its own full-text table (app.core.fulltext), so the window is the kind's newest
# matches read straight off its index in id order, whatever the other kinds hold.
RANK_WINDOW = 300


@functools.lru_cache(maxsize=256)
def _word_patterns(token: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """`token` as a whole word and as the start of a word, "word" meaning what `str.split()`
    separates (re's `\\s` is the same set of whitespace as `str.isspace()`)."""
    start = r"(?<!\S)" + re.escape(token)
    return re.compile(start + r"(?!\S)"), re.compile(start)


def _score(tokens: list[str], title: str, body: str) -> float:
    """A small relevance score: words in the title count ten times those in the body, whole
    words more than prefixes, and a shorter title (a closer match) a little more."""
    title_folded, body_folded = title.casefold(), body.casefold()
    score = 0.0
    for token in tokens:
        whole, prefix = _word_patterns(token)
        for folded, weight in ((title_folded, 10.0), (body_folded, 1.0)):
            # Searched in the text instead of word by word (~900 rows per search, most of them
            # matching by prefix; issue 18); a token not in the text at all is skipped first.
            if token not in folded:
                continue
            if whole.search(folded):
                score += weight
            elif prefix.search(folded):
                score += weight * 0.6
    return score + 1.0 / (1 + len(title_folded.split()))


def _windows(kind_tokens: dict[str, list[str]]) -> dict[str, list[Any]]:
    """(id, score, is_restricted) of each kind's newest RANK_WINDOW visible matches: one
    statement for all kinds (UNION ALL of one window per kind)."""
    if not kind_tokens:
        return {}
    if db.session.get_bind().dialect.name == "postgresql":
        return _pg_windows(kind_tokens)
    arms, params = [], {}
    for n, (kind, tokens) in enumerate(kind_tokens.items()):
        params[f"q{n}"] = fts5_match(tokens)
        arms.append(_sqlite_window(kind, f"q{n}"))
    found: dict[str, list[Any]] = {}
    # All rows at once, unpacked: up to 4 × RANK_WINDOW rows, and SQLAlchemy's row-by-row
    # iteration with attribute access cost ~1.5 ms of the search page at 100 000 companies.
    rows = db.session.execute(sa.text(" UNION ALL ".join(arms)), params).all()
    for kind, rid, title, body, restricted in rows:
        score = _score(kind_tokens[kind], title or "", body or "")
        found.setdefault(kind, []).append((rid, score, bool(restricted)))
    return found


def _sqlite_window(kind: str, param: str) -> str:
    """The FTS5 MATCH in rowid order with a LIMIT reads only the kind's newest postings (fast);
    bm25() would score every match first. Scored in Python (`_score`)."""
    table = fts_table(kind)
    return f"""
        SELECT * FROM (
          SELECT '{kind}' AS kind, src.id AS id, f.title AS title, f.body AS body,
                 {_restricted_column(kind, "src")} AS restricted
          FROM (SELECT rowid, title, body FROM {table} WHERE {table} MATCH :{param}
                ORDER BY rowid DESC LIMIT {RANK_WINDOW}) AS f
          JOIN {SOURCE_TABLES[kind]} AS src ON src.id = f.rowid
          WHERE {_visibility(kind, "src")})"""


# PostgreSQL estimates every prefix query at ~2 % of the rows whatever the word, so it cannot
# choose between walking the primary key backwards (fast for a common word, the whole table for
# a rare one) and the GIN index (fast for a rare word; 150 000 heap rows for "bygg"). The window
# therefore does both, bounded: the newest RECENT_ROWS rows are walked first; only if they hold
# fewer than RANK_WINDOW matches – a rarer word – does the GIN index fetch the older matches.
RECENT_ROWS = 20000


def _pg_windows(kind_tokens: dict[str, list[str]]) -> dict[str, list[Any]]:
    ctes, arms, params = [], [], {}
    for n, (kind, tokens) in enumerate(kind_tokens.items()):
        tsquery = pg_tsquery(tokens)
        if not tsquery:
            continue
        params[f"q{n}"] = tsquery
        table, q = fts_table(kind), f"to_tsquery('swedish', :q{n})"
        ctes += [
            f"""r{n} AS MATERIALIZED (
                SELECT w.id, w.document FROM (
                    SELECT id, document FROM {table} ORDER BY id DESC LIMIT {RECENT_ROWS}) AS w
                WHERE w.document @@ {q} ORDER BY w.id DESC LIMIT {RANK_WINDOW})""",
            f"""o{n} AS MATERIALIZED (
                SELECT id, document FROM {table}
                WHERE document @@ {q}
                  AND (SELECT count(*) FROM r{n}) < {RANK_WINDOW}
                  AND id < (SELECT coalesce(min(b.id), 0) FROM (
                      SELECT id FROM {table} ORDER BY id DESC LIMIT {RECENT_ROWS}) AS b))""",
            f"""f{n} AS (
                SELECT id, document FROM r{n} UNION ALL SELECT id, document FROM o{n}
                ORDER BY id DESC LIMIT {RANK_WINDOW})""",
        ]
        # The window's ids as an array: the source rows by primary key (as a plain join,
        # PostgreSQL hashed a sequential scan of all 32 845 cases for 300 hits).
        arms.append(
            f"""SELECT '{kind}' AS kind, src.id AS id, ts_rank(f.document, {q}) AS rank,
                   {_restricted_column(kind, "src")} AS restricted
            FROM f{n} AS f JOIN {SOURCE_TABLES[kind]} AS src ON src.id = f.id
            WHERE src.id = ANY(ARRAY(SELECT id FROM f{n})) AND {_visibility(kind, "src")}"""
        )
    if not arms:
        return {}
    sql = "WITH " + ",\n".join(ctes) + "\n" + " UNION ALL ".join(arms)
    # No parallel workers for the rest of this transaction (the search page's few small reads):
    # the estimate of ~2 % of the rows made PostgreSQL start two workers for each kind's older
    # matches (o<n>) even when the newest rows already held a full window and the gate skipped
    # them (~20–30 ms per search at 100 000 companies; docs/ARCHITECTURE.md).
    db.session.execute(sa.text("SET LOCAL max_parallel_workers_per_gather = 0"))
    found: dict[str, list[Any]] = {}
    for row in db.session.execute(sa.text(sql), params):
        found.setdefault(row.kind, []).append((row.id, float(row.rank), bool(row.restricted)))
    return found


@dataclass(frozen=True)
class ShownHit:
    kind: str
    title: str
    subtitle: str
    endpoint: str
    args: dict[str, int]


def load_hits(results: SearchResults, *, actor: Any) -> dict[str, list[ShownHit]]:
    """The records behind the hits, one query per kind (no N+1), in rank order."""
    shown: dict[str, list[ShownHit]] = {}

    def _orgnr_label(company: Company) -> str:
        # Sole traders' numbers are personnummer: masked in search results for everyone.
        return orgnr_display(company)

    def _ordered(model: Any, hits: list[SearchHit], *options: Any) -> list[Any]:
        if not hits:
            return []
        rows = db.session.scalars(
            sa.select(model).where(model.id.in_([h.id for h in hits])).options(*options)
        )
        by_id = {row.id: row for row in rows}
        return [by_id[h.id] for h in hits if h.id in by_id]

    for company in _ordered(Company, results.hits.get("company", [])):
        shown.setdefault("company", []).append(
            ShownHit(
                "company",
                company.name,
                " · ".join(filter(None, [_orgnr_label(company), company.city])),
                "companies.detail",
                {"company_id": company.id},
            )
        )
    for person in _ordered(
        ContactPerson, results.hits.get("person", []), sa.orm.joinedload(ContactPerson.company)
    ):
        shown.setdefault("person", []).append(
            ShownHit(
                "person",
                person.name,
                " · ".join(filter(None, [person.title, person.company.name])),
                "companies.detail",
                {"company_id": person.company_id},
            )
        )
    if results.hits.get("interaction"):
        items = _ordered(Interaction, results.hits["interaction"], sa.orm.joinedload(Interaction.company))
        verdicts = restriction.judge(actor, items, interaction=lambda i: i.id)
        # Only readable hits are here (search drops the others); a restricted one is an audited read.
        items = [
            restriction.shown(actor, v, i, subject=restriction.neutral("interaction"))
            for v, i in zip(verdicts, items, strict=True)
        ]
        for item in items:
            when = item.occurred_at.date().isoformat()
            shown.setdefault("interaction", []).append(
                ShownHit(
                    "interaction",
                    item.subject or _("Kontakt"),
                    f"{when} · {item.kind_label} · {item.company.name}",
                    "interactions.detail",
                    {"interaction_id": item.id},
                )
            )
    if results.hits.get("case"):
        cases = _ordered(LotsCase, results.hits["case"], sa.orm.joinedload(LotsCase.company))
        verdicts = restriction.judge(actor, cases, case=lambda c: c.id)
        cases = [
            restriction.shown(actor, v, c, title=restriction.neutral("case"))
            for v, c in zip(verdicts, cases, strict=True)
        ]
        for case in cases:
            shown.setdefault("case", []).append(
                ShownHit(
                    "case",
                    case.title,
                    f"{case.company.name} · {case.status_label}",
                    "cases.detail",
                    {"case_id": case.id},
                )
            )
    return shown
