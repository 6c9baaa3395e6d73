"""Walks every route in app.url_map for anonymous and each role (see tests/route_permissions.py)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import url_for

import tests
from app import create_app
from app.core.permissions import Role
from app.core.web import ERROR_TITLES
from app.extensions import db
from config import TestingConfig
from tests.builders.strategy import focus_areas
from tests.builders.users import make_user
from tests.conftest import (
    CLONE_EACH,
    ON_POSTGRES,
    cloned_database,
    database_for_test,
    make_app,
    reused_database_of,
    sign_in,
)
from tests.route_permissions import ROUTES as CORE_ROUTES
from tests.route_permissions import Route

ROLES = ["lots", "ledning", "chef", "admin"]


WORLD_BUILDERS = []


def _all_routes() -> dict[str, Route]:
    routes = dict(CORE_ROUTES)
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            feature = importlib.import_module(f"tests.{module.name}.route_permissions")
        except ModuleNotFoundError:
            continue
        overlap = set(routes) & set(feature.ROUTES)
        assert not overlap, f"endpoints listed twice: {overlap}"
        routes.update(feature.ROUTES)
        if hasattr(feature, "build_world"):
            WORLD_BUILDERS.append(feature.build_world)
    return routes


ALL_ROUTES = _all_routes()
WHO = ["anonymous", *ROLES]
# GET routes change nothing (beyond audit "view" events), so they share one database and one
# world per test process; POST routes get a fresh database each.
GET_CASES = [(e, who) for e in sorted(ALL_ROUTES) if ALL_ROUTES[e].method == "GET" for who in WHO]
POST_CASES = [(e, who) for e in sorted(ALL_ROUTES) if ALL_ROUTES[e].method != "GET" for who in WHO]


def _post_endpoints() -> list[str]:
    """Endpoints that accept POST from a browser. The JSON API is left out: it authenticates
    by bearer token only and ignores the session cookie, so there is no cross-site request to
    forge (tests/api test that a cookie alone cannot write)."""
    app = create_app(TestingConfig)
    return sorted(
        {
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if "POST" in (rule.methods or ()) and not ALL_ROUTES.get(rule.endpoint, Route()).api
        }
    )


# Every endpoint that accepts POST – also the GET+POST form pages, whose table entry is a GET.
POST_ENDPOINTS = _post_endpoints()


def test_every_route_has_an_entry():
    app = create_app(TestingConfig)
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(ALL_ROUTES))
    assert missing == [], f"add these endpoints to a route_permissions table: {missing}"
    stale = sorted(set(ALL_ROUTES) - endpoints)
    assert stale == [], f"these table entries have no route: {stale}"


def _build_world(db, users) -> SimpleNamespace:
    """The records that route arguments point at; builders from each feature add theirs."""
    w = SimpleNamespace(users=users, focus_area=focus_areas()[0])
    for builder in WORLD_BUILDERS:
        builder(w)
    db.session.commit()
    return w


@pytest.fixture(scope="session")
def world_template(template_db, tmp_path_factory):
    """The users and the world built once per test process and kept as a database template:
    each POST test starts from a copy of it – the same records with the same ids – instead of
    building the world again (building it costs more than most POST requests)."""
    with cloned_database(template_db, tmp_path_factory.mktemp("world")) as url:
        built = make_app(url)
        with built.app_context():
            users = {role.value: make_user(role) for role in Role}
            db.session.commit()
            w = _build_world(db, users)
            for value in vars(w).values():
                _loaded(value)
            db.session.expunge_all()
            if db.engine.dialect.name == "sqlite":
                with db.engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # the copy is the whole file
            db.session.remove()
            db.engine.dispose()
        yield sa.make_url(url).database, w


@pytest.fixture(scope="session")
def reused_world(world_template):
    """On PostgreSQL, one copy of the world's database per test process, put back to the world's
    rows after each POST test: cloning a database per test cost ~1.1 s, 400 s of the
    PostgreSQL run for the 360 POST tests (tests/pg_reuse.py; a reset takes 30–50 ms)."""
    with reused_database_of(world_template[0]) as reused:
        yield reused


@pytest.fixture
def database_url(request, world_template, tmp_path):
    """A POST test changes data: it gets its own copy of the world's database (on PostgreSQL,
    the reused copy emptied back to the world's rows; LOTSBOK_TEST_CLONE_EACH=1 clones)."""
    if ON_POSTGRES and not CLONE_EACH:
        with database_for_test(request.getfixturevalue("reused_world")) as url:
            yield url
        return
    with cloned_database(world_template[0], tmp_path) as url:
        yield url


