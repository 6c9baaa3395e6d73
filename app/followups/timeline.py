"""Follow-ups on the company timeline (app.core.timeline provider)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.core.permissions import Perm, can
from app.core.timeline import TimelineFilter, TimelineItem
from app.extensions import db
from app.followups.models import DONE, OPEN, FollowUp
from app.followups.queries import shown_followups


def followup_timeline_items(company: Any, actor: Any, filters: TimelineFilter) -> list[TimelineItem]:
    """Open follow-ups (on their due date) and done ones (on the day they were done), as the
    actor may see them (a follow-up inherits the restriction of its contact and case)."""
    if not can(actor, Perm.VIEW_FOLLOWUPS):
        return []
    if filters.kinds is not None and "uppfoljning" not in filters.kinds:
        return []
    rows = list(
        db.session.scalars(
            sa.select(FollowUp)
            .where(FollowUp.company_id == company.id, FollowUp.status.in_([OPEN, DONE]))
            .options(joinedload(FollowUp.assignee))
            .order_by(FollowUp.due_on.desc(), FollowUp.id.desc())
            .limit(filters.limit)
        )
    )
    may_edit = can(actor, Perm.EDIT_FOLLOWUPS)
    items = []
    for f in shown_followups(actor, rows):
        if f.status == OPEN:
            title = _("Uppföljning %(date)s: %(title)s", date=f.due_on.isoformat(), title=f.title)
            summary = _("Ansvarig: %(name)s", name=f.assignee.name)
            at = f.due_on
        else:
            title = _("Uppföljning klar: %(title)s", title=f.title)
            summary = f.done_note or _("Klar %(date)s", date=f.done_on.isoformat() if f.done_on else "")
            at = f.done_on or f.due_on
        items.append(
            TimelineItem(
                at=at,
                kind="uppfoljning",
                title=title,
                url=url_for("followups.edit", followup_id=f.id) if may_edit else None,
                summary=summary,
            )
        )
    return items
