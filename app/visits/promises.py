"""Promises made on company visits: the follow-ups with source "visit", and whether each was
kept (done on or before its due date)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.followups.models import CANCELLED as FOLLOWUP_CANCELLED
from app.followups.models import DONE as FOLLOWUP_DONE
from app.followups.models import FollowUp


@dataclass(frozen=True)
class Promise:
    """A promise made on a visit (its follow-up) and whether it was kept."""

    followup: FollowUp

    @property
    def kept(self) -> bool:
        """Done on or before its due date."""
        f = self.followup
        return f.status == FOLLOWUP_DONE and f.done_on is not None and f.done_on <= f.due_on

    def overdue(self, today: date) -> bool:
        f = self.followup
        return f.status not in (FOLLOWUP_DONE, FOLLOWUP_CANCELLED) and f.due_on < today

    def state_label(self, today: date) -> str:
        f = self.followup
        if self.kept:
            return _("Hållet (%(date)s)", date=f.done_on.isoformat())
        if f.status == FOLLOWUP_DONE:
            return _("Hållet för sent (%(date)s)", date=f.done_on.isoformat() if f.done_on else "")
        if f.status == FOLLOWUP_CANCELLED:
            return _("Inte hållet (avbrutet)")
        if self.overdue(today):
            return _("Inte hållet än – försenat sedan %(date)s", date=f.due_on.isoformat())
        return _("Inte hållet än – senast %(date)s", date=f.due_on.isoformat())


def promises_by_visit(visit_ids: list[int], *, reader: Any = None) -> dict[int, list[Promise]]:
    """The promises (follow-ups with source "visit") of these visits, with owners, as `reader`
    may see them (a promise inherits the restriction of the contact the visit became; by
    default judged as read by nobody). One query, plus two for the restriction."""
    if not visit_ids:
        return {}
    from sqlalchemy.orm import joinedload

    rows = db.session.scalars(
        sa.select(FollowUp)
        .where(FollowUp.visit_id.in_(visit_ids), FollowUp.source == "visit")
        .options(joinedload(FollowUp.assignee))
        .order_by(FollowUp.due_on, FollowUp.id)
    ).all()
    from app.followups.queries import shown_followups

    result: dict[int, list[Promise]] = defaultdict(list)
    for f in shown_followups(reader, list(rows)):
        result[f.visit_id].append(Promise(f))  # type: ignore[index]
    return result
