"""User accounts and the sign-in attempt log used for throttling."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

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
    # (sign-out, deactivation, password change), which a signed cookie alone cannot do.
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    locale: Mapped[str] = mapped_column(sa.String(5), default="sv", server_default="sv")
    last_sign_in_at: Mapped[datetime | None]
    # Mail settings (added by the follow-ups migration 0003): the daily follow-up digest, and
    # the monthly summary e-mail of the reports feature (NULL: not chosen; reports decides).
    digest_enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    monthly_summary_enabled: Mapped[bool | None]

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role_enum]

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class LoginAttempt(db.Model):
    """One row per sign-in attempt; counted in the database so limits hold across workers."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        sa.Index("ix_login_attempts_email_at", "email", "at"),
        sa.Index("ix_login_attempts_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    email: Mapped[str] = mapped_column(sa.String(254))
    ip: Mapped[str] = mapped_column(sa.String(64))
    succeeded: Mapped[bool]
