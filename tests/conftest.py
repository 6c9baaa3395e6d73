"""Shared fixtures: a fresh migrated database per test (SQLite file or PostgreSQL), the app,
clients signed in per role, and the real gunicorn server (tests/live.py).

Set DATABASE_URL to a PostgreSQL URL to run the whole suite on PostgreSQL; each test then gets
its own database cloned from a migrated template.

CSRF protection is ON in tests, as in production. Every test client is a BrowserLikeClient:
``client.post(url, data={...})`` sends the form's ``csrf_token`` the way a browser does – taken
from the last HTML page the client fetched, or from a page it GETs first (``form_page=``, default
"/konto/losenord", a light page: every page carries a token in its sign-out or language form,
and the start page's panels would cost more than most tests). ``client.post(url, data,
csrf=False)`` sends no token (the app must answer 400). Apps made outside the ``app`` fixture
should come from ``make_app(url)`` so their clients are browser-like too.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient


def _settings_read_by_config() -> set[str]:
    """The environment variables config.py reads (OIDC_*, LOTSBOK_*, SMTP_*, BASE_URL …)."""
    source = (Path(__file__).resolve().parents[1] / "config.py").read_text(encoding="utf-8")
    return set(re.findall(r'(?:environ\.get|_bool|_int|_list|_role_map)\(\s*"([A-Z][A-Z0-9_]*)"', source))


# The test process never takes deployment settings from the shell that started it: they are
# removed before config.py is imported. A test that needs some starts a server of its own with
# them (tests/live.py `serve(env=...)`), configured the way an operator would. DATABASE_URL
# stays: it chooses PostgreSQL for the whole run.
for _name in _settings_read_by_config() - {"DATABASE_URL"}:
    os.environ.pop(_name, None)

from app import create_app  # noqa: E402 - after the environment is cleaned
from app import models as _all_models  # noqa: E402, F401 - every mapper known before a test module's imports configure one
from app.core.permissions import Role  # noqa: E402
from app.core.sqlite import configure_sqlite  # noqa: E402
from app.extensions import db as _db  # noqa: E402
from config import TestingConfig  # noqa: E402
from tests.builders.users import make_user  # noqa: E402
from tests.pg_reuse import ReusedDatabase  # noqa: E402

PG_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = PG_URL.startswith("postgresql")
CLONE_EACH = os.environ.get("LOTSBOK_TEST_CLONE_EACH") == "1"


def _config_for(url: str) -> type[TestingConfig]:
    return type("PerTestConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url})


_CSRF_INPUT = re.compile(
    r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"|<input[^>]*value="([^"]+)"[^>]*name="csrf_token"'
)


def csrf_token_in(html: str) -> str | None:
    """The first hidden csrf_token of a page, as a browser would submit it."""
    match = _CSRF_INPUT.search(html)
    return (match.group(1) or match.group(2)) if match else None


# Where a client fetches its first CSRF token: a small form page (signed out, it redirects to
# the sign-in form, which has one too). The start page served the token before; its panels made
# it the dearest page of the suite, fetched before most POSTs.
LIGHT_FORM_PAGE = "/konto/losenord"


class BrowserLikeClient(FlaskClient):
    """A Flask test client that posts forms with the CSRF token of a page, like a browser.

    The token is taken from the last HTML page this client received; when it has none yet, or
    the session's token has changed since (signing in starts a new session), it first GETs
    ``form_page`` (default ``LIGHT_FORM_PAGE``, following redirects). ``csrf=False`` posts without a token.
    """

    _csrf: tuple[str, str] | None = None  # (the session's raw token, the signed token of a page)

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html":  # pages are never streamed here
            token = csrf_token_in(response.get_data(as_text=True))
            if token:
                self._csrf = (self._session_token() or "", token)
        return response

    def post(self, *args, csrf: bool = True, form_page: str | None = None, **kwargs):
        if csrf:
            token = self.csrf_token(form_page)
            if "json" in kwargs:
                kwargs.setdefault("headers", {})["X-CSRFToken"] = token
            else:
                data = kwargs.get("data")
                if data is None:
                    data = {}
                if isinstance(data, dict) and "csrf_token" not in data:
                    data = {**data, "csrf_token": token}
                elif hasattr(data, "setdefault"):  # MultiDict
                    data.setdefault("csrf_token", token)
                kwargs["data"] = data
        return super().post(*args, **kwargs)

    def csrf_token(self, form_page: str | None = None) -> str:
        """A valid token for this client's session, fetched from a page like a browser does."""
        current = self._session_token()
        if form_page is not None or self._csrf is None or current is None or self._csrf[0] != current:
            page = self.get(form_page or LIGHT_FORM_PAGE, follow_redirects=True)
            if self._csrf is None or self._csrf[0] != (self._session_token() or ""):
                raise AssertionError(f"no csrf_token on {form_page or LIGHT_FORM_PAGE} ({page.status_code})")
        return self._csrf[1]

    def _session_token(self) -> str | None:
        if self.get_cookie(self.application.config.get("SESSION_COOKIE_NAME", "session")) is None:
            return None
        with self.session_transaction() as sess:
            return sess.get("csrf_token")


