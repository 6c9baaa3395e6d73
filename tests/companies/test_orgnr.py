"""Tests for app.companies.orgnr (organisationsnummer / personnummer parsing)."""

from __future__ import annotations

import pytest

from app.companies.orgnr import (
    OrgnrError,
    OrgnrKind,
    ParsedOrgnr,
    is_valid_orgnr,
    luhn_check_digit,
    parse_orgnr,
)
from app.core.time import local_today

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the results depend on today's date


def _with_check(nine: str) -> str:
    return nine + luhn_check_digit(nine)


@pytest.mark.parametrize(
    "raw",
    ["556036-0793", "5560360793", "16556036-0793", "165560360793", " 556036 0793 ", "556036–0793"],
)
def test_valid_aktiebolag_in_all_written_forms(raw: str) -> None:
    parsed = parse_orgnr(raw)
    assert parsed == ParsedOrgnr("5560360793", OrgnrKind.LEGAL_PERSON, "Aktiebolag")
    assert parsed.display == "556036-0793"
    assert parsed.masked == "556036-0793"
    assert parsed.is_personal_data is False


def test_municipality() -> None:
    parsed = parse_orgnr("212000-0142")
    assert parsed.kind is OrgnrKind.LEGAL_PERSON
    assert parsed.legal_form_group == "Stat, region, kommun eller församling"


@pytest.mark.parametrize(
    ("stem", "group"),
    [
        ("102030405", "Dödsbo"),
        ("302030405", "Utländskt företag"),
        ("602030405", "Enkelt bolag"),
        ("702030405", "Ekonomisk förening eller bostadsrättsförening"),
        ("802030405", "Ideell förening eller stiftelse"),
        ("902030405", "Handelsbolag eller kommanditbolag"),
    ],
)
def test_group_digit_gives_legal_form(stem: str, group: str) -> None:
    assert parse_orgnr(_with_check(stem)).legal_form_group == group


@pytest.mark.parametrize("stem", ["402030405", "002030405"])
def test_group_digit_0_and_4_rejected(stem: str) -> None:
    with pytest.raises(OrgnrError, match="ogiltig gruppsiffra"):
        parse_orgnr(_with_check(stem))


def test_wrong_check_digit() -> None:
    with pytest.raises(OrgnrError) as excinfo:
        parse_orgnr("556036-0794")
    assert str(excinfo.value) == "Organisationsnumret har fel kontrollsiffra."


@pytest.mark.parametrize("raw", ["556036079", "55603607931", "5560360", "1655603607931"])
def test_wrong_length(raw: str) -> None:
    with pytest.raises(OrgnrError) as excinfo:
        parse_orgnr(raw)
    assert str(excinfo.value) == "Organisationsnumret ska ha 10 siffror (eller 12 med sekelsiffror)."


@pytest.mark.parametrize("raw", ["556036-079A", "abc", "556036/0793", "５５６０３６０７９３"])
def test_non_digits_rejected(raw: str) -> None:
    with pytest.raises(OrgnrError, match="bara innehålla siffror"):
        parse_orgnr(raw)


@pytest.mark.parametrize("raw", ["", "   ", " - ", None])
def test_empty_rejected(raw: str) -> None:
    with pytest.raises(OrgnrError, match="Ange ett organisationsnummer"):
        parse_orgnr(raw)


def test_12_digits_with_unknown_prefix_rejected() -> None:
    with pytest.raises(OrgnrError, match="ska börja med 16"):
        parse_orgnr("175560360793")


def test_personnummer_is_sole_trader_and_masked() -> None:
    number = _with_check("850101123")
    parsed = parse_orgnr(f"{number[:6]}-{number[6:]}")
    assert parsed.kind is OrgnrKind.PERSONNUMMER
    assert parsed.legal_form_group == "Enskild firma"
    assert parsed.is_personal_data is True
    assert parsed.masked == "850101-****"
    assert parsed.display == f"850101-{number[6:]}"


