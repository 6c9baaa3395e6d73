"""User accounts, sign-in sessions, two-step verification, the sign-in attempt log used for
throttling, and the security event log (refused requests, CSRF failures, throttling)."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import TimestampMixin, VersionedMixin
from app.core.permissions import ROLE_LABELS, Role
from app.core.time import utcnow
from app.extensions import db


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[str] = mapped_column(sa.String(20))
    department: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Part of the session identity: rotating it ends every session of the user at once
    # (deactivation, password change, MFA reset), which a signed cookie alone cannot do. Each
    # sign-in is also a `user_sessions` row (absolute lifetime, "Mina inloggningar").
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    # False for accounts created by single sign-on: they have no password anyone knows.
    has_password: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # An admin-set one-time password stops working at this time (72 h).
    password_expires_at: Mapped[datetime | None]
    # The OpenID Connect subject ("sub") of the linked account at the configured issuer.
    oidc_subject: Mapped[str | None] = mapped_column(sa.String(255), unique=True, index=True)
    # TOTP (RFC 6238): the base32 secret, when it was switched on, and the last time step used
    # (a code is accepted once only).
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]
    locale: Mapped[str] = mapped_column(sa.String(5), default="sv", server_default="sv")
    last_sign_in_at: Mapped[datetime | None]
    # Mail settings (added by the follow-ups migration 0003): the daily follow-up digest, and
    # the monthly summary e-mail of the reports feature (NULL: not chosen; reports decides).
    digest_enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    monthly_summary_enabled: Mapped[bool | None]

    # The raw token of the sign-in session this request belongs to (set by the session loader
    # or when a session starts; never stored on the row).
    _session_key = None
    _session_row = None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}:{self._session_key or ''}"

    @property
    def has_totp(self) -> bool:
        return self.totp_enabled_at is not None and bool(self.totp_secret)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[self.role_enum])

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class LoginAttempt(db.Model):
    """One row per sign-in attempt; counted in the database so limits hold across workers.

    `reason`: ok, wrong (password or unknown account), mfa_wrong (TOTP or recovery code),
    throttled (refused without checking), inactive, local_off, otp_expired. Only `wrong` and
    `mfa_wrong` rows count towards delays; an admin lifting a delay sets `cleared_at`.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (
        sa.Index("ix_login_attempts_email_at", "email", "at"),
        sa.Index("ix_login_attempts_ip_at", "ip", "at"),
        sa.Index("ix_login_attempts_email_ip_at", "email", "ip", "at"),
        sa.Index("ix_login_attempts_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    email: Mapped[str] = mapped_column(sa.String(254))
    ip: Mapped[str] = mapped_column(sa.String(64))
    succeeded: Mapped[bool]
    # The account the e-mail belonged to at the time (NULL: unknown account).
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(20), default="wrong", server_default="wrong")
    cleared_at: Mapped[datetime | None]

    COUNTED = ("wrong", "mfa_wrong")


class UserSession(db.Model):
    """One sign-in: created at sign-in with a fresh random token (only its SHA-256 is stored),
    valid until `expires_at` (absolute lifetime from sign-in) unless ended earlier."""

    __tablename__ = "user_sessions"
    __table_args__ = (sa.Index("ix_user_sessions_user_ended", "user_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime | None]
    ip: Mapped[str] = mapped_column(sa.String(64), default="")
    user_agent: Mapped[str] = mapped_column(sa.String(300), default="")
    method: Mapped[str] = mapped_column(sa.String(20))  # password, password+totp, password+recovery, oidc
    # Kept for RP-initiated logout (id_token_hint); dropped when the session ends.
    id_token: Mapped[str | None] = mapped_column(sa.Text)

    user = relationship("User", lazy="joined")

    def is_active_at(self, now: datetime) -> bool:
        return self.ended_at is None and now < self.expires_at


class RecoveryCode(db.Model):
    """A single-use recovery code for two-step verification; only its SHA-256 is stored
    (the codes are 80 random bits, so a fast hash is enough)."""

    __tablename__ = "recovery_codes"
    __table_args__ = (sa.UniqueConstraint("user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class MfaRolePolicy(db.Model):
    """The admin's choice per role: must two-step verification be used? No row: the config default."""

    __tablename__ = "mfa_role_policies"

    role: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    is_required: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))


class SecurityEvent(db.Model):
    """Refused requests (403), CSRF failures, throttled sign-ins and failed single sign-ons, for
    the admin's security page (ASVS 16.3). Pruned with the sign-in attempts."""

    __tablename__ = "security_events"
    __table_args__ = (
        sa.Index("ix_security_events_at", "at"),
        sa.Index("ix_security_events_kind_at", "kind", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(sa.String(30))  # forbidden, csrf, throttled, oidc_failed
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    ip: Mapped[str] = mapped_column(sa.String(64), default="")
    path: Mapped[str] = mapped_column(sa.String(300), default="")
    detail: Mapped[str] = mapped_column(sa.String(300), default="")
