"""Sign-in, sign-out, idle timeout and password change through HTTP."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.core.time import utcnow
from tests.builders.users import PASSWORD
from tests.conftest import sign_in


def _login(client, email, password=PASSWORD):
    return client.post("/logga-in", data={"email": email, "password": password})


def test_sign_in_sets_a_new_session_and_lands_on_the_start_page(client, users):
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    response = _login(client, users["lots"].email)
    assert response.status_code == 302
    assert response.location == "/"
    with client.session_transaction() as sess:
        assert "last_seen" in sess  # the signed-in session …
        assert "planted" not in sess  # … is a new one: cleared on sign-in (no fixation)
    page = client.get("/").get_data(as_text=True)
    assert "Hej Test" in page


def test_session_cookie_flags(client, users):
    response = _login(client, users["lots"].email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_wrong_password_shows_generic_swedish_error(client, users):
    response = _login(client, users["lots"].email, "fel-lösenord")
    assert response.status_code == 200
    assert "Fel e-postadress eller lösenord." in response.get_data(as_text=True)


def test_open_redirect_is_refused(client, users):
    response = client.post(
        "/logga-in",
        data={"email": users["lots"].email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.location == "/"


def test_sign_out_really_ends_the_session(app, users):
    client = app.test_client()
    _login(client, users["lots"].email)
    with client.session_transaction() as sess:
        stolen = dict(sess)
    client.post("/logga-ut")
    # Replaying the old cookie contents must not work: the session token has rotated.
    replay = app.test_client()
    with replay.session_transaction() as sess:
        sess.update(stolen)
    response = replay.get("/")
    assert response.status_code == 302
    assert "/logga-in" in response.location


def test_idle_timeout_signs_out(app, users):
    client = sign_in(app.test_client(), users["lots"])
    with client.session_transaction() as sess:
        sess["last_seen"] = (utcnow() - timedelta(minutes=31)).timestamp()
    response = client.get("/")
    assert response.status_code == 302
    assert "/logga-in" in response.location
    assert client.get("/").status_code == 302  # and stays signed out


def test_deactivation_ends_sessions(app, db, users):
    client = sign_in(app.test_client(), users["chef"])
    assert client.get("/").status_code == 200
    admin = sign_in(app.test_client(), users["admin"])
    admin.post(f"/admin/anvandare/{users['chef'].id}/aktiv", data={"active": "0"})
    assert client.get("/").status_code == 302


def test_must_change_one_time_password_before_anything_else(app, db, users):
    from app.auth import services

    services.set_one_time_password(users["lots"], "tillfälligt-lösen-123", actor=users["admin"])
    db.session.commit()
    client = app.test_client()
    response = _login(client, users["lots"].email, "tillfälligt-lösen-123")
    assert response.location == "/konto/losenord"
    assert client.get("/").location == "/konto/losenord"
    response = client.post(
        "/konto/losenord",
        data={
            "current_password": "tillfälligt-lösen-123",
            "new_password": "mitt-eget-långa-lösen",
            "confirm": "mitt-eget-långa-lösen",
        },
    )
    assert response.location == "/"
    assert client.get("/").status_code == 200


def test_sign_in_and_out_are_audited(client, db, users):
    _login(client, users["lots"].email)
    client.post("/logga-ut")
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["sign_in", "sign_out"]


def test_csrf_is_required(app, users):
    response = app.test_client().post(
        "/logga-in", data={"email": users["lots"].email, "password": PASSWORD}, csrf=False
    )
    assert response.status_code == 400
    assert "säkerhetstoken" in response.get_data(as_text=True)


def test_english_is_available(client):
    client.post("/sprak", data={"lang": "en", "next": "/logga-in"})
    html = client.get("/logga-in").get_data(as_text=True)
    assert 'lang="en"' in html
    assert "Sign in to Lotsbok" in html
