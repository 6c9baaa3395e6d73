"""The security event log: refused requests (403), CSRF failures and failed single sign-ons
(ASVS 16.3), written next to the application log so the admin can see them.

The same event (kind, user, address, path) is stored at most once a minute, so a loop of
refused requests cannot flood the table; every one is still in the application log.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import SecurityEvent
from app.core.time import utcnow
from app.extensions import db

KIND_LABELS = {
    "forbidden": _l("Åtkomst nekad (403)"),
    "csrf": _l("Formulär utan giltig säkerhetstoken (CSRF)"),
    "oidc_failed": _l("Inloggning via kommunens konto misslyckades"),
}


def record_event(
    kind: str,
    *,
    user_id: int | None,
    ip: str,
    path: str,
    detail: str = "",
    now: datetime | None = None,
) -> SecurityEvent | None:
    """Add a security event unless the same one was stored in the last minute. Flushes."""
    now = now or utcnow()
    ip, path = (ip or "")[:64], (path or "")[:300]
    recent = db.session.scalar(
        sa.select(SecurityEvent.id)
        .where(
            SecurityEvent.kind == kind,
            SecurityEvent.ip == ip,
            SecurityEvent.path == path,
            SecurityEvent.user_id.is_(None) if user_id is None else SecurityEvent.user_id == user_id,
            SecurityEvent.at >= now - timedelta(minutes=1),
        )
        .limit(1)
    )
    if recent is not None:
        return None
    event = SecurityEvent(at=now, kind=kind, user_id=user_id, ip=ip, path=path, detail=detail[:300])
    db.session.add(event)
    db.session.flush()
    return event


def list_events(limit: int = 200) -> list[SecurityEvent]:
    return list(db.session.scalars(sa.select(SecurityEvent).order_by(SecurityEvent.at.desc()).limit(limit)))