def test_personnummer_with_plus_for_centenarian() -> None:
    number = _with_check("121212121")
    assert parse_orgnr(f"121212+{number[6:]}").number == number


@pytest.mark.parametrize("stem", ["850230123", "851301123", "850100123", "850001123", "850132123"])
def test_person_number_with_impossible_date_rejected(stem: str) -> None:
    with pytest.raises(OrgnrError, match="datumet finns inte"):
        parse_orgnr(_with_check(stem))


def test_february_29_accepted_only_in_leap_years() -> None:
    assert parse_orgnr(_with_check("840229123")).kind is OrgnrKind.PERSONNUMMER
    with pytest.raises(OrgnrError):
        parse_orgnr(_with_check("850229123"))
    # "00" is ambiguous in 10 digits: 2000 was a leap year, so accept it …
    assert is_valid_orgnr(_with_check("000229123"))
    # … but with century 19 the date 1900-02-29 does not exist.
    with pytest.raises(OrgnrError):
        parse_orgnr("19" + _with_check("000229123"))


def test_samordningsnummer() -> None:
    parsed = parse_orgnr(_with_check("850161123"))  # day 1 + 60
    assert parsed.kind is OrgnrKind.SAMORDNINGSNUMMER
    assert parsed.legal_form_group == "Enskild firma"
    assert parsed.is_personal_data is True
    assert parsed.masked == "850161-****"


def test_samordningsnummer_with_impossible_day_rejected() -> None:
    with pytest.raises(OrgnrError):
        parse_orgnr(_with_check("850292123"))  # 92 - 60 = 32


def test_12_digit_personnummer_with_century() -> None:
    number = _with_check("850101123")
    parsed = parse_orgnr(f"19{number[:6]}-{number[6:]}")
    assert parsed.number == number
    assert parsed.kind is OrgnrKind.PERSONNUMMER
    assert parse_orgnr(f"20{_with_check('120101123')}").kind is OrgnrKind.PERSONNUMMER


def test_12_digit_personnummer_in_the_future_rejected() -> None:
    next_year = local_today().year + 1
    stem = f"{next_year % 100:02d}0101123"
    with pytest.raises(OrgnrError, match="framtiden"):
        parse_orgnr(f"{next_year // 100}{_with_check(stem)}")


def test_12_digit_personnummer_born_today_accepted() -> None:
    today = local_today()
    stem = f"{today:%y%m%d}123"
    assert parse_orgnr(f"{today.year // 100}{_with_check(stem)}").kind is OrgnrKind.PERSONNUMMER


def test_prefix_16_with_personnummer_rejected() -> None:
    with pytest.raises(OrgnrError, match="Prefixet 16"):
        parse_orgnr("16" + _with_check("850101123"))


@pytest.mark.parametrize("century", ["18", "19", "20"])
def test_century_prefix_with_legal_person_rejected(century: str) -> None:
    with pytest.raises(OrgnrError, match="Sekelsiffror"):
        parse_orgnr(century + "5560360793")


def test_is_valid_orgnr() -> None:
    assert is_valid_orgnr("556036-0793") is True
    assert is_valid_orgnr("556036-0794") is False
    assert is_valid_orgnr("") is False


def test_error_is_value_error_and_kind_is_str() -> None:
    assert issubclass(OrgnrError, ValueError)
    assert OrgnrKind.LEGAL_PERSON == "legal_person"
    assert str(OrgnrKind.PERSONNUMMER) == "personal_number"


def test_luhn_check_digit() -> None:
    assert luhn_check_digit("556036079") == "3"
    assert luhn_check_digit("212000014") == "2"
    for bad in ("55603607", "5560360793", "55603607x"):
        with pytest.raises(ValueError, match="9 digits"):
            luhn_check_digit(bad)


def test_parsed_is_frozen() -> None:
    parsed = parse_orgnr("5560360793")
    with pytest.raises(AttributeError):
        parsed.number = "x"  # type: ignore[misc]
