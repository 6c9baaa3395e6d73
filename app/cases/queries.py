"""Reading lots cases: the lists (mine, open, by status, waiting on a department, deadline near
or passed, closed), the case page's parts, the export rows and the company timeline.

Built for volume: every list is one indexed query plus one query per page for the deadline
flags (no N+1); counts are capped (app.core.pagination). Many-to-one relations are joined
eagerly where they are shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.cases import workflow
from app.cases.deadlines import DeadlineState, deadline_state, permit_clock
from app.cases.models import (
    CaseEvent,
    CasePermit,
    CaseType,
    LotsCase,
    LotsMeeting,
    SurveyInvitation,
    lots_case_participants,
)
from app.cases.statutory import StatutoryTime
from app.catalogues.models import PermitType
from app.core import restriction
from app.core.errors import NotFound
from app.core.pagination import KeysetPage, Page, SortKey, keyset_paginate, order_clauses, paginate
from app.core.permissions import Perm, can
from app.extensions import db

VIEWS = {
    "mina": _l("Mina ärenden"),
    "oppna": _l("Alla öppna"),
    "vantar": _l("Väntar på förvaltning"),
    "frister": _l("Frist nära eller passerad"),
    "avslutade": _l("Avslutade"),
    "alla": _l("Alla"),
}


@dataclass(frozen=True)
class CaseFilter:
    view: str = "oppna"
    status: str = ""
    case_type_id: int | None = None
    responsible_id: int | None = None


def warning_condition(today: date, near_days: int) -> sa.ColumnElement[bool]:
    """EXISTS a permit row whose decision date, or an event's "ansök senast", is within
    `near_days` or passed (undecided rows / unsubmitted rows only)."""
    limit = today + timedelta(days=near_days)
    return sa.exists(
        sa.select(CasePermit.id).where(
            CasePermit.case_id == LotsCase.id,
            sa.or_(
                sa.and_(CasePermit.decision_on.is_(None), CasePermit.expected_decision_on <= limit),
                sa.and_(CasePermit.submitted_on.is_(None), CasePermit.apply_by <= limit),
            ),
        )
    )


def warning_case_ids(today: date, near_days: int) -> sa.Select:
    """The ids of the cases that `warning_condition` finds, read from the permit side (the
    indexes on undecided and on unsubmitted permit rows): for counting the deadline list. (The
    list itself keeps the EXISTS: walking the intake-order index it stops after a page.)

    Both indexes hold `case_id` (0028), so SQLite's MULTI-INDEX OR finds the cases without
    reading a permit row (5.8 → 2.7 ms at 100 000 companies). Kept as one OR: as a UNION ALL of
    one SELECT per index PostgreSQL probed the cases' primary key once per permit row instead of
    hashing them (~10 → ~14 ms)."""
    limit = today + timedelta(days=near_days)
    return sa.select(CasePermit.case_id).where(
        sa.or_(
            sa.and_(CasePermit.decision_on.is_(None), CasePermit.expected_decision_on <= limit),
            sa.and_(CasePermit.submitted_on.is_(None), CasePermit.apply_by <= limit),
        )
    )


def case_select(
    flt: CaseFilter, *, user: User, today: date, near_days: int, for_count: bool = False
) -> sa.Select:
    """The list's SELECT for a filter, ordered (open lists: oldest intake first). `for_count`:
    the same rows, with the deadline filter read from the permit side (`warning_case_ids`)."""
    stmt = sa.select(LotsCase).options(
        joinedload(LotsCase.company), joinedload(LotsCase.case_type), joinedload(LotsCase.responsible)
    )
    open_only = True
    if flt.view == "mina":
        # The user's cases as a UNION of two indexed lookups. As "responsible = me OR id IN
        # (participations)" PostgreSQL expected thousands of rows and walked the whole
        # intake-order index filtering each case (127 ms at 100 000 companies).
        mine = sa.union(
            sa.select(LotsCase.id).where(LotsCase.responsible_user_id == user.id),
            sa.select(lots_case_participants.c.case_id).where(lots_case_participants.c.user_id == user.id),
        )
        stmt = stmt.where(LotsCase.id.in_(mine))
    elif flt.view == "vantar":
        stmt = stmt.where(LotsCase.status == workflow.CaseStatus.WAITING_ON_AUTHORITY.value)
    elif flt.view == "frister":
        # Permit rows inherit their case's restriction: this view never lists a restricted
        # case the user may not read (it would tell that the case has a deadline).
        warning = (
            LotsCase.id.in_(warning_case_ids(today, near_days))
            if for_count
            else warning_condition(today, near_days)
        )
        stmt = stmt.where(warning, restriction.readable_clause(user, "case"))
    elif flt.view == "avslutade":
        open_only = False
        stmt = stmt.where(LotsCase.status == workflow.CaseStatus.CLOSED.value)
    elif flt.view == "alla":
        open_only = False
    if open_only:
        stmt = stmt.where(LotsCase.status != workflow.CaseStatus.CLOSED.value)
    if flt.status and flt.status in workflow.STATUS_LABELS:
        stmt = stmt.where(LotsCase.status == flt.status)
    if flt.case_type_id:
        stmt = stmt.where(LotsCase.case_type_id == flt.case_type_id)
    if flt.responsible_id:
        stmt = stmt.where(LotsCase.responsible_user_id == flt.responsible_id)
    return stmt.order_by(*order_clauses(case_order(flt.view)))


def case_order(view: str) -> list[SortKey]:
    """The list's order: closed cases most recently closed first, other lists oldest intake first."""
    if view == "avslutade":
        return [SortKey(LotsCase.closed_at, descending=True), SortKey(LotsCase.id, descending=True)]
    return [SortKey(LotsCase.intake_on), SortKey(LotsCase.id)]


