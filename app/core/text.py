"""Swedish-aware text folding and safe query building for both search backends.

å, ä and ö are letters of their own in Swedish: "får" (sheep) must not match "far" (father).
`sv_fold` folds other accents away (é → e, ü → u) for the day the index stores folded text;
queries are only casefolded today, like the indexes. User input never
reaches a query parser unescaped: tokens are reduced to letters and digits before they are
put into an FTS5 MATCH string or a PostgreSQL tsquery.
"""

from __future__ import annotations

import re
import unicodedata

_KEEP = {"å", "ä", "ö"}  # untranslated: letters kept when folding text
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
MAX_TOKENS = 8
MAX_TOKEN_LENGTH = 40


def sv_fold(text: str) -> str:
    """Casefold and strip diacritics except on å, ä, ö."""
    out: list[str] = []
    for ch in text.casefold():
        if ch in _KEEP:
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return unicodedata.normalize("NFC", "".join(out))


def query_tokens(query: str) -> list[str]:
    """The searchable words of a user query: casefolded, letters and digits only, bounded.

    Accents are kept as typed, like in both indexes (FTS5 remove_diacritics 0, PostgreSQL's
    swedish configuration): folding only the query would make "Müller" miss "Müller"."""
    folded = query.casefold()
    # "556036-0793" and "5560360793" are the same number: join digit groups split by - or space.
    folded = re.sub(r"(?<=\d)[-\s](?=\d)", "", folded)
    tokens = [t[:MAX_TOKEN_LENGTH] for t in _TOKEN.findall(folded)]
    return tokens[:MAX_TOKENS]


def fts5_match(tokens: list[str], *, prefix_last: bool = True) -> str:
    """An FTS5 MATCH expression: every token quoted (so AND, NEAR, '-' or ':' are plain text),
    all tokens required, the last one as a prefix (search as you type)."""
    parts = []
    for i, token in enumerate(tokens):
        quoted = '"' + token.replace('"', '""') + '"'
        if prefix_last and i == len(tokens) - 1:
            quoted += " *"
        parts.append(quoted)
    return " AND ".join(parts)


def pg_tsquery(tokens: list[str], *, prefix_last: bool = True) -> str:
    """A to_tsquery string: tokens are letters/digits only, joined with &, last one prefixed."""
    parts = []
    for i, token in enumerate(tokens):
        safe = "".join(ch for ch in token if ch.isalnum())
        if not safe:
            continue
        parts.append(f"{safe}:*" if prefix_last and i == len(tokens) - 1 else safe)
    return " & ".join(parts)
