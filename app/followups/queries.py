"""Reading follow-ups: the to-do panel, the nav count, the list, the digest and the feed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.core import restriction
from app.core.pagination import KeysetPage, Page, SortKey, keyset_paginate, order_clauses, paginate
from app.core.permissions import ROLE_PERMISSIONS, Perm, Role
from app.core.time import local_today
from app.extensions import db
from app.followups.models import OPEN, FollowUp

# Roles that may look at colleagues' follow-ups (filter by assignee); others see their own.
SEE_OTHERS = frozenset({Role.LOTS.value, Role.CHEF.value})


def can_see_others(user: User) -> bool:
    return user.role in SEE_OTHERS


def can_view(user: User, followup: FollowUp) -> bool:
    return followup.assignee_id == user.id or can_see_others(user)


def shown_followups(actor: User | None, followups: list[FollowUp], *, outside: bool = False) -> list:
    """Follow-ups as `actor` may see them. A follow-up inherits the restriction of its contact
    and its case (app.core.restriction): to a reader who may not read them it is "Uppföljning
    med begränsad åtkomst" without note or done-note; to one who may, showing it is an audited
    read. `outside=True` is for what leaves the system (e-mail, calendar feed): judged as read
    by nobody, worded "… – öppna i Lotsbok", and without the company. Two queries at most."""
    if outside:
        actor = None
    verdicts = restriction.judge(
        actor, followups, interaction=lambda f: f.interaction_id, case=lambda f: f.case_id
    )
    neutral: dict = {"title": restriction.neutral("followup"), "note": "", "done_note": ""}
    if outside:
        neutral.update(title=restriction.neutral_for_mail("followup"), company=None, company_id=None)
    return [restriction.shown(actor, v, f, **neutral) for v, f in zip(verdicts, followups, strict=True)]


def get_followup_or_404(followup_id: int) -> FollowUp:
    """The follow-up with its company and assignee loaded, or a 404."""
    followup = db.session.scalar(
        sa.select(FollowUp)
        .where(FollowUp.id == followup_id)
        .options(joinedload(FollowUp.company), joinedload(FollowUp.assignee))
    )
    if followup is None:
        abort(404)
    return followup


def open_for_company(company_id: int, *, limit: int = 20) -> list[FollowUp]:
    """A company's open follow-ups, soonest first (company page)."""
    return list(
        db.session.scalars(
            sa.select(FollowUp)
            .where(FollowUp.company_id == company_id, FollowUp.status == OPEN)
            .options(joinedload(FollowUp.assignee))
            .order_by(FollowUp.due_on, FollowUp.id)
            .limit(limit)
        )
    )


def next_due_for_company(company_id: int) -> date | None:
    """The earliest due date among the company's open follow-ups (Company.next_followup_on)."""
    return db.session.scalar(
        sa.select(sa.func.min(FollowUp.due_on)).where(
            FollowUp.company_id == company_id, FollowUp.status == OPEN
        )
    )


def week_end(day: date) -> date:
    """The Sunday of `day`'s week."""
    return day + timedelta(days=6 - day.weekday())


@dataclass
class Todo:
    overdue: list[FollowUp]
    today: list[FollowUp]
    week: list[FollowUp]
    more: bool  # the panel shows at most PANEL_LIMIT items in all

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.today or self.week)


PANEL_LIMIT = 30


def todo_for(user: User, today: date | None = None) -> Todo:
    """The user's open follow-ups that are overdue, due today or due later this week."""
    today = today or local_today()
    rows = list(
        db.session.scalars(
            sa.select(FollowUp)
            .where(
                FollowUp.assignee_id == user.id,
                FollowUp.status == OPEN,
                FollowUp.due_on <= week_end(today),
            )
            .options(joinedload(FollowUp.company))
            .order_by(FollowUp.due_on, FollowUp.due_time, FollowUp.id)
            .limit(PANEL_LIMIT + 1)
        )
    )
    more = len(rows) > PANEL_LIMIT
    rows = shown_followups(user, rows[:PANEL_LIMIT])
    return Todo(
        overdue=[f for f in rows if f.due_on < today],
        today=[f for f in rows if f.due_on == today],
        week=[f for f in rows if f.due_on > today],
        more=more,
    )