@pytest.fixture
def world(world_template, app):
    """The world's records (detached; the test's database holds the same rows)."""
    return world_template[1]


def _loaded(value) -> None:
    """Load every ORM object reachable from the world, so it can be read once detached."""
    if isinstance(value, dict):
        for item in value.values():
            _loaded(item)
    elif isinstance(value, list | tuple | set):
        for item in value:
            _loaded(item)
    elif hasattr(value, "_sa_instance_state"):
        db.session.refresh(value)


@pytest.fixture(scope="session")
def shared_world(template_db, tmp_path_factory):
    with cloned_database(template_db, tmp_path_factory.mktemp("routes")) as url:
        shared = make_app(url)
        with shared.app_context():
            users = {role.value: make_user(role) for role in Role}
            db.session.commit()
            w = _build_world(db, users)
            for value in vars(w).values():
                _loaded(value)
            db.session.expunge_all()
            db.session.remove()
        yield shared, w
        with shared.app_context():
            db.engine.dispose()


@pytest.mark.parametrize(("endpoint", "who"), GET_CASES)
def test_get_route_permission(shared_world, endpoint, who):
    shared, w = shared_world
    with shared.app_context():
        _check_route(shared, w, endpoint, who)
        db.session.remove()


@pytest.mark.parametrize(("endpoint", "who"), POST_CASES)
def test_post_route_permission(app, world, endpoint, who):
    _check_route(app, world, endpoint, who)


def _world_of(client):
    return client.lotsbok_world


def _check_route(app, world, endpoint: str, who: str) -> None:
    route = ALL_ROUTES[endpoint]
    client = app.test_client()
    client.lotsbok_world = world
    headers = {}
    if who != "anonymous":
        if route.api:
            headers = {"Authorization": f"Bearer {world.api_tokens[who]}", "If-Match": "*"}
        else:
            sign_in(client, world.users[who])
    with app.test_request_context():
        url = url_for(endpoint, **route.args(world))
    if route.method == "GET":
        response = client.get(url, headers=headers)
    elif route.api:
        response = client.open(url, method=route.method, json=route.data(world), headers=headers)
    else:
        response = client.post(url, data=route.data(world))
    # Closed whatever happens: a static file answer holds its file open until then.
    try:
        status = response.status_code

        if who == "anonymous" and route.api and not route.public:
            assert status == 401, f"{endpoint}: {status}"
            assert response.mimetype == "application/problem+json", endpoint
        elif who == "anonymous":
            if route.public:
                assert status == route.public_status, f"{endpoint}: {status}"
            else:
                assert status == 302, f"{endpoint}: {status}"
                assert "/logga-in" in response.location, endpoint
        elif who in route.allowed and route.api:
            _assert_api_answered(endpoint, who, response)
        elif who in route.allowed:
            if route.method == "GET":
                assert status in route.ok, f"{endpoint} as {who}: {status}"
                if status == 200:
                    _assert_own_page(endpoint, response)
            else:
                _assert_post_took_effect_or_explained(endpoint, who, client, response)
        elif route.api:
            assert status == 403, f"{endpoint} as {who}: expected 403, got {status}"
            assert response.mimetype == "application/problem+json", endpoint
            assert response.get_json()["status"] == 403, endpoint
        else:
            assert status == 403, f"{endpoint} as {who}: expected 403, got {status}"
            assert "<h1>Åtkomst nekad" in response.get_data(as_text=True)
    finally:
        response.close()


# What an allowed API call may answer besides success: the service refused the example input
# and says why in a problem document (never 401/403/404/405/500).
_API_EXPLAINED = (400, 409, 412, 422, 428)


