"""The real-server layer: tests here talk HTTP to `gunicorn run:app` (the `live_server` fixture
of tests/conftest.py), signed in through the real form with CSRF on.

`database_url` is the server's database here, so the usual `app`, `db` and `users` fixtures
(and the builders) write where the server reads; commit before the request. Each test fails
if the server logged an error or a traceback while it ran – a download that breaks off after
its headers is only visible there.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def database_url(live_server) -> str:
    return live_server.database_url


@pytest.fixture(autouse=True)
def _server_log_stays_clean(live_server):
    mark = live_server.log_mark()
    yield
    errors = live_server.new_errors(mark)
    assert not errors, f"the server logged an error:\n{errors}"


@pytest.fixture
def http(live_server, db):
    """http(user) → a LiveClient signed in as `user` through the real sign-in form.

    It commits the test's session first (the server must see what the test made) and after
    signing in (SQLite: a read snapshot from before the server's write could not write later).
    """
    from tests.builders.users import PASSWORD

    made = []

    def _client(user=None, password: str = PASSWORD):
        db.session.commit()
        client = live_server.client()
        if user is not None:
            client.sign_in(user.email, password)
        db.session.commit()
        made.append(client)
        return client

    yield _client
    for client in made:
        client.close()
