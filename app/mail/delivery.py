"""The delivery job: claims due outbox rows with a lease, sends them over SMTP, records results.

Steps (engineering-notes §2.2):

1. Claim, in one short write transaction (BEGIN IMMEDIATE on SQLite, FOR UPDATE SKIP LOCKED on
   PostgreSQL): due rows get status "sending", a `claim_token` of this run, `locked_until` and
   attempts + 1. A second delivery run at the same time cannot claim them, so it never sends
   the same row.
2. Send outside any transaction with smtplib (STARTTLS and login as configured; one connection
   per run; `Message-ID: <outbox-{id}@domain>` so a duplicate would be recognisable).
3. Record each result at once in its own transaction, only if the row is still ours:
   250 → "sent"; 4xx, connection errors, timeouts → "failed" with exponential back-off;
   5xx → "dead". A run that crashed leaves "sending" rows that become claimable again when the
   lease runs out (the one case where a duplicate can happen: the server accepted the message
   but we died before recording it).
"""

from __future__ import annotations

import base64
import logging
import smtplib
import ssl
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

import sqlalchemy as sa
from flask import current_app

from app.core.sqlite import begin_write
from app.core.time import utcnow
from app.extensions import db
from app.mail.models import DEAD, FAILED, QUEUED, SENDING, SENT, OutboxMessage
from app.mail.services import redacted

log = logging.getLogger(__name__)

BATCH_SIZE = 50
LEASE = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=6)
MAX_ATTEMPTS = 15  # about three days of retries with the 6-hour cap


def backoff(attempts: int) -> timedelta:
    """Wait before attempt `attempts + 1`: 2, 4, 8 … minutes, at most 6 hours."""
    return min(timedelta(minutes=2 ** min(attempts, 20)), MAX_BACKOFF)


@dataclass(frozen=True)
class Claimed:
    id: int
    to_addr: str
    subject: str
    body_text: str
    body_html: str | None
    attempts: int
    attachments: tuple[dict[str, str], ...] = ()
    redact: tuple[str, ...] = ()


class TemporaryFailure(Exception):
    """Retry later (4xx reply, connection refused or dropped, timeout)."""


class PermanentFailure(Exception):
    """Do not retry (5xx reply to this message)."""


def _claim(now: datetime, token: str, batch_size: int) -> list[Claimed]:
    begin_write()
    stmt = (
        sa.select(OutboxMessage)
        .where(
            OutboxMessage.status.in_([QUEUED, FAILED, SENDING]),
            OutboxMessage.next_attempt_at <= now,
            sa.or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now),
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(batch_size)
        .with_for_update(skip_locked=True)  # nothing on SQLite, where BEGIN IMMEDIATE serialises
    )
    rows = list(db.session.scalars(stmt))
    claimed = []
    for row in rows:
        row.status = SENDING
        row.locked_until = now + LEASE
        row.claim_token = token
        row.attempts += 1
        claimed.append(
            Claimed(
                row.id,
                row.to_addr,
                row.subject,
                row.body_text,
                row.body_html,
                row.attempts,
                tuple(row.attachments or ()),
                tuple(row.redact or ()),
            )
        )
    db.session.commit()
    return claimed


