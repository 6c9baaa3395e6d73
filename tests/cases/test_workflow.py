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
    outcome_label,
    status_label,
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
    outcome = Outcome.SOLVED if target == S.AVSLUTAT else None
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
        check_transition(status, status, Outcome.SOLVED if status == S.AVSLUTAT else None)


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
        check_transition(S.INKOMMET, S.PAGAENDE, Outcome.SOLVED)
    assert exc.value.field == "outcome"


def test_reopening_requires_a_reason():
    with pytest.raises(ValidationError, match="varför") as exc:
        check_transition(S.AVSLUTAT, S.PAGAENDE, None, "  ")
    assert exc.value.field == "note"


def test_a_closed_case_can_only_be_reopened_to_pagaende():
    assert allowed_targets(S.AVSLUTAT) == [S.PAGAENDE]


# The messages are what the user reads next to the field: each refusal exactly, on its field.
REFUSALS = [
    ((S.PAGAENDE, "arkiverat"), ValidationError, "status", "Välj en giltig status."),
    ((S.PAGAENDE, S.PAGAENDE), Conflict, "status", "Ärendet har redan status ”Pågående”."),
    ((S.AVSLUTAT, S.VANTAR_FORETAG), ValidationError, "status",
     "Ett ärende med status ”Avslutat” kan inte få status ”Väntar på företaget”."),
    ((S.PAGAENDE, S.INKOMMET), ValidationError, "status",
     "Ett ärende med status ”Pågående” kan inte få status ”Inkommet”."),
    (("okänd", S.PAGAENDE), ValidationError, "status", "Ett ärende med status ”okänd” kan inte få status ”Pågående”."),
    ((S.PAGAENDE, S.AVSLUTAT, None), ValidationError, "outcome", "Ange ett utfall när ärendet avslutas."),
    ((S.PAGAENDE, S.AVSLUTAT, ""), ValidationError, "outcome", "Ange ett utfall när ärendet avslutas."),
    ((S.PAGAENDE, S.AVSLUTAT, "kanske"), ValidationError, "outcome", "Välj ett giltigt utfall."),
    ((S.INKOMMET, S.PAGAENDE, Outcome.SOLVED), ValidationError, "outcome", "Utfall anges bara när ärendet avslutas."),
    ((S.AVSLUTAT, S.PAGAENDE), ValidationError, "note", "Skriv varför ärendet öppnas igen."),  # no reason given
    ((S.AVSLUTAT, S.PAGAENDE, None, "\n "), ValidationError, "note", "Skriv varför ärendet öppnas igen."),
]  # fmt: skip


@pytest.mark.parametrize(("args", "error", "field", "message"), REFUSALS)
def test_each_refusal_has_its_message_and_field(args, error, field, message):
    with pytest.raises(error) as exc:
        check_transition(*args)
    assert (exc.value.field, exc.value.message) == (field, message)


def test_labels_of_known_and_unknown_values():
    assert [status_label(s) for s in S] == [
        "Inkommet", "Pågående", "Väntar på företaget", "Väntar på förvaltning", "Avslutat",
    ]  # fmt: skip
    assert status_label("arkiverat") == "arkiverat"
    assert [outcome_label(o) for o in Outcome] == ["Löst", "Hänvisat vidare", "Avböjt", "Avbrutet"]
    assert outcome_label("kanske") == "kanske"
    assert outcome_label(None) == outcome_label("") == ""


def test_targets_are_in_workflow_order_and_an_unknown_status_has_none():
    assert allowed_targets(S.INKOMMET) == [
        "in_progress",
        "waiting_on_company",
        "waiting_on_authority",
        "closed",
    ]
    assert allowed_targets(S.VANTAR_FORVALTNING) == ["in_progress", "waiting_on_company", "closed"]
    assert allowed_targets("arkiverat") == []
