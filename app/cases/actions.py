"""Actions and referrals of a lots case.

* Actions handed to a department or a person are follow-ups (app.followups) with `case_id`;
  what came back is the follow-up's done note and a "returned" CaseEvent.
* Referrals are the contact log's Referral rows with `case_id` (app.interactions).

Every function takes `actor` (and `now` where time matters), checks permissions, flushes and
never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from app.auth.models import User
from app.cases.models import LotsCase
from app.cases.rules import record_event, require_edit, require_open
from app.core.errors import NotFound, ValidationError
from app.core.permissions import Perm, require
from app.core.time import utcnow
from app.extensions import db


@dataclass(frozen=True)
class ActionInput:
    """An action handed to a person (a user) – optionally naming the department – with a due date."""

    title: str
    due_on: date | None
    assignee_id: int | None = None
    handed_to: str = ""
    note: str = ""


def add_action(case: LotsCase, data: ActionInput, *, actor: User, now: datetime | None = None):
    """Hand an action to a person (and department) with a due date: a follow-up on the case.

    Raises PermissionDenied, ValidationError, Conflict. Flushes. Returns the FollowUp.
    """
    from app.followups import services as followups

    require_edit(actor, case)
    require_open(case)
    require(actor, Perm.EDIT_FOLLOWUPS)
    now = now or utcnow()
    note = data.note.strip()
    if data.handed_to.strip():
        handed = f"Lämnad till: {data.handed_to.strip()}"  # untranslated: stored in the follow-up note
        note = handed + (f"\n{note}" if note else "")
    followup = followups.create_followup(
        followups.FollowUpInput(
            title=data.title,
            due_on=data.due_on,
            note=note,
            assignee_id=data.assignee_id,
            company_id=case.company_id,
            case_id=case.id,
            source="case",
        ),
        actor=actor,
        now=now,
    )
    assignee = db.session.get(User, followup.assignee_id)
    who = assignee.name + (f" ({data.handed_to.strip()})" if data.handed_to.strip() else "")
    record_event(
        case,
        "action",
        actor=actor,
        now=now,
        text=f"{followup.title} → {who}, senast {followup.due_on.isoformat()}",
    )
    db.session.flush()
    return followup


def record_action_result(
    case: LotsCase,
    followup_id: int,
    result: str,
    *,
    actor: User,
    now: datetime | None = None,
):
    """What came back from an action: completes the follow-up with `result` as its note and
    writes it on the case's history. Raises PermissionDenied, NotFound, ValidationError,
    Conflict (already closed). Flushes."""
    from app.followups import services as followups
    from app.followups.models import FollowUp

    require_edit(actor, case)
    followup = db.session.get(FollowUp, followup_id)
    if followup is None or followup.case_id != case.id:
        raise NotFound(_("Åtgärden finns inte i ärendet."))
    if not result.strip():
        raise ValidationError(_("Skriv vad som kom tillbaka."), field="result")
    now = now or utcnow()
    followups.complete_followup(followup, actor=actor, note=result.strip(), now=now)
    record_event(case, "returned", actor=actor, now=now, text=f"{followup.title}: {result.strip()}")
    db.session.flush()
    return followup


def add_referral(
    case: LotsCase,
    *,
    partner_id: int | None,
    reason: str,
    referred_on: date | None,
    actor: User,
    now: datetime | None = None,
):
    """Refer the case's company to an external partner (the contact log's Referral, with
    case_id). Raises PermissionDenied, ValidationError. Flushes. Returns the Referral."""
    from app.interactions.services import ReferralInput
    from app.interactions.services import add_referral as add_referral_row

    require_edit(actor, case)
    now = now or utcnow()
    referral = add_referral_row(
        ReferralInput(
            partner_id=partner_id,
            reason=reason,
            referred_on=referred_on,
            company_id=case.company_id,
            case_id=case.id,
        ),
        actor=actor,
        now=now,
    )
    from app.catalogues.models import ReferralPartner

    partner = db.session.get(ReferralPartner, referral.partner_id)
    text = f"Hänvisat till {partner.name}: {referral.reason}"  # untranslated: stored as a case event
    record_event(case, "referral", actor=actor, now=now, text=text)
    db.session.flush()
    return referral


def record_referral_outcome(
    case: LotsCase,
    referral_id: int,
    outcome: str,
    *,
    actor: User,
    now: datetime | None = None,
):
    """What came of a referral from the case (the contact log's service) and a history entry."""
    from app.catalogues.models import ReferralPartner
    from app.interactions.services import get_referral
    from app.interactions.services import record_referral_outcome as record_outcome

    require_edit(actor, case)
    referral = get_referral(referral_id)
    if referral.case_id != case.id:
        raise NotFound(_("Hänvisningen hör inte till ärendet."))
    now = now or utcnow()
    record_outcome(referral, outcome, actor=actor, now=now)
    partner = db.session.get(ReferralPartner, referral.partner_id)
    record_event(case, "returned", actor=actor, now=now, text=f"{partner.name}: {referral.outcome}")
    db.session.flush()
    return referral
