"""Tests for app.companies.sni (SCB's SNI 2007 and SNI 2025 code lists)."""

from __future__ import annotations

import pytest

from app.companies.sni import (
    SNI_VERSIONS,
    SniCode,
    all_sni,
    get_sni,
    normalise_sni_code,
    search_sni,
    sni_label,
)


def test_versions() -> None:
    assert SNI_VERSIONS == ("2007", "2025")


@pytest.mark.parametrize(("version", "count", "details"), [("2007", 1817, 821), ("2025", 1882, 835)])
def test_lists_are_complete(version: str, count: int, details: int) -> None:
    codes = all_sni(version)
    assert len(codes) == count
    assert sum(1 for code in codes if code.level == "detail") == details
    assert all(code.version == version for code in codes)


def test_lists_are_loaded_once() -> None:
    assert all_sni("2007") is all_sni("2007")


@pytest.mark.parametrize("raw", ["62010", "62.010", " 62 010 "])
def test_get_sni_accepts_dotted_and_plain(raw: str) -> None:
    code = get_sni("2007", raw)
    assert code == SniCode("2007", "62010", "detail", "6201", "Dataprogrammering")
    assert code is not None
    assert code.dotted_code == "62.010"


def test_get_sni_keeps_leading_zeros_and_levels() -> None:
    detail = get_sni("2007", "01.110")
    assert detail is not None
    assert (detail.code, detail.parent) == ("01110", "0111")
    section = get_sni("2007", "a")
    assert section is not None
    assert (section.level, section.parent) == ("section", "")
    assert section.dotted_code == "A"
    group = get_sni("2007", "011")
    assert group is not None
    assert group.dotted_code == "01.1"


def test_get_sni_unknown_code_and_version() -> None:
    assert get_sni("2007", "99999") is None
    assert get_sni("2007", "") is None
    with pytest.raises(ValueError, match="Unknown SNI version"):
        get_sni("2017", "62010")


def test_versions_are_not_mixed() -> None:
    # Division 45 (motor vehicle trade) exists in SNI 2007 but not in SNI 2025.
    assert get_sni("2007", "45") is not None
    assert get_sni("2025", "45") is None
    assert get_sni("2025", "62100") is not None
    assert get_sni("2007", "62100") is None


def test_sni_label_names_the_version() -> None:
    assert sni_label("2007", "62010") == "62010 Dataprogrammering (SNI 2007)"
    assert sni_label("2025", "62.100").endswith("(SNI 2025)")
    assert sni_label("2007", "99999") == "99999 (okänd kod i SNI 2007)"


def test_double_spaces_kept_in_title_but_not_in_label() -> None:
    code = get_sni("2007", "23610")
    assert code is not None
    assert "  " in code.title
    assert "  " not in code.display_title
    assert "  " not in code.label


def test_search_by_code_prefix_exact_first() -> None:
    results = search_sni("62", version="2007")
    assert results[0].code == "62"
    assert all(r.code.startswith("62") for r in results[:5])
    assert [r.code for r in search_sni("62.01", version="2007")][:2] == ["6201", "62010"]


def test_search_by_words_case_insensitive() -> None:
    results = search_sni("DATAPROGRAMMERING", version="2007")
    assert "62010" in [r.code for r in results]
    multi = search_sni("vägtransport gods", version="2007")
    assert {r.code for r in multi} >= {"4941", "49410"}


def test_search_keeps_swedish_letters_distinct() -> None:
    # "öl" must find beer (öl), and "ol" must not match titles that only contain "öl".
    beer = search_sni("öl", version="2007")
    assert beer[0].code in {"1105", "11050"}
    assert all("ol" in r.display_title.casefold() for r in search_sni("ol", version="2007", limit=200))


def test_search_both_versions_2007_first_and_limit() -> None:
    results = search_sni("dataprogrammering")
    versions = [r.version for r in results]
    assert set(versions) == {"2007", "2025"}
    assert versions == sorted(versions)
    assert len(search_sni("a", limit=3)) == 3


def test_search_empty_query() -> None:
    assert search_sni("") == []
    assert search_sni("   ") == []
    assert search_sni("stål", limit=0) == []


def test_normalise_sni_code() -> None:
    assert normalise_sni_code("01.110") == "01110"
    assert normalise_sni_code("c") == "C"
