"""Report periods: Stockholm calendar edges in UTC, daylight saving, neighbours, parsing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.core.errors import ValidationError
from app.reports.periods import (
    Period,
    custom_period,
    month_period,
    parse_month,
    period_from_args,
    previous_month,
    quarter_period,
    year_period,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_winter_month_edges_are_midnight_stockholm():
    jan = month_period(date(2025, 1, 1))
    assert jan.start_utc == utc(2024, 12, 31, 23)
    assert jan.end_utc == utc(2025, 1, 31, 23)
    # 23:30 UTC on the last day is 00:30 on 1 February in Stockholm: next month.
    assert not jan.contains(utc(2025, 1, 31, 23, 30))
    assert month_period(date(2025, 2, 1)).contains(utc(2025, 1, 31, 23, 30))
    assert jan.contains(utc(2025, 1, 31, 22, 59))


def test_march_is_one_hour_shorter_and_october_one_hour_longer():
    march = month_period(date(2025, 3, 1))
    assert march.start_utc == utc(2025, 2, 28, 23)
    assert march.end_utc == utc(2025, 3, 31, 22)  # CEST from 30 March
    assert march.end_utc - march.start_utc == timedelta(days=31, hours=-1)
    october = month_period(date(2025, 10, 1))
    assert october.start_utc == utc(2025, 9, 30, 22)
    assert october.end_utc == utc(2025, 10, 31, 23)  # CET from 26 October
    assert october.end_utc - october.start_utc == timedelta(days=31, hours=1)


def test_quarter_year_custom_and_labels():
    q1 = quarter_period(2025, 1)
    assert (q1.start, q1.end) == (date(2025, 1, 1), date(2025, 4, 1))
    assert q1.label == "kvartal 1 2025"
    assert quarter_period(2025, 4).end == date(2026, 1, 1)
    y = year_period(2024)
    assert (y.start, y.end, y.label) == (date(2024, 1, 1), date(2025, 1, 1), "2024")
    c = custom_period(date(2025, 3, 10), date(2025, 3, 20))
    assert (c.start, c.end, c.last_day, c.days) == (
        date(2025, 3, 10),
        date(2025, 3, 21),
        date(2025, 3, 20),
        11,
    )
    assert month_period(date(2025, 3, 1)).label == "mars 2025"
    with pytest.raises(ValidationError):
        custom_period(date(2025, 3, 20), date(2025, 3, 10))
    with pytest.raises(ValidationError):
        quarter_period(2025, 5)


def test_year_earlier_and_previous():
    march = month_period(date(2025, 3, 1))
    assert march.year_earlier() == month_period(date(2024, 3, 1))
    assert month_period(date(2025, 1, 1)).previous() == month_period(date(2024, 12, 1))
    assert quarter_period(2025, 1).previous() == quarter_period(2024, 4)
    assert year_period(2025).previous() == year_period(2024)
    leap = custom_period(date(2024, 2, 29), date(2024, 3, 1))
    assert leap.year_earlier().start == date(2023, 2, 28)


def test_previous_month_follows_stockholm_midnight():
    # 1 March 00:30 Stockholm = 28 February 23:30 UTC: previous month is already February.
    assert previous_month(utc(2025, 2, 28, 23, 30)) == month_period(date(2025, 2, 1))
    assert previous_month(utc(2025, 2, 28, 22, 30)) == month_period(date(2025, 1, 1))


def test_parse_and_args_round_trip():
    assert parse_month("2025-03") == month_period(date(2025, 3, 1))
    for bad in ("2025-13", "25-03", "mars", ""):
        with pytest.raises(ValidationError):
            parse_month(bad)
    for period in (month_period(date(2025, 3, 1)), quarter_period(2024, 3), year_period(2023),
                   custom_period(date(2025, 1, 5), date(2025, 2, 9))):  # fmt: skip
        assert period_from_args(period.to_args()) == period
    # Garbage falls back to the previous month instead of failing.
    now = utc(2025, 6, 15, 12)
    assert period_from_args({"period": "month", "month": "x"}, now) == month_period(date(2025, 5, 1))
    assert period_from_args({}, now) == month_period(date(2025, 5, 1))
    with pytest.raises(ValidationError):
        Period("custom", date(2025, 1, 2), date(2025, 1, 1))


# --------------------------------------------------------------------------- every edge, exactly


def test_refusals_say_what_is_wrong_on_which_field():
    cases = [
        (lambda: Period("custom", date(2025, 1, 1), date(2025, 1, 1)), "end", "Periodens slut måste vara efter dess början."),
        (lambda: quarter_period(2025, 0), "quarter", "Kvartalet måste vara 1–4."),
        (lambda: custom_period(date(2025, 3, 2), date(2025, 3, 1)), "to", "Slutdatum måste vara samma dag som eller efter startdatum."),
        (lambda: custom_period(date(2025, 1, 1), date(2030, 1, 7)), "to", "En valfri period får vara högst fem år."),
        (lambda: parse_month("2025-00"), "month", "Ange månaden som ÅÅÅÅ-MM, till exempel 2025-03."),
    ]  # fmt: skip
    for make, field, message in cases:
        with pytest.raises(ValidationError) as exc:
            make()
        assert (exc.value.field, exc.value.message) == (field, message)


def test_a_one_day_custom_period_and_the_five_year_limit():
    one = custom_period(date(2025, 3, 10), date(2025, 3, 10))
    assert (one.days, one.end, one.label) == (1, date(2025, 3, 11), "2025-03-10 – 2025-03-10")
    longest = custom_period(date(2025, 1, 1), date(2025, 1, 1) + timedelta(days=5 * 366 - 1))
    assert longest.days == 5 * 366
    with pytest.raises(ValidationError):
        custom_period(date(2025, 1, 1), date(2025, 1, 1) + timedelta(days=5 * 366))


def test_parse_month_bounds_and_whitespace():
    assert parse_month(" 2025-12 ") == month_period(date(2025, 12, 1))
    assert parse_month("2025-01").start == date(2025, 1, 1)
    assert parse_month("1900-01").start == date(1900, 1, 1)
    for bad in ("1899-12", "2025-3", "2025-03-01", "x2025-03", None):
        with pytest.raises(ValidationError):
            parse_month(bad)


def test_quarters_start_and_end_on_their_months():
    for quarter, first, label in (
        (1, 1, "kvartal 1 2025"),
        (2, 4, "kvartal 2 2025"),
        (3, 7, "kvartal 3 2025"),
        (4, 10, "kvartal 4 2025"),
    ):
        q = quarter_period(2025, quarter)
        assert (q.start, q.end, q.label) == (
            date(2025, first, 1),
            _months_after(date(2025, first, 1), 3),
            label,
        )
        assert q.to_args() == {"period": "quarter", "year": "2025", "quarter": str(quarter)}
        assert q.month_key == f"2025-{first:02d}"
    assert quarter_period(2025, 3).previous() == quarter_period(2025, 2)


def _months_after(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def test_months_labels_keys_args_and_neighbours():
    dec = month_period(date(2024, 12, 17))  # any day of the month gives the month
    assert (dec.start, dec.end, dec.kind) == (date(2024, 12, 1), date(2025, 1, 1), "month")
    assert (dec.label, dec.month_key, dec.days, dec.last_day) == (
        "december 2024",
        "2024-12",
        31,
        date(2024, 12, 31),
    )
    assert dec.to_args() == {"period": "month", "month": "2024-12"}
    assert month_period(date(2025, 1, 1)).label == "januari 2025"
    assert month_period(date(2025, 5, 1)).previous() == month_period(date(2025, 4, 1))
    feb = month_period(date(2024, 2, 1))
    assert (feb.days, feb.year_earlier().days) == (29, 28)
    assert month_period(date(987, 3, 1)).month_key == "0987-03"


def test_years_and_custom_ranges_args_and_neighbours():
    y = year_period(2024)
    assert y.to_args() == {"period": "year", "year": "2024"}
    assert (y.kind, y.days, y.year_earlier()) == ("year", 366, year_period(2023))
    c = custom_period(date(2025, 1, 5), date(2025, 2, 9))
    assert c.to_args() == {"period": "custom", "from": "2025-01-05", "to": "2025-02-09"}
    assert c.label == "2025-01-05 – 2025-02-09"
    before = c.previous()
    assert (before.kind, before.start, before.end) == ("custom", date(2024, 11, 30), date(2025, 1, 5))
    earlier = c.year_earlier()
    assert (earlier.kind, earlier.start, earlier.end) == ("custom", date(2024, 1, 5), date(2024, 2, 10))
    q = quarter_period(2025, 2).year_earlier()
    assert (q.kind, q.start, q.end) == ("quarter", date(2024, 4, 1), date(2024, 7, 1))


def test_contains_includes_the_start_and_excludes_the_end():
    jan = month_period(date(2025, 1, 1))
    assert jan.contains(jan.start_utc)
    assert not jan.contains(jan.end_utc)
    assert not jan.contains(jan.start_utc - timedelta(microseconds=1))


def test_period_from_args_defaults_and_clamps():
    now = utc(2025, 8, 15, 12)  # Q3 2025
    quarters = [
        ({}, (2025, 3)),
        ({"year": "", "quarter": ""}, (2025, 3)),
        ({"year": "x", "quarter": "y"}, (2025, 3)),
        ({"year": "2023", "quarter": "9"}, (2023, 4)),
        ({"year": "2023", "quarter": "-2"}, (2023, 1)),
        ({"year": "2023", "quarter": "1"}, (2023, 1)),
    ]
    for args, (year, quarter) in quarters:
        assert period_from_args({"period": "quarter", **args}, now) == quarter_period(year, quarter)
    # The default quarter is the one today is in, also on its first month.
    for month, quarter in ((1, 1), (4, 2), (7, 3), (10, 4), (12, 4)):
        assert period_from_args({"period": "quarter"}, utc(2025, month, 10, 12)) == quarter_period(
            2025, quarter
        )
    assert period_from_args({"period": "year"}, now) == year_period(2025)
    assert period_from_args({"period": "year", "year": "12"}, now) == year_period(1900)
    assert period_from_args({"period": "year", "year": "1900"}, now) == year_period(1900)
    assert period_from_args({"period": "year", "year": "99999"}, now) == year_period(9998)
    assert period_from_args({"period": "year", "year": "9998"}, now) == year_period(9998)
    # A custom range with a date missing or unreadable falls back to the previous month.
    july = month_period(date(2025, 7, 1))
    assert period_from_args({"period": "custom", "to": "2025-03-01"}, now) == july
    assert period_from_args({"period": "custom", "from": "2025-03-01"}, now) == july
    assert period_from_args({"period": "custom", "from": "2025-03-01", "to": "mars"}, now) == july
    with pytest.raises(ValidationError):
        period_from_args({"period": "custom", "from": "2025-03-02", "to": "2025-03-01"}, now)
    assert period_from_args({"month": "2024-02"}, now) == month_period(date(2024, 2, 1))
    assert period_from_args({"period": "month"}, now) == july
    assert period_from_args({"period": "okänd", "month": "2024-02"}, now) == month_period(date(2024, 2, 1))
