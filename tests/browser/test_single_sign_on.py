"""Single sign-on through a real OpenID provider (node-oidc-provider from npm, started per test
on loopback), driven by a real browser: success with role mapping and linking, refusals, a
tampered state, a replayed code, a wrong nonce, an expired ID token, sign-out at the provider,
and a provider that is down (break-glass sign-in still works)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth.models import SecurityEvent, User, UserSession
from tests.auth.oidc_fixture import RunningProvider, oidc_env, start_provider
from tests.browser.conftest import describe
from tests.builders.users import PASSWORD
from tests.conftest import cloned_database
from tests.live import LiveServer, bound_socket, serve, url_of

pytestmark = pytest.mark.browser

BUTTON = "Logga in med kommunens konto"
CONTACT = "Näringslivskontorets administratör, lotsbok@kommun.example"


@dataclass
class SSO:
    base: str
    provider: RunningProvider
    server: LiveServer
    page: Any


def _accounts(users) -> dict[str, dict[str, Any]]:
    return {
        "anna": {
            "email": "anna.lind@kommun.example",
            "email_verified": True,
            "name": "Anna Lind",
            "roles": ["Lotsbok.Lots"],
        },
        # The kommun's directory has an existing Lotsbok user (the chef) as an administrator now.
        "bertil": {
            "email": users["chef"].email.upper(),
            "email_verified": True,
            "name": "Bertil",
            "roles": ["Lotsbok.Admin"],
        },
        "cecilia": {
            "email": "cecilia@kommun.example",
            "email_verified": True,
            "name": "Cecilia",
            "roles": ["Ekonomi.Läsare"],
        },
    }


@pytest.fixture
def database_url(template_db: str, tmp_path) -> Iterator[str]:
    """Each sign-on test has a database of its own (not the session's shared server's): it
    counts users, sessions and security events."""
    with cloned_database(template_db, tmp_path) as url:
        yield url


@pytest.fixture
def sso_factory(browser, db, users, database_url, tmp_path) -> Iterator[Any]:
    """sso_factory(**settings) → a gunicorn server of its own, configured through the
    environment for the provider as an operator would (OIDC_* and `settings`), and a page."""
    started: list[Any] = []
    db.session.commit()  # the users must be visible to the server

    def _start(**settings: str) -> SSO:
        sock = bound_socket()
        base = url_of(sock)
        provider = start_provider(base, _accounts(users))
        env = {**oidc_env(provider, **settings), "BASE_URL": base}
        log_dir = tmp_path / f"server{len(started)}"
        log_dir.mkdir()
        context_manager = serve(database_url, log_dir, env=env, sock=sock)
        try:
            server = context_manager.__enter__()
        except BaseException:
            provider.stop()
            raise
        context = browser.new_context(base_url=base, locale="sv-SE", timezone_id="Europe/Stockholm")
        context.set_default_timeout(15_000)
        started.append((context_manager, provider, context))
        return SSO(base=base, provider=provider, server=server, page=context.new_page())

    yield _start
    for context_manager, provider, context in reversed(started):
        context.close()
        provider.stop()
        context_manager.__exit__(None, None, None)


@pytest.fixture
def sso(sso_factory) -> SSO:
    return sso_factory()


def _at_provider_sign_in(page, login: str) -> None:
    """On the provider's own sign-in form: any password, the account id as login."""
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("vilket-som-helst")
    page.get_by_role("button", name="Sign-in").click()


def _start(page) -> None:
    page.goto("/logga-in")
    page.get_by_role("link", name=BUTTON).click()
    page.locator("input[name=login]").wait_for()


def _sign_in(page, login: str) -> None:
    _start(page)
    _at_provider_sign_in(page, login)
    page.wait_for_load_state("networkidle")


