"""Two-step verification for local accounts: TOTP (RFC 6238, pyotp) with ten single-use
recovery codes, the admin's requirement per role, and the admin's reset.

Enrolment: the secret is made when the user opens the page and kept in the Flask session until
the user proves it works (a code from the app plus the current password, ASVS 7.5.1); only then
is it stored. A code is accepted once (the time step is remembered), within ±1 step (30 s).
Recovery codes are 80 random bits shown once; only their SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime

import pyotp
import segno
import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit import services as audit
from app.auth.models import MfaRolePolicy, RecoveryCode, User
from app.auth.passwords import verify_password
from app.auth.sessions import end_all_sessions
from app.core.codes import swedish
from app.core.errors import ValidationError
from app.core.permissions import ROLE_LABELS, Perm, Role, require
from app.core.time import utcnow
from app.extensions import db

ISSUER = "Lotsbok"
RECOVERY_CODE_COUNT = 10
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (no external service, no inline style)."""
    return segno.make(uri, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title=_("QR-kod för autentiseringsappen"), svgclass="qr-code"
    )


def format_secret(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _matching_step(secret: str, code: str, now: datetime, after: int | None) -> int | None:
    """The time step (±1 around now) whose code is `code`, if later than `after`."""
    code = _normalise_code(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def code_matches(secret: str, code: str, *, now: datetime | None = None) -> bool:
    return _matching_step(secret, code, now or utcnow(), None) is not None


def _hash_code(code: str) -> str:
    return hashlib.sha256(_normalise_code(code).encode()).hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _i in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _replace_recovery_codes(user: User, now: datetime) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _i in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash_code(c), created_at=now) for c in codes)
    return codes


def enable_totp(
    user: User, secret: str, code: str, password: str, *, actor: User, now: datetime | None = None
) -> list[str]:
    """Switch TOTP on after proving the app works; returns the ten recovery codes (shown once).

    Raises ValidationError (on the field) for a wrong password or code; nothing changes.
    """
    if actor.id != user.id:
        raise ValidationError(_("Du kan bara slå på tvåstegsverifiering för dig själv."))
    now = now or utcnow()
    if user.has_password and not verify_password(user.password_hash, password):
        raise ValidationError(_("Lösenordet stämmer inte."), field="password")
    step = _matching_step(secret, code, now, None)
    if step is None:
        raise ValidationError(
            _(
                "Koden stämmer inte. Kontrollera att klockan i telefonen går rätt och skriv den kod som visas nu."
            ),
            field="code",
        )
    user.totp_secret, user.totp_enabled_at, user.totp_last_step = secret, now, step
    codes = _replace_recovery_codes(user, now)
    audit.record(
        actor,
        "enable_mfa",
        "users",
        user.id,
        summary="Tvåstegsverifiering påslagen",  # untranslated: audit trail
        now=now,
    )
    db.session.flush()
    return codes


def regenerate_recovery_codes(
    user: User, password: str, *, actor: User, now: datetime | None = None
) -> list[str]:
    """New recovery codes (the old ones stop working); needs the current password."""
    if actor.id != user.id or not user.has_totp:
        raise ValidationError(_("Tvåstegsverifiering är inte påslagen."))
    if user.has_password and not verify_password(user.password_hash, password):
        raise ValidationError(_("Lösenordet stämmer inte."), field="password")
    now = now or utcnow()
    codes = _replace_recovery_codes(user, now)
    audit.record(
        actor,
        "new_recovery_codes",
        "users",
        user.id,
        summary="Nya reservkoder",  # untranslated: audit trail
        now=now,
    )
    db.session.flush()
    return codes


def remaining_recovery_codes(user: User) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(RecoveryCode.id)).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        )
        or 0
    )


class SecondFactorError(ValidationError):
    """A wrong or reused code at sign-in (the attempt counts towards the throttle)."""


