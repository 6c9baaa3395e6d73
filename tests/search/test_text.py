"""Folding and query building: å/ä/ö kept, other accents folded, hostile input made harmless."""

from __future__ import annotations

import pytest

from app.core.text import fts5_match, pg_tsquery, query_tokens, sv_fold


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
