"""Fixtures of the report tests: `dataset` is the hand-built March 2025 world (dataset.py)."""

from __future__ import annotations

import pytest

from tests.reports.dataset import NOW, World, build_dataset  # noqa: F401 - NOW re-exported

__all__ = ["NOW", "World"]


@pytest.fixture
def dataset(db, users) -> World:
    return build_dataset(db, users)
