"""Walks every route in app.url_map for anonymous and each role (see tests/route_permissions.py)."""

from __future__ import annotations

import importlib
import pkgutil
from types import SimpleNamespace

import pytest
from flask import url_for

import tests
from app import create_app
from config import TestingConfig
from tests import factories
from tests.conftest import sign_in
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
CASES = [(endpoint, who) for endpoint in sorted(ALL_ROUTES) for who in ["anonymous", *ROLES]]


def test_every_route_has_an_entry():
    app = create_app(TestingConfig)
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(ALL_ROUTES))
    assert missing == [], f"add these endpoints to a route_permissions table: {missing}"
    stale = sorted(set(ALL_ROUTES) - endpoints)
    assert stale == [], f"these table entries have no route: {stale}"


@pytest.fixture
def world(db, users):
    """The records that route arguments point at; builders from each feature add theirs."""
    w = SimpleNamespace(users=users, focus_area=factories.focus_areas()[0])
    for builder in WORLD_BUILDERS:
        builder(w)
    db.session.commit()
    return w


@pytest.mark.parametrize(("endpoint", "who"), CASES)
def test_route_permission(app, world, endpoint, who):
    route = ALL_ROUTES[endpoint]
    client = app.test_client()
    if who != "anonymous":
        sign_in(client, world.users[who])
    with app.test_request_context():
        url = url_for(endpoint, **route.args(world))
    response = client.get(url) if route.method == "GET" else client.post(url, data=route.data(world))
    status = response.status_code

    if who == "anonymous":
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
