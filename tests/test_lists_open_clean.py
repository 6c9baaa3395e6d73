"""No false errors (issue 15 §3): every page a user opens by a link – each list with no query
string, each report drill-down with the query string its figure's link carries – shows no error
message before the user submitted anything.

The pages are discovered, not listed by hand: every non-API GET endpoint of the route
permissions tables (tests/*/route_permissions.py, which tests/test_route_permissions.py keeps in
step with app.url_map) opened as each role allowed to see it, and every figure drill-down of a
whole report (app.reports.figures.build_report, from the figure specs), on the demo data plus
the route tables' own records.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from types import SimpleNamespace

import pytest
from flask import url_for

from app.core.permissions import ROLE_PERMISSIONS, Perm, Role, can
from app.core.time import local_today
from app.extensions import db
from app.reports import specs
from app.reports.base import Scope
from app.reports.figures import Figure, build_report
from app.reports.periods import year_period
from tests.builders.strategy import focus_areas
from tests.builders.users import make_user
from tests.conftest import cloned_database, make_app, sign_in
from tests.test_route_permissions import ALL_ROUTES, WORLD_BUILDERS, _loaded

ROLES = [role.value for role in Role]

# What the templates mark an error with (app/templates/_macros/forms.html, base.html's flashes,
# the import preview's rows) and the texts of a false "invalid" message.
ERROR_CLASSES = {"error", "error-summary", "error-list", "field--error", "row--error", "flash--error"}
ERROR_TEXTS = ["Inte ett giltigt val", "Ogiltig", "Not a valid choice", "Det finns fel i formuläret"]

# Lists a user opens from the navigation: the discovered set must hold them all.
KNOWN_LISTS = {
    "companies.list",
    "interactions.list",
    "interactions.mine",
    "cases.list",
    "followups.list",
    "visits.list",
    "admin.users_list",
    "admin.audit_log",
    "search.results",
    "plan.action_plan",
    "reports.dashboard",
}

PAGES = sorted(
    endpoint
    for endpoint, route in ALL_ROUTES.items()
    if route.method == "GET" and not route.api and not route.public and endpoint != "static"
)
PAGE_CASES = [(e, role) for e in PAGES for role in ROLES if role in ALL_ROUTES[e].allowed]


def error_marks(html: str) -> list[str]:
    """Every error mark in `html`: an element with an error class, aria-invalid, an error text."""
    found = []
    for match in re.finditer(r'class="([^"]*)"', html):
        hit = ERROR_CLASSES & set(match.group(1).split())
        if hit:
            start = match.start()
            found.append(f"{sorted(hit)}: {html[start : start + 200]!r}")
    found += [f"aria-invalid: {m.group(0)!r}" for m in re.finditer(r'aria-invalid="true"[^>]*', html)]
    text = re.sub(r"<[^>]+>", " ", html)
    found += [f"text {t!r}" for t in ERROR_TEXTS if t.lower() in text.lower()]
    return found


@pytest.fixture(scope="module")
def demo_world(demo_template, tmp_path_factory):
    """The demo data, one user per role and the route tables' records, in one database that
    every test of this module reads (GET requests only)."""
    with cloned_database(demo_template.database, tmp_path_factory.mktemp("clean")) as url:
        application = make_app(url)
        with application.app_context():
            users = {role.value: make_user(role) for role in Role}
            db.session.commit()
            world = SimpleNamespace(users=users, focus_area=focus_areas()[0])
            for build in WORLD_BUILDERS:
                build(world)
            db.session.commit()
            for value in vars(world).values():
                _loaded(value)
            db.session.expunge_all()
            db.session.remove()
        yield application, world
        with application.app_context():
            db.engine.dispose()


def test_the_discovered_pages_hold_the_known_lists():
    assert set(PAGES) >= KNOWN_LISTS, KNOWN_LISTS - set(PAGES)
    assert len(PAGES) > 80
    assert len(PAGE_CASES) > 150


@pytest.mark.parametrize(("endpoint", "role"), PAGE_CASES)
def test_page_opens_without_an_error(demo_world, endpoint, role):
    application, world = demo_world
    route = ALL_ROUTES[endpoint]
    with application.app_context():
        client = application.test_client()
        client.lotsbok_world = world
        sign_in(client, world.users[role])
        with application.test_request_context():
            url = url_for(endpoint, **route.args(world))
        response = client.get(url)
        try:
            if response.status_code != 200 or response.mimetype != "text/html":
                return  # a redirect or a file: no page to read (test_route_permissions checks them)
            html = response.get_data(as_text=True)
            assert error_marks(html) == [], f"{url} as {role}"
        finally:
            response.close()
            db.session.remove()


def _figures(value) -> list[Figure]:
    """Every Figure reachable from a report (its sections, focus rows and user rows)."""
    if isinstance(value, Figure):
        return [value]
    if isinstance(value, dict):
        return [f for item in value.values() for f in _figures(item)]
    if isinstance(value, list | tuple):
        return [f for item in value for f in _figures(item)]
    if is_dataclass(value) and not isinstance(value, type):
        return [f for fld in fields(value) for f in _figures(getattr(value, fld.name))]
    return []


@pytest.mark.parametrize("role", [r.value for r in Role if Perm.VIEW_REPORTS in ROLE_PERMISSIONS[r]])
def test_every_drill_down_opens_without_an_error(demo_world, role):
    """Each figure's drill-down link of a whole-year report (and one narrowed to a focus area)
    opens clean for a role that may see its records."""
    application, world = demo_world
    user = world.users[role]
    with application.app_context():
        client = application.test_client()
        sign_in(client, user)
        year = local_today().year
        scopes = [
            Scope(year_period(year), None, None),
            Scope(year_period(year), world.focus_area.id, None),
        ]
        drills = {}
        for scope in scopes:
            report = build_report(scope, per_user=True)
            for fig in _figures(report):
                if fig.drill:
                    with application.test_request_context():
                        url = url_for(fig.drill.endpoint, **fig.drill.args)
                    drills[url] = fig.drill.perm
        db.session.remove()
        assert len(specs.FIGURES) > 20
        assert len(drills) > 20, drills
        endpoints = {url.split("?")[0] for url in drills}
        assert {"/rapporter/underlag", "/kontakter"} <= endpoints, endpoints
        failures = []
        for url in sorted(u for u, perm in drills.items() if can(user, perm)):
            response = client.get(url)
            html = response.get_data(as_text=True)
            if response.status_code != 200:
                failures.append(f"{url}: {response.status_code}")
            elif marks := error_marks(html):
                failures.append(f"{url}: {marks}")
            db.session.remove()
        assert failures == []
