"""Migration 0021: every stored code is English – down to the Swedish codes of 0020 and up again,
with the defaults and CHECK constraints that name a code; the audit trail is not rewritten."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade

from app.cases.workflow import CaseStatus
from app.companies.models import ESTABLISHING, ImportBatch, ImportRow
from app.extensions import db as _db
from app.interactions.models import InboundChannel, InteractionKind
from app.plan.action_plan import ActionPlanActivity, ActivityStatus
from app.visits.models import PROPOSED
from tests.builders import cases as f
from tests.builders.companies import make_company
from tests.builders.interactions import make_interaction
from tests.builders.strategy import focus_areas
from tests.builders.visits import make_visit

REVISION = "0021_english_codes"


def _down_revision() -> str:
    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    return script.get_revision(REVISION).down_revision


def _value(sql: str, **params) -> object:
    return _db.session.execute(sa.text(sql), params).scalar()


def _values(sql: str, **params) -> list:
    return sorted(_db.session.execute(sa.text(sql), params).scalars())


def _world(users) -> dict[str, int]:
    lots, ledning = users["lots"], users["ledning"]
    company = make_company("Kodbytet AB", status=ESTABLISHING)
    case = f.make_case(lots, company=company, priority="high", intake_channel="walk_in")
    f.make_permit(case, lots, submitted_on=date(2026, 2, 1), decision_on=date(2026, 2, 20), outcome="granted")
    f.close_case(case, lots)
    waiting = f.make_case(lots, company=company, intake_channel="department")
    from app.cases import services

    services.change_status(
        waiting, services.StatusChange(CaseStatus.WAITING_ON_AUTHORITY), actor=lots, now=f.NOW
    )
    contact = make_interaction(
        company,
        lots,
        kind=InteractionKind.PERMIT_GUIDANCE.value,
        inbound_channel=InboundChannel.WEB_FORM.value,
    )
    visit = make_visit(company, lots, ledning=[ledning], office=[lots], status=PROPOSED)
    activity = ActionPlanActivity(
        focus_area_id=focus_areas()[0].id,
        title="Företagsfrukost",
        responsible_kind="committee",
        responsible_name="Kommunstyrelsen",
        status=ActivityStatus.ONGOING,
    )
    batch = ImportBatch(filename="foretag.csv", status="done")
    _db.session.add_all([activity, batch])
    _db.session.flush()
    _db.session.add(
        ImportRow(
            batch_id=batch.id,
            row_number=2,
            action="updated",
            company_id=company.id,
            before={"status": "wound_up", "orgnr_kind": "legal_person", "city": "Falun"},
            version_after=2,
        )
    )
    _db.session.commit()
    return {
        "company": company.id,
        "case": case.id,
        "waiting": waiting.id,
        "contact": contact.id,
        "visit": visit.id,
        "activity": activity.id,
    }


def _codes(ids: dict[str, int]) -> dict[str, object]:
    """The stored codes of the world, read with SQL (not through the models)."""
    return {
        "company": _value(
            "SELECT status || '/' || orgnr_kind FROM companies WHERE id = :id", id=ids["company"]
        ),
        "case": _value(
            "SELECT status || '/' || priority || '/' || intake_channel FROM lots_cases WHERE id = :id",
            id=ids["case"],
        ),
        "waiting": _value(
            "SELECT status || '/' || intake_channel FROM lots_cases WHERE id = :id", id=ids["waiting"]
        ),
        "to_status": _values(
            "SELECT to_status FROM case_events WHERE case_id IN (:a, :b) AND to_status IS NOT NULL",
            a=ids["case"],
            b=ids["waiting"],
        ),
        "from_status": _values(
            "SELECT from_status FROM case_events WHERE case_id IN (:a, :b) AND from_status IS NOT NULL",
            a=ids["case"],
            b=ids["waiting"],
        ),
        "permit": _value("SELECT outcome FROM case_permits WHERE case_id = :id", id=ids["case"]),
        "contact": _value(
            "SELECT kind || '/' || inbound_channel FROM interactions WHERE id = :id", id=ids["contact"]
        ),
        "report_kinds": _values("SELECT DISTINCT kind FROM report_contact_days WHERE kind <> ''"),
        "visit": _value("SELECT status FROM company_visits WHERE id = :id", id=ids["visit"]),
        "sides": _values("SELECT side FROM visit_participants WHERE visit_id = :id", id=ids["visit"]),
        "activity": _value(
            "SELECT status || '/' || responsible_kind FROM action_plan_activities WHERE id = :id",
            id=ids["activity"],
        ),
        "import_before": _db.session.scalar(sa.select(ImportRow.before)),
    }


ENGLISH = {
    "company": "establishing/legal_person",
    "case": "closed/high/walk_in",
    "waiting": "waiting_on_authority/department",
    "to_status": ["closed", "in_progress", "received", "received", "waiting_on_authority"],
    "from_status": ["in_progress", "received", "received"],
    "permit": "granted",
    "contact": "permit_guidance/web_form",
    # concerns_permits: the contacts with permit rows (0026 adds the kind; its downgrade removes it).
    "report_kinds": ["concerns_permits", "permit_guidance"],
    "visit": "proposed",
    "sides": ["leadership", "office"],
    "activity": "ongoing/committee",
    "import_before": {"status": "wound_up", "orgnr_kind": "legal_person", "city": "Falun"},
}
SWEDISH = {
    "company": "etablering/juridisk_person",
    "case": "avslutat/hog/besok",
    "waiting": "vantar_forvaltning/remiss",
    "to_status": ["avslutat", "inkommet", "inkommet", "pagaende", "vantar_forvaltning"],
    "from_status": ["inkommet", "inkommet", "pagaende"],
    "permit": "beviljat",
    "contact": "tillstandsvagledning/webbformular",
    "report_kinds": ["tillstandsvagledning"],
    "visit": "foreslaget",
    "sides": ["kontor", "ledning"],
    "activity": "pagar/namnd",
    "import_before": {"status": "avvecklad", "orgnr_kind": "juridisk_person", "city": "Falun"},
}


def _refused(sql: str, **params) -> bool:
    """Whether the database refuses the statement (a CHECK constraint)."""
    try:
        with _db.session.begin_nested():
            _db.session.execute(sa.text(sql), params)
    except sa.exc.IntegrityError:
        return True
    return False


def test_migration_0021_renames_every_stored_code_down_and_up_again(app, db, users):
    ids = _world(users)
    assert _codes(ids) == ENGLISH
    audit_before = _values("SELECT CAST(changes AS TEXT) FROM audit_events WHERE changes IS NOT NULL")
    _db.session.remove()

    downgrade(revision=_down_revision())
    assert _codes(ids) == SWEDISH
    # The old CHECK constraints and defaults are back.
    assert _refused("UPDATE company_visits SET status = 'proposed' WHERE id = :id", id=ids["visit"])
    assert _refused("UPDATE visit_participants SET side = 'office' WHERE visit_id = :id", id=ids["visit"])
    assert _refused("UPDATE lots_cases SET outcome = NULL WHERE id = :id", id=ids["case"])
    _db.session.rollback()
    _db.session.remove()

    upgrade()
    assert _codes(ids) == ENGLISH
    assert _refused("UPDATE company_visits SET status = 'foreslaget' WHERE id = :id", id=ids["visit"])
    assert _refused("UPDATE visit_participants SET side = 'kontor' WHERE visit_id = :id", id=ids["visit"])
    assert _refused("UPDATE lots_cases SET outcome = NULL WHERE id = :id", id=ids["case"])
    assert not _refused("UPDATE lots_cases SET outcome = NULL WHERE id = :id", id=ids["waiting"])
    _db.session.rollback()
    # A row written without the coded columns gets today's codes from the defaults.
    company_id = ids["company"]
    _db.session.execute(
        sa.text(
            "INSERT INTO company_visits (company_id, starts_at, ends_at, uid, created_at, updated_at) "
            "VALUES (:c, '2026-05-01 08:00:00', '2026-05-01 09:00:00', 'default@test', "
            "'2026-04-01 08:00:00', '2026-04-01 08:00:00')"
        ),
        {"c": company_id},
    )
    assert _value("SELECT status FROM company_visits WHERE uid = 'default@test'") == "planned"
    _db.session.rollback()
    # The audit trail is history: not rewritten either way.
    assert _values("SELECT CAST(changes AS TEXT) FROM audit_events WHERE changes IS NOT NULL") == audit_before


@pytest.mark.parametrize(
    ("module", "legacy", "current"),
    [
        ("app.cases.workflow", "LEGACY_STATUS_CODES", "STATUS_LABELS"),
        ("app.cases.models", "LEGACY_PRIORITIES", "PRIORITIES"),
        ("app.cases.models", "LEGACY_INTAKE_CHANNELS", "INTAKE_CHANNELS"),
        ("app.cases.models", "LEGACY_PERMIT_OUTCOMES", "PERMIT_OUTCOMES"),
        ("app.interactions.models", "LEGACY_KINDS", "KIND_LABELS"),
        ("app.interactions.models", "LEGACY_CHANNELS", "CHANNEL_LABELS"),
        ("app.companies.models", "LEGACY_COMPANY_STATUSES", "COMPANY_STATUSES"),
        ("app.plan.action_plan", "LEGACY_STATUSES", "STATUS_LABELS"),
        ("app.plan.action_plan", "LEGACY_RESPONSIBLE_KINDS", "RESPONSIBLE_KINDS"),
        ("app.visits.models", "LEGACY_STATUSES", "STATUS_LABELS"),
        ("app.visits.models", "LEGACY_SIDES", "SIDE_LABELS"),
    ],
)
def test_the_legacy_maps_are_the_migrations_renames(module, legacy, current):
    """Each LEGACY_ map in the code is the rename the migration wrote out, onto a code of today."""
    import importlib
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[1] / "migrations" / "versions" / "0021_english_codes.py"
    spec = importlib.util.spec_from_file_location("migration_0021", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    code = importlib.import_module(module)
    legacy_map, labels = getattr(code, legacy), getattr(code, current)
    assert set(legacy_map.values()) <= set(labels)
    renames = [names for _, _, names in migration.COLUMNS]
    assert any({k: str(v) for k, v in legacy_map.items()} == names for names in renames)


def test_old_swedish_codes_still_show_their_label():
    """Rows written before 0021 (the audit trail) and old links read through the legacy maps."""
    from app.cases import workflow

    assert workflow.status_label("pagaende") == workflow.status_label(CaseStatus.IN_PROGRESS) == "Pågående"
    assert workflow.status_label("avslutat") == "Avslutat"
    assert workflow.status_code("vantar_foretag") == CaseStatus.WAITING_ON_COMPANY
    assert workflow.status_code("in_progress") == CaseStatus.IN_PROGRESS
    assert workflow.status_label("okand") == "okand"
