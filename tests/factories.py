"""Builders for test data: make_user(...), make_focus_area(...). They flush, never commit."""

from __future__ import annotations

import functools
import itertools
from typing import Any

from app.auth.models import User
from app.auth.passwords import hash_password
from app.core.permissions import Role
from app.extensions import db
from app.strategy.models import FocusArea

PASSWORD = "Rätt-hästbatteri-häftklammer"
_seq = itertools.count(1)


@functools.cache
def _hash(password: str) -> str:
    # argon2 is slow on purpose; hash each test password once per run.
    return hash_password(password)


def make_user(role: Role | str = Role.LOTS, **overrides: Any) -> User:
    n = next(_seq)
    role = Role(role)
    values: dict[str, Any] = {
        "email": f"{role.value}{n}@kommun.example",
        "name": f"Test {role.value.capitalize()} {n}",
        "role": role.value,
        "department": "Näringslivskontoret",
        "password_hash": _hash(overrides.pop("password", PASSWORD)),
    }
    values.update(overrides)
    user = User(**values)
    db.session.add(user)
    db.session.flush()
    return user


def focus_areas() -> list[FocusArea]:
    """The five focus areas that the first migration creates."""
    from app.strategy.queries import list_focus_areas

    return list_focus_areas(include_retired=False)
