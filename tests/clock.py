"""Time for tests: utc(...) and FIXED_NOW, the instant the `fixed_clock` fixture (tests/conftest.py)
freezes the clock at for every test whose result depends on today's date."""

from __future__ import annotations

from datetime import UTC, datetime

# A Wednesday, 10:00 in Stockholm, mid-month and away from holidays, midnight and the DST
# changes: "today", "in 14 working days" and "this month" mean the same on every run.
# It is before the day the tests were last changed, so rows the migrations seed with the
# real time (created_at) already lie in this clock's future; the tests must not mind.
FIXED_NOW = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)