def list_cases_after(
    flt: CaseFilter, *, user: User, today: date, near_days: int, cursor: str | None, limit: int = 25
) -> KeysetPage:
    """A page of a case list after `cursor` (keyset pagination, the list's own order)."""
    stmt = case_select(flt, user=user, today=today, near_days=near_days)
    return keyset_paginate(stmt, case_order(flt.view), cursor=cursor, limit=limit, tag=f"cases:{flt.view}")


def list_cases(
    flt: CaseFilter, *, user: User, today: date, near_days: int, page: int, per_page: int = 25
) -> Page:
    # The deadline list is bounded by its permit rows (a few thousand at 100 000 companies):
    # counted in full from the permit side, 20–25 → ~13 ms on both databases.
    count_stmt = (
        case_select(flt, user=user, today=today, near_days=near_days, for_count=True)
        if flt.view == "frister"
        else None
    )
    return paginate(
        case_select(flt, user=user, today=today, near_days=near_days), page, per_page, count_stmt=count_stmt
    )


def export_cases(flt: CaseFilter, *, user: User, today: date, near_days: int) -> Iterator[LotsCase]:
    stmt = case_select(flt, user=user, today=today, near_days=near_days).execution_options(yield_per=500)
    yield from db.session.scalars(stmt)


def deadline_flags(
    case_ids: list[int], *, today: date, near_days: int
) -> dict[int, tuple[date, DeadlineState]]:
    """For each case id: its earliest open permit deadline (decision or "ansök senast") and the
    state of that date. One query for a list page."""
    if not case_ids:
        return {}
    decision = (
        sa.select(CasePermit.case_id, sa.func.min(CasePermit.expected_decision_on))
        .where(CasePermit.case_id.in_(case_ids), CasePermit.decision_on.is_(None))
        .group_by(CasePermit.case_id)
    )
    applying = (
        sa.select(CasePermit.case_id, sa.func.min(CasePermit.apply_by))
        .where(CasePermit.case_id.in_(case_ids), CasePermit.submitted_on.is_(None))
        .group_by(CasePermit.case_id)
    )
    earliest: dict[int, date] = {}
    for case_id, day in [*db.session.execute(decision), *db.session.execute(applying)]:
        if day is not None and (case_id not in earliest or day < earliest[case_id]):
            earliest[case_id] = day
    return {cid: (day, deadline_state(day, today, near_days)) for cid, day in earliest.items()}


def get_case_or_404(case_id: int) -> LotsCase:
    case = db.session.scalar(
        sa.select(LotsCase)
        .where(LotsCase.id == case_id)
        .options(
            joinedload(LotsCase.company),
            joinedload(LotsCase.case_type),
            joinedload(LotsCase.responsible),
            joinedload(LotsCase.focus_area),
            joinedload(LotsCase.contact_person),
        )
    )
    if case is None:
        raise NotFound(_("Ärendet finns inte."))
    return case


def participants(case_id: int) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(lots_case_participants, lots_case_participants.c.user_id == User.id)
            .where(lots_case_participants.c.case_id == case_id)
            .order_by(User.name)
        )
    )


