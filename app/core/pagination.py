"""Pagination that stays fast on big tables: fetch one row extra instead of counting all rows.

Exact counts of 100 000+ rows are slow on every engine, so lists show "fler finns" and a capped
count ("1 000+") instead of a full COUNT(*).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

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


def paginate(stmt: sa.Select, page: int, per_page: int, *, count: bool = True) -> Page:
    """Run `stmt` (already ordered) for one page; ORM entities if the select returns them."""
    page = max(1, page)
    rows = list(db.session.scalars(stmt.limit(per_page + 1).offset((page - 1) * per_page)))
    has_next = len(rows) > per_page
    total, capped = capped_count(stmt) if count else (None, False)
    return Page(rows[:per_page], page, per_page, has_next, total, capped)
