"""Which focus areas an indicator follows up (many to many: "NKI för bygglov" belongs to
"Borlänge kommun som möjliggörare"; an indicator may belong to several areas or to none).

The dashboard's section per focus area shows the indicators linked here next to the area's
activity and handlingsplan (app.reports.focus_sections). Migration 0025 links the 2022–2025
strategy's indicators to its focus areas by key and name."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db

indicator_focus_areas = sa.Table(
    "indicator_focus_areas",
    db.metadata,
    sa.Column("indicator_id", sa.ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("focus_area_id", sa.ForeignKey("focus_areas.id"), primary_key=True, index=True),
)


def focus_areas_by_indicator() -> dict[int, set[int]]:
    """{indicator id: {focus area id, …}} in one query (the links are few: tens of rows)."""
    result: dict[int, set[int]] = {}
    rows = db.session.execute(
        sa.select(indicator_focus_areas.c.indicator_id, indicator_focus_areas.c.focus_area_id)
    )
    for indicator_id, focus_area_id in rows:
        result.setdefault(indicator_id, set()).add(focus_area_id)
    return result


def link_indicator(indicator_id: int, focus_area_id: int) -> None:
    """Link an indicator to a focus area (demo data and tests; idempotent). Flushes, no commit."""
    exists = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(indicator_focus_areas)
        .where(
            indicator_focus_areas.c.indicator_id == indicator_id,
            indicator_focus_areas.c.focus_area_id == focus_area_id,
        )
    )
    if not exists:
        db.session.execute(
            indicator_focus_areas.insert().values(indicator_id=indicator_id, focus_area_id=focus_area_id)
        )
