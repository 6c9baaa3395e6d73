"""Statutory clocks of permit rows: expected decision dates, warnings, PBL fee reduction and the
"ansök senast" date of event permits. Pure functions on dates: no database, no Flask.

Rules (domain.md §2):

* The statutory time runs from a *complete* application (PBL 9:27, LTLP 5 kap.) or, for permit
  types whose catalogue row says `clock_starts="submitted"`, from the day it was submitted.
  A "complete" date is never earlier than the submission date (the service checks that).
* Weeks are counted in days (10 weeks = 70 days). Months are calendar months: 4 months from
  31 October is 28 (or 29) February, the last day of the shorter month.
* The law allows one extension (PBL: once, at most 10 weeks; LTLP: at most 4 months). A row
  marked `extended` is assumed to use the whole extension the catalogue allows; the exact new
  date is in the department's own decision, the CRM only tracks.
* PBL 12:8 a: when a lov or anmälan is decided after the deadline, the fee is reduced by one
  fifth for every started week of delay, so after five started weeks nothing is charged.
* Event permits: apply at the latest `lead_time_weeks` before the event date (e.g. Polisen:
  12 weeks). Once the application is in, the "apply by" warning is over.
"""

from __future__ import annotations

import calendar
import enum
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

DEFAULT_NEAR_DAYS = 14

# Permit types whose late decision reduces the fee (PBL 12:8 a): lov, förhandsbesked and
# anmälan under PBL. Matched on the catalogue's stable `code`, or on a law text naming PBL
# (so a lov type that admin adds later is covered too).
FEE_REDUCTION_CODES: frozenset[str] = frozenset(
    {"bygglov", "marklov", "rivningslov", "forhandsbesked", "anmalan-pbl", "skyltlov"}
)
_PBL = re.compile(r"\bPBL\b|plan- och bygglag", re.IGNORECASE)


class DeadlineState(enum.StrEnum):
    """How a date stands against today: more than `near_days` away, close, or passed."""

    OK = "ok"
    NEAR = "near"
    PASSED = "passed"


STATE_LABELS: dict[DeadlineState, str] = {
    DeadlineState.OK: "I tid",
    DeadlineState.NEAR: "Närmar sig",
    DeadlineState.PASSED: "Passerad",
}


@dataclass(frozen=True)
class StatutoryTime:
    """A statutory handling time: `value` `unit` ("weeks" | "months") from `clock_starts`
    ("complete" | "submitted"), optionally extendable once by `extension_value` `extension_unit`."""

    value: int
    unit: str
    clock_starts: str = "complete"
    extension_value: int | None = None
    extension_unit: str | None = None

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


def clock_start(time: StatutoryTime, submitted_on: date | None, complete_on: date | None) -> date | None:
    """The day the statutory clock started, or None while it has not started.

    A clock that runs from a complete application has not started until `complete_on` is
    known; one that runs from submission starts on `submitted_on`.
    """
    if time.clock_starts == "submitted":
        return submitted_on
    return complete_on


def expected_decision_on(
    time: StatutoryTime | None,
    *,
    submitted_on: date | None,
    complete_on: date | None,
    extended: bool = False,
) -> date | None:
    """The last day for the decision under the law, or None (no statutory time, or the clock
    has not started). `extended` adds the one extension the law allows (if it allows one)."""
    if time is None:
        return None
    start = clock_start(time, submitted_on, complete_on)
    if start is None:
        return None
    deadline = add_duration(start, time.value, time.unit)
    if extended and time.extension_value and time.extension_unit:
        deadline = add_duration(deadline, time.extension_value, time.extension_unit)
    return deadline


def deadline_state(deadline: date, today: date, near_days: int = DEFAULT_NEAR_DAYS) -> DeadlineState:
    """PASSED after the deadline day, NEAR when it is at most `near_days` away, else OK.

    The deadline day itself is still in time (NEAR): a decision on that day is not late.
    """
    if today > deadline:
        return DeadlineState.PASSED
    if (deadline - today).days <= near_days:
        return DeadlineState.NEAR
    return DeadlineState.OK


def days_late(deadline: date, decided_on: date | None, today: date) -> int:
    """Days past the deadline: until the decision, or until today while undecided (0 if not late)."""
    end = decided_on or today
    return max(0, (end - deadline).days)


def fee_reduction_percent(deadline: date | None, decided_on: date | None, today: date) -> int:
    """PBL 12:8 a: one fifth (20 %) off the fee per started week past the deadline, at most 100 %.

    One day late is one started week (20 %); 7 days late is still one week; 8 days is two.
    """
    if deadline is None:
        return 0
    late = days_late(deadline, decided_on, today)
    started_weeks = math.ceil(late / 7)
    return min(started_weeks, 5) * 20


def has_fee_reduction(permit_type_code: str | None, law: str | None = None) -> bool:
    """True for the PBL permit types whose fee is reduced when the decision is late."""
    if permit_type_code and permit_type_code in FEE_REDUCTION_CODES:
        return True
    return bool(law) and _PBL.search(law) is not None


def apply_by(event_date: date | None, lead_time_weeks: int | None) -> date | None:
    """"Ansök senast": the event date minus the catalogue's lead time, or None."""
    if event_date is None or not lead_time_weeks:
        return None
    return event_date - timedelta(weeks=lead_time_weeks)


@dataclass(frozen=True)
class PermitClock:
    """Everything the case page and the lists show for one permit row."""

    expected_decision_on: date | None
    decision_state: DeadlineState | None  # None: no deadline, or already decided
    decided_late: bool
    days_late: int
    fee_reduction_percent: int  # 0 unless a PBL permit is (or was) decided late
    apply_by: date | None
    apply_by_state: DeadlineState | None  # None: no event lead time, or already submitted
    waiting_for_complete: bool  # the clock waits for a complete application

    @property
    def warning(self) -> bool:
        """True when something needs attention now (near or passed, decision or application)."""
        return self.decision_state in (DeadlineState.NEAR, DeadlineState.PASSED) or self.apply_by_state in (
            DeadlineState.NEAR,
            DeadlineState.PASSED,
        )


def permit_clock(
    time: StatutoryTime | None,
    *,
    submitted_on: date | None,
    complete_on: date | None,
    extended: bool,
    decision_on: date | None,
    today: date,
    permit_type_code: str | None = None,
    law: str | None = None,
    event_date: date | None = None,
    lead_time_weeks: int | None = None,
    near_days: int = DEFAULT_NEAR_DAYS,
) -> PermitClock:
    """Compute the clock of one permit row as of `today`."""
    deadline = expected_decision_on(
        time, submitted_on=submitted_on, complete_on=complete_on, extended=extended
    )
    state = None
    if deadline is not None and decision_on is None:
        state = deadline_state(deadline, today, near_days)
    late = days_late(deadline, decision_on, today) if deadline is not None else 0
    reduction = (
        fee_reduction_percent(deadline, decision_on, today)
        if has_fee_reduction(permit_type_code, law)
        else 0
    )
    last_apply = apply_by(event_date, lead_time_weeks)
    apply_state = None
    if last_apply is not None and submitted_on is None:
        apply_state = deadline_state(last_apply, today, near_days)
    return PermitClock(
        expected_decision_on=deadline,
        decision_state=state,
        decided_late=decision_on is not None and late > 0,
        days_late=late,
        fee_reduction_percent=reduction,
        apply_by=last_apply,
        apply_by_state=apply_state,
        waiting_for_complete=(
            time is not None
            and time.clock_starts == "complete"
            and submitted_on is not None
            and complete_on is None
            and decision_on is None
        ),
    )
