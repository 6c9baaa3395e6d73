"""The lotsmöte .ics parsed back with icalendar and checked field by field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from app.cases.calendar import MeetingInvite, Person, build_meeting_ics, meeting_uid
from app.core.time import STOCKHOLM


def _invite(**overrides) -> MeetingInvite:
    values = dict(
        meeting_id=42,
        host="lotsbok.test",
        sequence=0,
        starts_at=datetime(2026, 3, 10, 8, 0, tzinfo=UTC),  # 09:00 in Stockholm (CET)
        ends_at=datetime(2026, 3, 10, 9, 30, tzinfo=UTC),
        summary="Lotsmöte: Kafé Kupolen",
        organizer=Person("Lena Lots", "lena.lots@borlange.example"),
        attendees=[
            Person("Björn Bygg", "bjorn@borlange.example"),
            Person("Åsa Ägare", "asa@kafe.example"),
            Person("Åsa Ägare igen", "ASA@kafe.example"),  # duplicate address: one attendee
            Person("Ingen adress", ""),
        ],
        location="Stadshuset, rum 3",
        description="Dagordning:\n1. Bygglov\n2. Serveringstillstånd",
        url="https://lotsbok.test/arenden/7",
        stamp=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
    )
    values.update(overrides)
    return MeetingInvite(**values)


def _parse(data: bytes) -> tuple[Calendar, object]:
    assert data.endswith(b"\r\n")
    assert b"\r\n" in data
    cal = Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return cal, events[0]


def test_invitation_fields():
    cal, event = _parse(build_meeting_ics(_invite()))
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//Lotsbok//Lotsmöten//SV"
    assert [str(c) for c in event["CATEGORIES"].cats] == ["Lotsmöte"]
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == "lotsmote-42@lotsbok.test"
    assert event.decoded("SEQUENCE") == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == "Lotsmöte: Kafé Kupolen"
    assert str(event["LOCATION"]) == "Stadshuset, rum 3"
    assert str(event["DESCRIPTION"]) == "Dagordning:\n1. Bygglov\n2. Serveringstillstånd"
    assert str(event["URL"]) == "https://lotsbok.test/arenden/7"
    assert event.decoded("DTSTAMP") == datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_times_are_in_stockholm_with_a_tzid():
    _cal, event = _parse(build_meeting_ics(_invite()))
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert event["DTEND"].params["TZID"] == "Europe/Stockholm"
    start = event.decoded("DTSTART")
    assert start.replace(tzinfo=None) == datetime(2026, 3, 10, 9, 0)
    assert start.astimezone(UTC) == datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
    assert event.decoded("DTEND") - start == timedelta(minutes=90)


def test_summer_time_meeting_keeps_its_wall_clock_time():
    invite = _invite(
        starts_at=datetime(2026, 6, 10, 13, 0, tzinfo=STOCKHOLM),
        ends_at=datetime(2026, 6, 10, 14, 0, tzinfo=STOCKHOLM),
    )
    _cal, event = _parse(build_meeting_ics(invite))
    assert "DTSTART;TZID=Europe/Stockholm:20260610T130000" in build_meeting_ics(invite).decode()
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2026, 6, 10, 11, 0, tzinfo=UTC)


def test_vtimezone_for_stockholm():
    cal, _event = _parse(build_meeting_ics(_invite()))
    zones = cal.walk("VTIMEZONE")
    assert len(zones) == 1
    zone = zones[0]
    assert str(zone["TZID"]) == "Europe/Stockholm"
    assert {str(c["TZNAME"]) for c in zone.walk("DAYLIGHT")} == {"CEST"}
    assert {str(c["TZNAME"]) for c in zone.walk("STANDARD")} == {"CET"}
    # The zone parses back into a tzinfo that agrees with the tz database (winter and summer).
    tz = zone.to_tz()
    for moment in (datetime(2030, 7, 1, 12), datetime(2031, 1, 15, 12), datetime(2026, 3, 29, 3, 30)):
        assert tz.utcoffset(moment) == moment.replace(tzinfo=STOCKHOLM).utcoffset()


def test_organizer_and_attendees():
    _cal, event = _parse(build_meeting_ics(_invite()))
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:lena.lots@borlange.example"
    assert organizer.params["CN"] == "Lena Lots"
    attendees = event["ATTENDEE"]
    assert [str(a) for a in attendees] == ["mailto:bjorn@borlange.example", "mailto:asa@kafe.example"]
    for attendee in attendees:
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
        assert attendee.params["RSVP"] == "TRUE"
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert attendees[1].params["CN"] == "Åsa Ägare"


def test_uid_is_stable_and_sequence_follows_the_meeting():
    first = _parse(build_meeting_ics(_invite(sequence=0)))[1]
    moved = _parse(
        build_meeting_ics(
            _invite(
                sequence=1,
                starts_at=datetime(2026, 3, 11, 8, 0, tzinfo=UTC),
                ends_at=datetime(2026, 3, 11, 9, 0, tzinfo=UTC),
            )
        )
    )[1]
    assert str(first["UID"]) == str(moved["UID"]) == meeting_uid(42, "lotsbok.test")
    assert moved.decoded("SEQUENCE") == 1 > first.decoded("SEQUENCE")


def test_cancellation_uses_method_cancel_and_status_cancelled():
    data = build_meeting_ics(_invite(sequence=3, cancelled=True))
    cal, event = _parse(data)
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == "lotsmote-42@lotsbok.test"
    assert event.decoded("SEQUENCE") == 3
    assert len(event["ATTENDEE"]) == 2  # the cancellation reaches the same people


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        build_meeting_ics(_invite(starts_at=datetime(2026, 3, 10, 9, 0)))
