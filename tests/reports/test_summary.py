"""The monthly summary: recipients, content per focus area through a real SMTP server,
exactly once per user and month, the 07:00-on-the-1st catch-up job and the CLI."""

from __future__ import annotations

import re
import threading
from datetime import date

import sqlalchemy as sa

from app.core.permissions import Role
from app.extensions import db as _db
from app.mail.delivery import deliver_outbox
from app.mail.models import OutboxMessage
from app.reports import jobs
from app.reports.periods import month_period
from app.reports.summary import due_period, queue_monthly_summaries, receives_monthly_summary, recipients
from tests.builders.strategy import focus_areas
from tests.builders.users import make_user
from tests.clock import utc

MARCH = month_period(date(2025, 3, 1))
# 1 April 2025 07:00 CEST = 05:00 UTC.
SEND_AT = utc(2025, 4, 1, 5, 0)


def summary_rows():
    _db.session.expire_all()
    return list(
        _db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.template == "monthly_summary"))
    )


def test_recipients_follow_role_default_and_choice(db, users):
    chef, lots, admin, ledning = users["chef"], users["lots"], users["admin"], users["ledning"]
    assert receives_monthly_summary(chef)
    assert not receives_monthly_summary(lots)
    lots.monthly_summary_enabled = True
    opted_out_chef = make_user(Role.CHEF, monthly_summary_enabled=False)
    ledning.monthly_summary_enabled = True  # no reports permission: never
    inactive = make_user(Role.CHEF, is_active=False)
    db.session.commit()
    got = {u.id for u in recipients()}
    assert got == {chef.id, lots.id}
    assert not receives_monthly_summary(opted_out_chef)
    assert not receives_monthly_summary(ledning)
    assert not receives_monthly_summary(inactive)
    assert not receives_monthly_summary(admin)


def test_mail_received_over_smtp_has_the_numbers_per_focus_area(app, db, dataset, smtp_server):
    assert queue_monthly_summaries(MARCH, now=SEND_AT) == 1  # the chef
    db.session.commit()
    assert deliver_outbox() == 1
    [mail] = smtp_server.messages
    assert mail["To"] == dataset.chef.email
    assert "mars 2025" in mail["Subject"]
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    # Per focus area: contacts (a year earlier), companies, new cases, closed cases, visits.
    assert f"- {dataset.fa1.name}: 3 (0), 2 företag, 2 nya, 1 avslutade, 1 besök" in text
    assert f"- {dataset.fa2.name}: 1 (1), 1 företag, 0 nya, 1 avslutade, 1 besök" in text
    assert "- Kontakter: 3 (1)" in text
    assert "NKI för lotsärenden: 80 (5 svar)" in text
    # Notable items; the restricted case's title is hidden from the chef.
    assert "Fabriken" in text
    assert "Lotsärende med begränsad åtkomst – öppna i Lotsbok" in text
    assert "Hemligt ärende" not in text
    assert "HEMLIG ANTECKNING" not in text + html
    assert "http://" in text or "https://" in text
    # HTML: one row per focus area with its number and a bar made of table cells with pixel
    # widths (Outlook-safe): the widest 300 px, the others in proportion.
    rows = re.findall(r'<tr class="focus-row">(.*?)</tr>\s*(?=<tr class="focus-row">|</table>)', html, re.S)
    assert len(rows) == len(focus_areas())
    first = next(r for r in rows if dataset.fa1.name in r)
    assert "<b>3</b>" in first
    assert 'width="300" height="12" bgcolor="#005a9c"' in first
    second = next(r for r in rows if dataset.fa2.name in r)
    assert "<b>1</b>" in second
    assert 'width="100" height="12" bgcolor="#005a9c"' in second
    assert "<script" not in html
    assert "<img" not in html


def test_exactly_once_per_user_and_month_under_a_double_run(app, db, users):
    users["lots"].monthly_summary_enabled = True
    db.session.commit()
    assert jobs.monthly_summary(SEND_AT) == 2
    db.session.commit()
    assert jobs.monthly_summary(SEND_AT) == 0  # double run
    db.session.commit()
    # A restart later that day and a second month.
    assert queue_monthly_summaries(MARCH, now=utc(2025, 4, 1, 9)) == 0
    assert jobs.monthly_summary(utc(2025, 5, 1, 5)) == 2  # April's
    db.session.commit()
    keys = sorted(m.key for m in summary_rows())
    assert keys == sorted(
        f"monthly-summary:{u.id}:{m}" for u in (users["chef"], users["lots"]) for m in ("2025-03", "2025-04")
    )


def test_two_schedulers_at_once_still_queue_one_each(app, db, users):
    """Two concurrent runs (e.g. two scheduler processes): the outbox key decides."""
    results: list[int] = []

    def run():
        with app.app_context():
            try:
                results.append(jobs.monthly_summary(SEND_AT))
                _db.session.commit()
            except Exception:  # the loser may hit the lock or the unique key: nothing queued twice
                _db.session.rollback()
                results.append(-1)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [m.key for m in summary_rows()] == [f"monthly-summary:{users['chef'].id}:2025-03"]


def test_job_waits_for_seven_on_the_first_and_catches_up(app, db, users):
    assert due_period(utc(2025, 4, 1, 4, 59)) is None  # 06:59 Stockholm
    assert jobs.monthly_summary(utc(2025, 4, 1, 4, 59)) == 0
    assert summary_rows() == []
    # The scheduler was down on the 1st: it catches up on the 3rd.
    assert due_period(utc(2025, 4, 3, 12)) == MARCH
    assert jobs.monthly_summary(utc(2025, 4, 3, 12)) == 1
    db.session.commit()
    # 1 January 07:00 (CET = 06:00 UTC): December of the year before.
    assert due_period(utc(2026, 1, 1, 6)) == month_period(date(2025, 12, 1))


def test_cli_preview_and_send(app, db, users, runner, outbox):
    result = runner.invoke(args=["reports", "send-monthly", "--month", "2025-03", "--preview"])
    assert result.exit_code == 0, result.output
    assert "Ämne: Lotsbok: månadssammanfattning för mars 2025" in result.output
    assert summary_rows() == []
    result = runner.invoke(args=["reports", "send-monthly", "--month", "2025-03"])
    assert result.exit_code == 0
    assert "1 brev köade" in result.output
    result = runner.invoke(args=["reports", "send-monthly", "--month", "2025-03"])
    assert "0 brev köade" in result.output
    assert len(summary_rows()) == 1
    bad = runner.invoke(args=["reports", "send-monthly", "--month", "mars"])
    assert bad.exit_code != 0


def test_preview_pages(db, dataset, login_as):
    client = login_as("chef")
    page = client.get("/rapporter/manadssammanfattning?month=2025-03")
    assert page.status_code == 200
    assert "Lotsbok: månadssammanfattning för mars 2025" in page.get_data(as_text=True)
    html = client.get("/rapporter/manadssammanfattning.html?month=2025-03")
    assert html.status_code == 200
    assert 'class="focus-row"' in html.get_data(as_text=True)
    assert summary_rows() == []  # previewing never queues
