"""The status workflow: every pair of statuses is either allowed or refused, closing needs an
outcome, reopening needs a reason."""

from __future__ import annotations

import itertools

import pytest

from app.cases.workflow import (
    TRANSITIONS,
    CaseStatus,
    Outcome,
    allowed_targets,
    check_transition,
)
from app.core.errors import Conflict, ValidationError

S = CaseStatus
VALID = {
    (S.INKOMMET, S.PAGAENDE),
    (S.INKOMMET, S.VANTAR_FORETAG),
    (S.INKOMMET, S.VANTAR_FORVALTNING),
    (S.INKOMMET, S.AVSLUTAT),
    (S.PAGAENDE, S.VANTAR_FORETAG),
    (S.PAGAENDE, S.VANTAR_FORVALTNING),
    (S.PAGAENDE, S.AVSLUTAT),
    (S.VANTAR_FORETAG, S.PAGAENDE),
    (S.VANTAR_FORETAG, S.VANTAR_FORVALTNING),
    (S.VANTAR_FORETAG, S.AVSLUTAT),
    (S.VANTAR_FORVALTNING, S.PAGAENDE),
    (S.VANTAR_FORVALTNING, S.VANTAR_FORETAG),
    (S.VANTAR_FORVALTNING, S.AVSLUTAT),
    (S.AVSLUTAT, S.PAGAENDE),  # reopening
}
PAIRS = list(itertools.product(list(S), list(S)))


def _args(current, target):
    outcome = Outcome.LOST if target == S.AVSLUTAT else None
    reason = "Företaget hörde av sig igen" if current == S.AVSLUTAT else ""
    return outcome, reason


def test_the_table_is_exactly_the_documented_one():
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == VALID


@pytest.mark.parametrize(("current", "target"), sorted(VALID))
def test_valid_transition(current, target):
    outcome, reason = _args(current, target)
    check_transition(current, target, outcome, reason)  # does not raise
    assert target in allowed_targets(current)


@pytest.mark.parametrize(("current", "target"), [p for p in PAIRS if p not in VALID and p[0] != p[1]])
def test_invalid_transition(current, target):
    outcome, reason = _args(current, target)
    with pytest.raises(ValidationError) as exc:
        check_transition(current, target, outcome, reason)
    assert exc.value.field == "status"
    assert "kan inte få status" in exc.value.message
    assert target not in allowed_targets(current)


@pytest.mark.parametrize("status", list(S))
def test_same_status_is_a_conflict(status):
    with pytest.raises(Conflict, match="redan status"):
        check_transition(status, status, Outcome.LOST if status == S.AVSLUTAT else None)


@pytest.mark.parametrize("current", [S.INKOMMET, S.PAGAENDE, S.VANTAR_FORETAG, S.VANTAR_FORVALTNING])
def test_closing_requires_an_outcome(current):
    with pytest.raises(ValidationError, match="Ange ett utfall") as exc:
        check_transition(current, S.AVSLUTAT, None)
    assert exc.value.field == "outcome"


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_outcome_closes(outcome):
    check_transition(S.PAGAENDE, S.AVSLUTAT, outcome)


def test_unknown_outcome_and_status_are_refused():
    with pytest.raises(ValidationError, match="giltigt utfall"):
        check_transition(S.PAGAENDE, S.AVSLUTAT, "kanske")
    with pytest.raises(ValidationError, match="giltig status"):
        check_transition(S.PAGAENDE, "arkiverat")


def test_an_outcome_without_closing_is_refused():
    with pytest.raises(ValidationError, match="bara när ärendet avslutas") as exc:
        check_transition(S.INKOMMET, S.PAGAENDE, Outcome.LOST)
    assert exc.value.field == "outcome"


def test_reopening_requires_a_reason():
    with pytest.raises(ValidationError, match="varför") as exc:
        check_transition(S.AVSLUTAT, S.PAGAENDE, None, "  ")
    assert exc.value.field == "note"


def test_a_closed_case_can_only_be_reopened_to_pagaende():
    assert allowed_targets(S.AVSLUTAT) == [S.PAGAENDE]
