"""Contact cadence of key companies: one "Dags att höra av sig" item when the cadence has
passed since the last contact; a new contact restarts the clock; nothing piles up."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.audit.models import AuditEvent
from app.followups.cadence import ensure_cadence_items
from app.followups.jobs import cadence_check
from app.followups.models import DONE, OPEN, FollowUp
from app.followups.services import (
    CADENCE_TITLE,
    add_months,
    cancel_followup,
    complete_followup,
    on_contact_logged,
)
from tests.builders.companies import make_company, make_key_company
from tests.builders.followups import make_followup

CREATED = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)


def noon(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 11, 0, tzinfo=UTC)


def cadence_items(db, company_id: int) -> list[FollowUp]:
    return list(
        db.session.scalars(
            sa.select(FollowUp)
            .where(FollowUp.company_id == company_id, FollowUp.source == "cadence")
            .order_by(FollowUp.id)
        )
    )


def test_item_appears_when_the_cadence_has_passed_and_never_piles_up(db, users):
    company = make_key_company(
        3, created_at=CREATED, last_contact_at=noon(2026, 1, 10), responsible_user_id=users["lots"].id
    )
    db.session.commit()

    assert ensure_cadence_items(now=noon(2026, 4, 9)) == 0
    assert ensure_cadence_items(now=noon(2026, 4, 10)) == 1
    for day in (11, 12, 20):
        assert ensure_cadence_items(now=noon(2026, 4, day)) == 0
    [item] = cadence_items(db, company.id)
    assert (item.title, item.status, item.due_on, item.assignee_id) == (
        CADENCE_TITLE,
        OPEN,
        date(2026, 4, 10),
        users["lots"].id,
    )
    assert "Senaste kontakt: 2026-01-10" in item.note
    db.session.refresh(company)
    assert company.next_followup_on == date(2026, 4, 10)
    assert (
        db.session.scalar(
            sa.select(AuditEvent).where(
                AuditEvent.entity_type == "followups", AuditEvent.entity_id == item.id
            )
        )
        is not None
    )


def test_a_new_contact_closes_the_item_and_restarts_the_clock(db, users):
    company = make_key_company(
        3, created_at=CREATED, last_contact_at=noon(2026, 1, 10), responsible_user_id=users["lots"].id
    )
    ensure_cadence_items(now=noon(2026, 4, 10))
    db.session.commit()

    closed = on_contact_logged(company, noon(2026, 4, 14), users["lots"])
    db.session.commit()
    assert closed is not None
    assert (closed.status, closed.done_on, closed.done_note) == (
        DONE,
        date(2026, 4, 14),
        "Kontakt loggad 2026-04-14.",
    )
    db.session.refresh(company)
    assert company.last_contact_at == noon(2026, 4, 14)
    assert company.next_followup_on is None

    assert ensure_cadence_items(now=noon(2026, 7, 13)) == 0
    assert ensure_cadence_items(now=noon(2026, 7, 14)) == 1
    items = cadence_items(db, company.id)
    assert [(i.status, i.due_on) for i in items] == [(DONE, date(2026, 4, 10)), (OPEN, date(2026, 7, 14))]


def test_a_contact_before_the_cadence_runs_out_postpones_it(db, users):
    company = make_key_company(
        2, created_at=CREATED, last_contact_at=noon(2026, 1, 10), responsible_user_id=users["lots"].id
    )
    db.session.commit()
    assert on_contact_logged(company, noon(2026, 2, 20), users["lots"]) is None  # nothing open yet
    assert ensure_cadence_items(now=noon(2026, 3, 10)) == 0  # old clock would have fired
    assert ensure_cadence_items(now=noon(2026, 4, 20)) == 1


def test_an_older_contact_logged_late_does_not_move_the_clock_back(db, users):
    company = make_key_company(3, created_at=CREATED, last_contact_at=noon(2026, 3, 1))
    db.session.commit()
    on_contact_logged(company, noon(2026, 2, 1), users["lots"])
    db.session.refresh(company)
    assert company.last_contact_at == noon(2026, 3, 1)


def test_never_contacted_counts_from_when_the_company_was_added(db, users):
    company = make_key_company(6, created_at=CREATED, responsible_user_id=users["lots"].id)
    db.session.commit()
    assert ensure_cadence_items(now=noon(2025, 11, 30)) == 0
    assert ensure_cadence_items(now=noon(2025, 12, 1)) == 1
    assert "Senaste kontakt: ingen loggad" in cadence_items(db, company.id)[0].note


def test_ticking_the_item_off_without_a_contact_also_restarts_the_clock(db, users):
    company = make_key_company(
        1, created_at=CREATED, last_contact_at=noon(2026, 1, 10), responsible_user_id=users["lots"].id
    )
    ensure_cadence_items(now=noon(2026, 2, 10))
    [item] = cadence_items(db, company.id)
    complete_followup(item, actor=users["lots"], now=noon(2026, 2, 12))
    db.session.commit()
    assert ensure_cadence_items(now=noon(2026, 2, 13)) == 0
    assert ensure_cadence_items(now=noon(2026, 3, 12)) == 1
    [_, second] = cadence_items(db, company.id)
    cancel_followup(second, actor=users["lots"], now=noon(2026, 3, 13))
    assert ensure_cadence_items(now=noon(2026, 3, 14)) == 0


def test_only_live_key_companies_with_a_cadence(db, users):
    make_company(is_key_company=False, contact_cadence_months=1, created_at=CREATED)
    make_key_company(0, created_at=CREATED)
    make_company(is_key_company=True, contact_cadence_months=None, created_at=CREATED)
    make_key_company(1, created_at=CREATED, deleted_at=CREATED)
    db.session.commit()
    assert ensure_cadence_items(now=noon(2026, 6, 1)) == 0


def test_without_a_responsible_user_the_first_lots_user_gets_it(db, users):
    company = make_key_company(1, created_at=CREATED)
    db.session.commit()
    assert ensure_cadence_items(now=noon(2026, 1, 1)) == 1
    assert cadence_items(db, company.id)[0].assignee_id == users["lots"].id


def test_the_database_refuses_a_second_open_cadence_item(db, users):
    company = make_key_company(1, created_at=CREATED)
    make_followup(users["lots"], date(2026, 1, 1), company_id=company.id, source="cadence")
    make_followup(users["lots"], date(2026, 1, 1), company_id=company.id, source="manual")  # fine
    db.session.commit()
    with pytest.raises(IntegrityError):
        make_followup(users["lots"], date(2026, 1, 2), company_id=company.id, source="cadence")
    db.session.rollback()


def test_cadence_check_job_commits_nothing_itself(db, users):
    company = make_key_company(1, created_at=CREATED)
    db.session.commit()
    assert cadence_check(now=noon(2026, 1, 1)) == 1
    db.session.rollback()
    assert cadence_items(db, company.id) == []


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_the_cadence_falls_due_on_a_working_day(db, users):
    # Three months after 2026-03-24 is 2026-06-24, a Wednesday; after 2026-03-19 it would be
    # midsommarafton 2026-06-19, so the item waits for Monday 22 June.
    company = make_key_company(
        3, created_at=CREATED, last_contact_at=noon(2026, 3, 19), responsible_user_id=users["lots"].id
    )
    db.session.commit()
    assert ensure_cadence_items(now=noon(2026, 6, 19)) == 0
    assert ensure_cadence_items(now=noon(2026, 6, 21)) == 0
    assert ensure_cadence_items(now=noon(2026, 6, 22)) == 1
    [item] = cadence_items(db, company.id)
    assert item.due_on == date(2026, 6, 22)