def _record(msg: Claimed, token: str, now: datetime, error: Exception | None) -> bool:
    """Write one result if the row is still ours; returns True if it was."""
    values: dict[str, object] = {"locked_until": None, "claim_token": None}
    if error is None:
        values.update(status=SENT, sent_at=now, last_error=None)
        if msg.redact:
            # Delivered: the single-use link leaves the stored copy in the same write.
            values.update(
                body_text=redacted(msg.body_text, msg.redact),
                body_html=redacted(msg.body_html, msg.redact),
                redact=None,
            )
    elif isinstance(error, PermanentFailure) or msg.attempts >= MAX_ATTEMPTS:
        values.update(status=DEAD, last_error=str(error)[:2000])
    else:
        values.update(
            status=FAILED, last_error=str(error)[:2000], next_attempt_at=now + backoff(msg.attempts)
        )
    begin_write()
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == msg.id, OutboxMessage.claim_token == token)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _release(messages: list[Claimed], token: str, now: datetime) -> None:
    """Give back rows this run claimed but did not try, without counting an attempt."""
    if not messages:
        return
    begin_write()
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_([m.id for m in messages]), OutboxMessage.claim_token == token)
        .values(
            status=QUEUED,
            locked_until=None,
            claim_token=None,
            attempts=OutboxMessage.attempts - 1,
            next_attempt_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _message_domain() -> str:
    address = parseaddr(current_app.config["MAIL_FROM"])[1]
    return address.rpartition("@")[2] or "lotsbok.local"


def build_email(msg: Claimed, now: datetime) -> EmailMessage:
    """The EmailMessage for an outbox row (EmailMessage refuses CR/LF in headers)."""
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = msg.to_addr
    email["Subject"] = msg.subject
    email["Date"] = format_datetime(now)
    email["Message-ID"] = f"<outbox-{msg.id}@{_message_domain()}>"
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies, please
    email.set_content(msg.body_text)
    if msg.body_html:
        email.add_alternative(msg.body_html, subtype="html")
    for attachment in msg.attachments:
        _attach(email, attachment)
    return email


def _attach(email: EmailMessage, attachment: dict[str, str]) -> None:
    """Add a stored attachment ("text/calendar; method=REQUEST" keeps its parameters)."""
    main, _, rest = attachment["content_type"].partition("/")
    subtype, *raw_params = (part.strip() for part in rest.split(";"))
    params = dict(p.split("=", 1) for p in raw_params if "=" in p)
    email.add_attachment(
        base64.b64decode(attachment["data"]),
        maintype=main.strip(),
        subtype=subtype,
        filename=attachment["filename"],
        params=params,
    )


def _connect() -> smtplib.SMTP:
    cfg = current_app.config
    try:
        smtp = smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=cfg["SMTP_TIMEOUT"])
        try:
            smtp.ehlo()
            if cfg["SMTP_STARTTLS"]:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if cfg["SMTP_USERNAME"]:
                smtp.login(cfg["SMTP_USERNAME"], cfg["SMTP_PASSWORD"])
        except BaseException:
            smtp.close()
            raise
    except (smtplib.SMTPException, OSError) as exc:
        # Also 5xx here (a refused login, no STARTTLS): that is the server's setup, not the
        # message's fault, so every message waits for a retry instead of being given up.
        raise TemporaryFailure(
            f"Kunde inte ansluta till {cfg['SMTP_HOST']}:{cfg['SMTP_PORT']}: {exc}"  # untranslated: stored in the outbox row
        ) from exc
    return smtp


def _send(smtp: smtplib.SMTP, email: EmailMessage) -> None:
    try:
        smtp.send_message(email)
    except smtplib.SMTPRecipientsRefused as exc:
        code, reply = next(iter(exc.recipients.values()))
        text = f"{code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
        raise (PermanentFailure if code >= 500 else TemporaryFailure)(text) from exc
    except smtplib.SMTPResponseException as exc:
        reply = (
            exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        )
        text = f"{exc.smtp_code} {reply}"
        raise (PermanentFailure if exc.smtp_code >= 500 else TemporaryFailure)(text) from exc
    except (smtplib.SMTPException, OSError) as exc:
        text = f"Förbindelsen bröts: {exc}"  # untranslated: stored in the outbox row
        raise TemporaryFailure(text) from exc


def _connection_lost(exc: BaseException | None) -> bool:
    # SMTPException subclasses OSError, so "a plain OSError" means socket trouble.
    return isinstance(exc, smtplib.SMTPServerDisconnected) or (
        isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)
    )


def deliver_outbox(now: datetime | None = None, *, batch_size: int = BATCH_SIZE) -> int:
    """Send the due outbox messages; returns how many were sent.

    Owns its transactions: commits what the session holds, then commits each claim and each
    result on its own. Without SMTP_HOST nothing is sent and the mail stays queued (readable
    in the admin outbox page). Safe to run concurrently: each row is sent by one run only.
    """
    db.session.commit()
    if not current_app.config.get("SMTP_HOST"):
        log.info("SMTP_HOST är inte satt: e-posten ligger kvar i utkorgen.")
        return 0
    now = now or utcnow()
    token = str(uuid.uuid4())
    claimed = _claim(now, token, batch_size)
    if not claimed:
        return 0
    sent = 0
    started = time.monotonic()
    # Stop well before the lease runs out, so no other run can take a row we are still sending.
    deadline = LEASE.total_seconds() - 3 * current_app.config["SMTP_TIMEOUT"]
    try:
        smtp = _connect()
    except TemporaryFailure as exc:
        log.warning("E-post: %s", exc)
        for msg in claimed:
            _record(msg, token, now, exc)
        return 0
    try:
        for index, msg in enumerate(claimed):
            if time.monotonic() - started > deadline:
                _release(claimed[index:], token, now)
                break
            try:
                _send(smtp, build_email(msg, now))
            except TemporaryFailure as exc:
                log.warning("E-post %s: tillfälligt fel: %s", msg.id, exc)
                _record(msg, token, now, exc)
                if _connection_lost(exc.__cause__):
                    # The connection is gone: the rest wait for the next run.
                    for rest in claimed[index + 1 :]:
                        _record(rest, token, now, exc)
                    break
            except PermanentFailure as exc:
                log.error("E-post %s: permanent fel: %s", msg.id, exc)
                _record(msg, token, now, exc)
            else:
                _record(msg, token, now, None)
                sent += 1
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
    return sent
