"""Focus areas as data: add, rename, retire; retired ones cannot be chosen for new records."""

from __future__ import annotations

import pytest

from app.core.errors import PermissionDenied, ValidationError
from app.strategy import services
from app.strategy.queries import list_focus_areas, selectable_focus_areas
from tests.builders.strategy import focus_areas


def test_admin_adds_renames_and_retires(db, users):
    admin = users["admin"]
    area = services.create_focus_area(
        services.FocusAreaInput(strategy_id=1, name="Digital omställning"), actor=admin
    )
    assert area.position == 6
    services.update_focus_area(
        area, services.FocusAreaInput(strategy_id=1, name="Digital och grön omställning"), actor=admin
    )
    services.retire_focus_area(area, actor=admin)
    db.session.commit()
    assert area.is_retired
    assert selectable_focus_areas()  # the others still are
    assert area not in selectable_focus_areas()
    assert area in list_focus_areas()  # still there for old records and history
    with pytest.raises(ValidationError, match="avslutat"):
        services.ensure_selectable(area)
    services.reinstate_focus_area(area, actor=admin)
    assert services.ensure_selectable(area) is area


def test_focus_area_is_required(db):
    with pytest.raises(ValidationError, match="Välj ett fokusområde"):
        services.ensure_selectable(None)


def test_only_admin_maintains_focus_areas(db, users):
    with pytest.raises(PermissionDenied):
        services.retire_focus_area(focus_areas()[0], actor=users["lots"])


def test_duplicate_name_in_a_strategy_is_refused(db, users):
    existing = focus_areas()[0]
    with pytest.raises(Exception, match="redan"):
        services.create_focus_area(
            services.FocusAreaInput(strategy_id=1, name=existing.name), actor=users["admin"]
        )


def test_admin_screen_retires_and_shows_status(admin_client, db):
    area = focus_areas()[1]
    response = admin_client.post(f"/admin/fokusomraden/{area.id}/avsluta", follow_redirects=True)
    assert "är avslutat" in response.get_data(as_text=True)
    db.session.refresh(area)
    assert area.is_retired
