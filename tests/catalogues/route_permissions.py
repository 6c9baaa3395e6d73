"""Route × role table for the closed days (see tests/route_permissions.py); the permit-type and
partner screens are listed in tests/interactions/route_permissions.py."""

from __future__ import annotations

from datetime import date

from app.catalogues.services import add_closed_day
from tests.route_permissions import Route

ADMIN = frozenset({"admin"})


def build_world(world) -> None:
    world.closed_day = add_closed_day(date(2027, 5, 7), "Klämdag", actor=world.users["admin"])


ROUTES = {
    "catalogues.closed_days": Route(allowed=ADMIN),
    "catalogues.closed_day_remove": Route(
        "POST", allowed=ADMIN, args=lambda w: {"closed_day_id": w.closed_day.id}
    ),
}
