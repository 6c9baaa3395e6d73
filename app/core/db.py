"""Model base with a constraint naming convention, a UTC datetime type and common mixins."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.core.time import utcnow

# Stable constraint names: Alembic needs them to alter or drop constraints, and SQLite batch
# migrations cannot work with anonymous ones.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and always returned timezone-aware (UTC).

    SQLite keeps no time zone and PostgreSQL's timestamptz round-trips differently, so we store
    the same naive UTC value on both and attach UTC on the way out.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use app.core.time helpers")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Declarative base for every Lotsbok model."""

    # One registry carries both the naming convention and the UTC type for `Mapped[datetime]`
    # (Flask-SQLAlchemy subclasses this base, which rules out a bare type_annotation_map).
    registry = sa.orm.registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    """created_at / updated_at in UTC, set by the database session, never by callers."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VersionedMixin:
    """Optimistic locking: a stale edit raises instead of silently overwriting a colleague's.

    Forms carry the version they were loaded with; services compare it (see
    app.core.errors.StaleEdit) and SQLAlchemy re-checks it in the UPDATE's WHERE clause.
    """

    version: Mapped[int] = mapped_column(default=1, server_default="1")

    @sa.orm.declared_attr.directive
    def __mapper_args__(cls) -> dict:  # noqa: N805 - SQLAlchemy declared_attr signature
        return {"version_id_col": cls.version}


def check_version(obj: VersionedMixin, expected_version: int | None) -> None:
    """Raise StaleEdit if the record changed since the form showed version `expected_version`."""
    from flask_babel import gettext as _

    from app.core.errors import StaleEdit

    if expected_version is not None and obj.version != expected_version:
        raise StaleEdit(
            _(
                "Någon annan har ändrat uppgifterna medan du redigerade. "
                "Dina ändringar är inte sparade: kontrollera de aktuella värdena och spara igen."
            )
        )


# --------------------------------------------------------------------------- ETags


_STRONG_TAG = re.compile(r'"([0-9]{1,9})"')


def etag(obj: VersionedMixin) -> str:
    """The HTTP entity tag of a versioned record: its version as a strong tag ("3")."""
    return f'"{obj.version}"'


class BadEntityTag(ValueError):
    """An If-Match value that names no version of ours (weak tags and foreign tags included)."""


def version_from_if_match(header: str, current: int) -> int | None:
    """The version an If-Match header asks for, as `expected_version` for a service.

    `*` means any version (None: no check). A list matches if any tag is the current version
    (then `current`); otherwise the first tag's version is returned, so the service raises
    StaleEdit. Raises BadEntityTag for a value that is not a list of our strong tags.
    """
    text = header.strip()
    if text == "*":
        return None
    versions: list[int] = []
    for part in text.split(","):
        match = _STRONG_TAG.fullmatch(part.strip())
        if match is None:
            raise BadEntityTag(part.strip())
        versions.append(int(match.group(1)))
    if not versions:
        raise BadEntityTag(text)
    return current if current in versions else versions[0]
