"""The audit trail is written in the same transaction and can be browsed and filtered."""

from __future__ import annotations

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.strategy import services
from tests.builders.strategy import focus_areas
from tests.pages import rendered


def test_rolled_back_change_leaves_no_audit_event(db, users):
    area = focus_areas()[0]
    services.update_focus_area(
        area, services.FocusAreaInput(strategy_id=1, name="Tillfälligt namn"), actor=users["admin"]
    )
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 0


def test_admin_browses_and_filters_the_log(admin_client, db, users):
    area = focus_areas()[0]
    services.update_focus_area(
        area, services.FocusAreaInput(strategy_id=1, name="Kompetens och skola"), actor=users["admin"]
    )
    db.session.commit()
    html = rendered(admin_client.get("/admin/logg?entity_type=focus_areas"), heading="Händelselogg")
    assert "Kompetens och skola" in html
    assert "→" in html
    html = rendered(admin_client.get("/admin/logg?entity_type=users"), heading="Händelselogg")
    assert "Kompetens och skola" not in html
