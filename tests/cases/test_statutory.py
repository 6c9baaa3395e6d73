"""Statutory clocks: expected decision dates (weeks, months, extension, complete after
submission, clock from submission), warnings, the PBL fee reduction and event "ansök senast"."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from app.cases.deadlines import DeadlineState, apply_by, deadline_state, fee_reduction_percent, permit_clock
from app.cases.statutory import (
    ClockRule,
    PermitDates,
    StatutoryTime,
    add_months,
    clock_start,
    expected_decision_on,
)

BYGGLOV = StatutoryTime(10, "weeks", "complete", 10, "weeks")
TOBAK = StatutoryTime(4, "months", "complete", 4, "months")
FROM_SUBMISSION = StatutoryTime(4, "weeks", "submitted")


def test_bygglov_runs_ten_weeks_from_the_complete_date_not_from_submission():
    # Submitted 2 March, completed (after a request for additions) 20 March.
    deadline = expected_decision_on(BYGGLOV, submitted_on=date(2026, 3, 2), complete_on=date(2026, 3, 20))
    assert deadline == date(2026, 5, 29)  # 20 March + 70 days


def test_complete_on_the_day_of_submission():
    assert expected_decision_on(BYGGLOV, submitted_on=date(2026, 1, 5), complete_on=date(2026, 1, 5)) == date(
        2026, 3, 16
    )


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
    assert expected_decision_on(TOBAK, submitted_on=date(2026, 1, 10), complete_on=date(2026, 2, 1)) == date(
        2026, 6, 1
    )
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
    assert (
        StatutoryTime.from_permit_type(SimpleNamespace(statutory_time_value=None, statutory_time_unit=None))
        is None
    )


def test_from_permit_type_reads_the_catalogue_row():
    row = SimpleNamespace(
        statutory_time_value=10,
        statutory_time_unit="weeks",
        clock_starts="complete",
        extension_value=10,
        extension_unit="weeks",
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
        BYGGLOV,
        submitted_on=date(2026, 3, 2),
        complete_on=date(2026, 3, 20),
        extended=False,
        decision_on=None,
        today=date(2026, 6, 10),
        permit_type_code="bygglov",
    )
    assert clock.expected_decision_on == date(2026, 5, 29)
    assert clock.decision_state == DeadlineState.PASSED
    assert clock.days_late == 12
    assert clock.fee_reduction_percent == 40
    assert clock.warning


def test_permit_clock_decided_late_keeps_the_reduction_but_stops_warning():
    clock = permit_clock(
        BYGGLOV,
        submitted_on=date(2026, 3, 2),
        complete_on=date(2026, 3, 20),
        extended=False,
        decision_on=date(2026, 6, 1),
        today=date(2026, 9, 1),
        permit_type_code="bygglov",
    )
    assert clock.decision_state is None
    assert clock.decided_late
    assert clock.days_late == 3
    assert clock.fee_reduction_percent == 20
    assert not clock.warning


def test_permit_clock_no_fee_reduction_outside_pbl():
    clock = permit_clock(
        TOBAK,
        submitted_on=date(2026, 1, 1),
        complete_on=date(2026, 1, 1),
        extended=False,
        decision_on=None,
        today=date(2026, 7, 1),
        permit_type_code="tobak",
    )
    assert clock.decision_state == DeadlineState.PASSED
    assert clock.fee_reduction_percent == 0


def test_permit_clock_waits_for_a_complete_application():
    clock = permit_clock(
        BYGGLOV,
        submitted_on=date(2026, 3, 2),
        complete_on=None,
        extended=False,
        decision_on=None,
        today=date(2026, 3, 10),
        permit_type_code="bygglov",
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
        None,
        submitted_on=submitted_on,
        complete_on=None,
        extended=False,
        decision_on=None,
        today=today,
        event_date=date(2026, 8, 15),
        lead_time_weeks=12,
    )
    assert clock.apply_by == date(2026, 5, 23)
    assert clock.apply_by_state == state
    assert clock.warning == (state in (DeadlineState.NEAR, DeadlineState.PASSED))


def test_fee_reduction_applies_to_pbl_permit_types():
    from app.cases.deadlines import has_fee_reduction

    assert has_fee_reduction("bygglov")
    assert has_fee_reduction("anmalan-pbl")
    assert has_fee_reduction("nytt-lov", "PBL (2010:900) 9 kap.; PBF 6 kap.")
    assert not has_fee_reduction("tobak", "Lag (2018:2088) om tobak och liknande produkter")
    assert not has_fee_reduction(None)


# --------------------------------------------------------------------------- the söndagsregel

TEN_WEEKS = StatutoryTime(10, "weeks", "submitted", 10, "weeks")
GUIDANCE = StatutoryTime(10, "weeks", "submitted", is_statutory=False)

# (the day 10 weeks end on by 1 §, the deadline after 2 §)
LANDINGS = [
    (date(2026, 3, 11), date(2026, 3, 11)),  # a Wednesday
    (date(2026, 3, 14), date(2026, 3, 16)),  # a Saturday
    (date(2026, 3, 15), date(2026, 3, 16)),  # a Sunday
    (date(2026, 4, 3), date(2026, 4, 7)),  # långfredagen, then påskafton, påskdagen, annandag påsk
    (date(2026, 4, 6), date(2026, 4, 7)),  # annandag påsk
    (date(2026, 5, 1), date(2026, 5, 4)),  # första maj (a Friday)
    (date(2026, 5, 14), date(2026, 5, 15)),  # Kristi himmelsfärdsdag: the klämdag is a vardag
    (date(2026, 6, 19), date(2026, 6, 22)),  # midsommarafton
    (date(2026, 12, 24), date(2026, 12, 28)),  # julafton
    (date(2026, 12, 31), date(2027, 1, 4)),  # nyårsafton, nyårsdagen, weekend
    (date(2027, 1, 6), date(2027, 1, 7)),  # trettondedag jul (a Wednesday)
]


@pytest.mark.parametrize(("counted", "deadline"), LANDINGS, ids=[c.isoformat() for c, _ in LANDINGS])
def test_a_statutory_deadline_on_a_non_vardag_moves_to_the_next_vardag(counted, deadline):
    submitted = counted - timedelta(weeks=10)
    assert expected_decision_on(TEN_WEEKS, submitted_on=submitted, complete_on=None) == deadline
    clock = permit_clock(
        TEN_WEEKS, submitted_on=submitted, complete_on=None, extended=False, decision_on=None, today=submitted
    )
    assert clock.last_day.counted == counted
    assert clock.expected_decision_on == deadline
    assert clock.last_day.moved == (counted != deadline)


def test_an_extended_deadline_is_counted_in_full_then_moved():
    # 20 weeks from Monday 2026-01-05 end on Monday 2026-05-25: no move. From 2025-11-14 they
    # end on långfredagen 2026-04-03: tisdag 7 April.
    assert expected_decision_on(
        TEN_WEEKS, submitted_on=date(2026, 1, 5), complete_on=None, extended=True
    ) == date(2026, 5, 25)
    assert expected_decision_on(
        TEN_WEEKS, submitted_on=date(2025, 11, 14), complete_on=None, extended=True
    ) == date(2026, 4, 7)


def test_months_landing_on_a_sunday_move_too():
    # 4 months from 2026-01-31 end on 2026-05-31, a Sunday: the deadline is Monday 1 June.
    assert expected_decision_on(TOBAK, submitted_on=date(2026, 1, 31), complete_on=date(2026, 1, 31)) == date(
        2026, 6, 1
    )


def test_a_guidance_time_is_not_moved():
    submitted = date(2026, 3, 14) - timedelta(weeks=10)
    assert expected_decision_on(GUIDANCE, submitted_on=submitted, complete_on=None) == date(2026, 3, 14)
    clock = permit_clock(
        GUIDANCE,
        submitted_on=submitted,
        complete_on=None,
        extended=False,
        decision_on=date(2026, 3, 20),
        today=date(2026, 4, 1),
        permit_type_code="bygglov",
    )
    assert not clock.last_day.moved
    assert clock.fee_reduction_percent == 0  # only a statutory time reduces the fee


def test_warnings_and_the_fee_reduction_count_from_the_moved_day():
    # 10 weeks from 2026-01-03 end on Saturday 2026-03-14; the nämnd may decide on Monday 16th.
    kwargs = {
        "submitted_on": date(2026, 1, 3),
        "complete_on": None,
        "extended": False,
        "permit_type_code": "bygglov",
    }
    sunday = permit_clock(TEN_WEEKS, decision_on=None, today=date(2026, 3, 15), **kwargs)
    assert sunday.decision_state == DeadlineState.NEAR
    assert sunday.days_late == 0
    on_monday = permit_clock(TEN_WEEKS, decision_on=date(2026, 3, 16), today=date(2026, 4, 1), **kwargs)
    assert not on_monday.decided_late
    assert on_monday.fee_reduction_percent == 0
    tuesday = permit_clock(TEN_WEEKS, decision_on=None, today=date(2026, 3, 17), **kwargs)
    assert tuesday.decision_state == DeadlineState.PASSED
    assert (tuesday.days_late, tuesday.fee_reduction_percent) == (1, 20)
    eight_days = permit_clock(TEN_WEEKS, decision_on=date(2026, 3, 24), today=date(2026, 4, 1), **kwargs)
    assert eight_days.fee_reduction_percent == 40  # 8 days after the Monday: second week started


def test_permit_clock_passes_on_each_of_its_inputs():
    base = {
        "submitted_on": date(2026, 1, 5),
        "complete_on": None,
        "decision_on": None,
        "today": date(2026, 1, 5),
    }
    plain = permit_clock(TEN_WEEKS, extended=False, **base)
    assert plain.expected_decision_on == date(2026, 3, 16)
    assert (plain.decision_state, plain.waiting_for_complete, plain.days_late, plain.decided_late) == (
        DeadlineState.OK, False, 0, False,
    )  # fmt: skip
    # The one extension the law allows: 10 + 10 weeks.
    assert permit_clock(TEN_WEEKS, extended=True, **base).expected_decision_on == date(2026, 5, 25)
    # A completion with no request registered: by default the clock runs from submission; a
    # legacy row whose request date is unknown waits as before.
    three_weeks = StatutoryTime(10, "weeks", "complete", 10, "weeks", three_week_rule=True)
    legacy = {**base, "complete_on": date(2026, 1, 20)}
    assert permit_clock(three_weeks, extended=False, **legacy).expected_decision_on == date(2026, 3, 16)
    unknown = permit_clock(three_weeks, extended=False, request_date_unknown=True, **legacy)
    assert unknown.expected_decision_on == date(2026, 3, 31)
    # Material on the applicant's own initiative in week 12 restarts the clock only when the
    # time was extended (10 weeks from 5 Jan end on 16 March).
    material = {**base, "own_initiative_on": (date(2026, 3, 30),)}
    assert permit_clock(three_weeks, extended=False, **material).start.rule == ClockRule.SUBMITTED
    restarted = permit_clock(three_weeks, extended=True, **material)
    assert (restarted.start.on, restarted.start.rule) == (date(2026, 3, 30), ClockRule.OWN_INITIATIVE)
    # How near "near" is: 14 days by default, or as given, for the deadline and for "ansök senast".
    soon = {**base, "today": date(2026, 3, 9)}  # 7 days before the deadline
    assert permit_clock(TEN_WEEKS, extended=False, **soon).decision_state == DeadlineState.NEAR
    assert permit_clock(TEN_WEEKS, extended=False, near_days=3, **soon).decision_state == DeadlineState.OK
    event = {"submitted_on": None, "complete_on": None, "decision_on": None, "event_date": date(2026, 8, 15),
             "lead_time_weeks": 12, "today": date(2026, 5, 16)}  # fmt: skip
    assert permit_clock(None, extended=False, **event).apply_by_state == DeadlineState.NEAR
    assert permit_clock(None, extended=False, near_days=3, **event).apply_by_state == DeadlineState.OK


def test_permit_clock_late_by_one_day_and_without_a_deadline():
    kwargs = {
        "submitted_on": date(2026, 1, 5),
        "complete_on": None,
        "extended": False,
        "today": date(2026, 4, 1),
    }
    one_day = permit_clock(TEN_WEEKS, decision_on=date(2026, 3, 17), **kwargs)
    assert (one_day.decided_late, one_day.days_late) == (True, 1)
    # No statutory time: nothing is late, however long it took.
    untimed = permit_clock(None, decision_on=date(2026, 3, 17), **kwargs)
    assert (untimed.expected_decision_on, untimed.decided_late, untimed.days_late) == (None, False, 0)
    assert (untimed.fee_reduction_percent, untimed.waiting_for_complete, untimed.start) == (0, False, None)
    # A permit type outside the catalogue's codes but under PBL by its law text reduces the fee.
    pbl = permit_clock(TEN_WEEKS, decision_on=date(2026, 3, 17), permit_type_code="nytt-lov",
                       law="PBL (2010:900) 9 kap.", **kwargs)  # fmt: skip
    assert pbl.fee_reduction_percent == 20
    other = permit_clock(
        TEN_WEEKS, decision_on=date(2026, 3, 17), permit_type_code="nytt-lov", law="Miljöbalken", **kwargs
    )
    assert other.fee_reduction_percent == 0


def test_a_decided_permit_no_longer_waits_for_a_complete_application():
    clock = permit_clock(
        BYGGLOV, submitted_on=date(2026, 3, 2), complete_on=None, extended=False,
        decision_on=date(2026, 3, 9), today=date(2026, 3, 10),
    )  # fmt: skip
    assert not clock.waiting_for_complete


# --------------------------------------------------------------------------- PBL's three-week rule

PBL = StatutoryTime(10, "weeks", "complete", 10, "weeks", three_week_rule=True)
MONDAY = date(2026, 1, 5)  # submitted


def _start(**dates):
    return clock_start(PBL, PermitDates(**{"submitted_on": MONDAY, **dates}))


def test_no_request_for_completion_runs_from_submission():
    start = _start()
    assert (start.on, start.rule) == (MONDAY, ClockRule.SUBMITTED)
    assert "2026-01-05, då ansökan kom in" in start.reason
    assert expected_decision_on(PBL, submitted_on=MONDAY, complete_on=None) == date(2026, 3, 16)


@pytest.mark.parametrize(
    ("requested", "rule", "starts", "deadline"),
    [
        (date(2026, 1, 12), ClockRule.COMPLETION, date(2026, 2, 2), date(2026, 4, 13)),  # day 7
        (date(2026, 1, 26), ClockRule.COMPLETION, date(2026, 2, 2), date(2026, 4, 13)),  # day 21: in time
        (date(2026, 1, 27), ClockRule.SUBMITTED, MONDAY, date(2026, 3, 16)),  # day 22: too late
    ],
    ids=["day-7", "day-21", "day-22"],
)
def test_a_request_within_three_weeks_moves_the_start_to_the_completion(requested, rule, starts, deadline):
    start = _start(completion_requested_on=requested, complete_on=date(2026, 2, 2))
    assert (start.on, start.rule) == (starts, rule)
    assert (
        expected_decision_on(
            PBL, submitted_on=MONDAY, completion_requested_on=requested, complete_on=date(2026, 2, 2)
        )
        == deadline
    )
    if rule is ClockRule.SUBMITTED:
        assert start.notes == (
            "Föreläggandet om komplettering 2026-01-27 kom senare än tre veckor från 2026-01-05 "
            "(senast 2026-01-26) och flyttar inte starten.",
        )
    else:
        assert "inom tre veckor från 2026-01-05 (senast 2026-01-26)" in start.reason


def test_three_weeks_ending_on_a_saturday_run_to_the_monday():
    saturday = date(2026, 1, 10)  # applied through the e-service on a Saturday
    on_monday = clock_start(
        PBL, PermitDates(saturday, date(2026, 2, 9), completion_requested_on=date(2026, 2, 2))
    )
    assert (on_monday.on, on_monday.rule) == (date(2026, 2, 9), ClockRule.COMPLETION)
    assert "senast 2026-02-02 (lördag → måndag enligt lag (1930:173) 2 §)" in on_monday.reason
    tuesday = clock_start(
        PBL, PermitDates(saturday, date(2026, 2, 9), completion_requested_on=date(2026, 2, 3))
    )
    assert (tuesday.on, tuesday.rule) == (saturday, ClockRule.SUBMITTED)


def test_waiting_for_the_completion_after_a_timely_request():
    start = _start(completion_requested_on=date(2026, 1, 20))
    assert (start.on, start.rule) == (None, ClockRule.WAITING_COMPLETION)
    clock = permit_clock(
        PBL,
        submitted_on=MONDAY,
        complete_on=None,
        completion_requested_on=date(2026, 1, 20),
        extended=False,
        decision_on=None,
        today=date(2026, 6, 1),
        permit_type_code="bygglov",
    )
    assert clock.waiting_for_complete
    assert clock.expected_decision_on is None
    assert clock.decision_state is None


def test_material_on_the_applicants_own_initiative_restarts_the_clock_and_the_three_weeks():
    # Submitted 5 Jan, more drawings on 2 Feb: the clock runs from 2 Feb, and a request on
    # 20 Feb (more than three weeks after 5 Jan, within three weeks of 2 Feb) is in time.
    start = _start(own_initiative_on=(date(2026, 2, 2),))
    assert (start.on, start.rule) == (date(2026, 2, 2), ClockRule.OWN_INITIATIVE)
    assert start.reason == (
        "Tiden räknas från 2026-02-02, då sökanden kom in med underlag på eget initiativ (den senare dagen räknas)."
    )
    requested = _start(
        own_initiative_on=(date(2026, 2, 2),),
        completion_requested_on=date(2026, 2, 20),
        complete_on=date(2026, 3, 2),
    )
    assert (requested.on, requested.rule) == (date(2026, 3, 2), ClockRule.COMPLETION)
    assert "inom tre veckor från 2026-02-02" in requested.reason


def test_material_after_the_time_ran_out_restarts_nothing():
    # MÖD 2022:8: 10 weeks from 5 Jan end on 16 March; drawings on 17 March change nothing.
    start = _start(own_initiative_on=(date(2026, 3, 10), date(2026, 5, 25)))
    assert (start.on, start.rule) == (date(2026, 3, 10), ClockRule.OWN_INITIATIVE)  # 10 March counted
    late = _start(own_initiative_on=(date(2026, 3, 17),))
    assert (late.on, late.rule) == (MONDAY, ClockRule.SUBMITTED)
    assert late.notes == (
        "Underlaget 2026-03-17 kom efter att tiden löpt ut 2026-03-16 och startar inte om den (MÖD 2022:8).",
    )
    on_the_last_day = _start(own_initiative_on=(date(2026, 3, 16),))
    assert on_the_last_day.on == date(2026, 3, 16)
    # A second addition after the restarted time ran out is ignored too (10 March + 10 weeks = 19 May).
    assert start.notes == (
        "Underlaget 2026-05-25 kom efter att tiden löpt ut 2026-05-19 och startar inte om den (MÖD 2022:8).",
    )


def test_a_late_request_and_a_completion_do_not_restart_the_clock():
    start = _start(completion_requested_on=date(2026, 2, 16), complete_on=date(2026, 3, 2))
    assert (start.on, start.rule) == (MONDAY, ClockRule.SUBMITTED)


def test_a_completion_without_a_request_does_not_count():
    start = _start(complete_on=date(2026, 1, 20))
    assert (start.on, start.rule) == (MONDAY, ClockRule.SUBMITTED)
    assert start.notes == (
        "Kompletteringen 2026-01-20 påverkar inte tiden: inget föreläggande om komplettering är registrerat.",
    )


def test_rows_from_before_the_rule_keep_their_complete_date_until_the_request_is_known():
    legacy = _start(complete_on=date(2026, 1, 20), request_date_unknown=True)
    assert (legacy.on, legacy.rule) == (date(2026, 1, 20), ClockRule.ASSUMED)
    assert "Fyll i föreläggandets datum" in legacy.reason
    waiting = _start(request_date_unknown=True)
    assert (waiting.on, waiting.rule) == (None, ClockRule.WAITING_COMPLETE)
    known = _start(
        complete_on=date(2026, 1, 20), completion_requested_on=date(2026, 1, 30), request_date_unknown=True
    )
    assert (known.on, known.rule) == (MONDAY, ClockRule.SUBMITTED)  # the request came on day 25


def test_permit_types_without_the_rule_are_unchanged():
    assert clock_start(BYGGLOV, PermitDates(MONDAY, date(2026, 1, 20))).rule == ClockRule.COMPLETE
    assert clock_start(BYGGLOV, PermitDates(MONDAY)).rule == ClockRule.WAITING_COMPLETE
    assert clock_start(BYGGLOV, PermitDates(None)).rule == ClockRule.NOT_SUBMITTED
    assert clock_start(FROM_SUBMISSION, PermitDates(MONDAY, date(2026, 1, 20))).rule == ClockRule.SUBMITTED


def test_last_day_is_not_extended_unless_asked_and_units_are_checked():
    from app.cases.statutory import add_duration, last_day

    assert last_day(TEN_WEEKS, date(2026, 1, 5)).day == date(2026, 3, 16)
    assert last_day(TEN_WEEKS, date(2026, 1, 5), True).day == date(2026, 5, 25)
    with pytest.raises(ValueError, match="^unknown time unit 'days'$"):
        add_duration(date(2026, 1, 5), 3, "days")


def test_a_legacy_row_without_request_date_says_what_to_do():
    waiting = _start(request_date_unknown=True)
    assert (waiting.on, waiting.rule, waiting.notes) == (None, ClockRule.WAITING_COMPLETE, ())
    assert waiting.reason == (
        "Raden registrerades innan Lotsbok följde treveckorsregeln och saknar datum för föreläggandet om "
        "komplettering. Tiden börjar som tidigare när ansökan är komplett. Fyll i föreläggandets datum, "
        "eller ta bort markeringen om inget föreläggande kom."
    )
    assumed = _start(request_date_unknown=True, complete_on=date(2026, 2, 2))
    assert (assumed.on, assumed.rule, assumed.notes) == (date(2026, 2, 2), ClockRule.ASSUMED, ())
    assert assumed.reason == (
        "Raden registrerades innan Lotsbok följde treveckorsregeln och saknar datum för föreläggandet om "
        "komplettering, så tiden räknas som tidigare från komplett ansökan 2026-02-02. Fyll i föreläggandets "
        "datum, eller ta bort markeringen om inget föreläggande kom."
    )
