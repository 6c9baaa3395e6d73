"""Survivor 7: every case service checks the permission itself (the service contract), not only
the views in front of it. A chef (reads cases), kommunledning and an administrator may change
nothing, a företagslots may not edit the case-type catalogue – and a refused call leaves no
trace in the history or the audit trail."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.cases import actions, case_types, meetings, permits, services
from app.cases.models import CaseEvent
from app.core.errors import PermissionDenied
from tests.builders import cases as f
from tests.builders.catalogues import partner, permit_type
from tests.builders.companies import make_company

CALLS = {
    "create_case": lambda w, who: services.create_case(f.case_input(w.company), actor=who, now=f.NOW),
    "update_case": lambda w, who: services.update_case(
        w.case, f.case_input(w.company, title="Ny"), actor=who
    ),
    "change_status": lambda w, who: services.change_status(
        w.case, services.StatusChange("in_progress"), actor=who
    ),
    "add_note": lambda w, who: services.add_note(w.case, "Anteckning", actor=who),
    "add_permit": lambda w, who: permits.add_permit(
        w.case, permits.PermitInput(permit_type_id=permit_type("tobak").id), actor=who, now=f.NOW
    ),
    "update_permit": lambda w, who: permits.update_permit(
        w.permit, permits.PermitInput(permit_type_id=w.permit.permit_type_id, note="x"), actor=who, now=f.NOW
    ),
    "remove_permit": lambda w, who: permits.remove_permit(w.permit, actor=who, now=f.NOW),
    "add_action": lambda w, who: actions.add_action(
        w.case, actions.ActionInput(title="Ring", due_on=date(2030, 1, 1)), actor=who, now=f.NOW
    ),
    "record_action_result": lambda w, who: actions.record_action_result(
        w.case, w.action.id, "Svar", actor=who
    ),
    "add_referral": lambda w, who: actions.add_referral(
        w.case, partner_id=partner().id, reason="Rådgivning", referred_on=None, actor=who
    ),
    "record_referral_outcome": lambda w, who: actions.record_referral_outcome(
        w.case, w.referral.id, "Fick lån", actor=who
    ),
    "create_meeting": lambda w, who: meetings.create_meeting(w.case, f.meeting_input(), actor=who, now=f.NOW),
    "update_meeting": lambda w, who: meetings.update_meeting(
        w.meeting, f.meeting_input(place="Annat rum"), actor=who
    ),
    "cancel_meeting": lambda w, who: meetings.cancel_meeting(w.meeting, actor=who, now=f.NOW),
    "send_meeting_invitation": lambda w, who: meetings.send_meeting_invitation(
        w.meeting, actor=who, now=f.NOW
    ),
    "read_case": lambda w, who: services.read_case(w.case, actor=who),
}
CATALOGUE_CALLS = {
    "create_case_type": lambda w, who: case_types.create_case_type(
        case_types.CaseTypeInput("nytt", "Nytt"), actor=who
    ),
    "update_case_type": lambda w, who: case_types.update_case_type(
        f.case_type("ovrigt"), case_types.CaseTypeInput("ovrigt", "Annat namn"), actor=who
    ),
    "retire_case_type": lambda w, who: case_types.retire_case_type(f.case_type("ovrigt"), actor=who),
    "reinstate_case_type": lambda w, who: case_types.reinstate_case_type(f.case_type("ovrigt"), actor=who),
}


@pytest.fixture
def world(db, users):
    from types import SimpleNamespace

    lots = users["lots"]
    company = make_company("Behörighetsbolaget AB")
    case = f.make_case(lots, company=company)
    w = SimpleNamespace(case=case, company=company)
    w.permit = f.make_permit(case, lots, "bygglov")
    w.action = actions.add_action(
        case, actions.ActionInput(title="Yttrande", due_on=date(2030, 1, 1)), actor=lots, now=f.NOW
    )
    w.referral = actions.add_referral(
        case, partner_id=partner().id, reason="Lån", referred_on=None, actor=lots
    )
    w.meeting = meetings.create_meeting(case, f.meeting_input(), actor=lots, now=f.NOW)
    db.session.commit()
    return w


def _traces(db) -> tuple[int, int]:
    return (
        db.session.scalar(sa.select(sa.func.count(CaseEvent.id))),
        db.session.scalar(sa.select(sa.func.count(AuditEvent.id))),
    )


REFUSED = [
    (name, role)
    for name in sorted(CALLS)
    for role in ("chef", "ledning", "admin")
    if (name, role) != ("read_case", "chef")
]  # a chef reads cases


@pytest.mark.parametrize(("name", "role"), REFUSED)
def test_case_services_refuse_roles_without_the_permission(db, users, world, name, role):
    before = _traces(db)
    with pytest.raises(PermissionDenied):
        CALLS[name](world, users[role])
    db.session.rollback()
    assert _traces(db) == before


@pytest.mark.parametrize("name", sorted(CATALOGUE_CALLS))
def test_case_type_catalogue_is_for_administrators_only(db, users, world, name):
    before = _traces(db)
    with pytest.raises(PermissionDenied):
        CATALOGUE_CALLS[name](world, users["lots"])
    db.session.rollback()
    assert _traces(db) == before
    CATALOGUE_CALLS[name](world, users["admin"])  # and the administrator may
