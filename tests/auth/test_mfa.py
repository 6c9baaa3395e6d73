"""Two-step verification: enrolment with an inline SVG QR code, sign-in with a TOTP code or a
recovery code, the role requirement, the admin's reset – and bad codes change nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth import mfa, services
from app.auth.models import LoginAttempt, RecoveryCode, User
from app.core.time import utcnow
from tests.builders.users import PASSWORD
from tests.conftest import sign_in
from tests.pages import rendered


def _enable(db, user, now=None) -> tuple[str, list[str]]:
    now = now or utcnow()
    secret = mfa.new_secret()
    codes = mfa.enable_totp(user, secret, pyotp.TOTP(secret).at(now), PASSWORD, actor=user, now=now)
    db.session.commit()
    return secret, codes


def _login(client, user, password=PASSWORD):
    return client.post("/logga-in", data={"email": user.email, "password": password})


def test_enrolment_page_shows_an_inline_svg_qr_and_enables_with_code_and_password(app, db, users):
    user = users["chef"]
    client = sign_in(app.test_client(), user)
    response = client.get("/konto/tvastegs")
    html = rendered(response, heading="Slå på tvåstegsverifiering")
    assert "<svg" in html
    assert "QR-kod för autentiseringsappen" in html
    assert "<img" not in html  # no external image service
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]  # CSP: no inline style
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', html).group(1).replace(" ", "")
    with client.session_transaction() as sess:
        assert sess["totp_setup_secret"] == secret
    # A wrong code: a clear message, nothing stored.
    bad = client.post("/konto/tvastegs", data={"code": "000000", "password": PASSWORD})
    assert "Koden stämmer inte" in bad.get_data(as_text=True)
    db.session.refresh(user)
    assert user.totp_secret is None
    # The wrong password: refused too.
    bad = client.post("/konto/tvastegs", data={"code": pyotp.TOTP(secret).now(), "password": "fel-lösenord"})
    assert "Lösenordet stämmer inte" in bad.get_data(as_text=True)
    ok = client.post("/konto/tvastegs", data={"code": pyotp.TOTP(secret).now(), "password": PASSWORD})
    page = ok.get_data(as_text=True)
    codes = re.findall(r"<code>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</code>", page)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    db.session.refresh(user)
    assert user.has_totp
    assert user.totp_secret == secret
    stored = db.session.scalars(
        sa.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)
    ).all()
    assert len(stored) == 10
    assert not any(code.replace("-", "") in h or code in h for code in codes for h in stored)  # hashed
    assert (
        db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.action == "enable_mfa"))
        == "enable_mfa"
    )


def test_sign_in_asks_for_the_code_and_accepts_each_code_once(app, db, users):
    user = users["lots"]
    secret, _codes = _enable(db, user, now=utcnow() - timedelta(minutes=2))
    client = app.test_client()
    response = _login(client, user)
    assert response.location == "/logga-in/tvastegs"
    assert client.get("/").status_code == 302  # not signed in after the password alone
    wrong = client.post("/logga-in/tvastegs", data={"code": "123456"})
    assert "Koden stämmer inte" in wrong.get_data(as_text=True)
    code = pyotp.TOTP(secret).now()
    assert client.post("/logga-in/tvastegs", data={"code": code}).location == "/"
    assert "Hej Test" in client.get("/").get_data(as_text=True)
    # The same code again (a second browser, a stolen code): refused as already used.
    other = app.test_client()
    _login(other, user)
    again = other.post("/logga-in/tvastegs", data={"code": code})
    assert "Koden är redan använd" in again.get_data(as_text=True)
    reasons = db.session.scalars(sa.select(LoginAttempt.reason).order_by(LoginAttempt.id)).all()
    assert reasons == ["mfa_wrong", "ok", "mfa_wrong"]
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "sign_in")).one()
    assert "kod från app" in event.summary


def test_a_recovery_code_works_once_and_a_reused_one_gets_a_clear_message(app, db, users):
    user = users["admin"]
    _secret, codes = _enable(db, user)
    client = app.test_client()
    _login(client, user)
    assert client.post("/logga-in/tvastegs", data={"code": codes[3].lower()}).location == "/"
    assert mfa.remaining_recovery_codes(user) == 9
    again = app.test_client()
    _login(again, user)
    response = again.post("/logga-in/tvastegs", data={"code": codes[3]})
    assert "Reservkoden är redan använd" in response.get_data(as_text=True)
    assert again.get("/").status_code == 302
    assert mfa.remaining_recovery_codes(user) == 9


def test_wrong_codes_count_towards_the_delay(db, users):
    user = users["lots"]
    _enable(db, user)
    now = utcnow()
    for _ in range(5):
        with pytest.raises(services.SignInRefused, match="Koden stämmer inte"):
            services.verify_second_step(user, "000000", ip="10.0.0.5", now=now)
    with pytest.raises(services.SignInRefused, match="Vänta"):
        services.verify_second_step(user, pyotp.TOTP(user.totp_secret).at(now), ip="10.0.0.5", now=now)


def test_the_pending_second_step_expires(app, db, users):
    user = users["lots"]
    secret, _ = _enable(db, user)
    client = app.test_client()
    _login(client, user)
    with client.session_transaction() as sess:
        sess["mfa_pending"]["at"] -= 600
        sess.modified = True
    response = client.post("/logga-in/tvastegs", data={"code": pyotp.TOTP(secret).now()})
    assert response.location == "/logga-in"
    assert client.get("/").status_code == 302


def test_a_role_that_requires_it_must_enrol_before_anything_else(app, db, users):
    mfa.set_required_roles({"chef": True}, actor=users["admin"], default_roles=())
    db.session.commit()
    chef = sign_in(app.test_client(), users["chef"])
    response = chef.get("/")
    assert response.location == "/konto/tvastegs"
    assert chef.get("/konto/tvastegs").status_code == 200
    assert chef.get("/foretag").location == "/konto/tvastegs"
    # Other roles are not affected, and single sign-on leaves it to the identity provider.
    assert sign_in(app.test_client(), users["lots"]).get("/").status_code == 200
    assert sign_in(app.test_client(), users["chef"], method="oidc").get("/").status_code == 200
    _enable(db, users["chef"])
    assert chef.get("/").status_code == 200


def test_production_default_requires_admin_and_chef_until_an_admin_chooses(db, users):
    assert mfa.required_roles(("admin", "chef")) == {
        "lots": False,
        "ledning": False,
        "chef": True,
        "admin": True,
    }
    mfa.set_required_roles(
        {"admin": True, "lots": True}, actor=users["admin"], default_roles=("admin", "chef")
    )
    db.session.commit()
    assert mfa.required_roles(("admin", "chef")) == {
        "lots": True,
        "ledning": False,
        "chef": False,
        "admin": True,
    }
    summaries = db.session.scalars(
        sa.select(AuditEvent.summary).where(AuditEvent.action == "mfa_policy")
    ).all()
    assert sorted(summaries) == [
        "Tvåstegsverifiering krävs för Företagslots",
        "Tvåstegsverifiering krävs inte för Chef",
    ]


def test_admin_policy_page_saves_the_requirement(app, db, users, admin_client):
    html = admin_client.get("/admin/inloggning").get_data(as_text=True)
    assert "Kräv tvåstegsverifiering för" in html
    admin_client.post("/admin/inloggning/tvastegs", data={"admin": "y", "chef": "y"})
    assert mfa.required_roles(()) == {"lots": False, "ledning": False, "chef": True, "admin": True}


def test_admin_resets_a_users_two_step_verification_audited_and_signs_them_out(app, db, users, admin_client):
    user = users["lots"]
    _enable(db, user)
    client = sign_in(app.test_client(), user)
    assert client.get("/").status_code == 200
    page = admin_client.get(f"/admin/anvandare/{user.id}").get_data(as_text=True)
    assert "Återställ tvåstegsverifiering" in page
    admin_client.post(f"/admin/anvandare/{user.id}/tvastegs/aterstall")
    db.session.refresh(user)
    assert not user.has_totp
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 0
    assert client.get("/").status_code == 302
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "reset_mfa")).one()
    assert event.actor_id == users["admin"].id
    assert event.entity_id == user.id
    # Only admins may reset.
    with pytest.raises(Exception, match="behörighet"):
        mfa.reset_mfa(users["admin"], actor=users["chef"])


def test_new_recovery_codes_replace_the_old_ones(app, db, users):
    user = users["lots"]
    _secret, old = _enable(db, user)
    client = sign_in(app.test_client(), user)
    html = client.post("/konto/tvastegs/reservkoder", data={"password": PASSWORD}).get_data(as_text=True)
    new = re.findall(r"<code>([A-Z0-9-]{19})</code>", html)
    assert len(new) == 10
    with pytest.raises(mfa.SecondFactorError):
        mfa.check_second_factor(db.session.get(User, user.id), old[0])
    assert mfa.check_second_factor(user, new[0]) == "password+recovery"


@pytest.mark.demo_data
def test_demo_data_leaves_two_step_off_and_says_so(app, runner, db, demo_output):
    app.config["LOTSBOK_MFA_DEFAULT_ROLES"] = ("admin", "chef")
    assert "Tvåstegsverifiering krävs inte för någon roll i demodatan" in demo_output
    assert mfa.required_roles(("admin", "chef")) == dict.fromkeys(("lots", "ledning", "chef", "admin"), False)
    # A later choice by an admin is kept when demo-data runs again.
    mfa.set_required_roles({"admin": True}, actor=None, default_roles=())
    db.session.commit()
    again = runner.invoke(args=["demo-data", "--quiet"])
    assert "lämnas som en administratör har valt" in again.output
    assert mfa.required_roles(())["admin"] is True


def test_cli_resets_two_step_verification_when_no_admin_can_sign_in(runner, db, users):
    user = users["admin"]
    _enable(db, user)
    result = runner.invoke(args=["users", "reset-mfa", "--email", user.email.upper()])
    assert result.exit_code == 0, result.output
    assert "är återställd" in result.output
    db.session.refresh(user)
    assert not user.has_totp
    assert runner.invoke(args=["users", "reset-mfa", "--email", "ingen@kommun.example"]).exit_code != 0
