"""Route × role table for the plan screens added for issue 15 §6 (the other plan routes are
listed in tests/reports/route_permissions.py)."""

from __future__ import annotations

from tests.route_permissions import Route

ADMIN = frozenset({"admin"})


def _indicator_id(world) -> int:
    from app.extensions import db
    from app.plan.indicators import Indicator

    return db.session.query(Indicator.id).filter_by(key="nya_foretag").scalar()


ROUTES = {
    # The admin links the indicator to the world's focus area (a flash message says so).
    "plan.indicator_focus_areas": Route(
        "POST",
        allowed=ADMIN,
        args=lambda w: {"indicator_id": _indicator_id(w)},
        data=lambda w: {"fa-focus_area_ids": str(w.focus_area.id)},
    ),
}
