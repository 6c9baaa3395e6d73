"""Personal data about kommun users, for app.privacy: finding a user for a registerutdrag,
the sign-in attempts with their address, and the retention target "Inloggningsförsök"."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app.auth.models import LoginAttempt, User
from app.core.personal_data import Candidate, FoundRecord, RetentionTarget, Subject
from app.extensions import db


def candidates(query: str) -> list[Candidate]:
    query = query.strip()
    if not query:
        return []
    where = (
        sa.func.lower(User.email) == query.lower()
        if "@" in query
        else sa.func.lower(User.name).contains(query.lower(), autoescape=True)
    )
    users = db.session.scalars(sa.select(User).where(where).order_by(User.name, User.id).limit(50)).all()
    return [
        Candidate(
            "user",
            u.id,
            u.name,
            _("Användare i Lotsbok: %(email)s, %(role)s", email=u.email, role=u.role_label),
        )
        for u in users
    ]


def user_values(user_ids: set[int]) -> dict[str, set[str]]:
    values: dict[str, set[str]] = {"names": set(), "emails": set()}
    for user in db.session.scalars(sa.select(User).where(User.id.in_(user_ids))):
        values["names"].add(user.name)
        values["emails"].add(user.email)
    return values


def find(subject: Subject) -> list[FoundRecord]:
    found = []
    if subject.user_ids:
        for user in db.session.scalars(sa.select(User).where(User.id.in_(subject.user_ids))):
            last_sign_in = user.last_sign_in_at.isoformat() if user.last_sign_in_at else ""
            fields = {
                "Namn": user.name,
                "E-post": user.email,
                "Roll": user.role_label,
                "Förvaltning": user.department,  # untranslated: registerutdrag (Swedish document)
                "Aktiv": "ja" if user.is_active else "nej",
                "Senaste inloggning": last_sign_in,  # untranslated: registerutdrag (Swedish document)
            }
            found.append(
                FoundRecord(
                    "Användarkonto",  # untranslated: registerutdrag (Swedish document)
                    "users",
                    user.id,
                    user.name,
                    user.created_at,
                    {k: v for k, v in fields.items() if v},
                )
            )
    emails = {e.lower() for e in subject.emails if e}
    if emails:
        count, last = db.session.execute(
            sa.select(sa.func.count(), sa.func.max(LoginAttempt.at)).where(
                sa.func.lower(LoginAttempt.email).in_(emails)
            )
        ).one()
        if count:
            found.append(
                FoundRecord(
                    "Inloggningsförsök",  # untranslated: registerutdrag (Swedish document)
                    "login_attempts",
                    0,
                    f"{count} inloggningsförsök med adressen",  # untranslated: registerutdrag (Swedish document)
                    last,
                    {"Antal": str(count)},
                )
            )
    return found


def _count_due(cutoff: datetime, action: str = "delete") -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(LoginAttempt).where(LoginAttempt.at < cutoff)
        )
        or 0
    )


def _apply(cutoff: datetime, action: str, now: datetime) -> int:
    return db.session.execute(
        sa.delete(LoginAttempt).where(LoginAttempt.at < cutoff).execution_options(synchronize_session=False)
    ).rowcount


def anonymise_attempts(emails: set[str]) -> int:
    """Sign-in attempts with the addresses are deleted (they are only kept for throttling)."""
    if not emails:
        return 0
    return db.session.execute(
        sa.delete(LoginAttempt)
        .where(sa.func.lower(LoginAttempt.email).in_({e.lower() for e in emails}))
        .execution_options(synchronize_session=False)
    ).rowcount


RETENTION_TARGETS = [
    RetentionTarget(
        "login_attempts",
        "Inloggningsförsök",  # untranslated: stored in the gallringsprotokoll and the audit trail
        "år efter försöket",  # untranslated: stored in the gallringsprotokoll and the audit trail
        ("delete",),
        _count_due,
        _apply,
    ),
]