def _hold_callback(sso: SSO, login: str, page=None) -> str:
    """Sign in at the provider but stop before the browser returns to Lotsbok; return the
    callback URL (code and state) the provider sent it to.

    Playwright routes only the first request of a redirect chain, so the provider's login form
    POST is routed: it is sent with the context's own cookies and its redirects are followed
    by hand up to Lotsbok's callback, which is not called.
    """
    page = page or sso.page
    captured: list[str] = []

    def hold(route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        response = route.fetch(max_redirects=0)
        url = route.request.url
        location = response.headers.get("location")
        while location:
            url = urljoin(url, location)
            if url.startswith(sso.base):
                break
            location = page.context.request.get(url, max_redirects=0).headers.get("location")
        captured.append(url)
        route.fulfill(status=200, content_type="text/plain", body="stoppad före Lotsbok")

    pattern = re.compile(re.escape(sso.provider.issuer) + r"/interaction/.*")
    page.route(pattern, hold)
    _start(page)
    _at_provider_sign_in(page, login)
    for _ in range(150):
        if captured:
            break
        page.wait_for_timeout(100)
    page.unroute(pattern)
    assert captured, "the provider never redirected back"
    assert captured[0].startswith(f"{sso.base}/logga-in/kommun/klar?"), captured
    return captured[0]


def _with_params(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def _fresh(db) -> None:
    db.session.rollback()  # see what the server committed


def test_new_user_is_created_with_the_mapped_role(sso, db, axe_check):
    sso.page.goto("/logga-in")
    violations = axe_check(sso.page)
    assert violations == [], describe(violations)
    _sign_in(sso.page, "anna")
    assert sso.page.get_by_role("heading", level=1).inner_text().startswith("Hej Anna")
    _fresh(db)
    user = db.session.scalars(sa.select(User).where(User.email == "anna.lind@kommun.example")).one()
    assert user.role == "lots"
    assert user.oidc_subject == "anna"
    assert user.has_password is False
    row = db.session.scalars(sa.select(UserSession).where(UserSession.user_id == user.id)).one()
    assert row.method == "oidc"
    assert row.id_token  # kept for RP-initiated logout


def test_existing_account_is_linked_by_verified_email_and_the_role_follows_the_claim(sso, db, users):
    chef = users["chef"]
    _sign_in(sso.page, "bertil")
    assert sso.page.get_by_role("heading", level=1).inner_text().startswith(f"Hej {chef.name.split()[0]}")
    _fresh(db)
    db.session.refresh(chef)
    assert chef.oidc_subject == "bertil"
    assert chef.role == "admin"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 4  # nobody new
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.entity_id == chef.id)).all()
    assert "link_oidc" in actions
    assert "update" in actions


def test_user_without_a_mapped_role_is_refused_and_nothing_changes(sso, db):
    _sign_in(sso.page, "cecilia")
    text = sso.page.get_by_role("alert").inner_text()
    assert "Ditt konto i kommunens katalog har ingen roll i Lotsbok." in text
    assert CONTACT in text
    _fresh(db)
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.email == "cecilia@kommun.example")
        )
        == 0
    )
    assert db.session.scalars(sa.select(SecurityEvent.kind)).all() == ["oidc_failed"]
    sso.page.goto("/")
    assert "/logga-in" in sso.page.url


def test_unknown_user_is_refused_when_provisioning_is_off(sso_factory, db):
    sso = sso_factory(OIDC_ALLOW_PROVISIONING="false")
    _sign_in(sso.page, "anna")
    text = sso.page.get_by_role("alert").inner_text()
    assert "Du har inget konto i Lotsbok." in text
    assert CONTACT in text
    _fresh(db)
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.email == "anna.lind@kommun.example")
        )
        == 0
    )


def test_a_tampered_state_is_refused(sso, db):
    callback = _hold_callback(sso, "anna")
    sso.page.goto(_with_params(callback, state="forfalskat-state"))
    assert "ogiltigt state" in sso.page.get_by_role("alert").inner_text()
    _fresh(db)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 0
    # The tampered answer changed nothing: the genuine one still signs in, once.
    sso.page.goto(callback)
    assert sso.page.get_by_role("heading", level=1).inner_text().startswith("Hej Anna")


