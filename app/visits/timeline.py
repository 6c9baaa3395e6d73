"""Visits on the company timeline (app.core.timeline provider) and in the participants'
calendar feeds (app.followups.calendar source)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from app.core.permissions import Perm, can
from app.core.time import to_local
from app.core.timeline import TimelineFilter, TimelineItem
from app.extensions import db
from app.visits.models import CANCELLED, DONE, PROPOSED, CompanyVisit


def visit_timeline_items(company: Any, actor: Any, filters: TimelineFilter) -> list[TimelineItem]:
    """The company's visits, newest first: planned ones at their time, done ones with the
    recorded contact, cancelled ones marked as such (index company_id, status, starts_at)."""
    if not can(actor, Perm.VIEW_VISITS):
        return []
    if filters.kinds is not None and "besok" not in filters.kinds:
        return []
    rows = db.session.scalars(
        sa.select(CompanyVisit)
        .where(CompanyVisit.company_id == company.id)
        .order_by(CompanyVisit.starts_at.desc(), CompanyVisit.id.desc())
        .limit(filters.limit)
    )
    items = []
    for visit in rows:
        if visit.status == DONE:
            title = _("Företagsbesök av kommunledningen genomfört")
        elif visit.status == CANCELLED:
            title = _("Företagsbesök inställt")
        else:
            title = _(
                "Företagsbesök %(status)s %(time)s",
                status=str(visit.status_label).lower(),
                time=f"{to_local(visit.starts_at):%Y-%m-%d %H:%M}",
            )
        items.append(
            TimelineItem(
                at=visit.starts_at,
                kind="besok",
                title=title,
                url=url_for("visits.detail", visit_id=visit.id),
                summary=visit.purpose[:200],
            )
        )
    return items


def planned_visit_events(user: Any, now: datetime) -> list:
    """Calendar-feed source: the user's own föreslagna and planerade visits (from 30 days back).
    Same UID as the e-mailed invitation, so a client that has both shows one event."""
    from app.followups.calendar import CalendarEvent
    from app.mail.render import external_url
    from app.visits.queries import upcoming_for_user

    events = []
    for visit in upcoming_for_user(user, now):
        url = external_url("visits.detail", visit_id=visit.id)
        # The feed is Swedish, like the mailed invitations: a calendar subscriber has no session.
        prefix = "Företagsbesök"  # untranslated: .ics feed
        if visit.status == PROPOSED:
            prefix = "Företagsbesök (preliminärt)"  # untranslated: .ics feed
        brief_line = (
            f"Besöksunderlag: {external_url('visits.brief', visit_id=visit.id)}"  # untranslated: .ics
        )
        events.append(
            CalendarEvent(
                uid=visit.uid,
                summary=f"{prefix}: {visit.company.name}",
                start=visit.starts_at,
                end=visit.ends_at,
                description="\n".join(x for x in (visit.purpose, brief_line, url) if x),
                url=url,
                location=visit.place or visit.company.visiting_address,
            )
        )
    return events
