"""Reading strategies and focus areas."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from app.core.errors import NotFound
from app.extensions import db
from app.strategy.models import FocusArea, Strategy


def list_focus_areas(*, include_retired: bool = True) -> list[FocusArea]:
    """Focus areas ordered by strategy period and position; retired last when included."""
    stmt = (
        sa.select(FocusArea)
        .join(FocusArea.strategy)
        .order_by(FocusArea.retired_at.is_not(None), Strategy.valid_from.desc(), FocusArea.position)
    )
    if not include_retired:
        stmt = stmt.where(FocusArea.retired_at.is_(None))
    return list(db.session.scalars(stmt))


def selectable_focus_areas() -> list[FocusArea]:
    """The focus areas a new record may use (not retired)."""
    return list_focus_areas(include_retired=False)


def get_focus_area_or_404(focus_area_id: int) -> FocusArea:
    area = db.session.get(FocusArea, focus_area_id)
    if area is None:
        raise NotFound(_("Fokusområdet finns inte."))
    return area


def list_strategies() -> list[Strategy]:
    return list(db.session.scalars(sa.select(Strategy).order_by(Strategy.valid_from.desc())))
