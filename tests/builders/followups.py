"""Follow-ups (app.followups), inserted from the model. They flush, never commit."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.extensions import db
from app.followups.models import OPEN, FollowUp

_seq = itertools.count(1)


def make_followup(assignee, due_on: date, *, done_on: date | None = None, closed_at: datetime | None = None,
                  **overrides: Any) -> FollowUp:  # fmt: skip
    """An open follow-up of `assignee`; with `done_on` a done one, closed at 10:00 UTC that day
    unless `closed_at` says otherwise."""
    if done_on is not None:
        overrides.setdefault("status", "done")
        closed_at = closed_at or datetime.combine(done_on, datetime.min.time(), UTC) + timedelta(hours=10)
    values: dict[str, Any] = {
        "title": f"Ring upp {next(_seq)}",
        "due_on": due_on,
        "assignee_id": assignee.id,
        "created_by_id": assignee.id,
        "status": OPEN,
        "source": "manual",
        "done_on": done_on,
        "closed_at": closed_at,
    }
    values.update(overrides)
    followup = FollowUp(**values)
    db.session.add(followup)
    db.session.flush()
    return followup
