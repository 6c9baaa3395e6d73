"""The Swedish calendar against known years (2025–2027): allmänna helgdagar, the three aftnar,
Sundays, ordinary days around them, and the söndagsregel of lag (1930:173) 2 §."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest

from app.core.calendar import (
    closed_days,
    day_label,
    forget_closed_days,
    holiday_name,
    holidays_of,
    is_allman_helgdag,
    is_vardag,
    is_working_day,
    last_day_moved,
    next_vardag,
    next_working_day,
    register_closed_days_source,
    working_day_on_or_after,
)

# (day, name or None, allmän helgdag, vardag under lag (1930:173) 2 §)
DAYS = [
    # 2025
    (date(2025, 1, 1), "nyårsdagen", True, False),
    (date(2025, 1, 6), "trettondedag jul", True, False),
    (date(2025, 4, 17), None, False, True),  # skärtorsdagen: an ordinary vardag
    (date(2025, 4, 18), "långfredagen", True, False),
    (date(2025, 4, 19), None, False, False),  # påskafton: a Saturday, not a helgdag
    (date(2025, 4, 20), "påskdagen", True, False),
    (date(2025, 4, 21), "annandag påsk", True, False),
    (date(2025, 5, 1), "första maj", True, False),
    (date(2025, 5, 29), "kristi himmelsfärdsdag", True, False),
    (date(2025, 5, 30), None, False, True),  # the klämdag after it is a vardag in law
    (date(2025, 6, 6), "nationaldagen", True, False),
    (date(2025, 6, 8), "pingstdagen", True, False),
    (date(2025, 6, 9), None, False, True),  # annandag pingst is no holiday since 2005
    (date(2025, 6, 20), "midsommarafton", False, False),
    (date(2025, 6, 21), "midsommardagen", True, False),
    (date(2025, 11, 1), "alla helgons dag", True, False),
    (date(2025, 12, 23), None, False, True),
    (date(2025, 12, 24), "julafton", False, False),
    (date(2025, 12, 25), "juldagen", True, False),
    (date(2025, 12, 26), "annandag jul", True, False),
    (date(2025, 12, 31), "nyårsafton", False, False),
    # 2026
    (date(2026, 1, 1), "nyårsdagen", True, False),
    (date(2026, 1, 6), "trettondedag jul", True, False),
    (date(2026, 3, 8), None, True, False),  # an ordinary Sunday
    (date(2026, 3, 9), None, False, True),  # an ordinary Monday
    (date(2026, 4, 2), None, False, True),  # skärtorsdagen
    (date(2026, 4, 3), "långfredagen", True, False),
    (date(2026, 4, 5), "påskdagen", True, False),
    (date(2026, 4, 6), "annandag påsk", True, False),
    (date(2026, 4, 30), None, False, True),  # valborgsmässoafton: a vardag
    (date(2026, 5, 1), "första maj", True, False),
    (date(2026, 5, 14), "kristi himmelsfärdsdag", True, False),
    (date(2026, 5, 24), "pingstdagen", True, False),
    (date(2026, 6, 6), "nationaldagen", True, False),  # a Saturday
    (date(2026, 6, 18), None, False, True),
    (date(2026, 6, 19), "midsommarafton", False, False),
    (date(2026, 6, 20), "midsommardagen", True, False),
    (date(2026, 10, 31), "alla helgons dag", True, False),
    (date(2026, 12, 24), "julafton", False, False),
    (date(2026, 12, 25), "juldagen", True, False),
    (date(2026, 12, 26), "annandag jul", True, False),
    (date(2026, 12, 31), "nyårsafton", False, False),
    # 2027
    (date(2027, 1, 1), "nyårsdagen", True, False),
    (date(2027, 3, 26), "långfredagen", True, False),
    (date(2027, 3, 29), "annandag påsk", True, False),
    (date(2027, 5, 6), "kristi himmelsfärdsdag", True, False),
    (date(2027, 6, 6), "nationaldagen", True, False),  # a Sunday
    (date(2027, 6, 18), None, False, True),  # the Friday before: not midsommarafton in 2027
    (date(2027, 6, 25), "midsommarafton", False, False),
    (date(2027, 6, 26), "midsommardagen", True, False),
    (date(2027, 11, 6), "alla helgons dag", True, False),
    (date(2027, 12, 24), "julafton", False, False),
    (date(2027, 12, 31), "nyårsafton", False, False),
]


@pytest.mark.parametrize(("day", "name", "helgdag", "vardag"), DAYS, ids=[d[0].isoformat() for d in DAYS])
def test_known_days(day, name, helgdag, vardag):
    assert holiday_name(day) == name
    assert is_allman_helgdag(day) == helgdag
    assert is_vardag(day) == vardag


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_each_year_has_thirteen_named_helgdagar_and_three_aftnar(year):
    days = dict(holidays_of(year))
    eves = {d for d, n in days.items() if n in ("midsommarafton", "julafton", "nyårsafton")}
    assert len(eves) == 3
    # 13 named allmänna helgdagar (lag (1989:253), besides the other Sundays).
    assert len(days) - len(eves) == 13
    assert all(is_allman_helgdag(d) for d in set(days) - eves)


def test_sundays_are_helgdagar_by_weekday_whatever_the_package_says():
    # holidays lists every Sunday only with include_sundays=True (its default has changed over
    # the versions); the calendar never asks it for Sundays and tests the weekday instead.
    with_sundays = holidays.SE(years=2026, include_sundays=True)
    assert date(2026, 3, 8) in with_sundays
    every_sunday = [date(2026, 1, 4) + timedelta(weeks=n) for n in range(52)]
    assert all(is_allman_helgdag(d) and not is_vardag(d) for d in every_sunday)
    assert not any(holiday_name(d) for d in every_sunday if d not in dict(holidays_of(2026)))


def test_labels_name_the_day():
    assert day_label(date(2026, 4, 3)) == "långfredagen"
    assert day_label(date(2026, 3, 14)) == "lördag"
    assert day_label(date(2026, 3, 15)) == "söndag"
    assert day_label(date(2026, 3, 11)) == "onsdag"


# (statutory last day counted by 1 §, the day 2 § moves it to, the explanation)
MOVES = [
    (date(2026, 3, 11), date(2026, 3, 11), ""),  # a Wednesday: not moved
    (date(2026, 3, 14), date(2026, 3, 16), "lördag → måndag enligt lag (1930:173) 2 §"),
    (date(2026, 3, 15), date(2026, 3, 16), "söndag → måndag enligt lag (1930:173) 2 §"),
    (date(2026, 4, 3), date(2026, 4, 7), "långfredagen → tisdag enligt lag (1930:173) 2 §"),
    (date(2026, 4, 4), date(2026, 4, 7), "lördag → tisdag enligt lag (1930:173) 2 §"),  # påskafton
    (date(2026, 5, 14), date(2026, 5, 15), "kristi himmelsfärdsdag → fredag enligt lag (1930:173) 2 §"),
    (date(2026, 6, 19), date(2026, 6, 22), "midsommarafton → måndag enligt lag (1930:173) 2 §"),
    (date(2026, 12, 24), date(2026, 12, 28), "julafton → måndag enligt lag (1930:173) 2 §"),
    (date(2026, 12, 31), date(2027, 1, 4), "nyårsafton → måndag enligt lag (1930:173) 2 §"),
    (date(2025, 6, 6), date(2025, 6, 9), "nationaldagen → måndag enligt lag (1930:173) 2 §"),
    (date(2025, 12, 31), date(2026, 1, 2), "nyårsafton → fredag enligt lag (1930:173) 2 §"),
    (date(2027, 3, 26), date(2027, 3, 30), "långfredagen → tisdag enligt lag (1930:173) 2 §"),
]


@pytest.mark.parametrize(("counted", "moved", "explanation"), MOVES, ids=[m[0].isoformat() for m in MOVES])
def test_sondagsregeln(counted, moved, explanation):
    last = last_day_moved(counted)
    assert (last.counted, last.day, last.moved) == (counted, moved, counted != moved)
    assert last.explanation == explanation
    assert next_vardag(counted) == moved


# --------------------------------------------------------------------------- the kommun's closed days


def test_without_an_app_there_are_no_closed_days():
    assert closed_days() == {}
    forget_closed_days()  # nothing to forget, no error
    assert next_working_day(date(2025, 5, 2)) == date(2025, 5, 5)  # Friday → Monday
    assert next_working_day(date(2025, 4, 30)) == date(2025, 5, 2)  # 1 May is a helgdag
    assert working_day_on_or_after(date(2025, 5, 2)) == date(2025, 5, 2)
    assert next_working_day(date(2025, 5, 5)) == date(2025, 5, 6)  # Monday → Tuesday


def test_closed_days_are_read_once_per_context_until_forgotten(app):
    calls = []
    closed = {date(2025, 5, 2): "Klämdag"}

    def source():
        calls.append(1)
        return dict(closed)

    forget_closed_days()  # nothing read yet: nothing to forget, no error
    register_closed_days_source(app, source)
    register_closed_days_source(app, lambda: {date(2025, 5, 30): "Klämdag efter Kristi himmelsfärd"})
    assert closed_days() == {
        date(2025, 5, 2): "Klämdag",
        date(2025, 5, 30): "Klämdag efter Kristi himmelsfärd",
    }
    assert not is_working_day(date(2025, 5, 2))
    assert is_vardag(date(2025, 5, 2))
    assert is_working_day(date(2025, 5, 5))
    assert next_working_day(date(2025, 4, 30)) == date(2025, 5, 5)
    assert working_day_on_or_after(date(2025, 5, 2)) == date(2025, 5, 5)
    assert next_working_day(date(2025, 5, 28)) == date(2025, 6, 2)  # Kristi himmelsfärd, klämdag, weekend
    assert len(calls) == 1  # cached for the context
    closed.clear()
    assert not is_working_day(date(2025, 5, 2))  # still the cached copy
    forget_closed_days()
    assert is_working_day(date(2025, 5, 2))
    assert len(calls) == 2


def test_an_absurd_list_of_closed_days_is_ignored_rather_than_searched_for_ever(app):
    start = date(2025, 5, 2)
    register_closed_days_source(app, lambda: {start + timedelta(days=i): "Stängt" for i in range(120)})
    assert working_day_on_or_after(start) == start  # the vardag itself, closed days ignored
    assert next_working_day(start) == date(2025, 5, 5)
    # Closed for less than the search window: the first open working day is found.
    forget_closed_days()
    register_closed_days_source(app, lambda: {})
    app.extensions["lotsbok_closed_days"] = [lambda: {start + timedelta(days=i): "Stängt" for i in range(50)}]
    assert working_day_on_or_after(start) == next_vardag(start + timedelta(days=50))


def test_an_app_without_closed_day_sources_has_none(app):
    app.extensions.pop("lotsbok_closed_days", None)
    forget_closed_days()
    assert closed_days() == {}
    assert is_working_day(date(2025, 5, 2))
