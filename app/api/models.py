"""Personal access tokens for the JSON API, and the admin's limit on how long they may live.

* Only the SHA-256 of a token is stored (`token_hash`); the token itself is shown once when it
  is made. Tokens are 32 random bytes, so a plain hash is enough (no password hashing needed).
* `prefix` is the first characters of the token, so a user can tell their tokens apart.
* `rate_window_start` / `rate_count` are the per-token request counter of the current minute,
  kept in the database so the limit holds across gunicorn workers (see app.api.tokens).
* A token dies with its user's deactivation (`revoked_reason = "deactivated"`, see
  app.api.tokens.revoke_tokens_of_deactivated_users) and is never revived.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User

READ = "read"
WRITE = "write"
SCOPES: dict[str, str] = {READ: "Läsa", WRITE: "Läsa och skriva"}

REVOKE_REASONS: dict[str, str] = {
    "user": "återkallad av användaren",
    "admin": "återkallad av administratör",
    "deactivated": "användaren inaktiverades",
}


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    __table_args__ = (
        sa.CheckConstraint("scope IN ('read', 'write')", name="scope"),
        # "Mina API-nycklar" and the deactivation hook.
        sa.Index("ix_api_tokens_user_id_revoked_at", "user_id", "revoked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(16))
    scope: Mapped[str] = mapped_column(sa.String(10), default=READ)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    revoked_reason: Mapped[str | None] = mapped_column(sa.String(20))
    rate_window_start: Mapped[datetime | None]
    rate_count: Mapped[int] = mapped_column(default=0, server_default="0")

    user: Mapped[User] = relationship("User", foreign_keys=[user_id], lazy="raise")

    @property
    def scope_label(self) -> str:
        return SCOPES.get(self.scope, self.scope)

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now

    def state_label(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "Återkallad (" + REVOKE_REASONS.get(self.revoked_reason or "", "återkallad") + ")"
        if self.expires_at <= now:
            return "Har gått ut"
        return "Aktiv"

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix}… {self.scope}>"


class ApiTokenPolicy(db.Model):
    """One row (id 1): the longest lifetime a token may get, set by an administrator.

    Without a row the configured default (LOTSBOK_API_TOKEN_MAX_DAYS) applies.
    """

    __tablename__ = "api_token_policy"
    __table_args__ = (sa.CheckConstraint("max_days BETWEEN 1 AND 3650", name="max_days"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    max_days: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
