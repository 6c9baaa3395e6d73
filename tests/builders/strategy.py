"""Focus areas (app.strategy): the seeded catalogue every feature points at."""

from __future__ import annotations

from app.strategy.models import FocusArea


def focus_areas() -> list[FocusArea]:
    """The five focus areas that the first migration creates."""
    from app.strategy.queries import list_focus_areas

    return list_focus_areas(include_retired=False)
