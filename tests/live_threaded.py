"""A second app instance served by werkzeug threads on a free loopback port, with per-test
configuration: concurrent sign-ins behind a proxy, and single sign-on through a real OpenID provider.
Everything else that needs a real server uses gunicorn (tests/live.py)."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator
from typing import Any

from flask import Flask
from werkzeug.serving import make_server

from app import create_app
from config import TestingConfig


@contextlib.contextmanager
def serve(database_url: str, **config: Any) -> Iterator[tuple[str, Flask]]:
    """Serve the app with CSRF on (as in production) and `config` on top of TestingConfig;
    yields (base URL, app). BASE_URL is set to the served address."""
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True, **config}
    served = create_app(type("LiveConfig", (TestingConfig,), settings))
    server = make_server("127.0.0.1", 0, served, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    served.config["BASE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url, served
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with served.app_context():
            from app.extensions import db

            db.engine.dispose()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)
