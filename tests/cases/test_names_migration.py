"""Migration 0019: the outcomes are stored in English ("lost" → "solved", "avbojt" → "declined",
…) in cases, their history
and their audit trail, and the event organizer's column is `organizer` – up and back down."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade

from app.audit.models import AuditEvent
from app.extensions import db as _db
from tests.builders import cases as f

REVISION = "0019_case_outcome_solved"


def _down_revision(revision: str) -> str:
    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    return script.get_revision(revision).down_revision


def _case_row(case_id: int, organizer_column: str) -> tuple:
    return _db.session.execute(
        sa.text(f"SELECT outcome, {organizer_column} FROM lots_cases WHERE id = :id"), {"id": case_id}
    ).one()


def _event_outcomes(case_id: int) -> list:
    return [
        *_db.session.execute(
            sa.text("SELECT outcome FROM case_events WHERE case_id = :id AND outcome IS NOT NULL"),
            {"id": case_id},
        ).scalars()
    ]


def _audit(case_id: int) -> list[dict]:
    _db.session.expire_all()
    return [
        e.changes
        for e in _db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.entity_type == "lots_cases", AuditEvent.entity_id == case_id)
            .order_by(AuditEvent.id)
        )
        if e.changes
    ]


def test_migration_0019_renames_the_solved_outcome_and_the_organizer_column(app, db, users):
    lots = users["lots"]
    solved = f.close_case(f.make_case(lots, title="Löst ärende"), lots)
    other = f.close_case(f.make_case(lots, title="Avböjt ärende"), lots, outcome="declined")
    solved.organizer = "Föreningen Festen"
    _db.session.commit()
    solved_id, other_id = solved.id, other.id
    assert any(c.get("outcome") == [None, "solved"] for c in _audit(solved_id))
    _db.session.remove()

    downgrade(revision=_down_revision(REVISION))
    assert _case_row(solved_id, "organiser") == ("lost", "Föreningen Festen")
    assert _case_row(other_id, "organiser") == ("avbojt", "")
    assert _event_outcomes(solved_id) == ["lost"]
    assert _event_outcomes(other_id) == ["avbojt"]
    audit = _audit(solved_id)
    assert any(c.get("outcome") == [None, "lost"] for c in audit)
    assert not any("solved" in str(c) or "organizer" in c for c in audit)
    # Rows written before 0019 by the old code: a deleted case's snapshot, an edited organiser.
    _db.session.add_all(
        [
            AuditEvent(
                action="delete",
                entity_type="lots_cases",
                entity_id=solved_id,
                changes={"outcome": "lost", "organiser": "Föreningen Festen", "title": "lost"},
            ),
            AuditEvent(
                action="update",
                entity_type="lots_cases",
                entity_id=solved_id,
                changes={"organiser": ["", "Föreningen Festen"]},
            ),
            AuditEvent(
                action="update",
                entity_type="interactions",
                entity_id=solved_id,
                changes={"outcome": [None, "lost"]},
            ),  # another table's outcome stays
        ]
    )
    _db.session.commit()
    _db.session.remove()

    upgrade()
    assert _case_row(solved_id, "organizer") == ("solved", "Föreningen Festen")
    assert _case_row(other_id, "organizer") == ("declined", "")
    assert _event_outcomes(other_id) == ["declined"]
    assert _event_outcomes(solved_id) == ["solved"]
    audit = _audit(solved_id)
    assert any(c.get("outcome") == [None, "solved"] for c in audit)
    assert {"outcome": "solved", "organizer": "Föreningen Festen", "title": "lost"} in audit
    assert {"organizer": ["", "Föreningen Festen"]} in audit
    assert not any("organiser" in c for c in audit)
    other_table = _db.session.scalar(sa.select(AuditEvent).where(AuditEvent.entity_type == "interactions"))
    assert other_table.changes == {"outcome": [None, "lost"]}
