"""Server-side sign-in sessions: one `user_sessions` row per sign-in.

The session cookie carries Flask-Login's id "<user id>:<user token>:<session key>". The key is
32 random bytes made at every sign-in (only its SHA-256 is stored), so each sign-in gets a fresh
server-side token (ASVS 7.2.4). A session is valid while its row has not ended and `expires_at`
(sign-in + LOTSBOK_SESSION_LIFETIME, an absolute lifetime that activity does not extend) has not
passed, and the user's token still matches: rotating `users.session_token` ends every session of
the user at once (deactivation, password change, MFA reset). The idle timeout is the cookie's
`last_seen` (app.core.web). "Mina inloggningar" lists the rows.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from app.auth.models import User, UserSession, new_session_token
from app.core.time import utcnow
from app.extensions import db


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(
    user: User,
    *,
    method: str,
    ip: str,
    user_agent: str,
    lifetime: timedelta,
    now: datetime | None = None,
    id_token: str | None = None,
) -> UserSession:
    """Create the session row of a sign-in; `user.get_id()` then names it. Flushes."""
    now = now or utcnow()
    key = secrets.token_urlsafe(32)
    row = UserSession(
        user_id=user.id,
        token_hash=_digest(key),
        created_at=now,
        expires_at=now + lifetime,
        ip=(ip or "")[:64],
        user_agent=(user_agent or "")[:300],
        method=method,
        id_token=id_token,
    )
    db.session.add(row)
    db.session.flush()
    user._session_key = key
    user._session_row = row
    return row


def load_user(session_id: str, now: datetime | None = None) -> User | None:
    """Flask-Login user loader: the user of a valid, unexpired, not ended session, or None."""
    user_id, _sep, rest = session_id.partition(":")
    user_token, _sep, key = rest.partition(":")
    if not user_id.isdigit() or not user_token or not key:
        return None
    row = db.session.scalar(sa.select(UserSession).where(UserSession.token_hash == _digest(key)))
    if row is None or row.user_id != int(user_id) or not row.is_active_at(now or utcnow()):
        return None
    user = row.user
    if not user.is_active or user.session_token != user_token:
        return None
    user._session_key = key
    user._session_row = row
    return user


def current_row(user: User) -> UserSession | None:
    """The session row the current request belongs to (set by the loader)."""
    return getattr(user, "_session_row", None)


def end_session(row: UserSession, *, now: datetime | None = None) -> None:
    row.ended_at = now or utcnow()
    row.id_token = None
    db.session.flush()


def end_session_by_id(row_id: int, *, now: datetime | None = None) -> None:
    db.session.execute(
        sa.update(UserSession)
        .where(UserSession.id == row_id, UserSession.ended_at.is_(None))
        .values(ended_at=now or utcnow(), id_token=None)
    )


def end_other_sessions(user: User, keep: UserSession | None, *, now: datetime | None = None) -> int:
    """End every session of `user` except `keep`; returns how many ended."""
    now = now or utcnow()
    where = [UserSession.user_id == user.id, UserSession.ended_at.is_(None)]
    if keep is not None:
        where.append(UserSession.id != keep.id)
    result = db.session.execute(sa.update(UserSession).where(*where).values(ended_at=now, id_token=None))
    return result.rowcount or 0


def end_all_sessions(user: User, *, now: datetime | None = None) -> None:
    """End every session of the user (token rotation makes it instant for every worker)."""
    user.session_token = new_session_token()
    end_other_sessions(user, None, now=now)


def list_active(user: User, *, now: datetime | None = None) -> list[UserSession]:
    """The user's sessions that are still valid, newest first."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            sa.select(UserSession)
            .where(
                UserSession.user_id == user.id, UserSession.ended_at.is_(None), UserSession.expires_at > now
            )
            .order_by(UserSession.created_at.desc())
        )
    )


def describe_device(user_agent: str) -> str:
    """A short, human description of a User-Agent ("Firefox på Windows")."""
    ua = user_agent or ""
    browser = next(
        (
            name
            for token, name in (
                ("Edg/", "Edge"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("Safari/", "Safari"),
            )
            if token in ua
        ),
        _("Okänd webbläsare"),
    )
    system = next(
        (
            name
            for token, name in (
                ("Windows", "Windows"),
                ("Android", "Android"),
                ("iPhone", "iPhone"),
                ("iPad", "iPad"),
                ("Mac OS", "macOS"),  # untranslated: product name
                ("Linux", "Linux"),
            )
            if token in ua
        ),
        "",
    )
    return _("%(browser)s på %(system)s", browser=browser, system=system) if system else browser
