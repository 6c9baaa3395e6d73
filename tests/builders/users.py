"""Users (app.auth): make_user(...) and the password every test user has."""

from __future__ import annotations

import functools
import itertools
from typing import Any

from app.auth.models import User
from app.auth.passwords import hash_password
from app.core.permissions import Role
from app.extensions import db

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
