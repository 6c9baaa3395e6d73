"""Deadlines of permit rows: how the statutory clock's last day (app.cases.statutory) and the
"ansök senast" date stand against today, days late, the PBL fee reduction, and `permit_clock`,
everything the case page and the lists show for one row. Pure functions on dates: no database.

Rules (domain.md §2; README "Lotsärenden" explains them to users):

* A deadline is near when at most `near_days` days remain, passed after its last day; the
  deadline day itself is still in time.
* PBL 12:8 a: when a lov or anmälan is decided after the deadline, the fee is reduced by one
  fifth for every started week of delay, so after five started weeks nothing is charged.
* Event permits: apply at the latest `lead_time_weeks` before the event date (e.g. Polisen:
  12 weeks). Once the application is in, the "apply by" warning is over. That is advice,
  counted backwards, and is not moved.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from app.cases.statutory import ClockRule, ClockStart, PermitDates, StatutoryTime, clock_start, last_day
from app.core.calendar import LastDay

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


STATE_LABELS = {
    DeadlineState.OK: _l("I tid"),
    DeadlineState.NEAR: _l("Närmar sig"),
    DeadlineState.PASSED: _l("Passerad"),
}


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
    """ "Ansök senast": the event date minus the catalogue's lead time, or None."""
    if event_date is None or not lead_time_weeks:
        return None
    return event_date - timedelta(weeks=lead_time_weeks)


@dataclass(frozen=True)
class PermitClock:
    """Everything the case page and the lists show for one permit row."""

    expected_decision_on: date | None  # the deadline: the last day after the söndagsregel
    decision_state: DeadlineState | None  # None: no deadline, or already decided
    decided_late: bool
    days_late: int
    fee_reduction_percent: int  # 0 unless a PBL permit is (or was) decided late
    apply_by: date | None
    apply_by_state: DeadlineState | None  # None: no event lead time, or already submitted
    waiting_for_complete: bool  # the clock waits for a complete application or the completion
    start: ClockStart | None = None  # None: no statutory time
    last_day: LastDay | None = None  # counted (1 §) and moved (2 §) last day

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
    completion_requested_on: date | None = None,
    own_initiative_on: tuple[date, ...] = (),
    request_date_unknown: bool = False,
    permit_type_code: str | None = None,
    law: str | None = None,
    event_date: date | None = None,
    lead_time_weeks: int | None = None,
    near_days: int = DEFAULT_NEAR_DAYS,
) -> PermitClock:
    """Compute the clock of one permit row as of `today`."""
    start = last = None
    if time is not None:
        start = clock_start(
            time,
            PermitDates(
                submitted_on,
                complete_on,
                completion_requested_on,
                tuple(own_initiative_on),
                extended,
                request_date_unknown,
            ),
        )
        if start.on is not None:
            last = last_day(time, start.on, extended)
    deadline = last.day if last is not None else None
    state = None
    if deadline is not None and decision_on is None:
        state = deadline_state(deadline, today, near_days)
    late = days_late(deadline, decision_on, today) if deadline is not None else 0
    reduction = (
        fee_reduction_percent(deadline, decision_on, today)
        if time is not None and time.is_statutory and has_fee_reduction(permit_type_code, law)
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
            start is not None
            and start.rule in (ClockRule.WAITING_COMPLETE, ClockRule.WAITING_COMPLETION)
            and decision_on is None
        ),
        start=start,
        last_day=last,
    )
