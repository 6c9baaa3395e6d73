"""Lotsmöten: UID and SEQUENCE, default agenda from permit rows, invitations through the outbox
with the .ics attached (delivered over real SMTP), updates and cancellation."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from app.cases import meetings
from app.core.errors import Conflict, ValidationError
from app.mail.delivery import deliver_outbox
from tests.builders import cases as f
from tests.builders.companies import make_contact_person


def _meeting(db, users, **overrides):
    lots = users["lots"]
    case = f.make_case(lots)
    f.make_permit(case, lots, "bygglov")
    f.make_permit(case, lots, "servering")
    contact = make_contact_person(
        db.session.get(__import__("app.companies.models", fromlist=["Company"]).Company, case.company_id),
        name="Åsa Ägare",
        email="asa@kafe.example",
    )
    data = f.meeting_input(
        user_ids=(lots.id, users["chef"].id),
        contact_person_ids=(contact.id,),
        other_guests=(meetings.Guest("Polisen tillstånd", "tillstand@polisen.example"),),
        **overrides,
    )
    meeting = meetings.create_meeting(case, data, actor=lots, now=f.NOW)
    return case, meeting


def test_new_meeting_has_stable_uid_sequence_zero_and_default_agenda(db, users):
    case, meeting = _meeting(db, users)
    assert meeting.uid == f"lotsmote-{meeting.id}@lotsbok.test"
    assert meeting.sequence == 0
    assert "Bygglov" in meeting.agenda
    assert "Serveringstillstånd" in meeting.agenda
    assert meeting.agenda.startswith("1. ")


def test_every_change_raises_the_sequence_and_keeps_the_uid(db, users):
    case, meeting = _meeting(db, users)
    uid = meeting.uid
    data = f.meeting_input(
        starts_at=meeting.starts_at + timedelta(days=1),
        ends_at=meeting.ends_at + timedelta(days=1),
        user_ids=(users["lots"].id,),
        agenda=meeting.agenda,
    )
    meetings.update_meeting(meeting, data, actor=users["lots"], now=f.NOW)
    assert meeting.sequence == 1
    meetings.update_meeting(meeting, data, actor=users["lots"], now=f.NOW)  # no change: same sequence
    assert meeting.sequence == 1
    meetings.update_meeting(
        meeting,
        f.meeting_input(
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            user_ids=data.user_ids,
            agenda=data.agenda,
            minutes="Beslut: ...",
        ),
        actor=users["lots"],
        now=f.NOW,
    )
    assert meeting.sequence == 2
    assert meeting.uid == uid
    ics = Calendar.from_ical(meetings.meeting_ics(meeting, case))
    event = ics.walk("VEVENT")[0]
    assert str(event["UID"]) == uid
    assert event.decoded("SEQUENCE") == 2


def test_meeting_validation(db, users):
    case, meeting = _meeting(db, users)
    with pytest.raises(ValidationError, match="sluta efter"):
        meetings.update_meeting(
            meeting, f.meeting_input(ends_at=meeting.starts_at), actor=users["lots"], now=f.NOW
        )
    with pytest.raises(ValidationError, match="e-postadress"):
        meetings.update_meeting(
            meeting,
            f.meeting_input(other_guests=(meetings.Guest("X", "inte-en-adress"),)),
            actor=users["lots"],
            now=f.NOW,
        )


def test_invitation_goes_through_the_outbox_with_the_ics(db, users, outbox, smtp_server):
    case, meeting = _meeting(db, users)
    queued = meetings.send_meeting_invitation(meeting, actor=users["lots"], now=f.NOW)
    db.session.commit()
    # organizer (responsible lots), the chef, the contact person and the police
    assert queued == 4
    assert (
        meetings.send_meeting_invitation(meeting, actor=users["lots"], now=f.NOW) == 0
    )  # idempotent per SEQUENCE
    db.session.commit()
    rows = outbox()
    assert len(rows) == 4
    assert all(
        r.attachments and r.attachments[0]["content_type"].startswith("text/calendar; method=REQUEST")
        for r in rows
    )

    assert deliver_outbox(now=f.NOW) == 4
    received = {m["To"]: m for m in smtp_server.messages}
    assert set(received) == {
        users["lots"].email,
        users["chef"].email,
        "asa@kafe.example",
        "tillstand@polisen.example",
    }
    message = received["asa@kafe.example"]
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_param("method") == "REQUEST"
    ics = Calendar.from_ical(parts[0].get_content())
    event = ics.walk("VEVENT")[0]
    assert str(ics["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == meeting.uid
    attendees = sorted(str(a) for a in event["ATTENDEE"])
    assert "mailto:asa@kafe.example" in attendees
    assert str(event["ORGANIZER"]) == f"mailto:{users['lots'].email}"
    assert "Lotsmöte" in message["Subject"]


def test_cancelling_an_invited_meeting_sends_method_cancel(db, users, outbox):
    case, meeting = _meeting(db, users)
    meetings.send_meeting_invitation(meeting, actor=users["lots"], now=f.NOW)
    meetings.cancel_meeting(meeting, actor=users["lots"], now=f.NOW)
    db.session.commit()
    assert meeting.sequence == 1
    cancels = [r for r in outbox() if r.key.startswith(f"lotsmote:{meeting.id}:1:")]
    assert len(cancels) == 4
    import base64

    ics = Calendar.from_ical(base64.b64decode(cancels[0].attachments[0]["data"]))
    assert str(ics["METHOD"]) == "CANCEL"
    assert str(ics.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    assert ics.walk("VEVENT")[0].decoded("SEQUENCE") == 1
    assert cancels[0].subject.startswith("Inställt")
    with pytest.raises(Conflict):
        meetings.cancel_meeting(meeting, actor=users["lots"], now=f.NOW)
    with pytest.raises(Conflict):
        meetings.send_meeting_invitation(meeting, actor=users["lots"], now=f.NOW)


def test_restricted_case_invitation_carries_no_case_content(db, users):
    lots = users["lots"]
    case = f.make_case(lots, is_restricted=True, title="Hemlig etablering av batterifabrik")
    meeting = meetings.create_meeting(case, f.meeting_input(user_ids=(lots.id,)), actor=lots, now=f.NOW)
    data = meetings.meeting_ics(meeting, case).decode()
    assert "BEGIN:VEVENT" in data  # the invitation itself, with its time and place
    assert "DTSTART" in data
    assert "batterifabrik" not in data
    assert "Hemlig" not in data


def test_ics_download_and_permissions(db, users, login_as):
    case, meeting = _meeting(db, users)
    db.session.commit()
    response = login_as("chef").get(f"/arenden/{case.id}/moten/{meeting.id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    assert "method=REQUEST" in response.headers["Content-Type"]
    event = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert str(event["UID"]) == meeting.uid
    assert login_as("ledning").get(f"/arenden/{case.id}/moten/{meeting.id}.ics").status_code == 403
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(
            __import__("app.cases.models", fromlist=["LotsMeeting"]).LotsMeeting
        )
    )
    assert count == 1


def test_meetings_appear_in_the_participants_calendar_feed(db, users):
    from app.followups.calendar import build_feed

    case, meeting = _meeting(db, users)
    db.session.commit()
    feed = Calendar.from_ical(build_feed(users["chef"], now=f.NOW))
    events = [e for e in feed.walk("VEVENT") if str(e["UID"]).startswith("lotsmote-flode-")]
    assert len(events) == 1
    assert str(events[0]["SUMMARY"]) == f"Lotsmöte: {case.title}"
    assert str(events[0]["UID"]) != meeting.uid
    other = Calendar.from_ical(build_feed(users["ledning"], now=f.NOW))
    assert not [e for e in other.walk("VEVENT") if str(e["UID"]).startswith("lotsmote-")]
