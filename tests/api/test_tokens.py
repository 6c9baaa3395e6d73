"""Personal access tokens: made, shown once, hashed, scoped, expiring, revoked, counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app import create_app
from app.api import tokens
from app.api.models import ApiToken
from app.audit.models import AuditEvent
from app.auth import services as auth
from app.companies.models import Company
from app.core.errors import PermissionDenied, ValidationError
from app.core.time import utcnow
from tests.api.conftest import ApiClient, make_token
from tests.conftest import _config_for
from tests.pages import rendered


def _token_row(db, secret: str) -> ApiToken:
    return db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == tokens.hash_token(secret)))


def test_a_token_is_stored_only_as_its_hash_and_lives_90_days_by_default(db, users):
    token, secret = tokens.create_token(
        users["lots"], tokens.TokenInput(name="Intranätet"), actor=users["lots"]
    )
    db.session.commit()
    assert secret.startswith("lb_")
    assert len(secret) > 40
    raw = db.session.execute(sa.text("SELECT * FROM api_tokens")).mappings().one()
    assert secret not in {str(v) for v in raw.values()}
    assert raw["token_hash"] == tokens.hash_token(secret)
    assert token.prefix == secret[:9]
    assert abs((token.expires_at - token.created_at) - timedelta(days=90)) < timedelta(seconds=1)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.entity_type == "api_tokens"))
    assert event.actor_id == users["lots"].id
    assert event.action == "create"
    assert secret not in str(event.changes)


def test_lifetime_is_capped_by_the_administrators_maximum(db, users):
    tokens.set_max_days(30, actor=users["admin"])
    with pytest.raises(ValidationError, match="1–30 dagar"):
        tokens.create_token(users["lots"], tokens.TokenInput(name="x", days=31), actor=users["lots"])
    token, _ = tokens.create_token(users["lots"], tokens.TokenInput(name="x"), actor=users["lots"])
    assert (token.expires_at - token.created_at).days == 30  # the default follows the cap
    with pytest.raises(PermissionDenied):
        tokens.set_max_days(10, actor=users["lots"])


def test_users_make_tokens_only_for_themselves_and_read_only_roles_only_read_tokens(db, users):
    with pytest.raises(PermissionDenied):
        tokens.create_token(users["lots"], tokens.TokenInput(name="x"), actor=users["chef"])
    with pytest.raises(ValidationError, match="läsa"):
        tokens.create_token(users["chef"], tokens.TokenInput(name="x", scope="write"), actor=users["chef"])


def test_requests_need_a_valid_token(client, db, users):
    secret = make_token(db, users["lots"])
    missing = client.get("/api/v1/me")
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert missing.json["title"] == "API-nyckel saknas eller är ogiltig"
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer lb_wrong"}).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": f"Basic {secret}"}).status_code == 401
    ok = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert ok.status_code == 200
    assert ok.json["email"] == users["lots"].email
    assert _token_row(db, secret).last_used_at is not None


def test_expired_and_revoked_tokens_stop_working(client, db, users):
    secret = make_token(db, users["lots"])
    token = _token_row(db, secret)
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401
    assert "gått ut" in response.json["detail"]

    secret = make_token(db, users["lots"])
    tokens.revoke_token(_token_row(db, secret), actor=users["admin"])
    db.session.commit()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401
    assert "återkallad" in response.json["detail"]


def test_a_token_dies_with_its_users_deactivation_and_stays_dead(client, db, users):
    secret = make_token(db, users["lots"])
    auth.set_active(users["lots"], False, actor=users["admin"])
    db.session.commit()
    assert _token_row(db, secret).revoked_reason == "deactivated"
    auth.set_active(users["lots"], True, actor=users["admin"])
    db.session.commit()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_a_read_token_cannot_write(db, users, api_as):
    api = api_as("lots", scope="read")
    response = api.post("/api/v1/companies", json={"name": "Läsbolaget AB"})
    assert response.status_code == 403
    assert "bara läsa" in response.json["detail"]
    assert db.session.scalar(sa.select(sa.func.count(Company.id))) == 0


def test_rate_limit_is_per_token_and_shared_by_workers(app, db, users, database_url):
    """The counter lives in the database: a second app on the same database (another gunicorn
    worker) sees the same count."""
    app.config["LOTSBOK_API_RATE_LIMIT"] = 3
    secret = make_token(db, users["lots"])
    other_secret = make_token(db, users["chef"], scope="read")
    worker_2 = create_app(_config_for(database_url))
    worker_2.config["LOTSBOK_API_RATE_LIMIT"] = 3
    one, two = ApiClient(app.test_client(), secret), ApiClient(worker_2.test_client(), secret)
    assert one.get("/api/v1/me").status_code == 200
    assert two.get("/api/v1/me").status_code == 200
    assert one.get("/api/v1/me").status_code == 200
    limited = two.get("/api/v1/me")
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert limited.mimetype == "application/problem+json"
    assert ApiClient(app.test_client(), other_secret).get("/api/v1/me").status_code == 200  # per token


def test_a_signed_in_browser_session_cannot_use_the_api(app, db, users, login_as):
    """Token-only: the session cookie is ignored on API routes, so no cross-site request can
    write through the API even though its endpoints are exempt from CSRF."""
    app.config["WTF_CSRF_ENABLED"] = True
    browser = login_as("lots")
    response = browser.post("/api/v1/companies", json={"name": "Genom kakan AB"})
    assert response.status_code == 401
    assert db.session.scalar(sa.select(sa.func.count(Company.id))) == 0
    assert browser.get("/api/v1/me").status_code == 401


def test_a_signed_in_browser_calling_the_api_with_a_token_is_answered_and_stays_signed_in(
    db, users, login_as
):
    """The token is the API request's identity; the browser's session cookie, sent along, is
    neither used nor ended (it was: the idle-session hook saw no user but a session, cleared it
    and redirected the API call to the sign-in page)."""
    secret = make_token(db, users["lots"], "read")
    browser = login_as("lots")
    response = browser.get("/api/v1/companies", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert response.is_json
    assert "items" in response.get_json()
    rendered(browser.get("/foretag"), heading="Företag")  # the browser is still signed in


def test_a_token_does_not_sign_in_to_the_html_pages(client, db, users):
    secret = make_token(db, users["lots"])
    response = client.get("/foretag", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 302
    assert "/logga-in" in response.location


def test_cli_creates_lists_and_revokes(runner, db, users):
    result = runner.invoke(args=["tokens", "create", "--user", users["lots"].email, "--name", "E-tjänsten",
                                 "--scope", "write", "--days", "10"])  # fmt: skip
    assert result.exit_code == 0, result.output
    secret = result.stdout.splitlines()[0]
    token = _token_row(db, secret)
    assert token.scope == "write"
    assert token.name == "E-tjänsten"
    assert (token.expires_at - token.created_at).days == 10
    listing = runner.invoke(args=["tokens", "list"])
    assert "E-tjänsten" in listing.output
    assert secret not in listing.output
    assert token.prefix in listing.output
    assert runner.invoke(args=["tokens", "revoke", str(token.id)]).exit_code == 0
    db.session.expire_all()
    assert _token_row(db, secret).revoked_at is not None
    unknown = runner.invoke(args=["tokens", "create", "--user", "nobody@example.se", "--name", "x"])
    assert unknown.exit_code != 0
    assert "Ingen användare" in unknown.output


def test_settings_page_creates_a_token_shown_once_and_revokes_it(db, users, login_as):
    browser = login_as("lots")
    page = browser.get("/mina-installningar").get_data(as_text=True)
    assert "API-nycklar" in page
    assert "Du har inga API-nycklar." in page
    created = browser.post(
        "/mina-installningar/api-nycklar", data={"name": "Power BI", "scope": "read", "days": "30"}
    )
    assert created.status_code == 200
    html = created.get_data(as_text=True)
    secret = html.split('id="new-token" type="text" readonly value="', 1)[1].split('"', 1)[0]
    assert secret.startswith("lb_")
    assert "visas bara den här gången" in html
    assert created.headers["Cache-Control"] == "no-store"
    listed = rendered(browser.get("/mina-installningar"), heading="Mina inställningar")
    assert "Power BI" in listed
    assert secret not in listed
    token = _token_row(db, secret)
    assert browser.post(f"/mina-installningar/api-nycklar/{token.id}/aterkalla").status_code == 302
    db.session.expire_all()
    assert _token_row(db, secret).revoked_reason == "user"
    too_long = browser.post(
        "/mina-installningar/api-nycklar", data={"name": "x", "scope": "read", "days": "400"}
    )
    assert too_long.status_code == 400
    assert "1–365 dagar" in too_long.get_data(as_text=True)


def test_admin_sees_and_revokes_every_token_and_sets_the_maximum(db, users, login_as):
    secret = make_token(db, users["chef"], scope="read")
    admin = login_as("admin")
    page = rendered(admin.get("/admin/api-nycklar"), heading="API-nycklar")
    assert users["chef"].email in page
    assert "test chef read" in page
    assert secret not in page
    token = _token_row(db, secret)
    admin.post(f"/admin/api-nycklar/{token.id}/aterkalla")
    db.session.expire_all()
    assert _token_row(db, secret).revoked_reason == "admin"
    admin.post("/admin/api-nycklar/giltighet", data={"max_days": "45"})
    assert tokens.max_days() == 45
    # someone else's token cannot be revoked from Mina inställningar
    other = make_token(db, users["lots"])
    response = login_as("chef").post(f"/mina-installningar/api-nycklar/{_token_row(db, other).id}/aterkalla")
    assert response.status_code == 403
