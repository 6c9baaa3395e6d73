"""A företagslots makes an API key on Mina inställningar, copies it once, and uses it; the key
screens and the API reference page have no serious or critical axe violations."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.browser.conftest import describe

pytestmark = pytest.mark.browser


def test_make_an_api_key_and_read_the_reference(page, live_server, users, browser_login, axe_check):
    browser_login(users["lots"])
    page.goto("/mina-installningar")
    section = page.get_by_role("heading", name="API-nycklar")
    assert section.is_visible()
    violations = axe_check(page)
    assert violations == [], describe(violations)

    page.get_by_label("Namn").fill("Intranätet")
    page.get_by_label("Behörighet").select_option("read")
    page.get_by_role("button", name="Skapa API-nyckel").click()
    assert page.get_by_role("heading", level=1).inner_text() == "API-nyckeln är skapad"
    secret = page.get_by_label("Nyckel för ”Intranätet”").input_value()
    assert secret.startswith("lb_")
    violations = axe_check(page)
    assert violations == [], describe(violations)

    request = urllib.request.Request(  # noqa: S310 - the loopback test server
        f"{live_server.url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback test server
        assert json.load(response)["email"] == users["lots"].email

    page.goto("/mina-installningar")
    assert page.get_by_role("heading", level=1).inner_text() == "Mina inställningar"
    assert "Intranätet" in page.content()
    assert secret not in page.content()

    page.goto("/api/v1/dokumentation")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Lotsbok API")
    assert page.get_by_role("heading", name="POST /api/v1/contacts").is_visible()
    violations = axe_check(page)
    assert violations == [], describe(violations)
