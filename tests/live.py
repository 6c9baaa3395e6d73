"""The real-server test layer: the app served by gunicorn, as in production, and an HTTP client.

`serve(database_url, log_dir)` starts `gunicorn run:app` with two sync workers on a loopback
socket that this process binds to port 0 first (so the port is free and nobody races for it) and
hands over as `fd://N`. The server process reads its configuration from the environment exactly
as a deployment does: LOTSBOK_ENV=testing (TestingConfig: CSRF on, fixed secret, no SMTP),
DATABASE_URL pointing at a cloned test database, and `env` – whatever else the test configures
the way an operator would (LOTSBOK_TRUSTED_PROXIES, OIDC_ISSUER and the other OIDC_* settings,
BASE_URL; config.py reads them). The session's shared server (`live_server`) takes no `env`; a
test that needs its own configuration starts its own server on its own database. When the
configuration must name the server's own address before it starts (an OpenID provider's
redirect URI), bind the socket first with `bound_socket()` and pass it as `sock`.
Its log (errors and access log) goes to a file; `LiveServer.new_errors()` returns the
tracebacks written since a mark, so a test can fail on an error the client never saw (e.g. a
streamed download that broke off).

`LiveClient` is a `requests.Session` that talks to it like a browser: it keeps cookies, reads
the hidden csrf_token of the page it submits from, and signs in through the real form.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
WORKERS = 2
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_ERROR_MARKERS = ("Traceback (most recent call last)", "Error handling request", "Exception on ")


@dataclass
class LiveServer:
    url: str
    database_url: str
    log_path: Path
    process: subprocess.Popen

    def client(self) -> LiveClient:
        return LiveClient(self.url)

    def log_mark(self) -> int:
        return self.log_path.stat().st_size

    def new_errors(self, mark: int) -> str:
        """The server's log since `mark` if it holds an error or a traceback, else ''."""
        with self.log_path.open("rb") as log:
            log.seek(mark)
            text = log.read().decode("utf-8", "replace")
        return text if any(marker in text for marker in _ERROR_MARKERS) else ""


class LiveClient(requests.Session):
    """An HTTP client for the live server that behaves like a browser with cookies and forms."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url
        self.last_page: requests.Response | None = None

    def request(self, method, url, *args, **kwargs):  # type: ignore[override]
        if url.startswith("/"):
            url = self.base_url + url
        kwargs.setdefault("timeout", 60)
        kwargs.setdefault("allow_redirects", False)
        response = super().request(method, url, *args, **kwargs)
        if response.headers.get("Content-Type", "").startswith("text/html"):
            self.last_page = response
        return response

    def get(self, url, **kwargs):  # type: ignore[override]
        """GET without following redirects (unless asked): tests look at the redirect itself."""
        kwargs.setdefault("allow_redirects", False)
        return self.request("GET", url, **kwargs)

    def csrf_token(self, form_page: str | None = None) -> str:
        """The token of `form_page` (fetched now), or of the last HTML page this client got."""
        if form_page is not None or self.last_page is None or not _CSRF.search(self.last_page.text):
            self.get(form_page or "/", allow_redirects=True)
        match = _CSRF.search(self.last_page.text if self.last_page is not None else "")
        assert match, f"no csrf_token on {form_page or '/'}"
        return match.group(1)

    def submit(self, url: str, data: dict | None = None, *, form_page: str | None = None, **kwargs):
        """POST a form as a browser would: with the csrf_token of the page it came from."""
        fields = {"csrf_token": self.csrf_token(form_page), **(data or {})}
        return self.post(url, data=fields, **kwargs)

    def sign_in(self, email: str, password: str) -> requests.Response:
        """Sign in through the real form; fails the test unless it lands on the start page."""
        response = self.submit("/logga-in", {"email": email, "password": password}, form_page="/logga-in")
        assert response.status_code == 302, f"sign-in refused ({response.status_code}): {response.text[:300]}"
        assert response.headers["Location"] in ("/", self.base_url + "/"), response.headers["Location"]
        return response


def bound_socket() -> socket.socket:
    """A loopback socket bound to a free port, for `serve(sock=...)`; `url_of(sock)` is its URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    return f"http://127.0.0.1:{sock.getsockname()[1]}"


@contextlib.contextmanager
def serve(
    database_url: str,
    log_dir: Path,
    *,
    env: Mapping[str, str] | None = None,
    sock: socket.socket | None = None,
) -> Iterator[LiveServer]:
    """Run `gunicorn run:app` (two workers) on `database_url` until the block ends, with `env`
    on top of the testing configuration."""
    sock = sock or bound_socket()
    url = url_of(sock)
    log_path = log_dir / "gunicorn.log"
    inherited = ("SMTP_", "LOTSBOK_", "OIDC_", "PYTEST_", "GUNICORN_", "BASE_URL")
    server_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(inherited)},
        "LOTSBOK_ENV": "testing",
        "DATABASE_URL": database_url,
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    command = [
        sys.executable, "-m", "gunicorn",
        "--workers", str(WORKERS),
        "--bind", f"fd://{sock.fileno()}",
        "--chdir", str(ROOT),
        "--graceful-timeout", "5",
        "--no-control-socket",  # gunicorn 24+: one fixed path per user would be shared by every server
        "--access-logfile", "-",
        "--error-logfile", "-",
        "run:app",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, cwd=ROOT, env=server_env, stdout=log, stderr=subprocess.STDOUT, pass_fds=(sock.fileno(),)
        )
    sock.close()  # the server holds its own copy
    server = LiveServer(url, database_url, log_path, process)
    try:
        _wait_until_up(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _wait_until_up(server: LiveServer, timeout: float = 240.0) -> None:
    # Generous: on a loaded two-core machine importing the app alone has taken 40 s.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start:\n{server.log_path.read_text(errors='replace')}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(server.url + "/halsa", timeout=5).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(
        f"gunicorn did not answer in {timeout:.0f} s:\n{server.log_path.read_text(errors='replace')}"
    )
