"""The Swedish calendar: allmänna helgdagar, the söndagsregel and working days.

Three notions, kept apart on purpose:

* **Allmän helgdag** – lag (1989:253) om allmänna helgdagar: every Sunday, nyårsdagen,
  trettondedag jul, långfredagen, påskdagen, annandag påsk, första maj, Kristi himmelsfärdsdag,
  nationaldagen, pingstdagen, midsommardagen, alla helgons dag, juldagen and annandag jul.
  The named days come from the `holidays` package (country SE, category PUBLIC, Swedish
  names). Sundays are taken from the weekday, not from the package: `holidays` has listed
  every Sunday as a holiday in some versions and not in others (`include_sundays`), so we
  ask it for the named days only and the answer does not depend on its default.
* **Vardag** in the sense of lag (1930:173) om beräkning av lagstadgad tid, 2 § (the
  söndagsregel): not a Saturday, not an allmän helgdag, not midsommarafton, julafton or
  nyårsafton (the package's DE_FACTO category is exactly those three aftnar). A statutory
  last day that is not a vardag moves to the next vardag (`last_day_moved`). Påskafton,
  pingstafton and the klämdagar are not in that list: påskafton and pingstafton are Saturdays
  anyway, and a klämdag is an ordinary vardag in law.
* **Working day** – Lotsbok's own: the daily digest, "Nästa arbetsdag" and every suggested
  date. A vardag that is not one of the extra closed days admin keeps (klämdagar the kommun
  closes; the catalogues feature stores them and registers them here). Closed days never move
  a statutory deadline: the law's list is fixed.

Everything but the closed days is pure (no database, no Flask).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
from flask import Flask, current_app, g, has_app_context, has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from holidays.constants import DE_FACTO, PUBLIC

WEEKDAY_NAMES = (
    _l("måndag"),
    _l("tisdag"),
    _l("onsdag"),
    _l("torsdag"),
    _l("fredag"),
    _l("lördag"),
    _l("söndag"),
)
SONDAGSREGELN = "lag (1930:173) 2 §"
# Far enough for any run of non-working days (jul–nyår with klämdagar is about ten days).
_SEARCH_DAYS = 60


@lru_cache(maxsize=64)
def _named_days(year: int, language: str = "sv") -> tuple[Mapping[date, str], Mapping[date, str]]:
    """({day: name} of the named allmänna helgdagar, {day: name} of the three aftnar) of a year.
    The days never depend on `language`, only their names do."""

    def named(category: str) -> dict[date, str]:
        days = holidays.SE(years=year, categories=(category,), language=language, include_sundays=False)
        # Swedish writes the days in lower case ("långfredagen"); English capitalises them.
        return {day: name.lower() if language == "sv" else name for day, name in days.items()}

    return named(PUBLIC), named(DE_FACTO)


def _names_language() -> str:
    """The `holidays` package's language for names shown now: English on an English page,
    Swedish everywhere else (jobs, the CLI, mail rendered in Swedish)."""
    if has_request_context():
        locale = get_locale()
        if locale is not None and locale.language == "en":
            return "en_US"
    return "sv"


def holiday_name(day: date) -> str | None:
    """The name of a named allmän helgdag or of midsommar-, jul- or nyårsafton ("långfredagen",
    "midsommarafton"), lower case in Swedish; None for other days (ordinary Sundays included)."""
    public, eves = _named_days(day.year, _names_language())
    return public.get(day) or eves.get(day)


def holidays_of(year: int) -> list[tuple[date, str]]:
    """The named allmänna helgdagar and the three aftnar of a year, in date order."""
    public, eves = _named_days(year, _names_language())
    return sorted({**public, **eves}.items())


def is_allman_helgdag(day: date) -> bool:
    """An allmän helgdag under lag (1989:253): a Sunday or a named holiday."""
    return day.weekday() == 6 or day in _named_days(day.year)[0]


def is_vardag(day: date) -> bool:
    """A vardag under lag (1930:173) 2 §: not a Saturday, an allmän helgdag, midsommarafton,
    julafton or nyårsafton."""
    if day.weekday() >= 5:
        return False
    public, eves = _named_days(day.year)
    return day not in public and day not in eves


def day_label(day: date) -> str:
    """What kind of day it is, for explanations: the holiday's name, else the weekday."""
    return holiday_name(day) or str(WEEKDAY_NAMES[day.weekday()])


def next_vardag(day: date) -> date:
    """`day` itself if it is a vardag, else the first vardag after it."""
    while not is_vardag(day):
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class LastDay:
    """The last day of a statutory time: `counted` by lag (1930:173) 1 § (weeks to the same
    weekday, months to the same date), `day` after the söndagsregel of 2 §."""

    counted: date
    day: date

    @property
    def moved(self) -> bool:
        return self.day != self.counted

    @property
    def explanation(self) -> str:
        """ "lördag → måndag enligt lag (1930:173) 2 §", or "" when 2 § did not move the day."""
        if not self.moved:
            return ""
        return _(
            "%(counted)s → %(moved)s enligt %(rule)s",
            counted=day_label(self.counted),
            moved=WEEKDAY_NAMES[self.day.weekday()],
            rule=SONDAGSREGELN,
        )


def last_day_moved(counted: date) -> LastDay:
    """Apply the söndagsregel to a statutory last day."""
    return LastDay(counted, next_vardag(counted))


# ---------------------------------------------------------------------------------------------
# Working days: vardagar minus the kommun's own closed days


ClosedDaysSource = Callable[[], Mapping[date, str]]


def register_closed_days_source(app: Flask, source: ClosedDaysSource) -> None:
    """A feature that stores extra closed days registers `source() -> {day: reason}` here."""
    app.extensions.setdefault("lotsbok_closed_days", []).append(source)


def closed_days() -> Mapping[date, str]:
    """The extra closed days, read once per app context (a request, a job run, a CLI command).
    Outside an app context there are none."""
    if not has_app_context():
        return {}
    cached = g.get("_lotsbok_closed_days")
    if cached is None:
        cached = {}
        for source in current_app.extensions.get("lotsbok_closed_days", []):
            cached.update(source())
        g._lotsbok_closed_days = cached
    return cached


def forget_closed_days() -> None:
    """Drop this app context's copy (after a closed day was added or removed)."""
    if has_app_context():
        g.pop("_lotsbok_closed_days", None)


def is_working_day(day: date) -> bool:
    """A vardag (lag (1930:173) 2 §) that the kommun has not closed."""
    return is_vardag(day) and day not in closed_days()


def working_day_on_or_after(day: date) -> date:
    """`day` if it is a working day, else the next one: where a suggested date lands."""
    candidate = day
    for _attempt in range(_SEARCH_DAYS):
        if is_working_day(candidate):
            return candidate
        candidate += timedelta(days=1)
    return next_vardag(day)  # only with an absurd list of closed days: ignore them


def next_working_day(day: date) -> date:
    """The first working day after `day` ("Nästa arbetsdag")."""
    return working_day_on_or_after(day + timedelta(days=1))
