"""The satisfaction survey after a closed case: the invitation on closing, sending due
invitations (a scheduled job), answering through the public single-use link, and results per
case type and period. The screens are in app.cases.survey_views.

Questions, token hashing and NKI arithmetic are in app.cases.survey (pure: no database).

Flow:
1. Closing a case creates a SurveyInvitation with `send_after` (`invite_to_survey`, called by
   app.cases.services.change_status); reopening withdraws one not sent yet.
2. `send_due_surveys` (scheduler job "cases.send_surveys") claims each due invitation with a
   conditional UPDATE (sent_at IS NULL), makes a fresh token, stores only its hash and queues
   the e-mail with the idempotency key "survey:{invitation id}" – in one transaction, so the
   link in the mail is the one whose hash is stored, and a doubled run sends nothing twice.
   The address is read from the contact person now and stored nowhere but the outbox row.
3. /enkat/<token> (no sign-in) finds the invitation by the token's hash; answering marks it
   used (again a conditional UPDATE, so two simultaneous submits store one answer) and stores
   a SurveyResponse without any e-mail address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.cases.models import CaseEvent, CaseType, LotsCase, SurveyInvitation, SurveyResponse
from app.cases.rules import record_event
from app.cases.survey import (
    FACTOR_FIELDS,
    MIN_ANSWERS,
    NKI_FIELDS,
    GroupResult,
    group_result,
    hash_token,
    new_token,
)
from app.companies.models import ContactPerson
from app.core.errors import Conflict, NotFound, ValidationError
from app.core.permissions import Perm, require
from app.core.time import local_midnight_utc, utcnow
from app.extensions import db

ALREADY_ANSWERED = _l("Enkäten är redan besvarad")


def survey_delay() -> timedelta:
    """How long after closing the survey is sent (LOTSBOK_SURVEY_DELAY_DAYS, default 3)."""
    return timedelta(days=int(current_app.config.get("LOTSBOK_SURVEY_DELAY_DAYS", 3)))


# ---------------------------------------------------------------------------------------------
# The invitation on closing


def survey_recipient(case: LotsCase) -> ContactPerson | None:
    """The contact person a survey would go to: has an e-mail, is active, has neither opted
    out nor objected (ContactPerson.accepts_mailings)."""
    if case.contact_person_id is None:
        return None
    person = db.session.get(ContactPerson, case.contact_person_id)
    if person is None or not person.email.strip() or not person.accepts_mailings or not person.is_active:
        return None
    return person


def invite_to_survey(case: LotsCase, *, now: datetime | None = None) -> SurveyInvitation | None:
    """On closing: schedule the survey for `survey_delay()` later, if the contact person can
    get it. One survey per case: if one was already sent, nothing happens; a withdrawn unsent
    one is scheduled again. Returns the invitation or None. Flushes."""
    now = now or utcnow()
    if survey_recipient(case) is None:
        return None
    invitation = db.session.scalar(sa.select(SurveyInvitation).where(SurveyInvitation.case_id == case.id))
    if invitation is not None:
        if invitation.sent_at is not None:
            return None
        invitation.withdrawn_at = None
        invitation.send_after = now + survey_delay()
    else:
        invitation = SurveyInvitation(case_id=case.id, created_at=now, send_after=now + survey_delay())
        db.session.add(invitation)
    record_event(
        case,
        "survey",
        actor=None,
        now=now,
        text=f"Enkät skickas tidigast {(now + survey_delay()).date().isoformat()}",  # untranslated: stored as a case event
    )
    db.session.flush()
    return invitation


def withdraw_survey(case: LotsCase, *, now: datetime) -> None:
    invitation = db.session.scalar(
        sa.select(SurveyInvitation).where(
            SurveyInvitation.case_id == case.id,
            SurveyInvitation.sent_at.is_(None),
            SurveyInvitation.withdrawn_at.is_(None),
        )
    )
    if invitation is not None:
        invitation.withdrawn_at = now
        text = "Enkäten skickas inte: ärendet öppnades igen"  # untranslated: stored as a case event
        record_event(case, "survey", actor=None, now=now, text=text)
        db.session.flush()


# ---------------------------------------------------------------------------------------------
# Sending


def _due(now: datetime, limit: int) -> list[SurveyInvitation]:
    return list(
        db.session.scalars(
            sa.select(SurveyInvitation)
            .where(
                SurveyInvitation.sent_at.is_(None),
                SurveyInvitation.withdrawn_at.is_(None),
                SurveyInvitation.send_after <= now,
            )
            .order_by(SurveyInvitation.send_after, SurveyInvitation.id)
            .limit(limit)
        )
    )


def send_due_surveys(now: datetime | None = None, *, limit: int = 200) -> int:
    """Scheduler job: queue every due survey invitation's e-mail exactly once.

    An invitation whose case was reopened, or whose contact person has since opted out or lost
    the address, is withdrawn instead. Returns how many e-mails were queued. Flushes; the
    scheduler's wrapper commits.
    """
    from app.mail.services import queue_mail

    now = now or utcnow()
    queued = 0
    for invitation in _due(now, limit):
        case = db.session.get(LotsCase, invitation.case_id)
        person = survey_recipient(case) if case is not None and not case.is_open else None
        if person is None:
            invitation.withdrawn_at = now
            continue
        token = new_token()
        claimed = db.session.execute(
            sa.update(SurveyInvitation)
            .where(SurveyInvitation.id == invitation.id, SurveyInvitation.sent_at.is_(None))
            .values(sent_at=now, token_hash=hash_token(token))
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            continue  # another run sent it
        db.session.expire(invitation)
        if queue_mail(
            person.email,
            "cases/survey",
            f"survey:{invitation.id}",
            now=now,
            redact_after_delivery=[token],
            token=token,
            person_name=person.name,
        ):
            queued += 1
            text = "Enkät skickad till kontaktpersonen"  # untranslated: stored as a case event
            db.session.add(CaseEvent(case_id=case.id, at=now, kind="survey", text=text))
    db.session.flush()
    return queued


# ---------------------------------------------------------------------------------------------
# Answering


@dataclass(frozen=True)
class SurveyAnswer:
    """Submitted values: the three NKI answers (required, 1–10), the six factors (1–10 or
    None) and free text."""

    q_overall: int | None
    q_expectations: int | None
    q_ideal: int | None
    factors: dict[str, int | None]
    free_text: str = ""


def invitation_for_token(token: str) -> SurveyInvitation:
    """The sent invitation the token belongs to. Raises NotFound for an unknown or withdrawn
    token (same message: a guessed token learns nothing)."""
    if not token or len(token) > 100:
        raise NotFound(_("Länken till enkäten är ogiltig."))
    invitation = db.session.scalar(
        sa.select(SurveyInvitation).where(SurveyInvitation.token_hash == hash_token(token))
    )
    if invitation is None or invitation.sent_at is None or invitation.withdrawn_at is not None:
        raise NotFound(_("Länken till enkäten är ogiltig."))
    return invitation


def submit_answer(token: str, answer: SurveyAnswer, *, now: datetime | None = None) -> SurveyResponse:
    """Store an answer for the token's case and use the token up (no sign-in; no actor).

    Raises NotFound (bad token), Conflict (already answered – ALREADY_ANSWERED),
    ValidationError (an NKI question unanswered or a value outside 1–10). Flushes.
    """
    now = now or utcnow()
    invitation = invitation_for_token(token)
    if invitation.used_at is not None:
        raise Conflict(str(ALREADY_ANSWERED))
    for name in NKI_FIELDS:
        value = getattr(answer, name)
        if value is None:
            raise ValidationError(_("Svara på frågan."), field=name)
        if not 1 <= value <= 10:
            raise ValidationError(_("Välj ett värde från 1 till 10."), field=name)
    for name in FACTOR_FIELDS:
        value = answer.factors.get(name)
        if value is not None and not 1 <= value <= 10:
            raise ValidationError(_("Välj ett värde från 1 till 10."), field=name)
    if len(answer.free_text) > 5000:
        raise ValidationError(_("Högst 5 000 tecken."), field="free_text")
    used = db.session.execute(
        sa.update(SurveyInvitation)
        .where(SurveyInvitation.id == invitation.id, SurveyInvitation.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if used != 1:
        raise Conflict(str(ALREADY_ANSWERED))
    case = db.session.get(LotsCase, invitation.case_id)
    response = SurveyResponse(
        case_id=case.id,
        case_type_id=case.case_type_id,
        answered_at=now,
        q_overall=answer.q_overall,
        q_expectations=answer.q_expectations,
        q_ideal=answer.q_ideal,
        free_text=answer.free_text.strip(),
        **{name: answer.factors.get(name) for name in FACTOR_FIELDS},
    )
    db.session.add(response)
    text = "Enkäten besvarad"  # untranslated: stored as a case event
    db.session.add(CaseEvent(case_id=case.id, at=now, kind="survey", text=text))
    db.session.flush()
    return response


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class SurveyResults:
    start: date
    end: date  # inclusive
    total: GroupResult
    by_type: list[GroupResult]
    min_answers: int


def survey_results(start: date, end: date, *, actor, min_answers: int = MIN_ANSWERS) -> SurveyResults:
    """NKI and service factors for answers given from `start` to `end` (Stockholm days,
    inclusive), in total and per case type; groups under `min_answers` show only their count.
    Raises PermissionDenied without VIEW_CASES."""
    require(actor, Perm.VIEW_CASES)
    if end < start:
        raise ValidationError(_("Slutdatumet är före startdatumet."), field="end")
    columns = [getattr(SurveyResponse, name) for name in NKI_FIELDS + FACTOR_FIELDS]
    stmt = (
        sa.select(CaseType.name, *columns)
        .join(CaseType, CaseType.id == SurveyResponse.case_type_id)
        .where(
            SurveyResponse.answered_at >= local_midnight_utc(start),
            SurveyResponse.answered_at < local_midnight_utc(end + timedelta(days=1)),
        )
        .order_by(CaseType.position, CaseType.name)
    )
    groups: dict[str, list[tuple]] = {}
    everything: list[tuple] = []
    for name, *values in db.session.execute(stmt):
        groups.setdefault(name, []).append(tuple(values))
        everything.append(tuple(values))
    return SurveyResults(
        start=start,
        end=end,
        total=group_result(_("Alla ärendetyper"), everything, min_answers),
        by_type=[group_result(name, rows, min_answers) for name, rows in groups.items()],
        min_answers=min_answers,
    )
