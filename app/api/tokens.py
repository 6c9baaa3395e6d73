"""Personal access tokens: make, revoke, check, and count requests per token.

Services here follow the house rules (explicit `actor`, permission checks, audit, flush, never
commit). `check_request_token` is the one exception: it runs before the API request's own
transaction, on a connection of its own, and commits its small UPDATE at once, so

* the request counter and `last_used_at` are kept even when the request itself fails and
  rolls back (a client sending broken requests is limited too), and
* on SQLite it never waits for the write lock that a write request's own transaction takes
  (BEGIN IMMEDIATE in app.core.web) – it is done before that transaction starts.

The counter is a fixed one-minute window per token, stored on the token's row and updated with
one atomic UPDATE, so the limit holds across gunicorn workers (an in-process counter would be
per worker and multiply the limit by the number of workers).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from app.api.models import READ, SCOPES, WRITE, ApiToken, ApiTokenPolicy
from app.audit import services as audit
from app.auth.models import User
from app.core.errors import NotFound, PermissionDenied, ValidationError
from app.core.permissions import Perm, can, require
from app.core.time import utcnow
from app.extensions import db

TOKEN_PREFIX = "lb_"  # noqa: S105 - a visible prefix, not a secret
DEFAULT_DAYS = 90
RATE_WINDOW = timedelta(minutes=1)


def generate_token() -> str:
    """A new secret: "lb_" and 43 URL-safe characters (32 random bytes)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def max_days() -> int:
    """The longest lifetime an administrator allows (LOTSBOK_API_TOKEN_MAX_DAYS until set)."""
    policy = db.session.get(ApiTokenPolicy, 1)
    if policy is not None:
        return policy.max_days
    return int(current_app.config.get("LOTSBOK_API_TOKEN_MAX_DAYS", 365))


def default_days() -> int:
    return min(DEFAULT_DAYS, max_days())


def rate_limit() -> int:
    """Requests per token and minute (LOTSBOK_API_RATE_LIMIT)."""
    return int(current_app.config.get("LOTSBOK_API_RATE_LIMIT", 120))


@dataclass(frozen=True)
class TokenInput:
    name: str
    scope: str = READ
    days: int | None = None


def create_token(
    user: User, data: TokenInput, *, actor: User | None, system: bool = False, now: datetime | None = None
) -> tuple[ApiToken, str]:
    """Make a token for `user`; returns the row and the secret (shown once, never stored).

    A user makes tokens for themselves; `system=True` is the CLI (server access). The lifetime
    defaults to 90 days and may not exceed the administrator's maximum. Raises
    PermissionDenied, ValidationError. Flushes.
    """
    if not system:
        require(actor, Perm.VIEW_START)
        if actor is None or actor.id != user.id:
            raise PermissionDenied("Du kan bara skapa API-nycklar åt dig själv.")
    if not user.is_active:
        raise ValidationError("Användaren är inaktiverad.", field="user")
    name = " ".join((data.name or "").split())
    if not name:
        raise ValidationError("Ge nyckeln ett namn, t.ex. vilket system som ska använda den.", field="name")
    if len(name) > 100:
        raise ValidationError("Namnet får vara högst 100 tecken.", field="name")
    if data.scope not in SCOPES:
        raise ValidationError("Välj behörighet: läsa eller läsa och skriva.", field="scope")
    if data.scope not in scopes_allowed(user):
        raise ValidationError(
            "Din roll kan inte ändra något via API:t; välj behörigheten läsa.", field="scope"
        )
    limit = max_days()
    days = default_days() if data.days is None else data.days
    if not 1 <= days <= limit:
        raise ValidationError(f"Giltighetstiden ska vara 1–{limit} dagar.", field="days")
    now = now or utcnow()
    secret = generate_token()
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=hash_token(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        scope=data.scope,
        created_at=now,
        created_by_id=actor.id if actor is not None else None,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        actor, "create", "api_tokens", token.id, now=now,
        summary=f"API-nyckel ”{name}” ({SCOPES[data.scope].lower()}) skapad för {user.email}",
        changes={"name": name, "scope": data.scope, "user_id": user.id,
                 "expires_at": token.expires_at.isoformat()},
    )  # fmt: skip
    return token, secret


def revoke_token(
    token: ApiToken, *, actor: User | None, system: bool = False, now: datetime | None = None
) -> ApiToken:
    """Revoke a token at once: its owner, an administrator, or the CLI (`system=True`).
    Revoking twice changes nothing."""
    own = actor is not None and actor.id == token.user_id
    if not own and not system:
        require(actor, Perm.MANAGE_USERS)
    if token.revoked_at is not None:
        return token
    now = now or utcnow()
    token.revoked_at = now
    token.revoked_by_id = actor.id if actor is not None else None
    token.revoked_reason = "user" if own else "admin"
    audit.record(
        actor, "revoke", "api_tokens", token.id, now=now, summary=f"API-nyckel ”{token.name}” återkallad"
    )
    db.session.flush()
    return token


