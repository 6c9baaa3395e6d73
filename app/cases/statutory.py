"""Statutory clocks of permit rows: when the clock starts and the last day for the decision (the
expected decision date). Pure functions on dates: no database; the explanations are wrapped for
translation (flask_babel gives Swedish outside a request). How a date stands against today
(warnings, the PBL fee reduction, the "ansök senast" date of event permits) is
app.cases.deadlines.

Rules (domain.md §2; README "Lotsärenden" explains them to users):

* **When the clock starts.** For most permit types the statutory time runs from a *complete*
  application (LTLP 5 kap.) or, when the catalogue row says `clock_starts="submitted"`, from
  the day it was submitted. For the types the catalogue marks with PBL's **three-week rule**
  (lov, förhandsbesked, anmälan: PBL 9 kap. 22 och 27 §§, Boverket's "Tidsfrister för
  handläggning") it runs from the day the application came in, or the later day the applicant
  added material on their own initiative; only if the byggnadsnämnd ordered completion
  (föreläggande om komplettering) within three weeks of that day does it run from the day the
  deficiencies were remedied. Material that arrives after the time has run out restarts
  nothing (MÖD 2022:8). `clock_start` returns the day, which rule applied and why (in the
  reader's language).
* **Counting** (lag (1930:173) om beräkning av lagstadgad tid, 1 §): weeks end on the same
  weekday (10 weeks = 70 days), months on the same date or, when the month has none, on its
  last day (4 months from 31 October is 28/29 February).
* **The söndagsregel** (2 §): a last day on a Saturday, Sunday, other allmän helgdag,
  midsommarafton, julafton or nyårsafton moves to the next vardag (`app.core.calendar`).
  Only for times the catalogue marks as lagstadgad; a guidance time is not moved. The moved
  day is the deadline: warnings and the fee reduction count from it. The three weeks of the
  rule above are a statutory time too and move the same way.
* The law allows one extension (PBL: once, at most 10 weeks; LTLP: at most 4 months). A row
  marked `extended` is assumed to use the whole extension the catalogue allows; the exact new
  date is in the department's own decision, the CRM only tracks.
"""

from __future__ import annotations

import calendar
import enum
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.calendar import LastDay, last_day_moved


@dataclass(frozen=True)
class StatutoryTime:
    """A handling time: `value` `unit` ("weeks" | "months") from `clock_starts` ("complete" |
    "submitted"), optionally extendable once by `extension_value` `extension_unit`.

    `is_statutory`: set in law (lagstadgad), so the söndagsregel moves its last day; False for a
    guidance time. `three_week_rule`: PBL 9 kap. 22 och 27 §§ decide when the clock starts
    (then `clock_starts` does not matter)."""

    value: int
    unit: str
    clock_starts: str = "complete"
    extension_value: int | None = None
    extension_unit: str | None = None
    is_statutory: bool = True
    three_week_rule: bool = False

    def __post_init__(self) -> None:
        if self.unit not in ("weeks", "months"):
            raise ValueError(f"unknown time unit {self.unit!r}")
        if self.clock_starts not in ("complete", "submitted"):
            raise ValueError(f"unknown clock start {self.clock_starts!r}")
        if self.extension_value is not None and self.extension_unit not in ("weeks", "months"):
            raise ValueError(f"unknown extension unit {self.extension_unit!r}")

    @property
    def extendable(self) -> bool:
        return bool(self.extension_value)

    @classmethod
    def from_permit_type(cls, permit_type: Any) -> StatutoryTime | None:
        """The clock of a catalogue PermitType, or None when the law sets no time."""
        value = getattr(permit_type, "statutory_time_value", None)
        unit = getattr(permit_type, "statutory_time_unit", None)
        if not value or not unit:
            return None
        return cls(
            value=value,
            unit=unit,
            clock_starts=getattr(permit_type, "clock_starts", None) or "complete",
            extension_value=getattr(permit_type, "extension_value", None) or None,
            extension_unit=getattr(permit_type, "extension_unit", None) or None,
            is_statutory=bool(getattr(permit_type, "time_is_statutory", True)),
            three_week_rule=bool(getattr(permit_type, "pbl_three_week_rule", False)),
        )


