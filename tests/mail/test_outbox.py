"""The outbox and its delivery through a real SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

import smtplib
import threading
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from app.core.errors import ValidationError
from app.mail import queue_mail
from app.mail.delivery import backoff, deliver_outbox
from app.mail.models import DEAD, FAILED, QUEUED, SENDING, SENT, OutboxMessage
from tests.mail.smtp import SMTPServer, configure_app, free_port

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def _queue(n: int = 1, prefix: str = "test") -> list[int]:
    ids = []
    for i in range(n):
        ids.append(
            queue_mail(
                f"mottagare{i}@kommun.example",
                "notice",
                f"{prefix}:{i}",
                subject=f"Hej nummer {i} – åäö",
                body=f"Brödtext {i}.\n\nAndra stycket.",
                link=None,
                now=T0,
            )
        )
    return ids


def test_queue_mail_is_idempotent_per_key(db, outbox):
    first = queue_mail("a@kommun.example", "notice", "k:1", subject="Ett", body="x", link=None)
    second = queue_mail("a@kommun.example", "notice", "k:1", subject="Två", body="y", link=None)
    db.session.commit()
    assert first is not None
    assert second is None
    rows = outbox()
    assert [(r.key, r.subject, r.status) for r in rows] == [("k:1", "Ett", QUEUED)]
    assert rows[0].body_html
    assert "<p>x</p>" in rows[0].body_html


def test_queued_mail_rolls_back_with_its_transaction(db, outbox):
    queue_mail("a@kommun.example", "notice", "k:rollback", subject="S", body="B", link=None)
    db.session.rollback()
    assert outbox() == []


def test_header_injection_in_the_address_is_refused(db):
    with pytest.raises(ValidationError):
        queue_mail(
            "a@kommun.example\r\nBcc: x@evil.example", "notice", "k:x", subject="S", body="B", link=None
        )


def test_without_smtp_host_mail_stays_queued_and_readable(app, db, outbox, admin_client):
    _queue(1)
    db.session.commit()
    assert app.config["SMTP_HOST"] == ""
    assert deliver_outbox() == 0
    [row] = outbox()
    assert row.status == QUEUED
    assert row.attempts == 0
    page = admin_client.get("/admin/utkorg/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Ingen e-postserver är inställd" in html
    assert row.subject in html
    detail = admin_client.get(f"/admin/utkorg/{row.id}").get_data(as_text=True)
    assert "Brödtext 0." in detail


def test_delivery_sends_once_with_message_id_text_and_html(db, outbox, smtp_server):
    [msg_id] = _queue(1)
    db.session.commit()
    assert deliver_outbox(now=T0) == 1
    assert deliver_outbox(now=T0 + timedelta(minutes=5)) == 0
    [received] = smtp_server.messages
    assert received["Message-ID"] == f"<outbox-{msg_id}@borlange.example>"
    assert received["Subject"] == "Hej nummer 0 – åäö"
    assert received["To"] == "mottagare0@kommun.example"
    assert received["Auto-Submitted"] == "auto-generated"
    assert received["Date"] == "Mon, 02 Mar 2026 06:00:00 +0000"  # when it was sent (T0)
    assert "Brödtext 0." in received.get_body(("plain",)).get_content()
    assert "<p>Andra stycket.</p>" in received.get_body(("html",)).get_content()
    [row] = outbox()
    assert (row.status, row.attempts, row.sent_at, row.last_error) == (SENT, 1, T0, None)


AUTH_WITHOUT_TLS = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@AUTH_WITHOUT_TLS
def test_delivery_logs_in_when_a_username_is_configured(app, db, outbox):
    server = SMTPServer(username="lotsbok", password="hemligt").start()  # noqa: S106
    try:
        configure_app(app, server)
        _queue(1)
        db.session.commit()
        assert deliver_outbox(now=T0) == 1
        assert server.sink.logins == ["lotsbok"]
        assert len(server.messages) == 1
    finally:
        server.stop()


@AUTH_WITHOUT_TLS
def test_wrong_password_keeps_mail_for_a_retry(app, db, outbox):
    server = SMTPServer(username="lotsbok", password="hemligt").start()  # noqa: S106
    try:
        configure_app(app, server)
        app.config.update(SMTP_PASSWORD="fel", SMTP_TIMEOUT=2)  # noqa: S106
        _queue(1)
        db.session.commit()
        assert deliver_outbox(now=T0) == 0
        [row] = outbox()
        # A refused login is the server's setup, not the message's fault: retried, not given up.
        assert row.status == FAILED
        assert row.last_error.startswith("Kunde inte ansluta")
        assert server.messages == []
    finally:
        server.stop()


def test_retry_after_the_server_was_down_then_back_delivers_once(app, db, outbox):
    port = free_port()
    server = SMTPServer(port)  # not started: nothing listens on the port
    configure_app(app, server)
    _queue(3)
    db.session.commit()

    assert deliver_outbox(now=T0) == 0
    rows = outbox()
    assert {r.status for r in rows} == {FAILED}
    assert all(r.attempts == 1 and r.next_attempt_at == T0 + backoff(1) for r in rows)
    assert all("Kunde inte ansluta" in r.last_error for r in rows)

    # Still down at the next tick that is due: a second failure, a longer wait.
    assert deliver_outbox(now=T0 + timedelta(minutes=1)) == 0  # not due yet: nothing tried
    assert all(r.attempts == 1 for r in outbox())
    assert deliver_outbox(now=T0 + timedelta(minutes=2)) == 0
    rows = outbox()
    assert all(r.attempts == 2 and r.next_attempt_at == T0 + timedelta(minutes=2) + backoff(2) for r in rows)

    server.start()
    try:
        assert deliver_outbox(now=T0 + timedelta(minutes=3)) == 0  # back, but not due yet
        assert deliver_outbox(now=T0 + timedelta(minutes=6)) == 3
        assert deliver_outbox(now=T0 + timedelta(minutes=20)) == 0
        assert sorted(m["To"] for m in server.messages) == [f"mottagare{i}@kommun.example" for i in range(3)]
        assert {(r.status, r.attempts) for r in outbox()} == {(SENT, 3)}
    finally:
        server.stop()


def test_temporary_reply_is_retried_and_permanent_reply_gives_up(db, outbox, smtp_server):
    ids = _queue(2)
    db.session.commit()
    smtp_server.sink.fail_next = ["451 4.3.0 Försök igen senare", "550 5.1.1 Okänd mottagare"]
    assert deliver_outbox(now=T0) == 0
    by_id = {r.id: r for r in outbox()}
    assert by_id[ids[0]].status == FAILED
    assert by_id[ids[0]].last_error.startswith("451")
    assert by_id[ids[1]].status == DEAD
    assert by_id[ids[1]].last_error.startswith("550")
    assert deliver_outbox(now=T0 + timedelta(hours=1)) == 1
    assert [m["Message-ID"] for m in smtp_server.messages] == [f"<outbox-{ids[0]}@borlange.example>"]
    assert outbox(DEAD)[0].id == ids[1]  # given up, never retried, still visible


@pytest.mark.parametrize("stage", ["RCPT", "DATA"])
@pytest.mark.parametrize(
    ("reply", "status"),
    [
        ("500 5.5.2 Syntax error", DEAD),  # every 5xx is final, from 500 on
        ("550 5.1.1 User unknown", DEAD),
        ("450 4.2.1 Mailbox busy", FAILED),  # 4xx: tried again later
        ("499 4.0.0 Try later", FAILED),
    ],
)
def test_a_refused_recipient_or_message_is_given_up_on_5xx_and_retried_on_4xx(
    db, outbox, smtp_server, stage, reply, status
):
    [msg_id] = _queue(1)
    db.session.commit()
    if stage == "RCPT":
        smtp_server.sink.refuse_rcpt["mottagare0@kommun.example"] = reply
    else:
        smtp_server.sink.fail_next = [reply]
    assert deliver_outbox(now=T0) == 0
    assert smtp_server.messages == []
    [row] = outbox()
    assert (row.id, row.status, row.attempts, row.last_error) == (msg_id, status, 1, reply)
    assert row.next_attempt_at == (T0 + backoff(1) if status == FAILED else T0)


def test_gives_up_after_max_attempts(db, outbox, app):
    from app.mail.delivery import MAX_ATTEMPTS

    configure_app(app, SMTPServer(free_port()))  # nothing listens
    _queue(1)
    db.session.commit()
    now = T0
    for _ in range(MAX_ATTEMPTS):
        deliver_outbox(now=now)
        now += timedelta(hours=7)
    [row] = outbox()
    assert (row.status, row.attempts) == (DEAD, MAX_ATTEMPTS)


def test_a_crashed_run_leaves_a_lease_that_expires(db, outbox, smtp_server):
    [msg_id] = _queue(1)
    db.session.commit()
    row = db.session.get(OutboxMessage, msg_id)
    row.status, row.locked_until, row.claim_token, row.attempts = (
        SENDING,
        T0 + timedelta(minutes=10),
        "crashed",
        1,
    )
    db.session.commit()
    assert deliver_outbox(now=T0 + timedelta(minutes=5)) == 0  # still leased by the crashed run
    assert deliver_outbox(now=T0 + timedelta(minutes=10)) == 0  # the lease's last instant is still its own
    assert deliver_outbox(now=T0 + timedelta(minutes=11)) == 1
    assert len(smtp_server.messages) == 1
    assert outbox()[0].attempts == 2


def test_a_run_takes_at_most_a_batch_the_longest_waiting_first(db, outbox, smtp_server):
    ids = _queue(3)
    db.session.commit()
    # The newest message has waited longest (its retry time is earliest): it goes first.
    db.session.get(OutboxMessage, ids[2]).next_attempt_at = T0 - timedelta(hours=1)
    db.session.commit()
    assert deliver_outbox(now=T0, batch_size=2) == 2
    assert [m["To"] for m in smtp_server.messages] == [
        "mottagare2@kommun.example",
        "mottagare0@kommun.example",
    ]
    assert [r.status for r in outbox()] == [SENT, QUEUED, SENT]
    assert deliver_outbox(now=T0, batch_size=2) == 1


def test_each_failure_is_logged_with_the_message_and_a_long_error_is_cut(
    db, outbox, smtp_server, monkeypatch, caplog
):
    import logging

    from app.mail import delivery

    ids = _queue(2)
    db.session.commit()
    smtp_server.sink.fail_next = ["451 4.3.0 Try later"]

    def send_or_fail_long(smtp, email):
        if email["To"] == "mottagare1@kommun.example":
            raise delivery.PermanentFailure("5" * 3000)
        return real_send(smtp, email)

    real_send = delivery._send
    monkeypatch.setattr(delivery, "_send", send_or_fail_long)
    with caplog.at_level(logging.WARNING, logger=delivery.log.name):
        assert deliver_outbox(now=T0) == 0
    logged = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == delivery.log.name]
    assert logged == [
        ("WARNING", f"E-post {ids[0]}: tillfälligt fel: 451 4.3.0 Try later"),
        ("ERROR", f"E-post {ids[1]}: permanent fel: {'5' * 3000}"),
    ]
    dead = db.session.get(OutboxMessage, ids[1])
    db.session.refresh(dead)
    assert (dead.status, dead.last_error) == (DEAD, "5" * 2000)  # the stored error is cut at 2 000


def test_a_server_that_cannot_be_reached_is_logged(db, outbox, app, caplog):
    import logging

    from app.mail import delivery

    server = SMTPServer(free_port())  # nothing listens there
    configure_app(app, server)
    _queue(1)
    db.session.commit()
    with caplog.at_level(logging.WARNING, logger=delivery.log.name):
        assert deliver_outbox(now=T0) == 0
    [record] = [r for r in caplog.records if r.name == delivery.log.name]
    assert record.levelname == "WARNING"
    assert record.getMessage().startswith(f"E-post: Kunde inte ansluta till 127.0.0.1:{server.port}: ")


def test_two_concurrent_delivery_runs_send_each_message_once(app, db, outbox, smtp_server):
    ids = _queue(40, prefix="concurrent")
    db.session.commit()
    results: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            with app.app_context():  # its own session and connection
                barrier.wait()
                results.append(deliver_outbox(now=T0, batch_size=25))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    # Whatever one run did not claim, a later tick sends; nothing twice, nothing lost.
    while deliver_outbox(now=T0 + timedelta(minutes=1), batch_size=25):
        pass
    message_ids = [m["Message-ID"] for m in smtp_server.messages]
    assert len(message_ids) == len(set(message_ids)) == 40
    assert sorted(message_ids) == sorted(f"<outbox-{i}@borlange.example>" for i in ids)
    assert {r.status for r in outbox()} == {SENT}
    assert sum(results) <= 40
    assert all(r.attempts == 1 for r in outbox())


def test_backoff_doubles_and_is_capped():
    assert [backoff(n) for n in (1, 2, 3)] == [
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=8),
    ]
    assert backoff(30) == timedelta(hours=6)


def test_an_attachment_keeps_its_type_parameters_name_and_bytes(db, outbox, smtp_server):
    from app.mail.services import MailAttachment

    invite = b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    queue_mail(
        "a@kommun.example", "notice", "k:bilaga", subject="Möte", body="Se bilagan.", link=None, now=T0,
        attachments=[
            MailAttachment("möte.ics", "text/calendar; method=REQUEST; charset=utf-8; x-id=a=b/c", invite),
            MailAttachment("lista.pdf", "application/pdf", b"%PDF-1.4 \x00\xff"),
        ],
    )  # fmt: skip
    db.session.commit()
    assert deliver_outbox(now=T0) == 1
    [received] = smtp_server.messages
    calendar, pdf = list(received.iter_attachments())
    assert calendar.get_content_type() == "text/calendar"
    assert (calendar.get_param("method"), calendar.get_param("charset")) == ("REQUEST", "utf-8")
    assert calendar.get_param("x-id") == "a=b/c"  # a value may hold "=" and "/"
    assert calendar.get_filename() == "möte.ics"
    assert calendar.get_content().replace("\r\n", "\n") == invite.decode().replace("\r\n", "\n")
    assert (pdf.get_content_type(), pdf.get_filename(), pdf.get_content()) == (
        "application/pdf", "lista.pdf", b"%PDF-1.4 \x00\xff",
    )  # fmt: skip
    assert "Se bilagan." in received.get_body(("plain",)).get_content()


def test_a_single_use_link_is_sent_and_then_removed_from_the_stored_copy(db, outbox, smtp_server):
    from app.mail.services import REDACTED, is_queued

    queue_mail(
        "a@kommun.example", "notice", "k:enkat", subject="Enkät", body="Svara här.", now=T0,
        link="https://lotsbok.example/enkat/HEMLIGT-123", redact_after_delivery=["HEMLIGT-123", ""],
    )  # fmt: skip
    db.session.commit()
    assert is_queued("k:enkat")
    assert not is_queued("k:annan")
    [row] = outbox()
    assert row.redact == ["HEMLIGT-123"]
    assert "HEMLIGT-123" in row.body_text
    assert deliver_outbox(now=T0) == 1
    [received] = smtp_server.messages
    assert "HEMLIGT-123" in received.get_body(("plain",)).get_content()
    assert "HEMLIGT-123" in received.get_body(("html",)).get_content()
    [row] = outbox()
    assert row.status == SENT
    assert "HEMLIGT-123" not in row.body_text
    assert "HEMLIGT-123" not in row.body_html
    assert REDACTED in row.body_text
    assert REDACTED in row.body_html
    assert row.redact is None
    assert is_queued("k:enkat")  # in any status


def test_redacted_replaces_every_secret_and_leaves_other_text():
    from app.mail.services import REDACTED, redacted

    assert redacted("a X b Y c X", ["X", "Y"]) == f"a {REDACTED} b {REDACTED} c {REDACTED}"
    assert redacted("a X", []) == "a X"
    assert redacted("a X", None) == "a X"
    assert redacted("", ["X"]) == ""
    assert redacted(None, ["X"]) is None


def test_messages_not_tried_before_the_lease_runs_short_are_given_back(db, outbox, smtp_server, monkeypatch):
    from app.mail import delivery

    ids = _queue(3)
    db.session.commit()
    # The clock: the run starts at 0, the first message is sent at once, then time runs past the deadline.
    ticks = iter([0.0, 0.0, 10_000.0])
    monkeypatch.setattr(delivery, "time", SimpleNamespace(monotonic=lambda: next(ticks)))
    later = T0 + timedelta(minutes=1)
    assert deliver_outbox(now=later) == 1
    by_id = {r.id: r for r in outbox()}
    assert (by_id[ids[0]].status, by_id[ids[0]].attempts) == (SENT, 1)
    for msg_id in ids[1:]:
        row = by_id[msg_id]
        assert (row.status, row.attempts, row.claim_token, row.locked_until) == (QUEUED, 0, None, None)
        assert row.next_attempt_at == later  # due again at once
    assert len(smtp_server.messages) == 1
    monkeypatch.undo()
    assert deliver_outbox(now=later) == 2
    assert {(r.status, r.attempts) for r in outbox()} == {(SENT, 1)}


def test_queue_mail_refuses_bad_addresses_and_keys_with_a_message(db, outbox):
    for address in (
        "",
        "   ",
        "ingen-snabel-a.example",
        "a@b.example\nBcc: c@d.example",
        "a@b.example\rBcc: c@d.example",
    ):
        with pytest.raises(ValidationError) as exc:
            queue_mail(address, "notice", "k:1", subject="S", body="B", link=None)
        assert exc.value.field == "to"
        assert exc.value.message == f"Ogiltig e-postadress: {address.strip()!r}"
    for key in ("", "k" * 201):
        with pytest.raises(ValidationError) as exc:
            queue_mail("a@kommun.example", "notice", key, subject="S", body="B", link=None)
        assert (exc.value.field, exc.value.message) == (
            "key",
            "Utkorgen kräver en nyckel på högst 200 tecken.",
        )
    assert queue_mail(
        " a@kommun.example ", "notice", "k" * 200, subject="S" * 400, body="B", link=None, now=T0
    )
    [row] = outbox()
    assert (row.to_addr, row.subject, row.template, row.attempts, row.status) == (
        "a@kommun.example", "S" * 300, "notice", 0, QUEUED,
    )  # fmt: skip
    assert (row.next_attempt_at, row.created_at, row.attachments, row.redact) == (T0, T0, None, None)


@pytest.mark.parametrize(
    ("cause", "tried"),
    [
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), 1),  # gone: the rest wait
        (ConnectionResetError("reset by peer"), 1),  # socket trouble: the rest wait
        (smtplib.SMTPException("odd reply"), 3),  # the connection is still there: go on
    ],
)
def test_after_a_lost_connection_the_rest_wait_for_the_next_run(
    db, outbox, smtp_server, monkeypatch, cause, tried
):
    from app.mail import delivery

    _queue(3)
    db.session.commit()
    calls = []

    def failing_send(smtp, email):
        calls.append(email["To"])
        raise delivery.TemporaryFailure(f"Förbindelsen bröts: {cause}") from cause

    monkeypatch.setattr(delivery, "_send", failing_send)
    assert deliver_outbox(now=T0) == 0
    assert len(calls) == tried
    rows = outbox()
    assert {(r.status, r.attempts, r.next_attempt_at) for r in rows} == {(FAILED, 1, T0 + backoff(1))}
    assert {r.last_error for r in rows} == {f"Förbindelsen bröts: {cause}"}


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory):
    """A certificate authority of the tests' own and a server certificate for 127.0.0.1."""
    from tests.mail.tls import make_pki

    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def trust_test_ca(monkeypatch, test_pki):
    # ssl.create_default_context() – what the app uses – reads SSL_CERT_FILE when it is called:
    # the app then trusts the tests' CA as it trusts the kommun's relay's CA in production.
    monkeypatch.setenv("SSL_CERT_FILE", str(test_pki.ca_file))
    return test_pki