def set_max_days(days: int, *, actor: User, now: datetime | None = None) -> ApiTokenPolicy:
    """The administrator's maximum lifetime for new tokens (existing tokens keep theirs)."""
    require(actor, Perm.MANAGE_USERS)
    if not 1 <= days <= 3650:
        raise ValidationError("Ange 1–3650 dagar.", field="max_days")
    now = now or utcnow()
    policy = db.session.get(ApiTokenPolicy, 1)
    old = policy.max_days if policy else None
    if policy is None:
        policy = ApiTokenPolicy(id=1, max_days=days)
        db.session.add(policy)
    policy.max_days = days
    policy.updated_at = now
    policy.updated_by_id = actor.id
    audit.record(
        actor, "update", "api_token_policy", 1, now=now,
        summary=f"Längsta giltighetstid för API-nycklar: {days} dagar", changes={"max_days": [old, days]},
    )  # fmt: skip
    db.session.flush()
    return policy


# --------------------------------------------------------------------------- reading


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, newest first (revoked and expired ones too, for the record)."""
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def all_tokens(*, include_inactive: bool = False, limit: int = 500) -> list[ApiToken]:
    """Every user's tokens for the admin list: usable ones, or all (newest first)."""
    stmt = sa.select(ApiToken).options(joinedload(ApiToken.user))
    if not include_inactive:
        stmt = stmt.where(ApiToken.revoked_at.is_(None), ApiToken.expires_at > utcnow())
    return list(
        db.session.scalars(stmt.order_by(ApiToken.created_at.desc(), ApiToken.id.desc()).limit(limit))
    )


def get_token_or_404(token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound("API-nyckeln finns inte.")
    return token


# --------------------------------------------------------------------------- checking a request


class TokenRefused(Exception):
    """The request's token cannot be used; `message` says why (Swedish)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class TokenCheck:
    token_id: int
    user_id: int
    scope: str
    count: int  # requests in the current window, this one included
    limit: int
    retry_after: int  # seconds until the window ends

    @property
    def limited(self) -> bool:
        return self.count > self.limit

    @property
    def may_write(self) -> bool:
        return self.scope == WRITE


def check_request_token(secret: str, *, now: datetime | None = None) -> TokenCheck:
    """Look the token up, refuse it if unusable, count the request; commits on its own connection.

    Raises TokenRefused for an unknown, revoked or expired token or an inactive user.
    """
    now = now or utcnow()
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        raise TokenRefused("API-nyckeln är ogiltig.")
    digest = hash_token(secret)
    window = now.replace(second=0, microsecond=0)
    limit = rate_limit()
    tokens, users = ApiToken.__table__, User.__table__
    with db.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        row = conn.execute(
            sa.select(tokens.c.id, tokens.c.user_id, tokens.c.scope, tokens.c.expires_at, tokens.c.revoked_at,
                      users.c.is_active)
            .join(users, users.c.id == tokens.c.user_id)
            .where(tokens.c.token_hash == digest)
        ).first()  # fmt: skip
        if row is None or row.revoked_at is not None:
            raise TokenRefused("API-nyckeln är ogiltig eller återkallad.")
        if row.expires_at <= now:
            raise TokenRefused("API-nyckeln har gått ut. Skapa en ny under Mina inställningar.")
        if not row.is_active:
            raise TokenRefused("Användaren som äger API-nyckeln är inaktiverad.")
        count = conn.execute(
            sa.update(tokens)
            .where(tokens.c.id == row.id)
            .values(
                rate_count=sa.case((tokens.c.rate_window_start == window, tokens.c.rate_count + 1), else_=1),
                rate_window_start=window,
                last_used_at=now,
            )
            .returning(tokens.c.rate_count)
        ).scalar_one()
    retry_after = max(1, int((window + RATE_WINDOW - now).total_seconds() + 0.999))
    return TokenCheck(row.id, row.user_id, row.scope, count, limit, retry_after)


# --------------------------------------------------------------------------- deactivation


def revoke_tokens_of_deactivated_users(session: sa.orm.Session, _context, _instances) -> None:
    """Session `before_flush` hook: a user set inactive loses every token in the same flush.

    Registered by app.api.init_app, so whatever deactivates a user (admin screen, CLI, a future
    import) takes the user's tokens with it; a later reactivation does not bring them back.
    """
    now = utcnow()
    for obj in list(session.dirty):
        if not isinstance(obj, User):
            continue
        history = sa.inspect(obj).attrs.is_active.history
        if history.added and history.added[0] is False and obj.id is not None:
            session.execute(
                sa.update(ApiToken)
                .where(ApiToken.user_id == obj.id, ApiToken.revoked_at.is_(None))
                .values(revoked_at=now, revoked_reason="deactivated")
                .execution_options(synchronize_session=False)
            )


def scopes_allowed(user: User) -> list[str]:
    """Write tokens only make sense for roles that may change something."""
    writes = any(
        can(user, p)
        for p in (
            Perm.EDIT_COMPANIES,
            Perm.EDIT_CONTACTS,
            Perm.EDIT_CASES,
            Perm.EDIT_FOLLOWUPS,
            Perm.EDIT_VISITS,
        )
    )
    return [READ, WRITE] if writes else [READ]
