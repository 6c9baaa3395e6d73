"""Folding and query building: å/ä/ö kept, other accents folded, hostile input made harmless."""

from __future__ import annotations

import pytest

from app.core.text import fts5_match, pg_tsquery, query_tokens, sv_fold
from app.search.queries import _score


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Får och Lamm", "får och lamm"),
        ("ÅSA ÖBERG", "åsa öberg"),
        ("Ärla", "ärla"),
        ("Müller Café", "muller cafe"),
        ("Ångström", "ångström"),
    ],
)
def test_sv_fold_keeps_swedish_letters(raw, folded):
    assert sv_fold(raw) == folded


def test_far_and_far_stay_different():
    assert sv_fold("får") != sv_fold("far")


def test_orgnr_with_hyphen_becomes_one_token():
    assert query_tokens("556036-0793") == ["5560360793"]


@pytest.mark.parametrize(
    "hostile", ["e-post", "AND", "kund:", '"', "NEAR(a b)", "x OR y*", "'; DROP TABLE companies; --"]
)
def test_hostile_input_is_reduced_to_plain_words(hostile):
    tokens = query_tokens(hostile)
    match = fts5_match(tokens)
    for token in tokens:
        assert token.isalnum()
    # Every token is quoted, so FTS5 operators in the input are plain text.
    assert all(part.startswith('"') for part in match.split(" AND ") if part)
    assert ";" not in pg_tsquery(tokens)


def test_prefix_only_on_the_last_token():
    assert fts5_match(["borl", "ener"]) == '"borl" AND "ener" *'
    assert pg_tsquery(["borl", "ener"]) == "borl & ener:*"


@pytest.mark.parametrize(
    ("tokens", "title", "body", "expected"),
    [
        (["bygg"], "Bygg AB", "", 10.0 + 1 / 3),  # a whole word of the title
        (["bygg"], "Byggfirman", "", 6.0 + 1 / 2),  # the start of a title word
        (["bygg"], "Ombyggnad", "", 0.0 + 1 / 2),  # inside a word: neither
        (["bygg"], "Kafé", "ansökan om bygglov", 0.6 + 1 / 2),  # the start of a body word
        (["bygg"], "Kafé", "bygg\u00a0nu", 1.0 + 1 / 2),  # a no-break space separates words too
        (["bygg"], "Kafé", "om-bygg", 0.0 + 1 / 2),  # a hyphen does not
        (["åsa", "bygg"], "ÅSA\tBygg", "Åsa", 10.0 + 1.0 + 10.0 + 1 / 3),  # casefolded, tab
    ],
)
def test_search_score_counts_whole_words_and_word_starts(tokens, title, body, expected):
    """The ranking score (app.search.queries._score): title ×10, a whole word 1, the start of a
    word 0.6, words being what str.split() separates."""
    assert _score(tokens, title, body) == pytest.approx(expected)
