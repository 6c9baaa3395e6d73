"""Which focus areas an indicator follows up (many to many: "NKI för bygglov" belongs to
"Borlänge kommun som möjliggörare"; an indicator may belong to several areas or to none).

Whoever maintains the indicators (Perm.MANAGE_CATALOGUES) changes the links on the indicator's
page (`set_indicator_focus_areas`, audited). The dashboard's section per focus area shows the indicators linked here next to the area's
activity and handlingsplan (app.reports.focus_sections). Migration 0025 links the 2022–2025
strategy's indicators to its focus areas by key and name."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit import services as audit
from app.core.db import check_version
from app.core.errors import ValidationError
from app.core.permissions import Perm, require
from app.core.time import utcnow
from app.extensions import db
from app.strategy.models import FocusArea

if TYPE_CHECKING:
    from app.auth.models import User
    from app.plan.indicators import Indicator

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


def focus_area_ids_of(indicator_id: int) -> set[int]:
    """The focus areas one indicator is linked to."""
    return set(
        db.session.scalars(
            sa.select(indicator_focus_areas.c.focus_area_id).where(
                indicator_focus_areas.c.indicator_id == indicator_id
            )
        )
    )


def set_indicator_focus_areas(
    indicator: Indicator,
    focus_area_ids: Iterable[int],
    *,
    actor: User,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> bool:
    """Link `indicator` to exactly these focus areas (whoever maintains the indicators:
    Perm.MANAGE_CATALOGUES). A retired area may stay linked or be unlinked, never newly linked.

    Idempotent: the same set again changes nothing and writes no audit event (returns False).
    A change bumps the indicator's version, so a form loaded before it is refused as stale.
    Flushes, never commits."""
    require(actor, Perm.MANAGE_CATALOGUES)
    check_version(indicator, expected_version)
    wanted = set(focus_area_ids)
    current = focus_area_ids_of(indicator.id)
    areas = {
        a.id: a for a in db.session.scalars(sa.select(FocusArea).where(FocusArea.id.in_(wanted | current)))
    }
    if wanted - set(areas):
        raise ValidationError(_("Välj bland fokusområdena i listan."), field="focus_area_ids")
    newly_retired = [areas[i].name for i in sorted(wanted - current) if areas[i].retired_at is not None]
    if newly_retired:
        raise ValidationError(
            _("Fokusområdet ”%(name)s” är avslutat.", name=newly_retired[0]), field="focus_area_ids"
        )
    if wanted == current:
        return False
    added, removed = wanted - current, current - wanted
    if removed:
        db.session.execute(
            indicator_focus_areas.delete().where(
                indicator_focus_areas.c.indicator_id == indicator.id,
                indicator_focus_areas.c.focus_area_id.in_(removed),
            )
        )
    if added:
        db.session.execute(
            indicator_focus_areas.insert(),
            [{"indicator_id": indicator.id, "focus_area_id": i} for i in sorted(added)],
        )

    def names(ids: set[int]) -> list[str]:
        return sorted(areas[i].name for i in ids)

    listed = ", ".join(names(wanted)) or "inga"  # untranslated: audit trail
    audit.record(
        actor,
        "update",
        "indicators",
        indicator.id,
        summary=f"Indikator {indicator.name}: fokusområden {listed}",  # untranslated: audit trail
        changes={"focus_areas": [names(current), names(wanted)]},
        now=now,
    )
    # A changed link is a change of the indicator: its version moves on (optimistic locking).
    indicator.updated_at = now or utcnow()
    db.session.flush()
    return True