def history(case_id: int, limit: int = 200) -> list[CaseEvent]:
    return list(
        db.session.scalars(
            sa.select(CaseEvent)
            .where(CaseEvent.case_id == case_id)
            .options(joinedload(CaseEvent.actor))
            .order_by(CaseEvent.at.desc(), CaseEvent.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class PermitRow:
    row: CasePermit
    permit_type: PermitType
    clock: Any  # app.cases.deadlines.PermitClock


def permit_rows(case: LotsCase, *, today: date, near_days: int) -> list[PermitRow]:
    rows = db.session.execute(
        sa.select(CasePermit, PermitType)
        .join(PermitType, PermitType.id == CasePermit.permit_type_id)
        .where(CasePermit.case_id == case.id)
        .order_by(CasePermit.id)
    ).all()
    result = []
    for row, permit_type in rows:
        clock = permit_clock(
            StatutoryTime.from_permit_type(permit_type),
            submitted_on=row.submitted_on,
            complete_on=row.complete_on,
            extended=row.extended,
            decision_on=row.decision_on,
            today=today,
            completion_requested_on=row.completion_requested_on,
            own_initiative_on=row.own_initiative_dates,
            request_date_unknown=row.request_date_unknown,
            permit_type_code=permit_type.code,
            law=permit_type.law,
            event_date=case.event_date,
            lead_time_weeks=permit_type.lead_time_weeks,
            near_days=near_days,
        )
        result.append(PermitRow(row, permit_type, clock))
    return result


def get_permit_or_404(case_id: int, permit_id: int) -> CasePermit:
    row = db.session.get(CasePermit, permit_id)
    if row is None or row.case_id != case_id:
        raise NotFound(_("Tillståndsraden finns inte."))
    return row


def meetings(case_id: int) -> list[LotsMeeting]:
    return list(
        db.session.scalars(
            sa.select(LotsMeeting)
            .where(LotsMeeting.case_id == case_id)
            .order_by(LotsMeeting.starts_at.desc())
        )
    )


def get_meeting_or_404(case_id: int, meeting_id: int) -> LotsMeeting:
    meeting = db.session.get(LotsMeeting, meeting_id)
    if meeting is None or meeting.case_id != case_id:
        raise NotFound(_("Mötet finns inte."))
    return meeting


def actions(case_id: int) -> list[Any]:
    """The case's follow-ups (actions), open first by due date, with assignees."""
    from app.followups.models import OPEN, FollowUp

    return list(
        db.session.scalars(
            sa.select(FollowUp)
            .where(FollowUp.case_id == case_id)
            .options(joinedload(FollowUp.assignee))
            .order_by((FollowUp.status != OPEN), FollowUp.due_on, FollowUp.id)
        )
    )


def referrals(case_id: int) -> list[Any]:
    from app.interactions.models import Referral

    return list(
        db.session.scalars(
            sa.select(Referral)
            .where(Referral.case_id == case_id)
            .options(joinedload(Referral.partner))
            .order_by(Referral.referred_on.desc(), Referral.id.desc())
        )
    )


def linked_contacts(case_id: int, limit: int = 50) -> list[Any]:
    """Contacts (the contact log) linked to the case, newest first, not deleted."""
    from app.interactions.models import Interaction

    return list(
        db.session.scalars(
            sa.select(Interaction)
            .where(Interaction.case_id == case_id, Interaction.deleted_at.is_(None))
            .options(joinedload(Interaction.author))
            .order_by(Interaction.occurred_at.desc())
            .limit(limit)
        )
    )


def survey_invitation(case_id: int) -> SurveyInvitation | None:
    return db.session.scalar(sa.select(SurveyInvitation).where(SurveyInvitation.case_id == case_id))


def case_types(*, include_retired: bool = True) -> list[CaseType]:
    stmt = sa.select(CaseType).order_by(CaseType.retired_at.is_not(None), CaseType.position, CaseType.name)
    if not include_retired:
        stmt = stmt.where(CaseType.retired_at.is_(None))
    return list(db.session.scalars(stmt))


def get_case_type_or_404(case_type_id: int) -> CaseType:
    case_type = db.session.get(CaseType, case_type_id)
    if case_type is None:
        raise NotFound(_("Ärendetypen finns inte."))
    return case_type


def company_cases(company_id: int, limit: int = 20) -> list[LotsCase]:
    return list(
        db.session.scalars(
            sa.select(LotsCase)
            .where(LotsCase.company_id == company_id)
            .options(joinedload(LotsCase.case_type))
            .order_by(LotsCase.intake_on.desc(), LotsCase.id.desc())
            .limit(limit)
        )
    )


def count_my_open(user: User) -> int:
    """Nav badge: my open cases with a deadline near or passed (capped small: a badge)."""
    if not can(user, Perm.VIEW_CASES):
        return 0
    from flask import current_app

    from app.core.time import local_today

    near = int(current_app.config.get("LOTSBOK_STATUTORY_NEAR_DAYS", 14))
    stmt = (
        sa.select(LotsCase.id)
        .where(
            LotsCase.responsible_user_id == user.id,
            LotsCase.status != workflow.CaseStatus.CLOSED.value,
            warning_condition(local_today(), near),
        )
        .limit(100)
    )
    return len(db.session.scalars(stmt).all())