def count_due(user: User, today: date | None = None) -> int:
    """Open follow-ups of the user due today or earlier (the navigation badge)."""
    today = today or local_today()
    sub = (
        sa.select(FollowUp.id)
        .where(FollowUp.assignee_id == user.id, FollowUp.status == OPEN, FollowUp.due_on <= today)
        .limit(100)
        .subquery()
    )
    return db.session.scalar(sa.select(sa.func.count()).select_from(sub)) or 0


@dataclass(frozen=True)
class FollowUpFilter:
    """List filters. assignee_id None means everyone (only for SEE_OTHERS roles)."""

    assignee_id: int | None
    status: str = OPEN  # open / done / cancelled / all
    period: str = "all"  # overdue / today / week / all
    company_id: int | None = None


def followup_select(flt: FollowUpFilter, *, today: date | None = None) -> sa.Select:
    """Follow-ups matching `flt` with company and assignee loaded (ordered by `followup_order`)."""
    today = today or local_today()
    stmt = sa.select(FollowUp).options(joinedload(FollowUp.company), joinedload(FollowUp.assignee))
    if flt.assignee_id is not None:
        stmt = stmt.where(FollowUp.assignee_id == flt.assignee_id)
    if flt.company_id is not None:
        stmt = stmt.where(FollowUp.company_id == flt.company_id)
    if flt.status != "all":
        stmt = stmt.where(FollowUp.status == flt.status)
    if flt.period == "overdue":
        stmt = stmt.where(FollowUp.due_on < today)
    elif flt.period == "today":
        stmt = stmt.where(FollowUp.due_on == today)
    elif flt.period == "week":
        stmt = stmt.where(FollowUp.due_on <= week_end(today))
    return stmt.order_by(*order_clauses(followup_order(flt.status)))


def followup_order(status: str) -> list[SortKey]:
    """Open ones soonest first (items without a time first within a day, on both databases);
    closed ones most recent due date first."""
    if status == OPEN:
        return [
            SortKey(FollowUp.due_on),
            SortKey(FollowUp.due_time, nullable=True, nulls_first=True),
            SortKey(FollowUp.id),
        ]
    return [SortKey(FollowUp.due_on, descending=True), SortKey(FollowUp.id, descending=True)]


def list_followups(flt: FollowUpFilter, *, page: int, per_page: int, today: date | None = None) -> Page:
    """One page of follow-ups; open ones soonest first, closed ones most recently closed first."""
    return paginate(followup_select(flt, today=today), page, per_page)


def list_followups_after(
    flt: FollowUpFilter, *, cursor: str | None, limit: int = 25, today: date | None = None
) -> KeysetPage:
    """A page after `cursor` (keyset pagination, the list's own order)."""
    return keyset_paginate(
        followup_select(flt, today=today),
        followup_order(flt.status),
        cursor=cursor,
        limit=limit,
        tag=f"followups:{flt.status}",
    )


def due_for_digest(day: date) -> list[tuple[User, list[FollowUp]]]:
    """Per user who wants the digest: their open follow-ups due on `day` or earlier.

    Users without anything due are left out (they get no e-mail). Two queries in all.
    """
    roles = [r.value for r, perms in ROLE_PERMISSIONS.items() if Perm.VIEW_FOLLOWUPS in perms]
    rows = db.session.scalars(
        sa.select(FollowUp)
        .join(User, User.id == FollowUp.assignee_id)
        .where(
            FollowUp.status == OPEN,
            FollowUp.due_on <= day,
            User.is_active.is_(True),
            User.digest_enabled.is_(True),
            User.role.in_(roles),
        )
        .options(joinedload(FollowUp.company), joinedload(FollowUp.assignee))
        .order_by(FollowUp.assignee_id, FollowUp.due_on, FollowUp.due_time, FollowUp.id)
    )
    by_user: dict[int, list[FollowUp]] = defaultdict(list)
    users: dict[int, User] = {}
    for followup in rows:
        by_user[followup.assignee_id].append(followup)
        users[followup.assignee_id] = followup.assignee
    return [(users[uid], items) for uid, items in by_user.items()]


def open_for_feed(user: User, *, limit: int = 2000) -> list[FollowUp]:
    """The user's open follow-ups for the calendar feed (nobody else's)."""
    return list(
        db.session.scalars(
            sa.select(FollowUp)
            .where(FollowUp.assignee_id == user.id, FollowUp.status == OPEN)
            .options(joinedload(FollowUp.company))
            .order_by(FollowUp.due_on, FollowUp.id)
            .limit(limit)
        )
    )