@pytest.fixture
def tls_server(app, test_pki):
    """A relay like the kommun's: STARTTLS required before mail, AUTH only over TLS."""
    server = SMTPServer(username="lotsbok", password="hemligt", tls=test_pki.server_context()).start()  # noqa: S106
    configure_app(app, server)
    yield server
    server.stop()


def test_starttls_then_login_and_every_mail_over_one_verified_connection(
    app, db, outbox, tls_server, trust_test_ca
):
    app.config.update(MAIL_FROM="lotsbok@borlange.example")
    _queue(2)
    db.session.commit()
    assert deliver_outbox(now=T0) == 2
    deliveries = tls_server.sink.deliveries
    assert [(d.tls, d.login) for d in deliveries] == [(True, "lotsbok"), (True, "lotsbok")]
    assert len({d.connection for d in deliveries}) == 1  # one connection per run
    assert tls_server.sink.logins == ["lotsbok"]
    rows = outbox()
    assert [m["Message-ID"] for m in tls_server.messages] == [
        f"<outbox-{r.id}@borlange.example>" for r in rows
    ]
    assert tls_server.messages[0]["From"] == "lotsbok@borlange.example"
    assert [(r.status, r.attempts) for r in rows] == [(SENT, 1), (SENT, 1)]


def test_a_certificate_the_app_does_not_trust_sends_nothing_and_keeps_the_mail(
    app, db, outbox, tls_server, monkeypatch, tmp_path
):
    from tests.mail.tls import make_pki

    # The server's certificate is signed by a CA the app does not know (a man in the middle).
    other = make_pki(tmp_path / "other", ca_name="Någon annans CA")
    monkeypatch.setenv("SSL_CERT_FILE", str(other.ca_file))
    _queue(1)
    db.session.commit()
    assert deliver_outbox(now=T0) == 0
    assert tls_server.messages == []
    assert tls_server.sink.logins == []  # the password never left over an unverified connection
    [row] = outbox()
    assert (row.status, row.attempts, row.next_attempt_at) == (FAILED, 1, T0 + backoff(1))
    assert row.last_error.startswith(f"Kunde inte ansluta till 127.0.0.1:{tls_server.port}: ")
    assert "CERTIFICATE_VERIFY_FAILED" in row.last_error