def test_a_replayed_code_is_refused(sso, browser, db):
    first = _hold_callback(sso, "anna")
    sso.page.goto(first)
    assert sso.page.get_by_role("heading", level=1).inner_text().startswith("Hej Anna")
    # Another browser starts its own sign-in and gets the first, already used code injected.
    other = browser.new_context(base_url=sso.base, locale="sv-SE").new_page()
    second = _hold_callback(sso, "anna", page=other)
    old_code = dict(parse_qsl(urlsplit(first).query))["code"]
    other.goto(_with_params(second, code=old_code))
    assert "koden var ogiltig eller redan använd" in other.get_by_role("alert").inner_text()
    other.goto("/")
    assert "/logga-in" in other.url
    other.context.close()
    _fresh(db)
    assert "invalid_grant" in db.session.scalars(sa.select(SecurityEvent.detail)).one()


def test_a_wrong_nonce_is_refused(sso, db):
    # Lotsbok's redirect to the provider is rewritten: the provider signs the other nonce into
    # the ID token, which no longer matches the one Lotsbok keeps for this sign-in.
    def change_nonce(route) -> None:
        response = route.fetch(max_redirects=0)
        location = _with_params(response.headers["location"], nonce="en-annan-nonce")
        route.fulfill(status=302, headers={"Location": location})

    pattern = re.compile(re.escape(sso.base) + r"/logga-in/kommun(\?.*)?$")
    sso.page.route(pattern, change_nonce)
    _start(sso.page)
    _at_provider_sign_in(sso.page, "anna")
    sso.page.wait_for_load_state("networkidle")
    assert "fel nonce" in sso.page.get_by_role("alert").inner_text()
    _fresh(db)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 0


def test_an_expired_id_token_is_refused(sso, db):
    callback = _hold_callback(sso, "anna")
    sso.provider.set_clock(-2 * 3600)  # the ID token is issued "two hours ago": expired an hour ago
    sso.page.goto(callback)
    assert "har gått ut" in sso.page.get_by_role("alert").inner_text()
    _fresh(db)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 0
    assert "Expired" in db.session.scalars(sa.select(SecurityEvent.detail)).one()


def test_sign_out_ends_the_lotsbok_session_and_the_providers(sso, db):
    _sign_in(sso.page, "anna")
    sso.page.get_by_role("button", name="Logga ut").click()
    # RP-initiated logout: the provider asks, and then sends the browser back to Lotsbok.
    sso.page.get_by_role("button", name="Yes, sign me out").click()
    sso.page.wait_for_url(re.compile(r".*/logga-in.*"))
    assert sso.page.url.startswith(sso.base)
    assert "Du är utloggad." in sso.page.locator(".flashes").inner_text()
    _fresh(db)
    row = db.session.scalars(sa.select(UserSession)).one()
    assert row.ended_at is not None
    assert row.id_token is None
    sso.page.goto("/")
    assert "/logga-in" in sso.page.url
    # The provider's session is over too: signing in again asks for the account.
    _start(sso.page)
    assert sso.page.locator("input[name=login]").is_visible()


def test_provider_down_shows_a_page_and_break_glass_still_works(sso_factory, users, db):
    admin, lots = users["admin"], users["lots"]
    sso = sso_factory(LOTSBOK_LOCAL_LOGIN="false", LOTSBOK_BREAK_GLASS_ADMINS=admin.email)
    sso.provider.stop()
    sso.page.goto("/logga-in")
    sso.page.get_by_role("link", name=BUTTON).click()
    assert "Kommunens inloggningstjänst svarar inte" in sso.page.get_by_role("heading", level=1).inner_text()
    assert "svarar inte just nu" in sso.page.get_by_role("alert").inner_text()
    sso.page.goto("/logga-in")
    sso.page.get_by_text("Nödinloggning för administratörer").click()
    sso.page.get_by_label("E-postadress").fill(lots.email)
    sso.page.get_by_label("Lösenord").fill(PASSWORD)
    sso.page.get_by_role("button", name="Logga in", exact=True).click()
    assert "Inloggning med lösenord är avstängd." in sso.page.get_by_role("alert").inner_text()
    sso.page.get_by_label("E-postadress").fill(admin.email)
    sso.page.get_by_label("Lösenord").fill(PASSWORD)
    sso.page.get_by_role("button", name="Logga in", exact=True).click()
    assert sso.page.get_by_role("heading", level=1).inner_text().startswith("Hej Test")
