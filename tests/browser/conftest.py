"""Browser tests: the app served by gunicorn (the session's `live_server`, tests/live.py), driven
by Playwright in Debian's chromium.

Nothing is downloaded at run time: chromium comes from apt (`make test` installs it when it
can), axe-core from npm (node_modules, installed by `make test`). A missing browser FAILS the
test with instructions; browser tests never pass by skipping.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builders.users import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium_path() -> str:
    path = os.environ.get("LOTSBOK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(
            "Chromium saknas, så webbläsartesterna kan inte köras. Installera Debians chromium: "
            "`sudo apt-get install -y chromium` (eller kör `make test` som root, som gör det), "
            "eller peka LOTSBOK_CHROMIUM på en chromium-binär.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = _chromium_path()
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def database_url(live_server) -> str:
    """The gunicorn server's database (tests/conftest.py `live_server`): the `app`, `db` and
    `users` fixtures and the builders write where the server reads. It is shared by every
    browser and server test of this pytest process, so tests find their records by what they
    made, never by "the only row"."""
    return live_server.database_url


@pytest.fixture
def page(browser, live_server, db) -> Iterator[object]:
    db.session.commit()  # what the test made must be visible to the server
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", timezone_id="Europe/Stockholm")
    context.set_default_timeout(10_000)
    pg = context.new_page()
    yield pg
    artifacts = ROOT / "test-artifacts"
    if getattr(pg, "_lotsbok_failed", False):
        artifacts.mkdir(exist_ok=True)
        pg.screenshot(path=str(artifacts / "failure.png"))
    context.close()


def sign_in_through_form(page, user, password: str = PASSWORD) -> None:
    """Fill in and send the real sign-in form, as a user would."""
    page.goto("/logga-in")
    page.get_by_label("E-postadress").fill(user.email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


@pytest.fixture
def browser_login(page, db):
    """Sign in through the real form, as a user would."""

    def _login(user, password: str = PASSWORD) -> None:
        db.session.commit()  # (SQLite) no read snapshot from before the server's writes
        sign_in_through_form(page, user, password)
        page.wait_for_load_state("networkidle")
        db.session.commit()

    return _login


@pytest.fixture
def signed_in_without_js(browser, live_server, db):
    """signed_in_without_js(user) → a page with JavaScript off in a context of its own, signed in
    through the real form: the progressive-enhancement tests' starting point. Closed afterwards."""
    contexts = []

    def _open(user, password: str = PASSWORD):
        db.session.commit()  # (SQLite) the server sees what the test made
        context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
        contexts.append(context)
        page = context.new_page()
        sign_in_through_form(page, user, password)
        page.wait_for_load_state()
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def axe_check():
    """Run axe-core on the page; return serious and critical WCAG 2.1 A/AA violations."""
    if not AXE_JS.exists():
        pytest.fail(
            f"axe-core saknas ({AXE_JS}). Kör `npm ci` i projektroten (make test gör det).",
            pytrace=False,
        )
    source = AXE_JS.read_text(encoding="utf-8")

    def _check(pg) -> list[dict]:
        pg.evaluate(source)
        result = pg.evaluate(
            """async () => await axe.run(document, {runOnly: {type: 'tag',
                 values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
        )
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]],
            }
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return _check


def describe(violations: list[dict]) -> str:
    return json.dumps(violations, ensure_ascii=False, indent=2)