def test_a_client_configured_without_starttls_is_refused_by_a_tls_relay_and_the_mail_waits(
    app, db, outbox, tls_server, trust_test_ca
):
    app.config.update(SMTP_STARTTLS=False)
    _queue(1)
    db.session.commit()
    assert deliver_outbox(now=T0) == 0
    assert tls_server.messages == []
    [row] = outbox()
    assert (row.status, row.attempts) == (FAILED, 1)
    # Before STARTTLS the relay offers no AUTH, so the login is what fails.
    assert row.last_error == (
        f"Kunde inte ansluta till 127.0.0.1:{tls_server.port}: SMTP AUTH extension not supported by server."
    )


def test_without_starttls_or_username_the_client_only_greets(app, db, outbox, smtp_server):
    # A plain relay inside the kommun's network; it closes the connection without answering QUIT.
    smtp_server.sink.drop_on_quit = True
    app.config.update(MAIL_FROM="Lotsbok <>")
    _queue(1)
    db.session.commit()
    # A failing QUIT after the work is done just closes the socket: the mail counts as sent.
    assert deliver_outbox(now=T0) == 1
    assert [(d.tls, d.login) for d in smtp_server.sink.deliveries] == [(False, None)]
    assert smtp_server.messages[0]["Message-ID"].endswith("@lotsbok.local>")  # MAIL_FROM without an address
    [row] = outbox()
    assert (row.status, row.attempts) == (SENT, 1)


def test_a_refused_login_keeps_the_mail(app, db, outbox, tls_server, trust_test_ca):
    app.config.update(SMTP_PASSWORD="fel")  # noqa: S106
    _queue(1)
    db.session.commit()
    assert deliver_outbox(now=T0) == 0
    assert tls_server.messages == []
    assert tls_server.sink.logins == []
    [row] = outbox()
    assert (row.status, row.attempts) == (FAILED, 1)
    assert row.last_error == (
        f"Kunde inte ansluta till 127.0.0.1:{tls_server.port}: (535, b'5.7.8 Authentication credentials invalid')"
    )
