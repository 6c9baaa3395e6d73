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
    assert (c.start, c.end, c.last_day, c.days) == (date(2025, 3, 10), date(2025, 3, 21), date(2025, 3, 20), 11)
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
