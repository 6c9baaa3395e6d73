"""Hardened sessions: an absolute lifetime from sign-in, a fresh server-side token at every
sign-in, "Mina inloggningar" with "Logga ut alla andra", re-hashing, expiring one-time
passwords, the password policy, production cookies, HSTS and the audit trail's address."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine
from argon2 import PasswordHasher

from app import create_app
from app.audit.models import AuditEvent
from app.auth import services, sessions
from app.auth.models import UserSession
from app.core.errors import ValidationError
from app.core.time import utcnow
from config import ProductionConfig, TestingConfig
from tests.builders.users import PASSWORD
from tests.conftest import _config_for
from tests.pages import rendered


def _login(client, user, password=PASSWORD, **kwargs):
    return client.post("/logga-in", data={"email": user.email, "password": password}, **kwargs)


def test_every_sign_in_gets_a_fresh_server_side_token(app, db, users):
    user = users["lots"]
    first, second = app.test_client(), app.test_client()
    _login(first, user)
    _login(second, user)
    with first.session_transaction() as a, second.session_transaction() as b:
        assert a["_user_id"] != b["_user_id"]
        assert a["_user_id"].startswith(f"{user.id}:")
    rows = db.session.scalars(sa.select(UserSession).where(UserSession.user_id == user.id)).all()
    assert len(rows) == 2
    assert len({r.token_hash for r in rows}) == 2
    # Only a hash is stored: the key in the cookie is not in the table.
    key = a["_user_id"].rsplit(":", 1)[1]
    assert all(key not in r.token_hash for r in rows)


def test_a_busy_session_still_ends_ten_hours_after_sign_in(app, db, users):
    client = app.test_client()
    start = utcnow()
    with time_machine.travel(start, tick=False) as clock:
        _login(client, users["lots"])
        # Busy all day: a request every 20 minutes keeps the idle timeout away …
        for _ in range(29):
            clock.shift(timedelta(minutes=20))
            assert client.get("/").status_code == 200
        # … but 10 h after sign-in the session is over, whatever the cookie says.
        clock.shift(timedelta(minutes=21))
        response = client.get("/")
        assert response.status_code == 302
        assert "/logga-in" in response.location
        assert "Din inloggning har upphört" in client.get(response.location).get_data(as_text=True)


def test_idle_timeout_ends_the_session_on_the_server_too(app, db, users):
    client = app.test_client()
    _login(client, users["lots"])
    with client.session_transaction() as sess:
        stolen = dict(sess)
        sess["last_seen"] = (utcnow() - timedelta(minutes=31)).timestamp()
    assert client.get("/").status_code == 302
    # A copy of the cookie taken before (with a fresh last_seen) no longer works either.
    copy = app.test_client()
    with copy.session_transaction() as sess:
        sess.update(stolen)
    assert copy.get("/").status_code == 302


def test_my_sessions_lists_devices_and_signs_out_all_others(app, db, users):
    user = users["chef"]
    here, phone = app.test_client(), app.test_client()
    _login(phone, user, headers={"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Safari/604.1"})
    _login(here, user, headers={"User-Agent": "Mozilla/5.0 (Windows NT 10.0) Firefox/130.0"})
    html = rendered(here.get("/konto/inloggningar"), heading="Mitt konto")
    assert "Safari på iPhone" in html
    assert "Firefox på Windows" in html
    assert "den här" in html
    response = here.post("/konto/inloggningar/logga-ut-andra", follow_redirects=True)
    assert "1 andra inloggning avslutad." in response.get_data(as_text=True)
    assert phone.get("/").status_code == 302
    assert here.get("/").status_code == 200
    html = rendered(here.get("/konto/inloggningar"), heading="Mitt konto", marker="Firefox på Windows")
    assert "Safari på iPhone" not in html


def test_sign_out_ends_only_this_session(app, db, users):
    user = users["lots"]
    laptop, phone = app.test_client(), app.test_client()
    _login(laptop, user)
    _login(phone, user)
    laptop.post("/logga-ut")
    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 200


def test_password_is_rehashed_when_argon2_parameters_change(app, db, users):
    user = users["lots"]
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    user.password_hash = weak.hash(PASSWORD)
    db.session.commit()
    assert "m=8192,t=1" in user.password_hash
    _login(app.test_client(), user)
    db.session.refresh(user)
    assert "m=8192,t=1" not in user.password_hash
    assert not PasswordHasher().check_needs_rehash(user.password_hash)


def test_one_time_password_expires_after_72_hours(app, db, users):
    services.set_one_time_password(users["lots"], "tillfälligt-lösen-123", actor=users["admin"])
    db.session.commit()
    later = utcnow() + timedelta(hours=72, minutes=1)
    with pytest.raises(services.SignInRefused, match="engångslösenord har gått ut"):
        services.authenticate(users["lots"].email, "tillfälligt-lösen-123", ip="10.0.0.1", now=later)
    assert (
        services.authenticate(users["lots"].email, "tillfälligt-lösen-123", ip="10.0.0.1").id
        == users["lots"].id
    )
    # A new user's first password is a one-time password too.
    user = services.create_user(
        services.UserInput(email="ny@kommun.example", name="Ny Person", role="lots"),
        "ett-långt-lösenord-1",
        actor=users["admin"],
    )
    assert user.password_expires_at is not None
    assert timedelta(hours=71) < user.password_expires_at - utcnow() <= timedelta(hours=72)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("123456789012", "för lätt att gissa"),
        ("aaaaaaaaaaaa", "för lätt att gissa"),
        ("password1234", "för lätt att gissa"),
        ("Välkommen123!", "för lätt att gissa"),
        ("lisa.berg@kommun.example", "ditt namn eller din e-postadress"),
        ("Lisa-Berg-sommarstuga", "ditt namn eller din e-postadress"),
        ("kort", "minst 12 tecken"),
    ],
)
def test_weak_passwords_are_refused_with_a_swedish_message(db, users, password, message):
    with pytest.raises(ValidationError, match=message):
        services.create_user(
            services.UserInput(email="lisa.berg@kommun.example", name="Lisa Berg", role="lots"),
            password,
            actor=users["admin"],
        )


def test_a_long_passphrase_is_accepted(db, users):
    services.create_user(
        services.UserInput(email="lisa.berg@kommun.example", name="Lisa Berg", role="lots"),
        "Fika-vid-älven-i-april",
        actor=users["admin"],
    )


def test_audit_events_record_the_client_address(app, db, users):
    client = app.test_client()
    _login(client, users["lots"], environ_base={"REMOTE_ADDR": "198.51.100.77"})
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "sign_in")).one()
    assert event.ip == "198.51.100.77"
    html = sessions_page = client.get("/konto/inloggningar").get_data(as_text=True)
    assert "198.51.100.77" in sessions_page
    assert html


def test_refused_requests_and_csrf_failures_are_logged_for_the_admin(app, db, users, login_as, admin_client):
    login_as("lots").get("/admin/anvandare")  # 403
    app.test_client().post("/logga-in", data={"email": "x@kommun.example", "password": "y"}, csrf=False)
    html = admin_client.get("/admin/inloggning").get_data(as_text=True)
    assert "Åtkomst nekad (403)" in html
    assert "/admin/anvandare" in html
    assert "Formulär utan giltig säkerhetstoken (CSRF)" in html


def _production(url: str, **extra):
    settings = {"SECRET_KEY": "p" * 40, "DATABASE_URL_SET": True, "SQLALCHEMY_DATABASE_URI": url, **extra}
    return type("Prod", (ProductionConfig,), settings)


def test_production_uses_a_host_prefixed_secure_cookie_and_hsts(app, db, users, database_url):
    prod = create_app(_production(database_url))
    client = prod.test_client()
    response = client.post(
        "/logga-in",
        data={"email": users["lots"].email, "password": PASSWORD},
        base_url="https://lotsbok.test",
    )
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-lotsbok=")
    assert "Secure" in cookie
    assert "Path=/" in cookie
    assert "Domain" not in cookie
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    plain = app.test_client().get("/logga-in")
    rendered(plain, heading="Logga in i Lotsbok")
    assert "Strict-Transport-Security" not in plain.headers


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"SECRET_KEY": "för-kort"}, "SECRET_KEY måste vara minst 32 tecken"),
        (
            {"OIDC_ISSUER": "http://login.kommun.example", "OIDC_CLIENT_ID": "a", "OIDC_CLIENT_SECRET": "b"},
            "https://",
        ),
        ({"LOTSBOK_OIDC_ALLOW_HTTP": True}, "bara tillåtet i tester"),
        ({"LOTSBOK_LOCAL_LOGIN": False}, "kräver OIDC_ISSUER"),
    ],
)
def test_production_refuses_unsafe_settings(database_url, extra, message):
    with pytest.raises(RuntimeError, match=message):
        create_app(_production(database_url, **extra))


def test_wsgi_entry_defaults_to_production(monkeypatch):
    from config import config_from_env

    monkeypatch.delenv("LOTSBOK_ENV", raising=False)
    assert config_from_env(default="production") is ProductionConfig
    assert config_from_env().__name__ == "DevelopmentConfig"


def test_development_without_secret_key_uses_a_random_key_kept_in_instance(tmp_path):
    from config import development_secret_key

    first = development_secret_key(str(tmp_path))
    assert len(first) >= 32
    assert development_secret_key(str(tmp_path)) == first
    assert first != development_secret_key(str(tmp_path / "other"))


@pytest.mark.parametrize("command", [["demo-data", "--quiet"], ["generate-data", "--companies", "10"]])
def test_demo_and_generated_data_refuse_in_production(database_url, command):
    prod = create_app(_production(database_url))
    result = prod.test_cli_runner().invoke(args=command)
    assert result.exit_code != 0
    assert "körs inte i produktion" in result.output
    with prod.app_context():
        from app.auth.models import User
        from app.extensions import db

        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
        db.engine.dispose()


def test_testing_config_is_not_production():
    assert TestingConfig.LOTSBOK_ENV_NAME == "testing"
    assert _config_for("sqlite://").LOTSBOK_HSTS is False
    assert sessions.describe_device("") == "Okänd webbläsare"
