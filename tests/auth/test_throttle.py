"""The sign-in throttle: delays per (account, address), the unknown-account ceiling per address,
nobody locked out by someone else's failures, the admin lifting a delay, pruning, and the
office behind a trusted proxy."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import requests
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth import services, throttle
from app.auth.models import LoginAttempt, SecurityEvent, UserSession
from app.core.time import utcnow
from tests.builders.users import PASSWORD
from tests.live import LiveServer, serve

ATTACKER = "203.0.113.9"
OFFICE = "198.51.100.20"


def _fail(email: str, ip: str, now, times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(services.SignInRefused):
            services.authenticate(email, "fel-lösenord-helt-enkelt", ip=ip, now=now)


def test_delays_grow_per_account_and_address_and_never_block_another_address(db, users):
    email, now = users["admin"].email, utcnow()
    _fail(email, ATTACKER, now, times=5)  # five free failures
    db.session.commit()
    # Now even the right password waits – from that address only.
    with pytest.raises(services.SignInRefused, match="Vänta 20 sekunder"):
        services.authenticate(email, PASSWORD, ip=ATTACKER, now=now + timedelta(seconds=10))
    assert (
        services.authenticate(email, PASSWORD, ip=OFFICE, now=now + timedelta(seconds=10)).id
        == users["admin"].id
    )
    # After the delay one more try is allowed; failing it doubles the delay.
    _fail(email, ATTACKER, now + timedelta(seconds=31))
    with pytest.raises(services.SignInRefused, match="Vänta 51 sekunder"):
        services.authenticate(email, PASSWORD, ip=ATTACKER, now=now + timedelta(seconds=40))
    assert (
        services.authenticate(email, PASSWORD, ip=ATTACKER, now=now + timedelta(seconds=92)).id
        == users["admin"].id
    )
    # Throttled attempts are logged but do not count as failures.
    reasons = db.session.scalars(sa.select(LoginAttempt.reason).where(LoginAttempt.ip == ATTACKER)).all()
    assert reasons.count("throttled") == 2
    assert reasons.count("wrong") == 6


def test_the_delay_doubles_up_to_fifteen_minutes():
    rules = throttle.ThrottleRules()
    assert [rules.delay_after(n).total_seconds() for n in range(4, 12)] == [
        0,
        30,
        60,
        120,
        240,
        480,
        900,
        900,
    ]


def test_unknown_account_ceiling_stops_only_unknown_accounts_from_that_address(db, users):
    now = utcnow()
    for n in range(10):
        _fail(f"gissning{n}@kommun.example", ATTACKER, now)
    db.session.commit()
    with pytest.raises(services.SignInRefused, match="För många misslyckade"):
        services.authenticate("gissning99@kommun.example", "x", ip=ATTACKER, now=now + timedelta(seconds=5))
    # Real users sign in, from another address and even from the same one.
    assert services.authenticate(users["chef"].email, PASSWORD, ip=OFFICE, now=now).id == users["chef"].id
    assert services.authenticate(users["admin"].email, PASSWORD, ip=ATTACKER, now=now).id == users["admin"].id
    # The ceiling frees up as the failures leave the 15-minute window.
    with pytest.raises(services.SignInRefused, match="Fel e-postadress eller lösenord"):
        services.authenticate("gissning99@kommun.example", "x", ip=ATTACKER, now=now + timedelta(minutes=16))


def test_admin_sees_the_delay_and_lifts_it_audited(db, users):
    email, now = users["lots"].email, utcnow()
    _fail(email, ATTACKER, now, times=5)
    db.session.commit()
    delays = throttle.list_delays(rules=throttle.ThrottleRules(), now=now)
    assert [(d.email, d.ip, d.failures) for d in delays] == [(email, ATTACKER, 5)]
    assert throttle.lift_delay(email, ATTACKER, actor=users["admin"], now=now) == 5
    db.session.commit()
    assert throttle.list_delays(rules=throttle.ThrottleRules(), now=now) == []
    assert services.authenticate(email, PASSWORD, ip=ATTACKER, now=now).id == users["lots"].id
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "lift_throttle")).one()
    assert event.actor_id == users["admin"].id
    assert ATTACKER in event.summary


def test_failed_sign_ins_page_shows_address_account_and_lifts(app, db, users, admin_client):
    now = utcnow()
    _fail(users["lots"].email, ATTACKER, now, times=6)
    _fail("okand@kommun.example", ATTACKER, now)
    db.session.commit()
    html = admin_client.get("/admin/inloggning").get_data(as_text=True)
    assert ATTACKER in html
    assert users["lots"].email in html
    assert "okand@kommun.example" in html
    assert "okänt konto" in html
    assert "Häv fördröjningen" in html
    response = admin_client.post(
        "/admin/inloggning/fordrojning/hav", data={"email": users["lots"].email, "ip": ATTACKER}
    )
    assert response.status_code == 302
    html = admin_client.get("/admin/inloggning").get_data(as_text=True)
    assert "Ingen måste vänta just nu." in html


def test_prune_job_deletes_old_attempts_events_and_sessions_and_is_idempotent(app, db, users):
    from app.auth.jobs import prune_sign_in_attempts
    from app.auth.security import record_event
    from app.auth.sessions import start_session

    now = utcnow()
    old = now - timedelta(days=91)
    services.complete_sign_in(users["lots"], method="password", ip=OFFICE, now=old)
    services.complete_sign_in(users["lots"], method="password", ip=OFFICE, now=now)
    record_event("forbidden", user_id=None, ip=OFFICE, path="/admin", now=old)
    start_session(
        users["lots"], method="password", ip=OFFICE, user_agent="", lifetime=timedelta(hours=10), now=old
    )
    start_session(
        users["lots"], method="password", ip=OFFICE, user_agent="", lifetime=timedelta(hours=10), now=now
    )
    db.session.commit()
    assert prune_sign_in_attempts(now=now) == 3
    assert prune_sign_in_attempts(now=now) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SecurityEvent)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 1


def test_prune_job_is_registered_once():
    from app.scheduler.registry import JOBS, get_job

    assert [job.id for job in JOBS].count("auth.prune_sign_in_attempts") == 1
    assert get_job("auth.prune_sign_in_attempts").resolve().__name__ == "prune_sign_in_attempts"


def _sign_in_over_http(
    server: LiveServer, email: str, password: str, client_address: str
) -> requests.Response:
    """Sign in through the form as a browser behind the proxy would (the proxy appends the
    client's address to X-Forwarded-For)."""
    http = server.client()
    http.headers["X-Forwarded-For"] = client_address
    return http.submit(
        "/logga-in", {"email": email, "password": password}, form_page="/logga-in", allow_redirects=True
    )


def test_behind_a_trusted_proxy_guesses_at_unknown_accounts_lock_nobody_out(
    app, db, users, database_url, tmp_path
):
    """The reported lock-out: 10+ failures with unknown accounts from one address, then a
    real user and the admin sign in at the same moment – on gunicorn's two worker processes,
    configured for one proxy the way an operator would (LOTSBOK_TRUSTED_PROXIES=1)."""
    with serve(database_url, tmp_path, env={"LOTSBOK_TRUSTED_PROXIES": "1"}) as server:
        for n in range(12):
            # The attacker also forges an X-Forwarded-For of its own; only the proxy's entry counts.
            response = _sign_in_over_http(
                server, f"gissning{n}@kommun.example", "fel", f"10.9.9.{n}, {ATTACKER}"
            )
            assert "Fel e-postadress eller lösenord." in response.text or "Vänta" in response.text
        results: dict[str, requests.Response] = {}
        emails = {role: users[role].email for role in ("lots", "admin")}

        def sign_in(role: str, address: str) -> None:
            results[role] = _sign_in_over_http(server, emails[role], PASSWORD, address)

        threads = [
            threading.Thread(target=sign_in, args=("lots", OFFICE)),
            threading.Thread(target=sign_in, args=("admin", ATTACKER)),  # even from the same address
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert server.new_errors(0) == ""
    assert "Hej Test" in results["lots"].text, results["lots"].text[:500]
    assert "Hej Test" in results["admin"].text, results["admin"].text[:500]
    db.session.rollback()  # a fresh snapshot: the server wrote meanwhile
    ips = set(db.session.scalars(sa.select(LoginAttempt.ip).where(LoginAttempt.reason != "ok")))
    assert ips == {ATTACKER}  # counted at the client's real address, not the proxy's (127.0.0.1)
    ok = db.session.scalars(sa.select(LoginAttempt).where(LoginAttempt.reason == "ok")).all()
    assert {(a.email, a.ip) for a in ok} == {(users["lots"].email, OFFICE), (users["admin"].email, ATTACKER)}


def test_without_trusted_proxies_x_forwarded_for_is_ignored(app, db, users, database_url, tmp_path):
    with serve(database_url, tmp_path) as server:
        response = _sign_in_over_http(server, "okand@kommun.example", "fel", ATTACKER)
    assert "Fel e-postadress eller lösenord." in response.text
    db.session.rollback()  # a fresh snapshot: the server wrote meanwhile
    assert db.session.scalars(sa.select(LoginAttempt.ip)).all() == ["127.0.0.1"]
