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
    (S.RECEIVED, S.IN_PROGRESS),
    (S.RECEIVED, S.WAITING_ON_COMPANY),
    (S.RECEIVED, S.WAITING_ON_AUTHORITY),
    (S.RECEIVED, S.CLOSED),
    (S.IN_PROGRESS, S.WAITING_ON_COMPANY),
    (S.IN_PROGRESS, S.WAITING_ON_AUTHORITY),
    (S.IN_PROGRESS, S.CLOSED),
    (S.WAITING_ON_COMPANY, S.IN_PROGRESS),
    (S.WAITING_ON_COMPANY, S.WAITING_ON_AUTHORITY),
    (S.WAITING_ON_COMPANY, S.CLOSED),
    (S.WAITING_ON_AUTHORITY, S.IN_PROGRESS),
    (S.WAITING_ON_AUTHORITY, S.WAITING_ON_COMPANY),
    (S.WAITING_ON_AUTHORITY, S.CLOSED),
    (S.CLOSED, S.IN_PROGRESS),  # reopening
}
PAIRS = list(itertools.product(list(S), list(S)))


def _args(current, target):
    outcome = Outcome.SOLVED if target == S.CLOSED else None
    reason = "Företaget hörde av sig igen" if current == S.CLOSED else ""
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
        check_transition(status, status, Outcome.SOLVED if status == S.CLOSED else None)


@pytest.mark.parametrize("current", [S.RECEIVED, S.IN_PROGRESS, S.WAITING_ON_COMPANY, S.WAITING_ON_AUTHORITY])
def test_closing_requires_an_outcome(current):
    with pytest.raises(ValidationError, match="Ange ett utfall") as exc:
        check_transition(current, S.CLOSED, None)
    assert exc.value.field == "outcome"


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_outcome_closes(outcome):
    check_transition(S.IN_PROGRESS, S.CLOSED, outcome)


def test_unknown_outcome_and_status_are_refused():
    with pytest.raises(ValidationError, match="giltigt utfall"):
        check_transition(S.IN_PROGRESS, S.CLOSED, "kanske")
    with pytest.raises(ValidationError, match="giltig status"):
        check_transition(S.IN_PROGRESS, "arkiverat")


def test_an_outcome_without_closing_is_refused():
    with pytest.raises(ValidationError, match="bara när ärendet avslutas") as exc:
        check_transition(S.RECEIVED, S.IN_PROGRESS, Outcome.SOLVED)
    assert exc.value.field == "outcome"


def test_reopening_requires_a_reason():
    with pytest.raises(ValidationError, match="varför") as exc:
        check_transition(S.CLOSED, S.IN_PROGRESS, None, "  ")
    assert exc.value.field == "note"


def test_a_closed_case_can_only_be_reopened_to_pagaende():
    assert allowed_targets(S.CLOSED) == [S.IN_PROGRESS]


# The messages are what the user reads next to the field: each refusal exactly, on its field.
REFUSALS = [
    ((S.IN_PROGRESS, "arkiverat"), ValidationError, "status", "Välj en giltig status."),
    ((S.IN_PROGRESS, S.IN_PROGRESS), Conflict, "status", "Ärendet har redan status ”Pågående”."),
    ((S.CLOSED, S.WAITING_ON_COMPANY), ValidationError, "status",
     "Ett ärende med status ”Avslutat” kan inte få status ”Väntar på företaget”."),
    ((S.IN_PROGRESS, S.RECEIVED), ValidationError, "status",
     "Ett ärende med status ”Pågående” kan inte få status ”Inkommet”."),
    (("okänd", S.IN_PROGRESS), ValidationError, "status", "Ett ärende med status ”okänd” kan inte få status ”Pågående”."),
    ((S.IN_PROGRESS, S.CLOSED, None), ValidationError, "outcome", "Ange ett utfall när ärendet avslutas."),
    ((S.IN_PROGRESS, S.CLOSED, ""), ValidationError, "outcome", "Ange ett utfall när ärendet avslutas."),
    ((S.IN_PROGRESS, S.CLOSED, "kanske"), ValidationError, "outcome", "Välj ett giltigt utfall."),
    ((S.RECEIVED, S.IN_PROGRESS, Outcome.SOLVED), ValidationError, "outcome", "Utfall anges bara när ärendet avslutas."),
    ((S.CLOSED, S.IN_PROGRESS), ValidationError, "note", "Skriv varför ärendet öppnas igen."),  # no reason given
    ((S.CLOSED, S.IN_PROGRESS, None, "\n "), ValidationError, "note", "Skriv varför ärendet öppnas igen."),
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
    assert allowed_targets(S.RECEIVED) == [
        "in_progress",
        "waiting_on_company",
        "waiting_on_authority",
        "closed",
    ]
    assert allowed_targets(S.WAITING_ON_AUTHORITY) == ["in_progress", "waiting_on_company", "closed"]
    assert allowed_targets("arkiverat") == []
