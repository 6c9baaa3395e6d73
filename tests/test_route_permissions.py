"""Walks every route in app.url_map for anonymous and each role (see tests/route_permissions.py)."""

from __future__ import annotations

import importlib
import pkgutil
from types import SimpleNamespace

import pytest
from flask import url_for

import tests
from app import create_app
from app.core.permissions import Role
from app.extensions import db
from config import TestingConfig
from tests import factories
from tests.conftest import _config_for, cloned_database, sign_in
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


def test_every_route_has_an_entry():
    app = create_app(TestingConfig)
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(ALL_ROUTES))
    assert missing == [], f"add these endpoints to a route_permissions table: {missing}"
    stale = sorted(set(ALL_ROUTES) - endpoints)
    assert stale == [], f"these table entries have no route: {stale}"


def _build_world(db, users) -> SimpleNamespace:
    """The records that route arguments point at; builders from each feature add theirs."""
    w = SimpleNamespace(users=users, focus_area=factories.focus_areas()[0])
    for builder in WORLD_BUILDERS:
        builder(w)
    db.session.commit()
    return w


@pytest.fixture
def world(db, users):
    return _build_world(db, users)


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
        shared = create_app(_config_for(url))
        with shared.app_context():
            users = {role.value: factories.make_user(role) for role in Role}
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


def _check_route(app, world, endpoint: str, who: str) -> None:
    route = ALL_ROUTES[endpoint]
    client = app.test_client()
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
    elif who in route.allowed:
        if route.method == "GET":
            assert status in route.ok, f"{endpoint} as {who}: {status}"
        else:
            assert status not in (401, 403, 404, 405, 500), f"{endpoint} as {who}: {status}"
    else:
        assert status == 403, f"{endpoint} as {who}: expected 403, got {status}"
