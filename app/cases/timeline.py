"""Case events on the company timeline (an app.core.timeline provider) and lotsmöten in the
participants' calendar feeds.

A restricted case the actor may not read appears as "Lotsärende med begränsad åtkomst" with
its kind of event only (no title, no text); for a reader who may read it, the timeline showing
it is an audited read (app.core.restriction).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from app.cases.models import CaseEvent, LotsCase
from app.cases.rules import RESTRICTED_TITLE
from app.core import restriction
from app.core.permissions import Perm, can
from app.core.timeline import TimelineFilter, TimelineItem
from app.extensions import db


def case_timeline_items(company: Any, actor: Any, filters: TimelineFilter) -> list[TimelineItem]:
    """The newest case events of the company's cases (index: lots_cases.company_id, then
    case_events (case_id, at))."""
    if not can(actor, Perm.VIEW_CASES):
        return []
    if filters.kinds is not None and "arende" not in filters.kinds:
        return []
    rows = db.session.execute(
        sa.select(CaseEvent, LotsCase)
        .join(LotsCase, LotsCase.id == CaseEvent.case_id)
        .where(LotsCase.company_id == company.id)
        .order_by(CaseEvent.at.desc(), CaseEvent.id.desc())
        .limit(filters.limit)
    ).all()
    # Case events inherit their case's restriction (app.core.restriction).
    verdicts = restriction.judge(actor, [case for _event, case in rows], case=lambda c: c.id)
    items = []
    for verdict, (event, case) in zip(verdicts, rows, strict=True):
        event = restriction.shown(actor, verdict, event, text="")
        case = restriction.shown(actor, verdict, case, title=RESTRICTED_TITLE)
        items.append(
            TimelineItem(
                at=event.at,
                kind="arende",
                title=_("Lotsärende: %(title)s – %(event)s", title=case.title, event=event.title),
                url=url_for("cases.detail", case_id=case.id),
                focus_areas=(),
                summary=event.text[:300],
            )
        )
    return items


def meeting_calendar_events(user: Any, now: Any) -> list:
    """The user's lotsmöten (as an internal participant) for the personal calendar feed
    (app.followups.calendar): from 30 days back, not cancelled. The feed leaves the system (read
    without signing in, synced to phones), so a restricted case's meeting is judged as read by
    nobody: "Lotsmöte med begränsad åtkomst – öppna i Lotsbok", no title or place. The UID
    differs from the invitation's so a subscribed feed and an accepted invitation never clash."""
    from datetime import timedelta

    from app.cases.models import LotsMeeting, lots_meeting_users
    from app.followups.calendar import CalendarEvent, feed_host
    from app.mail.render import external_url

    if not can(user, Perm.VIEW_CASES):
        return []
    rows = db.session.execute(
        sa.select(LotsMeeting, LotsCase)
        .join(LotsCase, LotsCase.id == LotsMeeting.case_id)
        .join(lots_meeting_users, lots_meeting_users.c.meeting_id == LotsMeeting.id)
        .where(
            lots_meeting_users.c.user_id == user.id,
            LotsMeeting.cancelled_at.is_(None),
            LotsMeeting.starts_at >= now - timedelta(days=30),
        )
        .order_by(LotsMeeting.starts_at)
        .limit(500)
    ).all()
    verdicts = restriction.judge(None, [case for _meeting, case in rows], case=lambda c: c.id)
    events = []
    for verdict, (meeting, case) in zip(verdicts, rows, strict=True):
        meeting = restriction.shown(None, verdict, meeting, place="")
        # The feed is read by calendar apps without a session: Swedish, as neutral_for_mail.
        plain = f"Lotsmöte: {case.title}"  # untranslated: the calendar feed is Swedish
        summary = restriction.neutral_for_mail("meeting") if verdict.restricted else plain
        events.append(
            CalendarEvent(
                uid=f"lotsmote-flode-{meeting.id}@{feed_host()}",
                summary=summary,
                start=meeting.starts_at,
                end=meeting.ends_at,
                location=meeting.place,
                url=external_url("cases.detail", case_id=case.id),
            )
        )
    return events
