"""The daily digest: content and links, nothing when nothing is due, exactly once, 07:00
Stockholm time on working days (also across the daylight-saving switches), never on Swedish
holidays, the three aftnar or days the kommun closed, catch-up."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.core.calendar import is_vardag
from app.core.time import local_datetime
from app.extensions import db as _db
from app.followups.jobs import daily_digest, digest_time_reached, queue_daily_digests
from app.followups.models import DONE
from app.mail.delivery import deliver_outbox
from app.mail.models import OutboxMessage
from tests.builders.companies import make_company
from tests.builders.followups import make_followup
from tests.builders.users import make_user

MONDAY = date(2026, 3, 2)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    """A Stockholm wall-clock time as aware UTC."""
    return local_datetime(day, time(hh, mm))


def _world(users):
    lots = users["lots"]
    company = make_company(name="Kupolens Bageri AB")
    overdue1 = make_followup(lots, MONDAY - timedelta(days=3), title="Skicka offert", company_id=company.id)
    overdue2 = make_followup(lots, MONDAY - timedelta(days=1), title="Boka lotsmöte")
    today = make_followup(
        lots, MONDAY, title="Ring om bygglovet", due_time=time(9, 30), company_id=company.id
    )
    make_followup(lots, MONDAY + timedelta(days=1), title="Imorgon-saken")
    make_followup(lots, MONDAY - timedelta(days=5), title="Redan klar", status=DONE)
    make_followup(users["chef"], MONDAY + timedelta(days=2), title="Chefens framtida")
    return company, overdue1, overdue2, today


def test_digest_lists_overdue_and_today_with_links(app, db, users, smtp_server):
    company, overdue1, overdue2, today = _world(users)
    db.session.commit()

    assert daily_digest(now=at(MONDAY, 7, 5)) == 1  # only the lots user has something due
    db.session.commit()
    assert deliver_outbox(now=at(MONDAY, 7, 6)) == 1

    [mail] = smtp_server.messages
    assert mail["To"] == users["lots"].email
    assert mail["Subject"] == "Lotsbok: 3 uppföljningar att göra 2026-03-02 (2 försenade)"
    text = mail.get_body(("plain",)).get_content()
    assert "FÖRSENADE (2)" in text
    assert "IDAG (1)" in text
    assert "2026-02-27: Skicka offert – Kupolens Bageri AB" in text
    assert "09:30: Ring om bygglovet – Kupolens Bageri AB" in text
    assert f"http://lotsbok.test/uppfoljningar?assignee=me#uppfoljning-{overdue2.id}" in text
    assert "http://lotsbok.test/mina-installningar" in text
    for absent in ("Imorgon-saken", "Redan klar", "Chefens framtida"):
        assert absent not in text
    assert text.index("Skicka offert") < text.index("Boka lotsmöte") < text.index("Ring om bygglovet")

    html = mail.get_body(("html",)).get_content()
    assert "<table" in html
    assert "<script" not in html
    assert "<img" not in html
    assert "class=" not in html
    assert f'href="http://lotsbok.test/uppfoljningar?assignee=me#uppfoljning-{today.id}"' in html
    assert f'href="http://lotsbok.test/foretag/{company.id}"' in html
    assert "Kupolens Bageri AB" in html
    assert "Imorgon-saken" not in html


def test_no_mail_when_nothing_is_due(app, db, users, smtp_server, outbox):
    make_followup(users["lots"], MONDAY + timedelta(days=1))
    make_followup(users["lots"], MONDAY - timedelta(days=1), status=DONE)
    db.session.commit()
    assert daily_digest(now=at(MONDAY, 7, 0)) == 0
    db.session.commit()
    assert deliver_outbox(now=at(MONDAY, 7, 1)) == 0
    assert outbox() == []
    assert smtp_server.messages == []


def test_users_who_switched_it_off_or_are_inactive_get_nothing(app, db, users, outbox):
    off = make_user("lots", digest_enabled=False)
    gone = make_user("lots", is_active=False)
    for user in (off, gone, users["lots"]):
        make_followup(user, MONDAY)
    db.session.commit()
    assert daily_digest(now=at(MONDAY, 8)) == 1
    db.session.commit()
    assert [m.to_addr for m in outbox()] == [users["lots"].email]


def test_double_run_sends_exactly_once(app, db, users, smtp_server, outbox, runner):
    _world(users)
    db.session.commit()
    assert daily_digest(now=at(MONDAY, 7, 0)) == 1
    db.session.commit()
    assert daily_digest(now=at(MONDAY, 7, 10)) == 0
    db.session.commit()
    # The manual command for the same day adds nothing either (same key digest:{user}:{day}).
    result = runner.invoke(args=["reminders", "send", "--date", MONDAY.isoformat()])
    assert result.exit_code == 0
    assert "Köade 0" in result.output
    assert [m.key for m in outbox()] == [f"digest:{users['lots'].id}:2026-03-02"]
    deliver_outbox(now=at(MONDAY, 7, 11))
    deliver_outbox(now=at(MONDAY, 7, 12))
    assert len(smtp_server.messages) == 1


def test_two_concurrent_digest_runs_queue_one_mail_per_user(app, db, users, outbox):
    _world(users)
    make_followup(users["chef"], MONDAY, title="Chefens idag")
    db.session.commit()
    results, errors = [], []
    barrier = threading.Barrier(2)

    def run():
        try:
            with app.app_context():
                barrier.wait()
                results.append(daily_digest(now=at(MONDAY, 7, 0)))
                _db.session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(results) == [0, 2]
    assert sorted(m.to_addr for m in outbox()) == sorted([users["lots"].email, users["chef"].email])


def test_reminders_send_queues_a_given_day(app, db, users, runner, outbox):
    make_followup(users["lots"], date(2026, 3, 3))
    db.session.commit()
    result = runner.invoke(args=["reminders", "send", "--date", "2026-03-03"])
    assert result.exit_code == 0, result.output
    assert "Köade 1 sammanfattningar för 2026-03-03" in result.output
    assert [m.key for m in outbox()] == [f"digest:{users['lots'].id}:2026-03-03"]
    assert runner.invoke(args=["reminders", "send", "--date", "3 mars"]).exit_code != 0


def test_not_before_seven_and_not_at_weekends_but_catches_up_later_the_same_day(app, db, users, outbox):
    make_followup(users["lots"], date(2026, 3, 6))  # a Friday
    make_followup(users["lots"], date(2026, 3, 7))  # a Saturday
    db.session.commit()
    assert daily_digest(now=at(date(2026, 3, 6), 6, 59)) == 0
    # The scheduler was down from 06:50 to 13:00: the first tick after it starts catches up.
    assert daily_digest(now=at(date(2026, 3, 6), 13, 0)) == 1
    assert daily_digest(now=at(date(2026, 3, 7), 9, 0)) == 0  # Saturday
    assert daily_digest(now=at(date(2026, 3, 8), 9, 0)) == 0  # Sunday
    db.session.commit()
    assert len(outbox()) == 1


def test_seven_o_clock_follows_stockholm_time_across_daylight_saving_switches(app, db, users, outbox):
    # Spring forward on Sunday 2026-03-29: 07:00 is 06:00 UTC before, 05:00 UTC after.
    assert not digest_time_reached(datetime(2026, 3, 29, 4, 59, tzinfo=UTC))
    assert digest_time_reached(datetime(2026, 3, 29, 5, 0, tzinfo=UTC))
    # Fall back on Sunday 2026-10-25: 07:00 is 05:00 UTC before, 06:00 UTC after.
    assert not digest_time_reached(datetime(2026, 10, 25, 5, 59, tzinfo=UTC))
    assert digest_time_reached(datetime(2026, 10, 25, 6, 0, tzinfo=UTC))

    # The switch days are Sundays: nothing is sent on them, even with something due.
    make_followup(users["lots"], date(2026, 3, 20))  # overdue on every day below
    make_followup(users["lots"], date(2026, 3, 29))
    make_followup(users["lots"], date(2026, 10, 25))
    db.session.commit()
    assert daily_digest(now=datetime(2026, 3, 29, 9, 0, tzinfo=UTC)) == 0
    assert daily_digest(now=datetime(2026, 10, 25, 9, 0, tzinfo=UTC)) == 0

    # The working days around them: 07:00 local on the right side of the switch.
    assert daily_digest(now=datetime(2026, 3, 27, 5, 59, tzinfo=UTC)) == 0  # Fri 06:59 CET
    assert daily_digest(now=datetime(2026, 3, 27, 6, 0, tzinfo=UTC)) == 1  # Fri 07:00 CET
    assert daily_digest(now=datetime(2026, 3, 30, 4, 59, tzinfo=UTC)) == 0  # Mon 06:59 CEST
    assert daily_digest(now=datetime(2026, 3, 30, 5, 0, tzinfo=UTC)) == 1  # Mon 07:00 CEST
    assert daily_digest(now=datetime(2026, 10, 26, 5, 59, tzinfo=UTC)) == 0  # Mon 06:59 CET
    assert daily_digest(now=datetime(2026, 10, 26, 6, 0, tzinfo=UTC)) == 1  # Mon 07:00 CET
    db.session.commit()
    assert [m.key.rsplit(":", 1)[1] for m in outbox()] == ["2026-03-27", "2026-03-30", "2026-10-26"]


def test_the_job_reads_the_clock_when_no_time_is_given(app, db, users, outbox):
    make_followup(users["lots"], date(2026, 3, 30))
    db.session.commit()
    with time_machine.travel(datetime(2026, 3, 30, 4, 59, 30, tzinfo=UTC), tick=False):
        assert daily_digest() == 0
    with time_machine.travel(datetime(2026, 3, 30, 5, 0, 30, tzinfo=UTC), tick=False):
        assert daily_digest() == 1
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1


def test_queue_daily_digests_is_idempotent_by_itself(app, db, users, outbox):
    make_followup(users["lots"], MONDAY)
    assert queue_daily_digests(MONDAY) == 1
    assert queue_daily_digests(MONDAY) == 0
    db.session.commit()
    assert len(outbox()) == 1


def test_no_digest_on_a_holiday_and_the_next_working_day_catches_up(app, db, users, smtp_server, outbox):
    # Långfredagen 2026-04-03 to annandag påsk: the digest waits until Tuesday 7 April, and
    # the follow-up due on the holiday is then overdue.
    make_followup(users["lots"], date(2026, 4, 3), title="Ring om markanvisningen")
    db.session.commit()
    for day in (date(2026, 4, 3), date(2026, 4, 4), date(2026, 4, 5), date(2026, 4, 6)):
        with time_machine.travel(at(day, 7, 5), tick=False):
            assert daily_digest() == 0
            db.session.commit()
            assert deliver_outbox() == 0
    assert smtp_server.messages == []
    with time_machine.travel(at(date(2026, 4, 7), 7, 5), tick=False):
        assert daily_digest() == 1
        db.session.commit()
        assert deliver_outbox() == 1
    [mail] = smtp_server.messages
    assert mail["Subject"] == "Lotsbok: 1 uppföljning att göra 2026-04-07 (1 försenad)"
    assert "2026-04-03: Ring om markanvisningen" in mail.get_body(("plain",)).get_content()


@pytest.mark.parametrize(
    "holiday",
    [
        date(2026, 1, 1),  # nyårsdagen
        date(2026, 1, 6),  # trettondedag jul
        date(2026, 4, 6),  # annandag påsk
        date(2026, 5, 1),  # första maj
        date(2026, 5, 14),  # Kristi himmelsfärdsdag
        date(2026, 6, 19),  # midsommarafton
        date(2026, 12, 24),  # julafton
        date(2026, 12, 25),  # juldagen
        date(2026, 12, 31),  # nyårsafton
    ],
)
def test_no_digest_on_holidays_and_aftnar(app, db, users, outbox, holiday):
    make_followup(users["lots"], holiday)
    db.session.commit()
    assert daily_digest(now=at(holiday, 9)) == 0
    assert daily_digest(now=at(holiday + timedelta(days=40), 9)) == (
        1 if is_vardag(holiday + timedelta(days=40)) else 0
    )


def test_no_digest_on_a_day_the_kommun_closed(app, db, users, outbox):
    from app.catalogues.services import add_closed_day

    klamdag = date(2026, 5, 15)  # the Friday after Kristi himmelsfärdsdag
    add_closed_day(klamdag, "Klämdag", actor=users["admin"])
    make_followup(users["lots"], klamdag)
    db.session.commit()
    assert daily_digest(now=at(klamdag, 9)) == 0
    assert daily_digest(now=at(date(2026, 5, 18), 9)) == 1
    db.session.commit()
    assert [m.key.rsplit(":", 1)[1] for m in outbox()] == ["2026-05-18"]
