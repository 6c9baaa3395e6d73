"""A real SMTP server on loopback (aiosmtpd) for tests, and helpers to read what it received."""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port() -> int:
    # aiosmtpd 1.4.6 cannot start on port 0 (its readiness check connects to the port it was
    # given), so pick a free port first.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Delivery:
    """How one accepted message arrived: on which connection, over TLS or not, as which login."""

    connection: int
    tls: bool
    login: str | None


class Sink:
    """Collects every accepted message; `fail_next` answers the next DATA with that reply;
    `drop_on_quit` closes the connection without answering QUIT (a server going away)."""

    def __init__(self) -> None:
        self.envelopes: list = []
        self.deliveries: list[Delivery] = []
        self.fail_next: list[str] = []
        self.refuse_rcpt: dict[str, str] = {}  # address → the reply to its RCPT TO
        self.logins: list[str] = []
        self.drop_on_quit = False
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        with self._lock:
            if self.fail_next:
                return self.fail_next.pop(0)
            self.envelopes.append(envelope)
            login = (
                session.login_data.decode() if isinstance(session.login_data, bytes) else session.login_data
            )
            self.deliveries.append(Delivery(id(session), session.ssl is not None, login))
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd hook name
        if address in self.refuse_rcpt:
            return self.refuse_rcpt[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_QUIT(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        if self.drop_on_quit:
            server.transport.close()  # the 221 written after this is never sent
        return "221 Bye"

    @property
    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(e.content, policy=email.policy.default)  # type: ignore[misc]
            for e in self.envelopes
        ]


class SMTPServer:
    """A started aiosmtpd server; `.port`, `.sink`, `.messages`, `.stop()`, `.start()`."""

    def __init__(
        self, port: int | None = None, *, username: str | None = None, password: str | None = None,
        tls: ssl.SSLContext | None = None,
    ):  # fmt: skip
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self.sink = Sink()
        self.username, self.password = username, password
        # With `tls`, the server offers STARTTLS and refuses mail and AUTH before it (like a relay
        # that requires TLS); AUTH is then only offered over TLS.
        self.tls = tls
        self.controller: Controller | None = None

    def _authenticator(self, server, session, envelope, mechanism, auth_data):
        ok = auth_data.login.decode() == self.username and auth_data.password.decode() == self.password
        if ok:
            self.sink.logins.append(auth_data.login.decode())
        # handled=False: aiosmtpd then answers a refusal with 535 itself (its default, True,
        # means the authenticator already replied, and the client would wait for ever).
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    def start(self) -> SMTPServer:
        kwargs: dict = {}
        if self.username:
            kwargs = {
                "authenticator": self._authenticator,
                "auth_require_tls": bool(self.tls),
                "auth_required": True,
            }
        if self.tls:
            kwargs |= {"tls_context": self.tls, "require_starttls": True}
        self.controller = Controller(self.sink, hostname=self.host, port=self.port, **kwargs)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.sink.messages


def configure_app(app, server: SMTPServer) -> None:
    """Point the app's SMTP settings at `server` (STARTTLS when the server offers TLS)."""
    app.config.update(
        SMTP_HOST=server.host,
        SMTP_PORT=server.port,
        SMTP_STARTTLS=server.tls is not None,
        SMTP_USERNAME=server.username or "",
        SMTP_PASSWORD=server.password or "",
        SMTP_TIMEOUT=5,
        MAIL_FROM="Lotsbok <lotsbok@borlange.example>",
    )
