"""Users, sign-in, throttling and sessions at the service level."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth import services
from app.auth.passwords import verify_password
from app.core.errors import Conflict, PermissionDenied, ValidationError
from tests.builders.users import PASSWORD, make_user


def test_admin_creates_user_with_one_time_password_and_it_is_audited(db, users):
    admin = users["admin"]
    user = services.create_user(
        services.UserInput(email=" Ny.Lots@Kommun.example ", name="Åsa Öberg", role="lots"),
        "ett-långt-lösenord-1",
        actor=admin,
    )
    db.session.commit()
    assert user.email == "ny.lots@kommun.example"
    assert user.must_change_password is True
    assert verify_password(user.password_hash, "ett-långt-lösenord-1")
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.entity_type == "users", AuditEvent.entity_id == user.id)
    )
    assert event.action == "create"
    assert event.actor_id == admin.id
    assert "password_hash" not in event.changes


def test_only_admin_may_create_users(db, users):
    with pytest.raises(PermissionDenied):
        services.create_user(
            services.UserInput(email="x@kommun.example", name="X", role="lots"),
            "ett-långt-lösenord",
            actor=users["lots"],
        )


def test_duplicate_email_and_short_password_are_refused_in_swedish(db, users):
    with pytest.raises(Conflict, match="finns redan"):
        services.create_user(
            services.UserInput(email=users["lots"].email.upper(), name="X", role="lots"),
            "ett-långt-lösenord",
            actor=users["admin"],
        )
    with pytest.raises(ValidationError, match="minst 12 tecken"):
        services.create_user(
            services.UserInput(email="y@kommun.example", name="Y", role="lots"), "kort", actor=users["admin"]
        )


def test_update_records_old_and_new_values(db, users):
    lots = users["lots"]
    services.update_user(
        lots,
        services.UserInput(email=lots.email, name="Nytt Namn", role="chef"),
        actor=users["admin"],
        expected_version=lots.version,
    )
    db.session.commit()
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert event.changes["role"] == ["lots", "chef"]
    assert event.changes["name"][1] == "Nytt Namn"


def test_stale_edit_is_refused(db, users):
    from app.core.errors import StaleEdit

    lots = users["lots"]
    with pytest.raises(StaleEdit, match="Någon annan har ändrat"):
        services.update_user(
            lots,
            services.UserInput(email=lots.email, name="X", role="lots"),
            actor=users["admin"],
            expected_version=lots.version - 1,
        )


def test_authenticate_gives_one_generic_error_for_unknown_email_and_wrong_password(db, users):
    with pytest.raises(services.SignInRefused) as unknown:
        services.authenticate("ingen@kommun.example", PASSWORD, ip="10.0.0.1")
    with pytest.raises(services.SignInRefused) as wrong:
        services.authenticate(users["lots"].email, "fel-lösenord", ip="10.0.0.1")
    assert unknown.value.message == wrong.value.message == services.GENERIC_LOGIN_ERROR


def test_deactivated_user_cannot_sign_in(db, users):
    services.set_active(users["lots"], False, actor=users["admin"])
    with pytest.raises(services.SignInRefused):
        services.authenticate(users["lots"].email, PASSWORD, ip="10.0.0.1")


def test_change_password_rotates_the_session_token_and_ends_other_sessions(db, users):
    from app.auth import sessions

    user = users["lots"]
    here = sessions.start_session(
        user, method="password", ip="10.0.0.1", user_agent="a", lifetime=timedelta(hours=10)
    )
    here_id = user.get_id()
    sessions.start_session(
        user, method="password", ip="10.0.0.2", user_agent="b", lifetime=timedelta(hours=10)
    )
    elsewhere_id = user.get_id()
    db.session.commit()
    old_token = user.session_token
    with pytest.raises(ValidationError, match="Nuvarande lösenord"):
        services.change_password(user, "fel", "ett-nytt-långt-lösenord", actor=user)
    services.change_password(user, PASSWORD, "ett-nytt-långt-lösenord", actor=user, keep=here)
    db.session.commit()
    assert user.session_token != old_token
    assert sessions.load_user(here_id) is None  # old token: the cookie must be re-issued
    assert sessions.load_user(elsewhere_id) is None
    assert sessions.load_user(f"{user.id}:{user.session_token}:{here_id.rsplit(':', 1)[1]}") is user
    assert sessions.load_user(f"{user.id}:{user.session_token}:{elsewhere_id.rsplit(':', 1)[1]}") is None


def test_admin_cannot_deactivate_or_demote_themselves(db, users):
    admin = users["admin"]
    with pytest.raises(ValidationError):
        services.set_active(admin, False, actor=admin)
    with pytest.raises(ValidationError):
        services.update_user(
            admin, services.UserInput(email=admin.email, name=admin.name, role="lots"), actor=admin
        )


def test_one_time_password_forces_a_change(db, users):
    services.set_one_time_password(users["chef"], "tillfälligt-lösen-123", actor=users["admin"])
    user = services.authenticate(users["chef"].email, "tillfälligt-lösen-123", ip="10.0.0.1")
    assert user.must_change_password is True


def test_make_user_builder_is_usable(db):
    user = make_user("ledning")
    assert user.role == "ledning"
