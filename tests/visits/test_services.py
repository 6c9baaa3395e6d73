"""Planning, changing, cancelling and recording visits; the invitations parsed back."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from app.core.errors import Conflict, PermissionDenied, StaleEdit, ValidationError
from app.followups.models import FollowUp
from app.interactions.models import Interaction, InteractionKind
from app.visits import question_bank, services
from app.visits.models import CANCELLED, DONE, PLANNED, PROPOSED, CompanyVisit
from tests.builders.companies import make_company, make_contact_person
from tests.builders.strategy import focus_areas
from tests.builders.users import make_user
from tests.builders.visits import make_visit, promise_input, record_visit, visit_input

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday 09:00 in Stockholm
VISIT_AT = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # 13:00 in Stockholm (CET)


def _ics(message) -> Calendar:
    assert message.attachments, "the invitation carries the .ics"
    attachment = message.attachments[0]
    assert attachment["content_type"].startswith("text/calendar; method=")
    return Calendar.from_ical(base64.b64decode(attachment["data"]))


def _event(cal: Calendar):
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return events[0]


@pytest.fixture
def people(users):
    ledning2 = make_user("ledning", name="Kalle Kommunalråd")
    return {"ledning": users["ledning"], "ledning2": ledning2, "lots": users["lots"], "chef": users["chef"]}


def test_planning_sends_an_ics_request_to_every_participant(db, people, outbox):
    company = make_company("Borlänge Stål AB", visiting_address="Bruksgatan 1")
    host = make_contact_person(company, "Eva Ek", title="vd")
    visit = make_visit(
        company,
        people["ledning"],
        ledning=[people["ledning"], people["ledning2"]],
        office=[people["lots"]],
        starts_at=VISIT_AT,
        host_contact_person_id=host.id,
        now=T0,
    )
    uid = visit.uid
    assert visit.status == PLANNED
    assert visit.sequence == 0
    assert visit.organizer_id == people["ledning"].id
    messages = outbox()
    assert sorted(m.to_addr for m in messages) == sorted(
        u.email for u in (people["ledning"], people["ledning2"], people["lots"])
    )
    assert all("Företagsbesök hos Borlänge Stål AB" in m.subject for m in messages)
    cal = _ics(messages[0])
    event = _event(cal)
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == uid
    assert uid.startswith("besok-")
    assert event.decoded("SEQUENCE") == 0
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime(2026, 3, 10, 13, 0)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=90)
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Stockholm"
    assert str(event["LOCATION"]) == "Bruksgatan 1, Borlänge"
    assert "Eva Ek, vd" in str(event["DESCRIPTION"])
    attendees = sorted(str(a) for a in event.get("ATTENDEE"))
    assert attendees == sorted(
        f"mailto:{u.email}" for u in (people["ledning"], people["ledning2"], people["lots"])
    )
    assert str(event["ORGANIZER"]) == f"mailto:{people['ledning'].email}"


def test_a_proposed_visit_sends_nothing_until_it_is_planned(db, people, outbox):
    company = make_company()
    visit = make_visit(
        company, people["lots"], office=[people["lots"]], status=PROPOSED, starts_at=VISIT_AT, now=T0
    )
    assert visit.status == PROPOSED
    assert outbox() == []
    visit = services.load_visit(visit.id)
    services.update_visit(
        visit,
        visit_input(company, ledning=[people["ledning"]], office=[people["lots"]], starts_at=VISIT_AT),
        actor=people["lots"],
        now=T0,
    )
    assert visit.status == PLANNED
    assert visit.sequence == 0
    assert len(outbox()) == 2


def test_changing_a_planned_visit_raises_the_sequence_and_cancels_for_removed_people(db, people, outbox):
    company = make_company()
    visit = make_visit(
        company, people["lots"], ledning=[people["ledning"], people["ledning2"]], starts_at=VISIT_AT, now=T0
    )
    uid = visit.uid
    later = VISIT_AT + timedelta(days=1)
    services.update_visit(
        visit,
        visit_input(company, ledning=[people["ledning"]], starts_at=later),
        actor=people["lots"],
        expected_version=visit.version,
        now=T0,
    )
    assert visit.sequence == 1
    new = [m for m in outbox() if ":1:" in m.key]
    by_addr = {m.to_addr: m for m in new}
    request = _ics(by_addr[people["ledning"].email])
    assert str(request["METHOD"]) == "REQUEST"
    assert _event(request).decoded("SEQUENCE") == 1
    assert str(_event(request)["UID"]) == uid
    assert _event(request).decoded("DTSTART").date() == date(2026, 3, 11)
    cancel = _ics(by_addr[people["ledning2"].email])
    assert str(cancel["METHOD"]) == "CANCEL"
    assert str(_event(cancel)["STATUS"]) == "CANCELLED"
    assert str(_event(cancel)["UID"]) == uid


def test_a_change_without_news_for_the_calendar_sends_nothing(db, people, outbox):
    company = make_company()
    visit = make_visit(company, people["lots"], ledning=[people["ledning"]], starts_at=VISIT_AT, now=T0)
    before = len(outbox())
    visit = services.load_visit(visit.id)
    services.update_visit(
        visit,
        visit_input(
            company, ledning=[people["ledning"]], starts_at=VISIT_AT, focus_area_ids=(focus_areas()[1].id,)
        ),
        actor=people["lots"],
        now=T0,
    )
    assert visit.sequence == 0
    assert len(outbox()) == before


def test_cancelling_sends_method_cancel_to_everybody(db, people, outbox):
    visit = make_visit(
        make_company(),
        people["ledning"],
        ledning=[people["ledning"]],
        office=[people["lots"]],
        starts_at=VISIT_AT,
        now=T0,
    )
    services.cancel_visit(visit, actor=people["ledning"], reason="Företaget bad om ett nytt datum", now=T0)
    assert visit.status == CANCELLED
    assert visit.sequence == 1
    cancels = [m for m in outbox() if ":cancel:" in m.key]
    assert len(cancels) == 2
    assert all(str(_ics(m)["METHOD"]) == "CANCEL" for m in cancels)
    with pytest.raises(Conflict):
        services.cancel_visit(visit, actor=people["ledning"], now=T0)


def test_rules_for_planning(db, people):
    company = make_company()
    with pytest.raises(PermissionDenied):
        services.create_visit(visit_input(company, ledning=[people["ledning"]]), actor=people["chef"])
    with pytest.raises(ValidationError) as exc:
        services.create_visit(visit_input(company, office=[people["lots"]]), actor=people["lots"])
    assert exc.value.field == "ledning_ids"
    with pytest.raises(ValidationError) as exc:
        services.create_visit(visit_input(company, ledning=[people["lots"]]), actor=people["lots"])
    assert exc.value.field == "ledning_ids"
    with pytest.raises(ValidationError) as exc:
        services.create_visit(
            visit_input(company, ledning=[people["ledning"]], office=[people["ledning"]]),
            actor=people["lots"],
        )
    with pytest.raises(ValidationError) as exc:
        services.create_visit(
            visit_input(company, ledning=[people["ledning"]], ends_at=VISIT_AT, starts_at=VISIT_AT),
            actor=people["lots"],
        )
    assert exc.value.field == "ends_time"
    other = make_company()
    stranger = make_contact_person(other, "Olle Annan")
    with pytest.raises(ValidationError) as exc:
        services.create_visit(
            visit_input(company, ledning=[people["ledning"]], host_contact_person_id=stranger.id),
            actor=people["lots"],
        )
    assert exc.value.field == "host_contact_person_id"


def test_a_stale_edit_is_refused(db, people):
    company = make_company()
    visit = make_visit(company, people["lots"], ledning=[people["ledning"]], starts_at=VISIT_AT, now=T0)
    with pytest.raises(StaleEdit):
        services.update_visit(
            visit,
            visit_input(company, ledning=[people["ledning"]]),
            actor=people["lots"],
            expected_version=visit.version - 1,
        )


def test_recording_makes_a_contact_and_a_follow_up_per_promise(db, people):
    """Kommunledning records its own visit: a contact of kind besök and follow-ups for the
    promises, although ledning cannot log contacts or follow-ups anywhere else."""
    company = make_company("Kupolen Handel AB")
    host = make_contact_person(company, "Åsa Ägare")
    visit = make_visit(
        company,
        people["ledning"],
        ledning=[people["ledning"]],
        office=[people["lots"]],
        starts_at=VISIT_AT,
        host_contact_person_id=host.id,
        now=T0,
    )
    after = VISIT_AT + timedelta(hours=3)
    record_visit(
        visit,
        people["ledning"],
        now=after,
        focus_area_id=focus_areas()[3].id,
        other_focus_area_ids=(focus_areas()[0].id,),
        promises=[
            promise_input("Vi återkommer om detaljplanen", people["lots"], date(2026, 3, 31)),
            promise_input("Bjuda in till nätverksträff om kompetens", people["ledning"], date(2026, 4, 15)),
        ],
    )
    assert visit.status == DONE
    assert visit.recorded_by_id == people["ledning"].id
    contact = db.session.get(Interaction, visit.interaction_id)
    assert contact.kind == InteractionKind.VISIT
    assert contact.author_id == people["ledning"].id
    assert contact.occurred_at == VISIT_AT
    assert contact.focus_area_id == focus_areas()[3].id
    assert contact.notes == "Bra samtal om kompetensförsörjning."
    followups = db.session.scalars(
        sa.select(FollowUp).where(FollowUp.visit_id == visit.id).order_by(FollowUp.due_on)
    ).all()
    assert [
        (f.title, f.assignee_id, f.due_on, f.source, f.company_id, f.interaction_id) for f in followups
    ] == [
        (
            "Vi återkommer om detaljplanen",
            people["lots"].id,
            date(2026, 3, 31),
            "visit",
            company.id,
            contact.id,
        ),
        (
            "Bjuda in till nätverksträff om kompetens",
            people["ledning"].id,
            date(2026, 4, 15),
            "visit",
            company.id,
            contact.id,
        ),
    ]
    assert all(f.created_by_id == people["ledning"].id for f in followups)
    db.session.refresh(company)
    assert company.last_contact_at == VISIT_AT
    with pytest.raises(Conflict):
        record_visit(visit, people["ledning"], now=after)


def test_recording_checks_promises_and_time(db, people):
    company = make_company()
    visit = make_visit(company, people["lots"], ledning=[people["ledning"]], starts_at=VISIT_AT, now=T0)
    with pytest.raises(ValidationError, match="inte börjat"):
        record_visit(visit, people["lots"], now=T0)
    after = VISIT_AT + timedelta(hours=2)
    with pytest.raises(ValidationError, match="Löfte 1: välj vem"):
        record_visit(
            visit,
            people["lots"],
            now=after,
            promises=[services.PromiseInput("Ringa", None, date(2026, 4, 1))],
        )
    with pytest.raises(ValidationError, match="Löfte 1: datumet"):
        record_visit(
            visit,
            people["lots"],
            now=after,
            promises=[promise_input("Ringa", people["lots"], date(2026, 3, 1))],
        )
    with pytest.raises(PermissionDenied):
        record_visit(visit, people["chef"], now=after)
    assert db.session.get(CompanyVisit, visit.id).status == PLANNED


def test_merge_moves_visits(db, people):
    source, target = make_company(), make_company()
    visit = make_visit(source, people["lots"], ledning=[people["ledning"]], starts_at=VISIT_AT, now=T0)
    assert services.move_visits_on_merge(source, target, people["lots"]) == 1
    assert db.session.get(CompanyVisit, visit.id).company_id == target.id


def test_question_bank_and_target(db, users):
    admin = users["admin"]
    question = question_bank.create_question(
        question_bank.QuestionInput("Hur ser ert behov av lokaler ut?", focus_areas()[3].id), actor=admin
    )
    assert question.position > 1  # the migration seeded questions for that focus area
    with pytest.raises(PermissionDenied):
        question_bank.create_question(question_bank.QuestionInput("X"), actor=users["lots"])
    with pytest.raises(ValidationError):
        question_bank.create_question(question_bank.QuestionInput("  "), actor=admin)
    target = services.set_target(2026, 40, actor=admin)
    assert services.set_target(2026, 45, actor=admin) is target
    assert target.target_count == 45