def check_second_factor(user: User, code: str, *, now: datetime | None = None) -> str:
    """Accept a TOTP code (once) or an unused recovery code; returns the method used.

    Raises SecondFactorError with a clear message; flushes what it used up.
    """
    now = now or utcnow()
    if not user.has_totp:
        raise SecondFactorError(_("Tvåstegsverifiering är inte påslagen för kontot."))
    normalised = _normalise_code(code)
    if len(normalised) == 6 and normalised.isdigit():
        step = _matching_step(user.totp_secret or "", normalised, now, user.totp_last_step)
        if step is None:
            if _matching_step(user.totp_secret or "", normalised, now, None) is not None:
                raise SecondFactorError(_("Koden är redan använd. Vänta på nästa kod i appen."), field="code")
            raise SecondFactorError(
                _("Koden stämmer inte. Försök igen med den kod som visas nu."), field="code"
            )
        user.totp_last_step = step
        db.session.flush()
        return "password+totp"
    row = db.session.scalar(
        sa.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash_code(normalised)
        )
    )
    if row is None:
        raise SecondFactorError(_("Koden stämmer inte. Försök igen med den kod som visas nu."), field="code")
    if row.used_at is not None:
        raise SecondFactorError(
            _("Reservkoden är redan använd. Varje reservkod fungerar en gång."), field="code"
        )
    # Conditional: two requests racing with the same code cannot both use it.
    used = db.session.execute(
        sa.update(RecoveryCode)
        .where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if not used:
        raise SecondFactorError(
            _("Reservkoden är redan använd. Varje reservkod fungerar en gång."), field="code"
        )
    audit.record(
        user,
        "use_recovery_code",
        "users",
        user.id,
        summary="Reservkod använd vid inloggning",  # untranslated: audit trail
        now=now,
    )
    db.session.flush()
    return "password+recovery"


def reset_mfa(user: User, *, actor: User | None, now: datetime | None = None) -> None:
    """Admin: switch off the user's two-step verification (lost phone) and end their sessions.

    `actor` None is the CLI (`flask users reset-mfa`, for when no admin can sign in).
    """
    if actor is not None:
        require(actor, Perm.MANAGE_USERS)
    now = now or utcnow()
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    end_all_sessions(user, now=now)
    audit.record(
        actor,
        "reset_mfa",
        "users",
        user.id,
        summary=f"Tvåstegsverifiering återställd för {user.email}",  # untranslated: audit trail
        now=now,
    )
    db.session.flush()


def required_roles(default_roles: Iterable[str]) -> dict[str, bool]:
    """For each role: must it use two-step verification? (admin's choice, else the default)."""
    chosen = {p.role: p.is_required for p in db.session.scalars(sa.select(MfaRolePolicy))}
    defaults = set(default_roles)
    return {role.value: chosen.get(role.value, role.value in defaults) for role in Role}


def is_required_for(role: str, default_roles: Iterable[str]) -> bool:
    policy = db.session.get(MfaRolePolicy, role)
    return policy.is_required if policy is not None else role in set(default_roles)


def set_required_roles(
    required: dict[str, bool],
    *,
    actor: User | None,
    default_roles: Iterable[str],
    now: datetime | None = None,
) -> list[str]:
    """Store the requirement for every role (audited); returns the labels of roles changed.

    `actor` None is the demo-data command.
    """
    if actor is not None:
        require(actor, Perm.MANAGE_USERS)
    now = now or utcnow()
    before = required_roles(default_roles)
    changed = []
    for role in Role:
        value = bool(required.get(role.value, False))
        policy = db.session.get(MfaRolePolicy, role.value)
        if policy is None:
            db.session.add(
                MfaRolePolicy(
                    role=role.value,
                    is_required=value,
                    updated_at=now,
                    updated_by_id=getattr(actor, "id", None),
                )
            )
        elif policy.is_required != value:
            policy.is_required, policy.updated_at, policy.updated_by_id = (
                value,
                now,
                getattr(actor, "id", None),
            )
        if before[role.value] != value:
            changed.append(str(ROLE_LABELS[role]))
            role_label = swedish(ROLE_LABELS[role])  # the audit trail is written in Swedish
            audit.record(
                actor,
                "mfa_policy",
                "mfa_role_policies",
                None,
                summary=f"Tvåstegsverifiering {'krävs' if value else 'krävs inte'} för {role_label}",  # untranslated: audit trail
                changes={"role": role.value, "is_required": [before[role.value], value]},
                now=now,
            )
    db.session.flush()
    return changed
