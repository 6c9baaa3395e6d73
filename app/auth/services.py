"""User and sign-in services. They flush; the caller commits.

Sign-in failures must be committed even though sign-in fails (they feed the throttle), so
`authenticate` records the attempt and the view commits before it shows the error.

Password sign-in is two steps when the user has two-step verification: `authenticate` (e-mail
and password; throttled, see app.auth.throttle) and `verify_second_step` (a TOTP or recovery
code; the same throttle). `complete_sign_in` records the success and audits it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.audit import services as audit
from app.auth import mfa
from app.auth.models import User, UserSession, new_session_token
from app.auth.passwords import check_policy, hash_password, needs_rehash, verify_password
from app.auth.sessions import end_all_sessions, end_other_sessions, end_session
from app.auth.throttle import ThrottleRules, record_attempt, wait_for, wait_message
from app.core.codes import swedish
from app.core.db import check_version
from app.core.errors import Conflict, DomainError, NotFound, ValidationError
from app.core.permissions import Perm, Role, require
from app.core.time import utcnow
from app.extensions import db

log = logging.getLogger("lotsbok.auth")

GENERIC_LOGIN_ERROR = _l("Fel e-postadress eller lösenord.")
LOCAL_LOGIN_OFF_ERROR = _l("Inloggning med lösenord är avstängd. Använd knappen för kommunens konto ovan.")
OTP_EXPIRED_ERROR = _l(
    "Ditt engångslösenord har gått ut (det gäller i 72 timmar). Be en administratör om ett nytt."
)
METHOD_LABELS = {
    "password": _l("lösenord"),
    "password+totp": _l("lösenord och kod från app"),
    "password+recovery": _l("lösenord och reservkod"),
    "oidc": _l("kommunens konto"),
}


@dataclass(frozen=True)
class SignInPolicy:
    """The configuration a sign-in needs (built from app.config by the views)."""

    rules: ThrottleRules = field(default_factory=ThrottleRules)
    local_login: bool = True
    break_glass: tuple[str, ...] = ()
    one_time_password_lifetime: timedelta = timedelta(hours=72)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SignInPolicy:
        return cls(
            rules=ThrottleRules.from_config(config),
            local_login=config["LOTSBOK_LOCAL_LOGIN"],
            break_glass=tuple(config["LOTSBOK_BREAK_GLASS_ADMINS"]),
            one_time_password_lifetime=timedelta(hours=config["LOTSBOK_ONE_TIME_PASSWORD_HOURS"]),
        )

    def may_use_password(self, user: User) -> bool:
        """With local sign-in off only break-glass administrators may use a password."""
        if self.local_login:
            return True
        if user.role != Role.ADMIN:
            return False
        return not self.break_glass or user.email in self.break_glass


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
        raise ValidationError(_("Ange ett namn."), field="name")
    if "@" not in data.email:
        raise ValidationError(_("Ange en giltig e-postadress."), field="email")
    if data.role not in {r.value for r in Role}:
        raise ValidationError(_("Okänd roll."), field="role")


def create_user(
    data: UserInput,
    password: str,
    *,
    actor: User | None,
    must_change_password: bool = True,
    one_time_password_lifetime: timedelta = timedelta(hours=72),
) -> User:
    """Create a user. `actor` None means the CLI bootstrap (first admin); otherwise needs admin.

    A password the user must change (the default) is a one-time password: it expires after
    `one_time_password_lifetime`.
    """
    if actor is not None:
        require(actor, Perm.MANAGE_USERS)
    _validate(data)
    email = normalise_email(data.email)
    check_policy(password, name=data.name, email=email)
    if get_user_by_email(email):
        raise Conflict(_("Det finns redan en användare med den e-postadressen."), field="email")
    now = utcnow()
    user = User(
        email=email,
        name=data.name.strip(),
        role=data.role,
        department=data.department.strip(),
        password_hash=hash_password(password),
        must_change_password=must_change_password,
        password_expires_at=now + one_time_password_lifetime if must_change_password else None,
    )
    db.session.add(user)
    audit.record_create(actor, user, summary=f"Användare {email} skapad")  # untranslated: audit trail
    return user


def update_user(user: User, data: UserInput, *, actor: User, expected_version: int | None = None) -> User:
    """Change name, e-mail, role or department (admin)."""
    require(actor, Perm.MANAGE_USERS)
    check_version(user, expected_version)
    _validate(data)
    email = normalise_email(data.email)
    other = get_user_by_email(email)
    if other is not None and other.id != user.id:
        raise Conflict(_("Det finns redan en användare med den e-postadressen."), field="email")
    if user.id == actor.id and data.role != Role.ADMIN:
        raise ValidationError(_("Du kan inte ta bort din egen administratörsroll."), field="role")
    user.email, user.name, user.role = email, data.name.strip(), data.role
    user.department = data.department.strip()
    audit.record_update(actor, user)
    db.session.flush()
    return user


def set_active(user: User, active: bool, *, actor: User) -> User:
    """Deactivate (ending every session) or reactivate a user. Nothing is deleted."""
    require(actor, Perm.MANAGE_USERS)
    if user.id == actor.id and not active:
        raise ValidationError(_("Du kan inte inaktivera dig själv."))
    user.is_active = active
    if not active:
        end_all_sessions(user)
    summary = "Aktiverad" if active else "Inaktiverad"  # untranslated: audit trail
    audit.record_update(actor, user, summary=summary)
    db.session.flush()
    return user


def set_one_time_password(
    user: User,
    password: str,
    *,
    actor: User,
    lifetime: timedelta = timedelta(hours=72),
    now: datetime | None = None,
) -> User:
    """Admin sets a temporary password; it expires after `lifetime`, the user must change it at
    the next sign-in, and every session of the user ends."""
    require(actor, Perm.MANAGE_USERS)
    now = now or utcnow()
    check_policy(password, name=user.name, email=user.email)
    user.password_hash = hash_password(password)
    user.has_password = True
    user.must_change_password = True
    user.password_expires_at = now + lifetime
    end_all_sessions(user, now=now)
    audit.record(
        actor,
        "set_password",
        "users",
        user.id,
        summary="Engångslösenord satt",  # untranslated: audit trail
        now=now,
    )
    db.session.flush()
    return user


def change_password(
    user: User, current: str, new: str, *, actor: User, keep: UserSession | None = None
) -> User:
    """The user changes their own password; every other session ends (the token rotates, and
    every session row but `keep` ends)."""
    if actor.id != user.id:
        raise ValidationError(_("Du kan bara byta ditt eget lösenord."))
    if not user.has_password or not verify_password(user.password_hash, current):
        raise ValidationError(_("Nuvarande lösenord stämmer inte."), field="current_password")
    check_policy(new, field="new_password", name=user.name, email=user.email)
    if verify_password(user.password_hash, new):
        raise ValidationError(_("Välj ett nytt lösenord, inte det nuvarande."), field="new_password")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.password_expires_at = None
    # The token rotates (every cookie of the user is void at once) and every other session row
    # ends; the caller signs this session in again with the new token.
    user.session_token = new_session_token()
    end_other_sessions(user, keep)
    summary = "Lösenord bytt"  # untranslated: audit trail
    audit.record(actor, "change_password", "users", user.id, summary=summary)
    db.session.flush()
    return user


def authenticate(
    email: str,
    password: str,
    *,
    ip: str,
    policy: SignInPolicy | None = None,
    now: datetime | None = None,
) -> User:
    """The first step of a password sign-in: return the user for valid credentials or raise
    SignInRefused (the same message for an unknown e-mail and a wrong password).

    Throttled per (account, address) with growing delays, plus a ceiling per address for
    unknown accounts (app.auth.throttle). Refused attempts are recorded; the caller commits
    either way. The success itself is recorded by `complete_sign_in` (after a second step).
    A hash made with older Argon2 parameters is replaced here, while the password is at hand.
    """
    policy = policy or SignInPolicy()
    now = now or utcnow()
    email_norm = normalise_email(email)[:254]
    user = get_user_by_email(email_norm)
    wait = wait_for(email_norm, ip, known=user is not None, rules=policy.rules, now=now)
    if wait is not None:
        record_attempt(email_norm, ip, user=user, reason="throttled", now=now)
        log.warning(
            "sign-in throttled: account=%s address=%s wait=%ss", email_norm, ip, int(wait.total_seconds())
        )
        raise SignInRefused(wait_message(wait))
    usable = user.password_hash if user is not None and user.has_password else None
    if not verify_password(usable, password) or user is None:
        record_attempt(email_norm, ip, user=user, reason="wrong", now=now)
        log.info("sign-in failed: account=%s address=%s", email_norm, ip)
        raise SignInRefused(str(GENERIC_LOGIN_ERROR))
    if not user.is_active:
        record_attempt(email_norm, ip, user=user, reason="inactive", now=now)
        raise SignInRefused(str(GENERIC_LOGIN_ERROR))
    if not policy.may_use_password(user):
        record_attempt(email_norm, ip, user=user, reason="local_off", now=now)
        raise SignInRefused(str(LOCAL_LOGIN_OFF_ERROR))
    if user.must_change_password and user.password_expires_at is not None and now >= user.password_expires_at:
        record_attempt(email_norm, ip, user=user, reason="otp_expired", now=now)
        raise SignInRefused(str(OTP_EXPIRED_ERROR))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.flush()
    return user


def verify_second_step(
    user: User, code: str, *, ip: str, policy: SignInPolicy | None = None, now: datetime | None = None
) -> str:
    """The second step: a TOTP code or a recovery code. Returns the sign-in method.

    Wrong codes count towards the same (account, address) delay as wrong passwords. Raises
    SignInRefused with a clear message (wrong code, code already used, throttled).
    """
    policy = policy or SignInPolicy()
    now = now or utcnow()
    wait = wait_for(user.email, ip, known=True, rules=policy.rules, now=now)
    if wait is not None:
        record_attempt(user.email, ip, user=user, reason="throttled", now=now)
        log.warning("two-step sign-in throttled: account=%s address=%s", user.email, ip)
        raise SignInRefused(wait_message(wait))
    try:
        return mfa.check_second_factor(user, code, now=now)
    except mfa.SecondFactorError as exc:
        record_attempt(user.email, ip, user=user, reason="mfa_wrong", now=now)
        log.info("two-step sign-in failed: account=%s address=%s", user.email, ip)
        raise SignInRefused(exc.message) from exc


def complete_sign_in(user: User, *, method: str, ip: str, now: datetime | None = None) -> None:
    """Record a successful sign-in (attempt log, last sign-in, audit trail). Flushes."""
    now = now or utcnow()
    record_attempt(user.email, ip, user=user, reason="ok", now=now)
    user.last_sign_in_at = now
    method_label = swedish(METHOD_LABELS.get(method, method))  # the audit trail is written in Swedish
    audit.record(
        user,
        "sign_in",
        "users",
        user.id,
        summary=f"Inloggning ({method_label})",  # untranslated: audit trail
        now=now,
    )
    db.session.flush()


def sign_out(user: User, row: UserSession | None = None) -> None:
    """End this sign-in session (other devices stay signed in; see `sign_out_others`)."""
    if row is not None:
        end_session(row)
    audit.record(user, "sign_out", "users", user.id, summary="Utloggning")
    db.session.flush()


def sign_out_others(user: User, keep: UserSession | None, *, now: datetime | None = None) -> int:
    """ "Logga ut alla andra": end every other session of the user; returns how many."""
    count = end_other_sessions(user, keep, now=now)
    audit.record(
        user,
        "sign_out_others",
        "users",
        user.id,
        summary=f"Utloggning av {count} andra inloggningar",  # untranslated: audit trail
        now=now,
    )
    db.session.flush()
    return count


def get_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("Användaren finns inte."))
    return user


def users_select() -> sa.Select:
    """Every user, active first, by name (the admin's list pages through it)."""
    return sa.select(User).order_by(User.is_active.desc(), User.name, User.id)


def list_users() -> list[User]:
    return list(db.session.scalars(users_select()))
