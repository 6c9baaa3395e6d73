"""Route × role table for follow-ups, the user's settings, the calendar feed and the outbox."""

from __future__ import annotations

from datetime import date

from tests.route_permissions import Route, _reloaded

LOTS = frozenset({"lots"})
FOLLOWUP_VIEWERS = frozenset({"lots", "ledning", "chef"})
ADMIN = frozenset({"admin"})


def _fid(w):
    return {"followup_id": w.followup.id}


ROUTES = {
    "followups.list": Route(allowed=FOLLOWUP_VIEWERS),
    "followups.new": Route(allowed=LOTS),
    "followups.edit": Route(allowed=LOTS, args=_fid),
    "followups.complete": Route(
        "POST", allowed=LOTS, args=_fid, effect=lambda w: _reloaded(w.followup).status == "done"
    ),
    "followups.snooze": Route(
        "POST",
        allowed=LOTS,
        args=_fid,
        data=lambda w: {"days": "7"},
        effect=lambda w: _reloaded(w.followup).due_on > date(2026, 3, 2),
    ),
    "followups.cancel": Route(
        "POST", allowed=LOTS, args=_fid, effect=lambda w: _reloaded(w.followup).status == "cancelled"
    ),
    "followups.settings": Route(),
    "followups.calendar_token": Route("POST"),
    # Public: calendar apps cannot sign in. A wrong token is a 404 for everyone.
    "followups.calendar_feed": Route(
        public=True, public_status=404, ok=(404,), args=lambda w: {"token": "ogiltig-token"}
    ),
    "mail.outbox": Route(allowed=ADMIN),
    "mail.message": Route(allowed=ADMIN, args=lambda w: {"message_id": w.outbox_id}),
}


def build_world(world) -> None:
    from app.extensions import db
    from app.followups.models import FollowUp
    from app.mail import queue_mail

    followup = FollowUp(
        title="Ring upp",
        due_on=date(2026, 3, 2),
        assignee_id=world.users["lots"].id,
        status="open",
        source="manual",
    )
    db.session.add(followup)
    db.session.flush()
    world.followup = followup
    world.outbox_id = queue_mail(
        "a@kommun.example", "notice", "route-permissions", subject="Hej", body="Text", link=None
    )
