"""Statutory clocks: expected decision dates (weeks, months, extension, complete after
submission, clock from submission), warnings, the PBL fee reduction and event "ansök senast"."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from app.cases.statutory import (
    DeadlineState,
    StatutoryTime,
    add_months,
    apply_by,
    deadline_state,
    expected_decision_on,
    fee_reduction_percent,
    permit_clock,
)

BYGGLOV = StatutoryTime(10, "weeks", "complete", 10, "weeks")
TOBAK = StatutoryTime(4, "months", "complete", 4, "months")
FROM_SUBMISSION = StatutoryTime(4, "weeks", "submitted")


def test_bygglov_runs_ten_weeks_from_the_complete_date_not_from_submission():
    # Submitted 2 March, completed (after a request for additions) 20 March.
    deadline = expected_decision_on(BYGGLOV, submitted_on=date(2026, 3, 2), complete_on=date(2026, 3, 20))
    assert deadline == date(2026, 5, 29)  # 20 March + 70 days


def test_complete_on_the_day_of_submission():
    assert expected_decision_on(BYGGLOV, submitted_on=date(2026, 1, 5), complete_on=date(2026, 1, 5)) == date(2026, 3, 16)


def test_bygglov_extended_once_adds_ten_more_weeks():
    deadline = expected_decision_on(
        BYGGLOV, submitted_on=date(2026, 3, 2), complete_on=date(2026, 3, 20), extended=True
    )
    assert deadline == date(2026, 8, 7)  # 20 March + 140 days


def test_clock_has_not_started_before_the_application_is_complete():
    assert expected_decision_on(BYGGLOV, submitted_on=date(2026, 3, 2), complete_on=None) is None


def test_clock_from_submission_ignores_the_complete_date():
    deadline = expected_decision_on(
        FROM_SUBMISSION, submitted_on=date(2026, 3, 2), complete_on=date(2026, 3, 20)
    )
    assert deadline == date(2026, 3, 30)


def test_tobak_counts_calendar_months_and_extends_by_four_months():
    assert expected_decision_on(TOBAK, submitted_on=date(2026, 1, 10), complete_on=date(2026, 2, 1)) == date(2026, 6, 1)
    assert expected_decision_on(
        TOBAK, submitted_on=date(2026, 1, 10), complete_on=date(2026, 2, 1), extended=True
    ) == date(2026, 10, 1)


def test_months_from_the_31st_end_on_the_last_day_of_a_shorter_month():
    assert add_months(date(2025, 10, 31), 4) == date(2026, 2, 28)
    assert add_months(date(2027, 10, 31), 4) == date(2028, 2, 29)  # leap year
    assert add_months(date(2026, 11, 30), 2) == date(2027, 1, 30)  # across the year end


def test_extension_is_ignored_when_the_law_allows_none():
    no_extension = StatutoryTime(6, "weeks", "complete")
    assert expected_decision_on(
        no_extension, submitted_on=date(2026, 1, 1), complete_on=date(2026, 1, 1), extended=True
    ) == date(2026, 2, 12)


def test_no_statutory_time_gives_no_date():
    assert expected_decision_on(None, submitted_on=date(2026, 1, 1), complete_on=date(2026, 1, 1)) is None
    assert StatutoryTime.from_permit_type(SimpleNamespace(statutory_time_value=None, statutory_time_unit=None)) is None


def test_from_permit_type_reads_the_catalogue_row():
    row = SimpleNamespace(
        statutory_time_value=10, statutory_time_unit="weeks", clock_starts="complete",
        extension_value=10, extension_unit="weeks",
    )
    assert StatutoryTime.from_permit_type(row) == BYGGLOV


def test_unknown_units_are_refused():
    with pytest.raises(ValueError, match="unknown time unit"):
        StatutoryTime(3, "days")
    with pytest.raises(ValueError, match="unknown clock start"):
        StatutoryTime(3, "weeks", "whenever")


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2026, 5, 1), DeadlineState.OK),  # 28 days left
        (date(2026, 5, 14), DeadlineState.OK),  # 15 days left
        (date(2026, 5, 15), DeadlineState.NEAR),  # 14 days left
        (date(2026, 5, 29), DeadlineState.NEAR),  # the deadline day itself
        (date(2026, 5, 30), DeadlineState.PASSED),
    ],
)
def test_deadline_state(today, state):
    assert deadline_state(date(2026, 5, 29), today) == state


def test_near_window_is_configurable():
    assert deadline_state(date(2026, 5, 29), date(2026, 5, 1), near_days=30) == DeadlineState.NEAR
    assert deadline_state(date(2026, 5, 29), date(2026, 5, 25), near_days=3) == DeadlineState.OK


@pytest.mark.parametrize(
    ("decided_on", "percent"),
    [
        (date(2026, 5, 29), 0),  # on the deadline day
        (date(2026, 5, 30), 20),  # one day late = one started week
        (date(2026, 6, 5), 20),  # 7 days late
        (date(2026, 6, 6), 40),  # 8 days late: second week started
        (date(2026, 6, 26), 80),  # 28 days
        (date(2026, 6, 27), 100),  # 29 days: fifth week started
        (date(2026, 9, 1), 100),  # capped
    ],
)
def test_bygglov_fee_reduction_one_fifth_per_started_week(decided_on, percent):
    assert fee_reduction_percent(date(2026, 5, 29), decided_on, today=date(2026, 12, 1)) == percent


def test_fee_reduction_of_an_undecided_case_grows_with_today():
    assert fee_reduction_percent(date(2026, 5, 29), None, today=date(2026, 6, 2)) == 20
    assert fee_reduction_percent(date(2026, 5, 29), None, today=date(2026, 5, 20)) == 0
    assert fee_reduction_percent(None, None, today=date(2026, 5, 20)) == 0


def test_permit_clock_for_a_late_undecided_bygglov():
    clock = permit_clock(
        BYGGLOV, submitted_on=date(2026, 3, 2), complete_on=date(2026, 3, 20), extended=False,
        decision_on=None, today=date(2026, 6, 10), permit_type_code="bygglov",
    )
    assert clock.expected_decision_on == date(2026, 5, 29)
    assert clock.decision_state == DeadlineState.PASSED
    assert clock.days_late == 12
    assert clock.fee_reduction_percent == 40
    assert clock.warning


def test_permit_clock_decided_late_keeps_the_reduction_but_stops_warning():
    clock = permit_clock(
        BYGGLOV, submitted_on=date(2026, 3, 2), complete_on=date(2026, 3, 20), extended=False,
        decision_on=date(2026, 6, 1), today=date(2026, 9, 1), permit_type_code="bygglov",
    )
    assert clock.decision_state is None
    assert clock.decided_late
    assert clock.days_late == 3
    assert clock.fee_reduction_percent == 20
    assert not clock.warning


def test_permit_clock_no_fee_reduction_outside_pbl():
    clock = permit_clock(
        TOBAK, submitted_on=date(2026, 1, 1), complete_on=date(2026, 1, 1), extended=False,
        decision_on=None, today=date(2026, 7, 1), permit_type_code="tobak",
    )
    assert clock.decision_state == DeadlineState.PASSED
    assert clock.fee_reduction_percent == 0


def test_permit_clock_waits_for_a_complete_application():
    clock = permit_clock(
        BYGGLOV, submitted_on=date(2026, 3, 2), complete_on=None, extended=False,
        decision_on=None, today=date(2026, 3, 10), permit_type_code="bygglov",
    )
    assert clock.waiting_for_complete
    assert clock.expected_decision_on is None
    assert clock.decision_state is None


def test_event_apply_by_counts_back_the_lead_time():
    assert apply_by(date(2026, 8, 15), 12) == date(2026, 5, 23)
    assert apply_by(date(2026, 8, 15), None) is None
    assert apply_by(None, 12) is None


@pytest.mark.parametrize(
    ("today", "submitted_on", "state"),
    [
        (date(2026, 4, 1), None, DeadlineState.OK),
        (date(2026, 5, 20), None, DeadlineState.NEAR),
        (date(2026, 5, 24), None, DeadlineState.PASSED),
        (date(2026, 5, 24), date(2026, 5, 1), None),  # applied: no more warning
    ],
)
def test_event_apply_by_warning(today, submitted_on, state):
    clock = permit_clock(
        None, submitted_on=submitted_on, complete_on=None, extended=False, decision_on=None,
        today=today, event_date=date(2026, 8, 15), lead_time_weeks=12,
    )
    assert clock.apply_by == date(2026, 5, 23)
    assert clock.apply_by_state == state
    assert clock.warning == (state in (DeadlineState.NEAR, DeadlineState.PASSED))


def test_fee_reduction_applies_to_pbl_permit_types():
    from app.cases.statutory import has_fee_reduction

    assert has_fee_reduction("bygglov")
    assert has_fee_reduction("anmalan-pbl")
    assert has_fee_reduction("nytt-lov", "PBL (2010:900) 9 kap.; PBF 6 kap.")
    assert not has_fee_reduction("tobak", "Lag (2018:2088) om tobak och liknande produkter")
    assert not has_fee_reduction(None)
