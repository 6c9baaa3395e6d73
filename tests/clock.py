"""Time for tests: utc(...) and the fixed "now" of the `fixed_clock` fixture (tests/conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)