def _assert_api_answered(endpoint: str, who: str, response) -> None:
    """An allowed API call did its work (2xx, a JSON body unless 204) or explains in Swedish
    why not (a problem document with a title) – never an auth error or a server error."""
    status = response.status_code
    route = ALL_ROUTES[endpoint]
    if route.method == "GET":
        assert status in route.ok, f"{endpoint} as {who}: {status}"
    if 200 <= status < 300:
        if status != 204:
            assert response.is_json, f"{endpoint} as {who}: {response.mimetype}"
            assert response.get_json() is not None, f"{endpoint} as {who}: empty JSON"
        return
    assert status in _API_EXPLAINED, f"{endpoint} as {who}: {status}"
    assert response.mimetype == "application/problem+json", f"{endpoint} as {who}: {response.mimetype}"
    problem = response.get_json()
    assert problem["status"] == status, f"{endpoint} as {who}: {problem}"
    assert problem["title"], f"{endpoint} as {who}: {problem}"


_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_TAGS = re.compile(r"<[^>]+>")
_ERROR_TITLES = tuple(ERROR_TITLES.values())
# What a page says when a POST did its work (a success or info flash) or explains why not
# (an error flash, a form error summary or a field error) – in Swedish.
_OUTCOME = re.compile(
    r'class="flash flash--(?:success|info|error)">\s*[A-ZÅÄÖ]|class="error-summary"|<p class="error" id='
)


def _heading(html: str) -> str:
    match = _H1.search(html)
    return " ".join(_TAGS.sub(" ", match.group(1)).split()) if match else ""


def _assert_own_page(endpoint: str, response) -> None:
    """An allowed GET shows the page's own heading (HTML) or a file of the expected kind."""
    route = ALL_ROUTES[endpoint]
    body = response.get_data()
    if response.mimetype == "text/html":
        heading = _heading(body.decode())
        assert heading or route.marker, f"{endpoint}: no <h1>"
        assert not heading.startswith(_ERROR_TITLES), f"{endpoint}: error page {heading!r}"
        if route.marker:
            assert route.marker in body.decode(), (
                f"{endpoint}: {route.marker!r} not on the page ({heading!r})"
            )
    else:
        assert route.marker, f"{endpoint}: a {response.mimetype} response needs a marker in its Route"
        assert route.marker.encode() in body[:4096] or route.marker == response.mimetype, (
            f"{endpoint}: {route.marker!r} not in the {response.mimetype} body"
        )


def _assert_post_took_effect_or_explained(endpoint: str, who: str, client, response) -> None:
    """An allowed POST either did its work (redirect to a page with a flash, or the page itself
    telling so) or shows a Swedish validation message – never an error page or a bare 400."""
    status = response.status_code
    assert status in (200, 302, 303), f"{endpoint} as {who}: {status}"
    page = client.get(response.location) if status in (302, 303) else response
    html = page.get_data(as_text=True)
    if page.status_code in (302, 303):  # e.g. signed out: the sign-in page says so
        page = client.get(page.location)
        html = page.get_data(as_text=True)
    assert page.status_code == 200, f"{endpoint} as {who}: landed on {page.status_code}"
    assert not _heading(html).startswith(_ERROR_TITLES), f"{endpoint} as {who}: {_heading(html)!r}"
    route = ALL_ROUTES[endpoint]
    if route.effect is not None:
        assert route.effect(_world_of(client)), f"{endpoint} as {who}: the service's effect is missing"
    elif route.marker:
        assert route.marker in html, f"{endpoint} as {who}: {route.marker!r} not on {_heading(html)!r}"
    else:
        assert _OUTCOME.search(html), (
            f"{endpoint} as {who}: neither a message nor a form error on {_heading(html)!r}"
        )


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_post_without_csrf_token_is_refused(shared_world, endpoint):
    """CSRF: a form posted without its token is refused with 400 before the view runs, for
    every endpoint that accepts POST (read from the url map, so a new route is covered)."""
    shared, w = shared_world
    route = ALL_ROUTES[endpoint]
    with shared.app_context():
        client = shared.test_client()
        if not route.public:
            sign_in(client, w.users[sorted(route.allowed)[0]])
        with shared.test_request_context():
            url = url_for(endpoint, **route.args(w))
        response = client.post(url, data=route.data(w), csrf=False)
        html = response.get_data(as_text=True)
        assert response.status_code == 400, f"{endpoint}: {response.status_code}"
        assert "<h1>Felaktig begäran" in html
        assert "saknade säkerhetstoken" in html
        db.session.remove()
