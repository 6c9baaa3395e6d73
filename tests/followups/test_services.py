"""Follow-up services: create, done, snooze, cancel, reassign; audit; Company.next_followup_on."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.core.errors import Conflict, PermissionDenied, StaleEdit, ValidationError
from app.followups import queries
from app.followups.models import CANCELLED, DONE, OPEN
from app.followups.services import (
    FollowUpInput,
    cancel_followup,
    complete_followup,
    create_followup,
    follow_up_later,
    reassign_followup,
    snooze_days,
    snooze_followup,
    update_followup,
)
from tests.builders.companies import make_company
from tests.builders.followups import make_followup
from tests.builders.users import make_user

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # a Wednesday


def audit_actions(db, followup_id: int) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.entity_type == "followups", AuditEvent.entity_id == followup_id)
            .order_by(AuditEvent.id)
        )
    )


def test_create_defaults_to_the_actor_and_keeps_next_followup_on(db, users):
    company = make_company()
    lots = users["lots"]
    first = create_followup(
        FollowUpInput("Ring vd:n", date(2026, 3, 20), company_id=company.id), actor=lots, now=NOW
    )
    assert (first.assignee_id, first.status, first.source, first.created_by_id) == (
        lots.id,
        OPEN,
        "manual",
        lots.id,
    )
    assert company.next_followup_on == date(2026, 3, 20)
    create_followup(
        FollowUpInput("Skicka underlag", date(2026, 3, 10), company_id=company.id), actor=lots, now=NOW
    )
    assert company.next_followup_on == date(2026, 3, 10)
    db.session.commit()
    assert audit_actions(db, first.id) == ["create"]
    assert company.version == 1  # the denormalised column does not bump the company's version


def test_free_standing_follow_up_and_a_colleague_as_assignee(db, users):
    colleague = make_user("lots")
    f = create_followup(
        FollowUpInput(
            "Förbered nätverksträff", date(2026, 3, 5), due_time=time(13, 0), assignee_id=colleague.id
        ),
        actor=users["lots"],
    )
    assert f.company_id is None
    assert f.assignee_id == colleague.id
    assert f.due_time == time(13, 0)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (FollowUpInput("  ", date(2026, 3, 5)), "title"),
        (FollowUpInput("x", None), "due_on"),
        (FollowUpInput("x", date(2026, 3, 5), company_id=999_999), "company_id"),
        (FollowUpInput("x", date(2026, 3, 5), source="cadence"), "source"),
    ],
)
def test_validation(db, users, data, field):
    with pytest.raises(ValidationError) as exc:
        create_followup(data, actor=users["lots"])
    assert exc.value.field == field


def test_assignee_must_be_an_active_user_who_can_have_follow_ups(db, users):
    with pytest.raises(ValidationError):
        create_followup(
            FollowUpInput("x", date(2026, 3, 5), assignee_id=users["admin"].id), actor=users["lots"]
        )
    gone = make_user("lots", is_active=False)
    with pytest.raises(ValidationError):
        create_followup(FollowUpInput("x", date(2026, 3, 5), assignee_id=gone.id), actor=users["lots"])


@pytest.mark.parametrize("role", ["chef", "ledning", "admin"])
def test_only_lots_may_change_follow_ups(db, users, role):
    with pytest.raises(PermissionDenied):
        create_followup(FollowUpInput("x", date(2026, 3, 5)), actor=users[role])


def test_complete_with_note_then_it_cannot_be_completed_again(db, users):
    company = make_company()
    f = make_followup(users["lots"], date(2026, 3, 4), company_id=company.id)
    complete_followup(f, actor=users["lots"], note="Klart, de återkommer.", now=NOW)
    assert (f.status, f.done_on, f.done_note, f.closed_by_id) == (
        DONE,
        date(2026, 3, 4),
        "Klart, de återkommer.",
        users["lots"].id,
    )
    assert company.next_followup_on is None
    with pytest.raises(Conflict):
        complete_followup(f, actor=users["lots"])
    assert audit_actions(db, f.id) == ["update"]


def test_snooze_moves_the_date_and_the_history_is_in_the_audit_trail(db, users):
    company = make_company()
    f = make_followup(users["lots"], date(2026, 3, 4), company_id=company.id)
    snooze_followup(f, date(2026, 3, 11), actor=users["lots"], now=NOW)
    snooze_followup(f, date(2026, 3, 18), actor=users["lots"], now=NOW)
    assert (f.due_on, f.snooze_count, company.next_followup_on) == (date(2026, 3, 18), 2, date(2026, 3, 18))
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.entity_id == f.id, AuditEvent.entity_type == "followups")
    ).all()
    assert [e.changes["due_on"] for e in events] == [
        ["2026-03-04", "2026-03-11"],
        ["2026-03-11", "2026-03-18"],
    ]
    with pytest.raises(ValidationError):
        snooze_followup(f, date(2026, 3, 4), actor=users["lots"], now=NOW)


def test_cancel_and_stale_edit(db, users):
    f = make_followup(users["lots"], date(2026, 3, 4))
    with pytest.raises(StaleEdit):
        cancel_followup(f, actor=users["lots"], expected_version=f.version + 1)
    cancel_followup(f, actor=users["lots"], expected_version=f.version)
    assert f.status == CANCELLED
    assert f.done_on is None


def test_reassign_and_update_move_next_followup_on_between_companies(db, users):
    a, b = make_company(), make_company()
    other = make_user("chef")
    f = create_followup(FollowUpInput("x", date(2026, 3, 9), company_id=a.id), actor=users["lots"])
    reassign_followup(f, other.id, actor=users["lots"])
    assert f.assignee_id == other.id
    update_followup(
        f, FollowUpInput("y", date(2026, 3, 12), company_id=b.id, assignee_id=other.id), actor=users["lots"]
    )
    assert (a.next_followup_on, b.next_followup_on) == (None, date(2026, 3, 12))


def test_follow_up_later_lands_on_a_working_day(db, users):
    company = make_company()
    f = follow_up_later(company.id, actor=users["lots"], interaction_id=42, now=NOW)
    assert (f.due_on, f.source, f.interaction_id, f.title) == (date(2026, 3, 18), "contact", 42, "Följ upp")
    saturday = datetime(2026, 3, 7, 10, 0, tzinfo=UTC)
    assert follow_up_later(company.id, actor=users["lots"], weeks=1, now=saturday).due_on == date(2026, 3, 16)
    # Two weeks from Friday 5 June is midsommarafton 19 June: the Monday after.
    assert follow_up_later(
        company.id, actor=users["lots"], now=datetime(2026, 6, 5, 10, tzinfo=UTC)
    ).due_on == date(2026, 6, 22)


def test_snooze_choices_land_on_working_days(db, users):
    thursday = datetime(2026, 4, 2, 10, 0, tzinfo=UTC)  # before långfredagen
    assert snooze_days(1, now=thursday) == date(2026, 4, 7)  # "Nästa arbetsdag": past påsk
    assert snooze_days(7, now=datetime(2026, 3, 27, 10, tzinfo=UTC)) == date(
        2026, 4, 7
    )  # "En vecka": långfredagen → tisdag
    assert snooze_days(7, now=datetime(2026, 3, 26, 10, tzinfo=UTC)) == date(
        2026, 4, 2
    )  # skärtorsdagen is a working day
    assert snooze_days(1, now=datetime(2026, 12, 23, 10, tzinfo=UTC)) == date(
        2026, 12, 28
    )  # julafton, juldagen, weekend
    assert snooze_days(1, now=datetime(2026, 12, 30, 10, tzinfo=UTC)) == date(
        2027, 1, 4
    )  # nyårsafton, nyårsdagen, weekend


def test_snooze_skips_the_kommuns_closed_days(db, users):
    from app.catalogues.services import add_closed_day

    add_closed_day(date(2026, 5, 15), "Klämdag", actor=users["admin"])
    wednesday = datetime(2026, 5, 13, 10, 0, tzinfo=UTC)  # the day before Kristi himmelsfärdsdag
    assert snooze_days(1, now=wednesday) == date(2026, 5, 18)
    assert follow_up_later(
        make_company().id, actor=users["lots"], weeks=1, now=datetime(2026, 5, 8, 10, tzinfo=UTC)
    ).due_on == date(2026, 5, 18)


def test_todo_groups_and_nav_count(db, users):
    lots = users["lots"]
    today = date(2026, 3, 4)
    make_followup(lots, date(2026, 3, 2), title="sen")
    make_followup(lots, today, title="idag")
    make_followup(lots, date(2026, 3, 8), title="söndag")
    make_followup(lots, date(2026, 3, 9), title="nästa vecka")
    make_followup(lots, date(2026, 3, 1), title="klar", status=DONE)
    make_followup(users["chef"], today, title="chefens")
    todo = queries.todo_for(lots, today)
    assert [[f.title for f in group] for group in (todo.overdue, todo.today, todo.week)] == [
        ["sen"],
        ["idag"],
        ["söndag"],
    ]
    assert queries.count_due(lots, today) == 2
    assert queries.count_due(users["chef"], today) == 1