def make_app(url: str) -> Flask:
    """The app in the test configuration on the database at `url`, with browser-like clients."""
    application = create_app(_config_for(url))
    application.test_client_class = BrowserLikeClient
    return application


def _upgrade(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app(_config_for(url))
    with app.app_context():
        upgrade()
        if _db.engine.dialect.name == "sqlite":
            with _db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        _db.session.remove()
        _db.engine.dispose()


def _pg_admin_engine() -> sa.Engine:
    url = sa.make_url(PG_URL).set(database="postgres")
    return sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to head once per run; each test gets a copy."""
    if ON_POSTGRES:
        name = f"lotsbok_tpl_{os.getpid()}"
        admin = _pg_admin_engine()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        _upgrade(url)
        yield name
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
    else:
        cache = os.environ.get("LOTSBOK_TEST_TEMPLATE_CACHE")
        if cache:
            yield str(_cached_sqlite_template(Path(cache), tmp_path_factory))
            return
        path = tmp_path_factory.mktemp("template") / "template.sqlite3"
        _upgrade(f"sqlite:///{path}")
        yield str(path)


def _cached_sqlite_template(cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The migrated SQLite template kept in `cache` under the hash of migrations/ – for
    `make mutation`, where every mutant is a new pytest session and migrating anew would cost
    more than its tests. The migrations import nothing from app/, so the hash is the key."""
    root = Path(__file__).resolve().parents[1] / "migrations"
    digest = hashlib.sha256()
    for file in sorted(root.rglob("*.py")):
        digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes())
    cached = cache / f"template-{digest.hexdigest()[:16]}.sqlite3"
    if not cached.exists():
        cache.mkdir(parents=True, exist_ok=True)
        built = tmp_path_factory.mktemp("template") / "template.sqlite3"
        _upgrade(f"sqlite:///{built}")
        shutil.copyfile(built, cached.with_suffix(f".{os.getpid()}"))
        os.replace(
            cached.with_suffix(f".{os.getpid()}"), cached
        )  # atomic: parallel runs never see half a file
    return cached


