"""Pagination that stays fast on big tables: fetch one row extra instead of counting all rows.

Exact counts of 100 000+ rows are slow on every engine, so lists show "fler finns" and a capped
count ("1 000+") instead of a full COUNT(*).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from app.extensions import db

T = TypeVar("T")

COUNT_CAP = 1000


@dataclass
class Page(Generic[T]):
    items: Sequence[T]
    page: int
    per_page: int
    has_next: bool
    total: int | None = None  # capped: None when not counted
    total_capped: bool = False

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last_index(self) -> int:
        return (self.page - 1) * self.per_page + len(self.items)


def capped_count(stmt: sa.Select, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """Count rows of `stmt` up to `cap`; returns (count, capped)."""
    sub = stmt.order_by(None).limit(cap + 1).subquery()
    n = db.session.scalar(sa.select(sa.func.count()).select_from(sub)) or 0
    return min(n, cap), n > cap


def bounded_count(stmt: sa.Select, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """Count every row of `stmt`, shown like `capped_count`. Only for a statement whose rows are
    bounded by its own filter (e.g. the cases with a near permit deadline, read from the
    permit side): without the LIMIT, PostgreSQL hashes the few matches instead of walking both
    tables' primary keys in a merge join hoping to stop after `cap`."""
    sub = stmt.order_by(None).subquery()
    n = db.session.scalar(sa.select(sa.func.count()).select_from(sub)) or 0
    return min(n, cap), n > cap


def paginate(
    stmt: sa.Select, page: int, per_page: int, *, count: bool = True, count_stmt: sa.Select | None = None
) -> Page:
    """Run `stmt` (already ordered) for one page; ORM entities if the select returns them.
    `count_stmt`: the same rows as a statement that is cheaper to count in full (`bounded_count`)."""
    page = max(1, page)
    rows = list(db.session.scalars(stmt.limit(per_page + 1).offset((page - 1) * per_page)))
    has_next = len(rows) > per_page
    if not count:
        total, capped = None, False
    elif count_stmt is not None:
        total, capped = bounded_count(count_stmt)
    else:
        total, capped = capped_count(stmt)
    return Page(rows[:per_page], page, per_page, has_next, total, capped)


# --------------------------------------------------------------------------- keyset (cursor) pagination
#
# For clients that walk a whole list (the JSON API, exports by page): the next page starts
# after the last row's sort key instead of at an OFFSET, so page 4 000 costs what page 1 costs
# and rows inserted meanwhile do not shift later pages (use-the-index-luke.com/no-offset).


class InvalidCursor(ValueError):
    """A cursor this list did not hand out (tampered, or from another sort order)."""


@dataclass(frozen=True)
class SortKey:
    """One column of a list's order. `nullable` columns sort NULLs first or last explicitly
    (SQLite and PostgreSQL disagree otherwise), with the same `IS NULL` trick the lists use so
    the existing indexes still serve them. The last key must be unique (the id)."""

    attr: Any  # a mapped attribute, e.g. Company.sort_name
    descending: bool = False
    nullable: bool = False
    nulls_first: bool = False

    def order_by(self) -> list[sa.ColumnElement]:
        clauses: list[sa.ColumnElement] = []
        if self.nullable:
            clauses.append(self.attr.is_(None).desc() if self.nulls_first else self.attr.is_(None).asc())
        clauses.append(self.attr.desc() if self.descending else self.attr.asc())
        return clauses

    def value_of(self, row: Any) -> Any:
        return getattr(row, self.attr.key)

    def beyond(self, value: Any) -> sa.ColumnElement[bool]:
        """Rows strictly after `value` in this key's order."""
        if value is None:
            return self.attr.is_not(None) if self.nulls_first else sa.false()
        after = self.attr < value if self.descending else self.attr > value
        if self.nullable and not self.nulls_first:
            after = sa.or_(after, self.attr.is_(None))
        return after

    def accepts(self, value: Any) -> bool:
        """Whether a cursor value has this column's Python type (or is NULL where allowed)."""
        if value is None:
            return self.nullable
        expected = self.attr.type.python_type
        if expected is int and isinstance(value, bool):
            return False
        if expected is date and isinstance(value, datetime):
            return False
        return isinstance(value, expected)

    def equal(self, value: Any) -> sa.ColumnElement[bool]:
        return self.attr.is_(None) if value is None else self.attr == value


def order_clauses(keys: Sequence[SortKey]) -> list[sa.ColumnElement]:
    return [clause for key in keys for clause in key.order_by()]


def _after(keys: Sequence[SortKey], values: Sequence[Any]) -> sa.ColumnElement[bool]:
    """(k1, k2, …) strictly after (v1, v2, …) in the keys' order, as portable AND/OR."""
    return sa.or_(
        *(
            sa.and_(*(k.equal(v) for k, v in zip(keys[:i], values[:i], strict=True)), key.beyond(values[i]))
            for i, key in enumerate(keys)
        )
    )


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, time):
        return {"t": value.isoformat()}
    if value is None or isinstance(value, bool | int | str):
        return value
    raise TypeError(f"cannot put {type(value).__name__} in a cursor")


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((kind, text),) = value.items()
        if not isinstance(text, str):
            raise InvalidCursor("value")
        try:
            if kind == "dt":
                parsed = datetime.fromisoformat(text)
                if parsed.tzinfo is None:
                    raise InvalidCursor("naive datetime")
                return parsed
            if kind == "d":
                return date.fromisoformat(text)
            if kind == "t":
                return time.fromisoformat(text)
        except ValueError as exc:
            raise InvalidCursor("value") from exc
        raise InvalidCursor("kind")
    if isinstance(value, str):
        if "\x00" in value or len(value) > 500:
            raise InvalidCursor("value")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidCursor("value") from exc
        return value
    if value is None or isinstance(value, bool) or (isinstance(value, int) and abs(value) < 2**62):
        return value
    raise InvalidCursor("value")


def encode_cursor(tag: str, values: Sequence[Any]) -> str:
    raw = json.dumps({"s": tag, "k": [_encode_value(v) for v in values]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, tag: str, keys: Sequence[SortKey]) -> list[Any]:
    """The sort-key values of a cursor made by `encode_cursor` for the same list and order."""
    if len(cursor) > 2000:
        raise InvalidCursor("length")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor("format") from exc
    if not isinstance(data, dict) or data.get("s") != tag:
        raise InvalidCursor("tag")
    values = data.get("k")
    if not isinstance(values, list) or len(values) != len(keys):
        raise InvalidCursor("keys")
    decoded = [_decode_value(v) for v in values]
    if not all(key.accepts(value) for key, value in zip(keys, decoded, strict=True)):
        raise InvalidCursor("types")
    return decoded


@dataclass
class KeysetPage(Generic[T]):
    items: Sequence[T]
    next_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def keyset_paginate(
    stmt: sa.Select, keys: Sequence[SortKey], *, cursor: str | None, limit: int, tag: str
) -> KeysetPage:
    """One page of `stmt` (its own ORDER BY is replaced by `keys`) after `cursor`.

    `tag` names the list and order ("companies:namn"); a cursor from another list or order
    raises InvalidCursor. One query (limit + 1 rows), no count.
    """
    stmt = stmt.order_by(None).order_by(*order_clauses(keys))
    if cursor:
        stmt = stmt.where(_after(keys, decode_cursor(cursor, tag, keys)))
    rows = list(db.session.scalars(stmt.limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(tag, [k.value_of(rows[-1]) for k in keys]) if more and rows else None
    return KeysetPage(rows, next_cursor)
