"""Personal data in lots cases, for app.privacy: cases, lotsmöten, survey invitations and
answers that concern a person; the "open case" refusal of anonymisation; anonymisation of
free text and meeting guests; the retention targets "Lotsärenden" and "Enkätsvar".

The texts are wrapped: app.privacy builds the registerutdrag (a document in Swedish) under
force_locale("sv"), and shows the same records in the reader's language elsewhere."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.cases.models import (
    CaseEvent,
    CasePermit,
    LotsCase,
    LotsMeeting,
    LotsMeetingGuest,
    SurveyInvitation,
    SurveyResponse,
    lots_case_participants,
    lots_meeting_users,
)
from app.cases.workflow import CaseStatus
from app.core.personal_data import (
    PLACEHOLDER,
    Candidate,
    FoundRecord,
    RetentionTarget,
    Subject,
    contains_any,
    replace_in_columns,
)
from app.extensions import db

GALLRAT_TITLE = "Lotsärende (gallrat)"  # untranslated: written into the case title (a record)


def guest_candidates(query: str) -> list[Candidate]:
    """Lotsmöte guests entered by name and address (not contact persons)."""
    query = query.strip()
    if not query:
        return []
    where = (
        sa.func.lower(LotsMeetingGuest.email) == query.lower()
        if "@" in query
        else sa.func.lower(LotsMeetingGuest.name).contains(query.lower(), autoescape=True)
    )
    rows = db.session.scalars(
        sa.select(LotsMeetingGuest)
        .where(LotsMeetingGuest.contact_person_id.is_(None), where)
        .order_by(LotsMeetingGuest.id)
        .limit(50)
    ).all()
    return [
        Candidate(
            "guest",
            g.id,
            g.name,
            _("Gäst på lotsmöte %(meeting)s, %(email)s", meeting=g.meeting_id, email=g.email)
            if g.email
            else _("Gäst på lotsmöte %(meeting)s", meeting=g.meeting_id),
        )
        for g in rows
    ]


def guest_values(guest_ids: set[int]) -> dict[str, set[str]]:
    values: dict[str, set[str]] = {"names": set(), "emails": set()}
    for guest in db.session.scalars(sa.select(LotsMeetingGuest).where(LotsMeetingGuest.id.in_(guest_ids))):
        values["names"].add(guest.name)
        if guest.email:
            values["emails"].add(guest.email)
    return values


def _guest_where(subject: Subject, values: list[str]):
    conditions = []
    if subject.contact_person_ids:
        conditions.append(LotsMeetingGuest.contact_person_id.in_(subject.contact_person_ids))
    if subject.guest_ids:
        conditions.append(LotsMeetingGuest.id.in_(subject.guest_ids))
    if subject.emails:
        conditions.append(sa.func.lower(LotsMeetingGuest.email).in_({e.lower() for e in subject.emails if e}))
    if values:
        conditions.append(contains_any(LotsMeetingGuest.name, values))
    return sa.or_(*conditions) if conditions else sa.false()


def _case_ids(subject: Subject, values: list[str], extra_case_ids: set[int]) -> set[int]:
    ids = set(extra_case_ids)
    if subject.contact_person_ids:
        ids.update(
            db.session.scalars(
                sa.select(LotsCase.id).where(LotsCase.contact_person_id.in_(subject.contact_person_ids))
            )
        )
    if subject.company_ids:
        ids.update(
            db.session.scalars(sa.select(LotsCase.id).where(LotsCase.company_id.in_(subject.company_ids)))
        )
    if subject.user_ids:
        ids.update(
            db.session.scalars(
                sa.select(LotsCase.id).where(
                    sa.or_(
                        LotsCase.responsible_user_id.in_(subject.user_ids),
                        LotsCase.created_by_id.in_(subject.user_ids),
                    )
                )
            )
        )
        ids.update(
            db.session.scalars(
                sa.select(lots_case_participants.c.case_id).where(
                    lots_case_participants.c.user_id.in_(subject.user_ids)
                )
            )
        )
    ids.update(
        db.session.scalars(
            sa.select(LotsMeeting.case_id)
            .join(LotsMeetingGuest, LotsMeetingGuest.meeting_id == LotsMeeting.id)
            .where(_guest_where(subject, values))
        )
    )
    if values:
        ids.update(
            db.session.scalars(
                sa.select(LotsCase.id).where(
                    sa.or_(
                        contains_any(LotsCase.title, values),
                        contains_any(LotsCase.description, values),
                        contains_any(LotsCase.organizer, values),
                    )
                )
            )
        )
        ids.update(
            db.session.scalars(sa.select(CaseEvent.case_id).where(contains_any(CaseEvent.text, values)))
        )
    return ids


def find(subject: Subject, values: list[str], extra_case_ids: set[int]) -> list[FoundRecord]:
    """Cases (with their history entries naming the subject), lotsmöten where they were a
    guest or participant, survey invitations to them and answers on their cases."""
    ids = _case_ids(subject, values, extra_case_ids)
    found: list[FoundRecord] = []
    if not ids:
        return found
    cases = {
        c.id: c
        for c in db.session.scalars(
            sa.select(LotsCase).where(LotsCase.id.in_(ids)).order_by(LotsCase.intake_on)
        )
    }
    for case in cases.values():
        roles = []
        if case.contact_person_id in subject.contact_person_ids:
            roles.append(_("kontaktperson i ärendet"))
        if case.responsible_user_id in subject.user_ids:
            roles.append(_("ansvarig"))
        if case.company_id in subject.company_ids:
            roles.append(_("den egna firmans ärende"))
        fields = {
            _("Rubrik"): case.title,
            _("Beskrivning"): case.description,
            _("Status"): str(case.status_label),
            _("Utfall"): str(case.outcome_label),
            _("Diarienummer"): case.diarienummer,
            _("Roll"): ", ".join(roles),
        }
        found.append(
            FoundRecord(
                _("Lotsärende"),
                "lots_cases",
                case.id,
                case.title,
                case.intake_on,
                {k: v for k, v in fields.items() if v},
                restricted=case.is_restricted,
            )
        )
    event_where = [contains_any(CaseEvent.text, values)] if values else []
    if subject.user_ids:
        event_where.append(CaseEvent.actor_id.in_(subject.user_ids))
    if event_where:
        for event in db.session.scalars(
            sa.select(CaseEvent)
            .where(CaseEvent.case_id.in_(ids), sa.or_(*event_where))
            .order_by(CaseEvent.at)
        ):
            found.append(
                FoundRecord(
                    _("Händelse i lotsärende"),
                    "case_events",
                    event.id,
                    _("%(title)s (ärende %(case)s)", title=event.title, case=event.case_id),
                    event.at,
                    {_("Text"): event.text} if event.text else {},
                    restricted=cases[event.case_id].is_restricted,
                )
            )
    meeting_ids = set(
        db.session.scalars(sa.select(LotsMeetingGuest.meeting_id).where(_guest_where(subject, values)))
    )
    if subject.user_ids:
        meeting_ids.update(
            db.session.scalars(
                sa.select(lots_meeting_users.c.meeting_id).where(
                    lots_meeting_users.c.user_id.in_(subject.user_ids)
                )
            )
        )
    for meeting in db.session.scalars(
        sa.select(LotsMeeting).where(LotsMeeting.id.in_(meeting_ids)).order_by(LotsMeeting.starts_at)
    ):
        guests = db.session.scalars(
            sa.select(LotsMeetingGuest).where(
                LotsMeetingGuest.meeting_id == meeting.id, _guest_where(subject, values)
            )
        ).all()
        fields = {
            _("Plats"): meeting.place,
            _("Dagordning"): meeting.agenda,
            _("Anteckningar"): meeting.minutes,
            _("Som gäst"): "; ".join(f"{g.name} {g.email}".strip() for g in guests),
        }
        restricted = meeting.case_id in cases and cases[meeting.case_id].is_restricted
        found.append(
            FoundRecord(
                _("Lotsmöte"),
                "lots_meetings",
                meeting.id,
                _("Lotsmöte i ärende %(case)s", case=meeting.case_id),
                meeting.starts_at,
                {k: v for k, v in fields.items() if v},
                restricted=restricted,
            )
        )
    own_cases = [
        c.id
        for c in cases.values()
        if c.contact_person_id in subject.contact_person_ids or c.company_id in subject.company_ids
    ]
    if own_cases:
        for invitation in db.session.scalars(
            sa.select(SurveyInvitation).where(SurveyInvitation.case_id.in_(own_cases))
        ):
            state = (
                _("besvarad")
                if invitation.used_at
                else _("återkallad")
                if invitation.withdrawn_at
                else _("skickad")
                if invitation.sent_at
                else _("väntar")
            )
            found.append(
                FoundRecord(
                    _("Enkätinbjudan"),
                    "survey_invitations",
                    invitation.id,
                    _("Nöjdhetsenkät för ärende %(case)s", case=invitation.case_id),
                    invitation.sent_at or invitation.send_after,
                    {_("Status"): state},
                )
            )
        for answer in db.session.scalars(
            sa.select(SurveyResponse).where(SurveyResponse.case_id.in_(own_cases))
        ):
            fields = {_("Helhetsbetyg"): str(answer.q_overall), _("Fritext"): answer.free_text}
            found.append(
                FoundRecord(
                    _("Enkätsvar"),
                    "survey_responses",
                    answer.id,
                    _("Svar på enkät för ärende %(case)s", case=answer.case_id),
                    answer.answered_at,
                    {k: v for k, v in fields.items() if v},
                    note=_("Svaret lagras utan e-postadress men hör till ärendet."),
                )
            )
    return found


def open_case_reasons(subject: Subject) -> list[str]:
    """Why the subject may not be anonymised now: they take part in an open case."""
    conditions = []
    if subject.contact_person_ids:
        conditions.append(LotsCase.contact_person_id.in_(subject.contact_person_ids))
    if subject.company_ids:
        conditions.append(LotsCase.company_id.in_(subject.company_ids))
    guest_case_ids = (
        sa.select(LotsMeeting.case_id)
        .join(LotsMeetingGuest, LotsMeetingGuest.meeting_id == LotsMeeting.id)
        .where(
            _guest_where(
                Subject(contact_person_ids=subject.contact_person_ids, guest_ids=subject.guest_ids), []
            )
        )
    )
    conditions.append(LotsCase.id.in_(guest_case_ids))
    rows = db.session.execute(
        sa.select(LotsCase.id, LotsCase.diarienummer)
        .where(LotsCase.status != CaseStatus.CLOSED.value, sa.or_(*conditions))
        .order_by(LotsCase.id)
    ).all()
    return [
        _(
            "Personen deltar i det öppna lotsärendet %(case)s: avsluta ärendet först.",
            case=row.diarienummer or f"#{row.id}",
        )
        for row in rows
    ]


def anonymise(subject: Subject, values: list[str], now: datetime) -> int:
    """Meeting guests of the subject get the placeholder; identifying values in case texts,
    history, meetings, permit notes and survey free text are replaced."""
    changed = db.session.execute(
        sa.update(LotsMeetingGuest)
        .where(_guest_where(subject, values))
        .values(name=PLACEHOLDER, email="")
        .execution_options(synchronize_session=False)
    ).rowcount
    changed += replace_in_columns(LotsCase, ["title", "description", "organizer", "event_place"], values)
    changed += replace_in_columns(CaseEvent, ["text"], values)
    changed += replace_in_columns(LotsMeeting, ["place", "agenda", "minutes"], values)
    changed += replace_in_columns(CasePermit, ["note", "authority"], values)
    changed += replace_in_columns(SurveyResponse, ["free_text"], values)
    return changed


def closed_cases_before(cutoff: datetime) -> list[LotsCase]:
    """Closed cases closed before `cutoff` (the e-arkiv export), oldest first."""
    return list(
        db.session.scalars(
            sa.select(LotsCase)
            .where(LotsCase.status == CaseStatus.CLOSED.value, LotsCase.closed_at < cutoff)
            .order_by(LotsCase.closed_at, LotsCase.id)
        )
    )


def case_history(case_id: int) -> list[CaseEvent]:
    return list(
        db.session.scalars(
            sa.select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.at, CaseEvent.id)
        )
    )


# ------------------------------------------------------------------ retention


def _cases_due(cutoff: datetime):
    return sa.and_(
        LotsCase.status == CaseStatus.CLOSED.value,
        LotsCase.closed_at < cutoff,
        LotsCase.title != GALLRAT_TITLE,
    )


def _count_cases(cutoff: datetime, action: str = "anonymise") -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(LotsCase).where(_cases_due(cutoff))) or 0


def _apply_cases(cutoff: datetime, action: str, now: datetime) -> int:
    """Gallra a closed case's content: title, description, history texts, meeting texts and
    guests, permit notes and survey free text. Type, focus area, dates, outcome and company
    stay (the report figures and NKI are unchanged); rows are never deleted (contacts,
    referrals, follow-ups and the handlingsplan point at cases)."""
    ids = list(db.session.scalars(sa.select(LotsCase.id).where(_cases_due(cutoff))))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        db.session.execute(
            sa.update(LotsCase)
            .where(LotsCase.id.in_(chunk))
            .values(title=GALLRAT_TITLE, description="", organizer="", event_place="")
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            sa.update(CaseEvent)
            .where(CaseEvent.case_id.in_(chunk))
            .values(text="")
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            sa.update(CasePermit)
            .where(CasePermit.case_id.in_(chunk))
            .values(note="")
            .execution_options(synchronize_session=False)
        )
        meetings = sa.select(LotsMeeting.id).where(LotsMeeting.case_id.in_(chunk))
        db.session.execute(
            sa.update(LotsMeeting)
            .where(LotsMeeting.case_id.in_(chunk))
            .values(agenda="", minutes="")
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            sa.update(LotsMeetingGuest)
            .where(LotsMeetingGuest.meeting_id.in_(meetings))
            .values(name=PLACEHOLDER, email="")
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            sa.update(SurveyResponse)
            .where(SurveyResponse.case_id.in_(chunk))
            .values(free_text="")
            .execution_options(synchronize_session=False)
        )
    return len(ids)


def _answers_due(cutoff: datetime, action: str):
    where = SurveyResponse.answered_at < cutoff
    return sa.and_(where, SurveyResponse.free_text != "") if action == "anonymise" else where


def _count_answers(cutoff: datetime, action: str = "delete") -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(SurveyResponse).where(_answers_due(cutoff, action))
        )
        or 0
    )


def _apply_answers(cutoff: datetime, action: str, now: datetime) -> int:
    """Delete answers (nothing references them) or clear only their free text."""
    if action == "delete":
        return db.session.execute(
            sa.delete(SurveyResponse)
            .where(_answers_due(cutoff, action))
            .execution_options(synchronize_session=False)
        ).rowcount
    return db.session.execute(
        sa.update(SurveyResponse)
        .where(_answers_due(cutoff, action))
        .values(free_text="")
        .execution_options(synchronize_session=False)
    ).rowcount


RETENTION_TARGETS = [
    RetentionTarget(
        "lots_cases",
        _l("Lotsärenden"),
        _l("år efter att ärendet avslutades"),
        ("anonymise",),
        _count_cases,
        _apply_cases,
    ),
    RetentionTarget(
        "survey_responses",
        _l("Enkätsvar"),
        _l("år efter svaret"),
        ("delete", "anonymise"),
        _count_answers,
        _apply_answers,
    ),
]
