"""User and sign-in services. They flush; the caller commits.

Sign-in failures must be committed even though sign-in fails (they feed the throttle), so
`authenticate` records the attempt and the view commits before it shows the error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.audit import services as audit
from app.auth.models import LoginAttempt, User, new_session_token
from app.auth.passwords import check_policy, hash_password, verify_password
from app.core.db import check_version
from app.core.errors import Conflict, DomainError, NotFound, ValidationError
from app.core.permissions import Perm, Role, require
from app.core.time import utcnow
from app.extensions import db

GENERIC_LOGIN_ERROR = "Fel e-postadress eller lösenord."
THROTTLED_ERROR = (
    "För många misslyckade inloggningsförsök. Vänta 15 minuter och försök igen, "
    "eller kontakta en administratör."
)


class SignInRefused(DomainError):
    """Wrong credentials, inactive account, or throttled. The message is deliberately generic."""

    status_code = 401


@dataclass(frozen=True)
class UserInput:
    email: str
    name: str
    role: str
    department: str = ""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def _validate(data: UserInput) -> None:
    if not data.name.strip():
        raise ValidationError("Ange ett namn.", field="name")
    if "@" not in data.email:
        raise ValidationError("Ange en giltig e-postadress.", field="email")
    if data.role not in {r.value for r in Role}:
        raise ValidationError("Okänd roll.", field="role")


def create_user(
    data: UserInput, password: str, *, actor: User | None, must_change_password: bool = True
) -> User:
    """Create a user. `actor` None means the CLI bootstrap (first admin); otherwise needs admin."""
    if actor is not None:
        require(actor, Perm.MANAGE_USERS)
    _validate(data)
    check_policy(password)
    email = normalise_email(data.email)
    if get_user_by_email(email):
        raise Conflict("Det finns redan en användare med den e-postadressen.", field="email")
    user = User(
        email=email,
        name=data.name.strip(),
        role=data.role,
        department=data.department.strip(),
        password_hash=hash_password(password),
        must_change_password=must_change_password,
    )
    db.session.add(user)
    audit.record_create(actor, user, summary=f"Användare {email} skapad")
    return user


def update_user(user: User, data: UserInput, *, actor: User, expected_version: int | None = None) -> User:
    """Change name, e-mail, role or department (admin)."""
    require(actor, Perm.MANAGE_USERS)
    check_version(user, expected_version)
    _validate(data)
    email = normalise_email(data.email)
    other = get_user_by_email(email)
    if other is not None and other.id != user.id:
        raise Conflict("Det finns redan en användare med den e-postadressen.", field="email")
    if user.id == actor.id and data.role != Role.ADMIN:
        raise ValidationError("Du kan inte ta bort din egen administratörsroll.", field="role")
    user.email, user.name, user.role = email, data.name.strip(), data.role
    user.department = data.department.strip()
    audit.record_update(actor, user)
    db.session.flush()
    return user


def set_active(user: User, active: bool, *, actor: User) -> User:
    """Deactivate (ending every session) or reactivate a user. Nothing is deleted."""
    require(actor, Perm.MANAGE_USERS)
    if user.id == actor.id and not active:
        raise ValidationError("Du kan inte inaktivera dig själv.")
    user.is_active = active
    if not active:
        user.session_token = new_session_token()
    audit.record_update(actor, user, summary="Aktiverad" if active else "Inaktiverad")
    db.session.flush()
    return user


def set_one_time_password(user: User, password: str, *, actor: User) -> User:
    """Admin sets a temporary password; the user must change it at the next sign-in."""
    require(actor, Perm.MANAGE_USERS)
    check_policy(password)
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.session_token = new_session_token()
    audit.record(actor, "set_password", "users", user.id, summary="Engångslösenord satt")
    db.session.flush()
    return user


def change_password(user: User, current: str, new: str, *, actor: User) -> User:
    """The user changes their own password; other sessions end (the token rotates)."""
    if actor.id != user.id:
        raise ValidationError("Du kan bara byta ditt eget lösenord.")
    if not verify_password(user.password_hash, current):
        raise ValidationError("Nuvarande lösenord stämmer inte.", field="current_password")
    check_policy(new, field="new_password")
    if verify_password(user.password_hash, new):
        raise ValidationError("Välj ett nytt lösenord, inte det nuvarande.", field="new_password")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.session_token = new_session_token()
    audit.record(actor, "change_password", "users", user.id, summary="Lösenord bytt")
    db.session.flush()
    return user


def _recent_failures(column: sa.ColumnElement, value: str, since: datetime) -> int:
    stmt = sa.select(sa.func.count(LoginAttempt.id)).where(
        column == value, LoginAttempt.at >= since, LoginAttempt.succeeded.is_(False)
    )
    return db.session.scalar(stmt) or 0


def authenticate(
    email: str,
    password: str,
    *,
    ip: str,
    now: datetime | None = None,
    max_failures: int = 10,
    window: timedelta = timedelta(minutes=15),
) -> User:
    """Return the user for valid credentials or raise SignInRefused.

    Throttled per account and per IP address (counted in the database, so the limit holds
    across gunicorn workers). Every attempt is recorded; the caller must commit either way.
    """
    now = now or utcnow()
    email_norm = normalise_email(email)[:254]
    since = now - window
    if (
        _recent_failures(LoginAttempt.email, email_norm, since) >= max_failures
        or _recent_failures(LoginAttempt.ip, ip, since) >= max_failures
    ):
        db.session.add(LoginAttempt(at=now, email=email_norm, ip=ip, succeeded=False))
        raise SignInRefused(THROTTLED_ERROR)
    user = get_user_by_email(email_norm)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        db.session.add(LoginAttempt(at=now, email=email_norm, ip=ip, succeeded=False))
        raise SignInRefused(GENERIC_LOGIN_ERROR)
    db.session.add(LoginAttempt(at=now, email=email_norm, ip=ip, succeeded=True))
    user.last_sign_in_at = now
    audit.record(user, "sign_in", "users", user.id, summary="Inloggning", now=now)
    db.session.flush()
    return user


def sign_out(user: User) -> None:
    """End every session of the user by rotating the session token."""
    user.session_token = new_session_token()
    audit.record(user, "sign_out", "users", user.id, summary="Utloggning")
    db.session.flush()


def load_user_from_session_id(session_id: str) -> User | None:
    """Flask-Login user loader: the id must match the current session token."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_token != token:
        return None
    return user


def get_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("Användaren finns inte.")
    return user


def list_users() -> list[User]:
    return list(db.session.scalars(sa.select(User).order_by(User.is_active.desc(), User.name)))