@contextlib.contextmanager
def cloned_database(template_db: str, directory: Path) -> Iterator[str]:
    """A fresh database cloned from the template, removed afterwards; yields its URL."""
    if ON_POSTGRES:
        name = f"lotsbok_t_{uuid.uuid4().hex[:12]}"
        admin = _pg_admin_engine()
        with admin.connect() as conn:
            # FILE_COPY is several times faster than PostgreSQL 15's default WAL_LOG for a
            # small template (and fsync is off in the test cluster).
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template_db}" STRATEGY FILE_COPY')
        yield sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
    else:
        target = directory / "test.sqlite3"
        shutil.copyfile(template_db, target)
        yield f"sqlite:///{target}"
        for leftover in (
            target,
            target.with_name(target.name + "-wal"),
            target.with_name(target.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def live_server(template_db: str, tmp_path_factory: pytest.TempPathFactory):
    """`gunicorn run:app` (two workers) on a loopback port, on its own database cloned from the
    template – one server per pytest process, for the whole run (tests/live.py). Tests that use it
    share that database: make your own records and find them by what you made."""
    from tests.live import serve

    directory = tmp_path_factory.mktemp("live")
    with cloned_database(template_db, directory) as url, serve(url, directory) as server:
        yield server


@dataclass(frozen=True)
class DemoTemplate:
    database: str  # as template_db: a PostgreSQL database name or a SQLite file
    output: str  # what the first `flask demo-data` printed


@pytest.fixture(scope="session")
def demo_template(template_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoTemplate]:
    """The demo data loaded once per test process into a copy of the template. Loading it takes
    10–40 s; the tests marked `demo_data` start from a copy of this instead of each loading it."""
    directory = tmp_path_factory.mktemp("demo")
    if ON_POSTGRES:
        name = f"lotsbok_demo_{os.getpid()}"
        admin = _pg_admin_engine()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template_db}" STRATEGY FILE_COPY')
        database = name
        url = sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    else:
        database = str(directory / "demo.sqlite3")
        shutil.copyfile(template_db, database)
        url = f"sqlite:///{database}"
    application = create_app(_config_for(url))
    # As config.py's default outside tests: the demo then stores its choice to leave two-step
    # verification off, which is what an operator running `make run` gets.
    application.config["LOTSBOK_MFA_DEFAULT_ROLES"] = ("admin", "chef")
    result = application.test_cli_runner().invoke(args=["demo-data", "--quiet"])
    assert result.exit_code == 0, result.output
    with application.app_context():
        if _db.engine.dialect.name == "sqlite":
            with _db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # the copy is the whole file
        _db.session.remove()
        _db.engine.dispose()
    yield DemoTemplate(database=database, output=result.output)
    if ON_POSTGRES:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def demo_output(demo_template: DemoTemplate) -> str:
    """What `flask demo-data` printed when it loaded the demo data of a `demo_data` test."""
    return demo_template.output


@pytest.fixture(scope="session")
def reused_database(template_db: str) -> Iterator[ReusedDatabase]:
    """On PostgreSQL, the test process's one database, emptied after each test (tests/pg_reuse.py)."""
    with reused_database_of(template_db) as reused:
        yield reused


@contextlib.contextmanager
def reused_database_of(template: str) -> Iterator[ReusedDatabase]:
    """A PostgreSQL database cloned once from `template` and put back to the template's rows
    after each test (`url()` before, `reset()` after): for a module whose tests all start from
    the same records, e.g. the route sweep's world (tests/test_route_permissions.py)."""
    admin = _pg_admin_engine()

    def clone(template: str, name: str) -> None:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')

    def drop(name: str) -> None:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    reused = ReusedDatabase(template, PG_URL, clone, drop)
    try:
        yield reused
    finally:
        reused.discard()
        admin.dispose()


@contextlib.contextmanager
def database_for_test(reused: ReusedDatabase) -> Iterator[str]:
    """The reused database's URL for one test, emptied back to its template's rows afterwards."""
    try:
        yield reused.url()
    finally:
        reused.reset()


@pytest.fixture
def database_url(request: pytest.FixtureRequest, template_db: str, tmp_path: Path) -> Iterator[str]:
    """A fresh database for one test, cloned from the template – or, for a test marked
    `demo_data`, from the template with the demo data loaded. On PostgreSQL a test not marked
    `fresh_database` gets its process's database emptied to the template's state instead of a
    clone (tests/pg_reuse.py; LOTSBOK_TEST_CLONE_EACH=1 clones for every test as before)."""
    source = template_db
    if request.node.get_closest_marker("demo_data"):
        source = request.getfixturevalue("demo_template").database
    elif ON_POSTGRES and not (request.node.get_closest_marker("fresh_database") or CLONE_EACH):
        with database_for_test(request.getfixturevalue("reused_database")) as url:
            yield url
        return
    with cloned_database(source, tmp_path) as url:
        yield url


_WORKER_APP: list[Flask] = []


def _worker_app(url: str) -> Flask:
    """One app per test process, made once: building an app costs more than most tests (every
    blueprint's URL rules compiled, the OpenAPI document built), and the app holds no data."""
    if not _WORKER_APP:
        _WORKER_APP.append(make_app(url))
    return _WORKER_APP[0]


def _bind(application: Flask, url: str) -> None:
    """Point `application`'s engine at the database at `url`, as Flask-SQLAlchemy's init_app
    and create_app do (the engine is made once, at start-up, with our SQLite settings)."""
    application.config["SQLALCHEMY_DATABASE_URI"] = url
    engines = _db._app_engines[application]
    for engine in engines.values():
        engine.dispose()
    engines.clear()
    options = {**_db._engine_options, **application.config["SQLALCHEMY_ENGINE_OPTIONS"], "url": url}
    options.setdefault("echo", False)
    options.setdefault("echo_pool", False)
    _db._apply_driver_defaults(options, application)
    engines[None] = _db._make_engine(None, options, application)
    configure_sqlite(engines[None])  # what create_app installs on its engine


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """The app on a fresh database, with an app context pushed for the test. The process's one
    app is re-bound to this test's database, and what a test changes in its config and
    registries is undone."""
    application = _worker_app(database_url)
    config = dict(application.config)
    # Features register providers in lists and dicts of app.extensions (timeline, calendar,
    # merge handlers); a test that adds one must not leave it to the next test.
    extensions = {
        k: copy.copy(v) if isinstance(v, list | dict | set) else v for k, v in application.extensions.items()
    }
    _bind(application, database_url)
    try:
        with application.app_context():
            yield application
            _db.session.remove()
            _db.engine.dispose()
    finally:
        application.config.clear()
        application.config.update(config)
        application.extensions.clear()
        application.extensions.update(extensions)


@pytest.fixture
def db(app: Flask):
    """The Flask-SQLAlchemy extension, bound to this test's database."""
    return _db


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


def sign_in(client: FlaskClient, user, *, method: str = "password") -> FlaskClient:
    """Put `user` into the client's session the way the sign-in view does (without argon2):
    a real server-side session row (committed) and its id in the cookie."""
    from app.auth.sessions import start_session
    from app.core.time import utcnow

    start_session(
        user,
        method=method,
        ip="127.0.0.1",
        user_agent="pytest",
        lifetime=client.application.config["LOTSBOK_SESSION_LIFETIME"],
    )
    _db.session.commit()
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
        sess["last_seen"] = utcnow().timestamp()
    return client


@pytest.fixture
def users(db) -> dict[str, object]:
    """One committed user per role, keyed by role value."""
    made = {role.value: make_user(role) for role in Role}
    db.session.commit()
    return made


@pytest.fixture
def login_as(app: Flask, users):
    """login_as("lots") → a new test client signed in as that role's user (or a given user)."""

    def _login(who) -> FlaskClient:
        user = users[who] if isinstance(who, str) else who
        return sign_in(app.test_client(), user)

    return _login


@pytest.fixture
def lots_client(login_as) -> FlaskClient:
    return login_as("lots")


@pytest.fixture
def admin_client(login_as) -> FlaskClient:
    return login_as("admin")


@pytest.fixture
def smtp_server(app: Flask):
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that the app is configured to send through.

    `smtp_server.messages` are the received e-mails (email.message.EmailMessage).
    """
    from tests.mail.smtp import SMTPServer, configure_app

    server = SMTPServer().start()
    configure_app(app, server)
    yield server
    server.stop()


@pytest.fixture
def outbox(db):
    """outbox() → the outbox rows (OutboxMessage), oldest first, read fresh from the database."""
    import sqlalchemy as sa

    from app.mail.models import OutboxMessage

    def _rows(status: str | None = None) -> list:
        db.session.expire_all()
        stmt = sa.select(OutboxMessage).order_by(OutboxMessage.id)
        if status is not None:
            stmt = stmt.where(OutboxMessage.status == status)
        return list(db.session.scalars(stmt))

    return _rows


@pytest.fixture
def fixed_clock():
    """The clock frozen at tests.clock.FIXED_NOW (time-machine, not ticking) for one test.

    A module whose results depend on today's date (due dates "today + 14 working days", "this
    month", "next year") uses it for every test: ``pytestmark = pytest.mark.usefixtures("fixed_clock")``,
    so the tests give the same result at midnight and on a month or year boundary. A test may
    travel further inside it (time_machine.travel nests). Servers in other processes (tests/live.py,
    the browser tests) keep the real clock.
    """
    import time_machine

    from tests.clock import FIXED_NOW

    with time_machine.travel(FIXED_NOW, tick=False) as traveller:
        yield traveller
