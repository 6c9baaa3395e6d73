"""Route × role table for lots cases (see tests/route_permissions.py). The survey page is
public; everything else needs VIEW_CASES (lots, chef), EDIT_CASES (lots) or, for the case-type
catalogue, MANAGE_CATALOGUES (admin)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.cases import actions, meetings
from app.cases.models import CaseType, SurveyInvitation
from app.cases.survey import hash_token
from app.extensions import db
from tests.builders import cases as f
from tests.builders.catalogues import permit_type
from tests.route_permissions import Route, _reloaded, catalogue_routes

VIEW = frozenset({"lots", "chef"})
EDIT = frozenset({"lots"})
ADMIN = frozenset({"admin"})
TOKEN = "varldens-enkat-token"


def build_world(world) -> None:
    lots = world.users["lots"]
    world.lots_case = f.make_case(lots)
    world.lots_permit = f.make_permit(world.lots_case, lots, "bygglov")
    world.lots_meeting = meetings.create_meeting(world.lots_case, f.meeting_input(), actor=lots, now=f.NOW)
    world.lots_action = actions.add_action(
        world.lots_case,
        actions.ActionInput(title="Yttrande från miljö", due_on=f.NOW.date() + timedelta(days=7)),
        actor=lots,
        now=f.NOW,
    )
    world.lots_referral = actions.add_referral(
        world.lots_case,
        partner_id=f_partner_id(),
        reason="Finansiering av inventarier",
        referred_on=None,
        actor=lots,
    )
    closed = f.make_case(lots, title="Avslutat ärende")
    f.close_case(closed, lots)
    invitation = db.session.scalar(sa.select(SurveyInvitation).where(SurveyInvitation.case_id == closed.id))
    invitation.token_hash = hash_token(TOKEN)
    invitation.sent_at = f.NOW
    world.lots_case_type = f.case_type("ovrigt")
    db.session.flush()


def f_partner_id() -> int:
    from app.catalogues.queries import list_partners

    return list_partners()[0].id


def _case(w):
    return {"case_id": w.lots_case.id}


ROUTES = {
    "cases.list": Route(allowed=VIEW),
    "cases.export": Route(
        allowed=VIEW,
        args=lambda w: {"fmt": "xlsx"},
        marker="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "cases.new": Route(allowed=EDIT),
    "cases.detail": Route(allowed=VIEW, args=_case),
    "cases.edit": Route(allowed=EDIT, args=_case),
    "cases.change_status": Route(
        "POST",
        allowed=EDIT,
        args=_case,
        data=lambda w: {"status": "in_progress", "outcome": ""},  # as the form sends it
        effect=lambda w: _reloaded(w.lots_case).status == "in_progress",
    ),
    "cases.add_note": Route(
        "POST", allowed=EDIT, args=_case, data=lambda w: {"kind": "note", "text": "Ringde företaget."}
    ),
    "cases.permit_add": Route(
        "POST",
        allowed=EDIT,
        args=_case,
        data=lambda w: {"permit-permit_type_id": str(permit_type("tobak").id)},
    ),
    "cases.permit_edit": Route(
        allowed=EDIT, args=lambda w: {"case_id": w.lots_case.id, "permit_id": w.lots_permit.id}
    ),
    "cases.permit_remove": Route(
        "POST", allowed=EDIT, args=lambda w: {"case_id": w.lots_case.id, "permit_id": w.lots_permit.id}
    ),
    "cases.action_add": Route(
        "POST",
        allowed=EDIT,
        args=_case,
        data=lambda w: {
            "action-title": "Ring räddningstjänsten",
            "action-assignee_id": str(w.users["lots"].id),
            "action-due_on": "2030-01-10",
        },
    ),
    "cases.action_done": Route(
        "POST",
        allowed=EDIT,
        args=lambda w: {"case_id": w.lots_case.id, "followup_id": w.lots_action.id},
        data=lambda w: {"result": "Inga hinder."},
    ),
    "cases.referral_add": Route(
        "POST",
        allowed=EDIT,
        args=_case,
        data=lambda w: {"partner_id": str(f_partner_id()), "reason": "Rådgivning"},
    ),
    "cases.referral_outcome": Route(
        "POST",
        allowed=EDIT,
        args=lambda w: {"case_id": w.lots_case.id, "referral_id": w.lots_referral.id},
        data=lambda w: {"outcome": "Fick lån"},
    ),
    "cases.meeting_new": Route(allowed=EDIT, args=_case),
    "cases.meeting_edit": Route(
        allowed=EDIT, args=lambda w: {"case_id": w.lots_case.id, "meeting_id": w.lots_meeting.id}
    ),
    "cases.meeting_send": Route(
        "POST", allowed=EDIT, args=lambda w: {"case_id": w.lots_case.id, "meeting_id": w.lots_meeting.id}
    ),
    "cases.meeting_cancel": Route(
        "POST", allowed=EDIT, args=lambda w: {"case_id": w.lots_case.id, "meeting_id": w.lots_meeting.id}
    ),
    "cases.meeting_ics": Route(
        allowed=VIEW,
        args=lambda w: {"case_id": w.lots_case.id, "meeting_id": w.lots_meeting.id},
        marker="BEGIN:VCALENDAR",
    ),
    "cases.survey_results_page": Route(allowed=VIEW),
    **catalogue_routes("case_types", CaseType, lambda w: w.lots_case_type.id),
    "survey.answer": Route(public=True, args=lambda w: {"token": TOKEN}),
}