def add_months(day: date, months: int) -> date:
    """`day` plus calendar months; the 31st becomes the last day of a shorter month."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_duration(day: date, value: int, unit: str) -> date:
    """`day` plus `value` weeks (7-day steps) or calendar months."""
    if unit == "weeks":
        return day + timedelta(weeks=value)
    if unit == "months":
        return add_months(day, value)
    raise ValueError(f"unknown time unit {unit!r}")


@dataclass(frozen=True)
class PermitDates:
    """What a permit row records about the application. `completion_requested_on` is the
    föreläggande om komplettering, `complete_on` the day the application became complete (for
    three-week types: the day the deficiencies were remedied), `own_initiative_on` the days the
    applicant added material on their own initiative. `request_date_unknown` marks a row
    registered before Lotsbok knew the three-week rule (migration 0012): its föreläggande date
    was never asked for, so the complete date is trusted as before until someone fills it in."""

    submitted_on: date | None
    complete_on: date | None = None
    completion_requested_on: date | None = None
    own_initiative_on: tuple[date, ...] = ()
    extended: bool = False
    request_date_unknown: bool = False


class ClockRule(enum.StrEnum):
    """Which rule started the clock (or why it has not started)."""

    NOT_SUBMITTED = "not_submitted"
    SUBMITTED = "submitted"
    COMPLETE = "complete"
    WAITING_COMPLETE = "waiting_complete"
    OWN_INITIATIVE = "own_initiative"
    COMPLETION = "completion"
    WAITING_COMPLETION = "waiting_completion"
    ASSUMED = "assumed"


RULE_LABELS = {
    ClockRule.NOT_SUBMITTED: _l("Inte inlämnad"),
    ClockRule.SUBMITTED: _l("Från inlämningen"),
    ClockRule.COMPLETE: _l("Från komplett ansökan"),
    ClockRule.WAITING_COMPLETE: _l("Väntar på komplett ansökan"),
    ClockRule.OWN_INITIATIVE: _l("Från underlag på eget initiativ"),
    ClockRule.COMPLETION: _l("Från kompletteringen"),
    ClockRule.WAITING_COMPLETION: _l("Väntar på komplettering"),
    ClockRule.ASSUMED: _l("Från komplett ansökan (föreläggandets datum saknas)"),
}


@dataclass(frozen=True)
class ClockStart:
    """The day the clock started (None: not started), the rule and an explanation (in the
    reader's language); `notes` name dates that did not count and why."""

    on: date | None
    rule: ClockRule
    reason: str
    notes: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        return RULE_LABELS[self.rule]


def last_day(time: StatutoryTime, start: date, extended: bool = False) -> LastDay:
    """The last day of `time` counted from `start` (1 §), moved by the söndagsregel (2 §) when
    the time is lagstadgad. `extended` adds the one extension the law allows (if it allows one)."""
    counted = add_duration(start, time.value, time.unit)
    if extended and time.extension_value and time.extension_unit:
        counted = add_duration(counted, time.extension_value, time.extension_unit)
    return last_day_moved(counted) if time.is_statutory else LastDay(counted, counted)


def three_weeks_from(day: date) -> LastDay:
    """The last day on which a föreläggande om komplettering still counts (PBL 9 kap. 22 §):
    three weeks from `day` (the same weekday), moved by the söndagsregel."""
    return last_day_moved(day + timedelta(weeks=3))


def _moved_note(limit: LastDay) -> str:
    return f" ({limit.explanation})" if limit.moved else ""


def _three_week_start(time: StatutoryTime, d: PermitDates) -> ClockStart:
    submitted = d.submitted_on
    if submitted is None:
        return ClockStart(None, ClockRule.NOT_SUBMITTED, _("Tiden börjar när ansökan har kommit in."))
    notes: list[str] = []
    ref, rule = submitted, ClockRule.SUBMITTED
    expired = False
    request = d.completion_requested_on
    additions = sorted({a for a in d.own_initiative_on if a >= submitted})

    def own_initiative(added: date) -> None:
        nonlocal ref, rule, expired
        limit = last_day(time, ref, d.extended)
        if expired or added > limit.day:
            expired = True
            notes.append(
                _(
                    "Underlaget %(added)s kom efter att tiden löpt ut %(last_day)s "
                    "och startar inte om den (MÖD 2022:8).",
                    added=added.isoformat(),
                    last_day=limit.day.isoformat(),
                )
            )
            return
        ref, rule = added, ClockRule.OWN_INITIATIVE

    for added in (a for a in additions if request is None or a <= request):
        own_initiative(added)
    later = [a for a in additions if request is not None and a > request]

    if request is None and d.request_date_unknown:
        if d.complete_on is None:
            return ClockStart(
                None,
                ClockRule.WAITING_COMPLETE,
                _(
                    "Raden registrerades innan Lotsbok följde treveckorsregeln och saknar datum för "
                    "föreläggandet om komplettering. Tiden börjar som tidigare när ansökan är komplett. "
                    "Fyll i föreläggandets datum, eller ta bort markeringen om inget föreläggande kom."
                ),
                tuple(notes),
            )
        return ClockStart(
            d.complete_on,
            ClockRule.ASSUMED,
            _(
                "Raden registrerades innan Lotsbok följde treveckorsregeln och saknar datum för "
                "föreläggandet om komplettering, så tiden räknas som tidigare från komplett ansökan "
                "%(complete)s. Fyll i föreläggandets datum, eller ta bort markeringen "
                "om inget föreläggande kom.",
                complete=d.complete_on.isoformat(),
            ),
            tuple(notes),
        )

    if request is not None:
        window = three_weeks_from(ref)
        window_dates = {
            "request": request.isoformat(),
            "ref": ref.isoformat(),
            "last_day": window.day.isoformat(),
            "moved": _moved_note(window),
        }
        if request <= window.day:
            completed = d.complete_on
            if completed is None or completed < request:
                return ClockStart(
                    None,
                    ClockRule.WAITING_COMPLETION,
                    _(
                        "Tiden börjar när bristerna är avhjälpta: nämnden förelade om komplettering "
                        "%(request)s, inom tre veckor från %(ref)s (senast %(last_day)s%(moved)s).",
                        **window_dates,
                    ),
                    tuple(notes),
                )
            ref, rule = completed, ClockRule.COMPLETION
            reason = _(
                "Tiden räknas från %(completed)s, då bristerna avhjälptes: nämnden förelade om "
                "komplettering %(request)s, inom tre veckor från %(ref)s (senast %(last_day)s%(moved)s).",
                completed=completed.isoformat(),
                **window_dates,
            )
            for added in (a for a in later if a > completed):
                own_initiative(added)
            if rule is ClockRule.OWN_INITIATIVE:
                reason = _own_initiative_reason(ref)
            return ClockStart(ref, rule, reason, tuple(notes))
        notes.append(
            _(
                "Föreläggandet om komplettering %(request)s kom senare än tre veckor från "
                "%(ref)s (senast %(last_day)s%(moved)s) och flyttar inte starten.",
                **window_dates,
            )
        )
        for added in later:
            own_initiative(added)
    elif d.complete_on is not None and d.complete_on > submitted:
        notes.append(
            _(
                "Kompletteringen %(complete)s påverkar inte tiden: inget föreläggande "
                "om komplettering är registrerat.",
                complete=d.complete_on.isoformat(),
            )
        )
    if rule is ClockRule.OWN_INITIATIVE:
        return ClockStart(ref, rule, _own_initiative_reason(ref), tuple(notes))
    return ClockStart(
        ref,
        rule,
        _(
            "Tiden räknas från %(day)s, då ansökan kom in: inget föreläggande om "
            "komplettering kom inom tre veckor.",
            day=ref.isoformat(),
        ),
        tuple(notes),
    )


def _own_initiative_reason(day: date) -> str:
    return _(
        "Tiden räknas från %(day)s, då sökanden kom in med underlag på eget initiativ "
        "(den senare dagen räknas).",
        day=day.isoformat(),
    )


def clock_start(time: StatutoryTime, dates: PermitDates) -> ClockStart:
    """The day the statutory clock started, the rule that decided it and why (see the module
    docstring). `on` is None while the clock has not started."""
    if time.three_week_rule:
        return _three_week_start(time, dates)
    if dates.submitted_on is None and dates.complete_on is None:
        return ClockStart(None, ClockRule.NOT_SUBMITTED, _("Tiden börjar när ansökan har kommit in."))
    if time.clock_starts == "submitted" and dates.submitted_on is not None:
        return ClockStart(
            dates.submitted_on,
            ClockRule.SUBMITTED,
            _("Tiden räknas från %(day)s, då ansökan kom in.", day=dates.submitted_on.isoformat()),
        )
    if dates.complete_on is None:
        return ClockStart(None, ClockRule.WAITING_COMPLETE, _("Tiden börjar när ansökan är komplett."))
    return ClockStart(
        dates.complete_on,
        ClockRule.COMPLETE,
        _("Tiden räknas från %(day)s, då ansökan var komplett.", day=dates.complete_on.isoformat()),
    )


def expected_decision_on(
    time: StatutoryTime | None,
    *,
    submitted_on: date | None,
    complete_on: date | None,
    extended: bool = False,
    completion_requested_on: date | None = None,
    own_initiative_on: tuple[date, ...] = (),
    request_date_unknown: bool = False,
) -> date | None:
    """The last day for the decision (after the söndagsregel), or None (no statutory time, or
    the clock has not started). `extended` adds the one extension the law allows."""
    if time is None:
        return None
    dates = PermitDates(
        submitted_on,
        complete_on,
        completion_requested_on,
        tuple(own_initiative_on),
        extended,
        request_date_unknown,
    )
    start = clock_start(time, dates).on
    return None if start is None else last_day(time, start, extended).day
