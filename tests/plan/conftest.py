"""Fixtures of the plan tests: the report tests' hand-built March 2025 world (tests/reports/dataset.py),
which the handlingsplan and the indicators are measured against too."""

from __future__ import annotations

import pytest

from tests.reports.dataset import World, build_dataset


@pytest.fixture
def dataset(db, users) -> World:
    return build_dataset(db, users)
