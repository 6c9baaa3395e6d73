"""Hooks run once after a bulk load that bypassed the ORM (app.scale's generator inserts with
Core): a feature with derived tables registers its rebuild here (app.reports: its facts). The
registry lives in core so the generator and the features need not import each other."""

from __future__ import annotations

from collections.abc import Callable

AFTER_LOAD: list[Callable[[], None]] = []


def register_after_load(rebuild: Callable[[], None]) -> None:
    """Run `rebuild()` after every bulk load (once, however often a feature is wired)."""
    if rebuild not in AFTER_LOAD:
        AFTER_LOAD.append(rebuild)
