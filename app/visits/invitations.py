"""The .ics invitations of a company visit: built from the visit (REQUEST, or CANCEL when it is
called off) and queued as e-mail to the participants through the mail outbox. The UID never
changes; SEQUENCE is bumped by app.visits.services when a planned visit changes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from app.auth.models import User
from app.core.ics import Invitation, Person, invitation_ics
from app.core.time import to_local
from app.visits.models import CompanyVisit

PRODID = "-//Lotsbok//Företagsbesök//SV"  # untranslated: product id, not a text


def uid_host() -> str:
    from app.followups.calendar import feed_host

    return feed_host()


def visit_summary(visit: CompanyVisit) -> str:
    return (
        f"Företagsbesök: {visit.company.name}"  # untranslated: the .ics invitation is Swedish, like its mail
    )


def build_invitation(
    visit: CompanyVisit,
    *,
    cancelled: bool = False,
    attendees: Sequence[User] | None = None,
    now: datetime | None = None,
) -> bytes:
    """The visit's .ics (REQUEST, or CANCEL when `cancelled`) with its current UID and SEQUENCE.

    Needs company, host, organizer and participants loaded (load_visit). `attendees` defaults
    to every participant.
    """
    from app.mail.render import external_url_or_none

    people = attendees if attendees is not None else [p.user for p in visit.participants]
    organizer = visit.organizer
    # The .ics invitation is mailed to the participants: Swedish, like the mail (app.mail.render).
    lines = [f"Syfte: {visit.purpose}" if visit.purpose else ""]  # untranslated: .ics, Swedish like mail
    if visit.host_display:
        lines.append(f"Värd: {visit.host_display}")  # untranslated: .ics, Swedish like mail
    if visit.focus_areas:
        lines.append("Fokusområden: " + ", ".join(a.label for a in visit.focus_areas))  # untranslated: .ics
    url = external_url_or_none("visits.detail", visit_id=visit.id)
    brief = external_url_or_none("visits.brief", visit_id=visit.id)
    if brief:
        lines.append(f"Besöksunderlag: {brief}")  # untranslated: .ics, Swedish like mail
    return invitation_ics(
        Invitation(
            uid=visit.uid,
            sequence=visit.sequence,
            starts_at=visit.starts_at,
            ends_at=visit.ends_at,
            summary=visit_summary(visit),
            organizer=Person(organizer.name, organizer.email) if organizer else Person("Lotsbok", ""),
            attendees=[Person(u.name, u.email) for u in people],
            location=visit.place
            or ", ".join(x for x in (visit.company.visiting_address, visit.company.city) if x),
            description="\n".join(x for x in lines if x),
            url=url,
            cancelled=cancelled,
            stamp=now,
            prodid=PRODID,
        )
    )


def send_invitations(visit: CompanyVisit, users: Sequence[User], *, cancelled: bool, now: datetime) -> int:
    """Queue one invitation (or cancellation) e-mail with the .ics attached per user; returns
    how many. The outbox key holds visit, sequence, method and user, so a repeated request
    queues nothing twice."""
    from app.mail.services import MailAttachment, queue_mail

    users = [u for u in users if u.email and u.is_active]
    if not users:
        return 0
    method = "CANCEL" if cancelled else "REQUEST"
    attachment = MailAttachment(
        filename="inbjudan.ics" if not cancelled else "installt.ics",
        content_type=f"text/calendar; method={method}; charset=utf-8",
        data=build_invitation(visit, cancelled=cancelled, attendees=users, now=now),
    )
    queued = 0
    for user in users:
        key = f"visit:{visit.id}:{visit.sequence}:{method.lower()}:{user.id}"
        if queue_mail(
            user.email,
            "visits/invitation",
            key,
            now=now,
            attachments=[attachment],
            visit=visit,
            recipient=user,
            cancelled=cancelled,
            starts_local=to_local(visit.starts_at),
            ends_local=to_local(visit.ends_at),
        ):
            queued += 1
    return queued
