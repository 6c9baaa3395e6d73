"""Stored codes in one language (issue 16): every code the application stores is English, like
the case history's kinds and the outcomes (0019) already were. The Swedish *labels* do not
change; they are shown through the label dicts, in the user's language.

Values renamed, up and back down (the mappings are written out here, not imported):

* lots_cases.status, .priority, .intake_channel; case_events.from_status, .to_status;
  case_permits.outcome (the permit decision);
* interactions.kind, .inbound_channel; report_contact_days.kind (the derived report facts);
* companies.status, .orgnr_kind; import_rows.before (the before-values an import undo writes
  back: "status" and "orgnr_kind");
* action_plan_activities.status, .responsible_kind;
* company_visits.status; visit_participants.side.

The column defaults and the CHECK constraints that name a code follow (`lots_cases`
closed_has_outcome, `company_visits` status, `visit_participants` side). PostgreSQL changes
them with ALTER TABLE. SQLite cannot alter a default or a CHECK in place, and a batch copy of
the table would drop the search triggers on `lots_cases` and `companies` (0008) and trip the
foreign keys to them; so the table's stored CREATE statement is edited instead, the procedure
SQLite documents for changing defaults and CHECK constraints (https://sqlite.org/lang_altertable.html,
"writable_schema"): only the quoted codes change, no row is rewritten by it.

The audit trail is history and is not rewritten: its old rows keep the Swedish codes, which the
label dicts' LEGACY_… maps still show with their label.

Revision ID: 0021_english_codes
Revises: 0020_large_establishment
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_english_codes"
down_revision = "0020_large_establishment"
branch_labels = None
depends_on = None

CASE_STATUSES = {
    "inkommet": "received",
    "pagaende": "in_progress",
    "vantar_foretag": "waiting_on_company",
    "vantar_forvaltning": "waiting_on_authority",
    "avslutat": "closed",
}
PRIORITIES = {"hog": "high", "lag": "low"}
INTAKE_CHANNELS = {
    "telefon": "phone",
    "epost": "email",
    "webbformular": "web_form",
    "kontaktcenter": "contact_centre",
    "besok": "walk_in",
    "foretagsbesok": "company_visit",
    "remiss": "department",
}
PERMIT_OUTCOMES = {
    "beviljat": "granted",
    "beviljat_villkor": "granted_conditional",
    "avslag": "refused",
    "avvisat": "dismissed",
    "aterkallat": "withdrawn",
}
INTERACTION_KINDS = {
    "telefonsamtal": "phone_call",
    "besok": "visit",
    "mote": "meeting",
    "epost": "email",
    "tillstandsvagledning": "permit_guidance",
    "evenemang": "event",
    "ovrigt": "other",
}
INBOUND_CHANNELS = {
    "telefon": "phone",
    "epost": "email",
    "webbformular": "web_form",
    "kontaktcenter": "contact_centre",
    "besok": "walk_in",
    "remiss": "department",
}
COMPANY_STATUSES = {"aktiv": "active", "etablering": "establishing", "avvecklad": "wound_up"}
ORGNR_KINDS = {
    "juridisk_person": "legal_person",
    "personnummer": "personal_number",
    "samordningsnummer": "coordination_number",
}
ACTIVITY_STATUSES = {
    "planerad": "planned",
    "pagar": "ongoing",
    "klar": "done",
    "pausad": "paused",
    "struken": "cancelled",
}
RESPONSIBLE_KINDS = {"namnd": "committee", "bolag": "company", "funktion": "function"}
VISIT_STATUSES = {
    "foreslaget": "proposed",
    "planerat": "planned",
    "genomfort": "done",
    "installt": "cancelled",
}
VISIT_SIDES = {"ledning": "leadership", "kontor": "office"}

# (table, column) → the renames of its values.
COLUMNS: list[tuple[str, str, dict[str, str]]] = [
    ("lots_cases", "status", CASE_STATUSES),
    ("lots_cases", "priority", PRIORITIES),
    ("lots_cases", "intake_channel", INTAKE_CHANNELS),
    ("case_events", "from_status", CASE_STATUSES),
    ("case_events", "to_status", CASE_STATUSES),
    ("case_permits", "outcome", PERMIT_OUTCOMES),
    ("interactions", "kind", INTERACTION_KINDS),
    ("interactions", "inbound_channel", INBOUND_CHANNELS),
    ("report_contact_days", "kind", INTERACTION_KINDS),
    ("companies", "status", COMPANY_STATUSES),
    ("companies", "orgnr_kind", ORGNR_KINDS),
    ("action_plan_activities", "status", ACTIVITY_STATUSES),
    ("action_plan_activities", "responsible_kind", RESPONSIBLE_KINDS),
    ("company_visits", "status", VISIT_STATUSES),
    ("visit_participants", "side", VISIT_SIDES),
]

# import_rows.before: key → the renames of its value.
IMPORT_BEFORE = {"status": COMPANY_STATUSES, "orgnr_kind": ORGNR_KINDS}

# Column defaults that are a code: (table, column, old, new).
DEFAULTS = [
    ("lots_cases", "status", "inkommet", "received"),
    ("companies", "status", "aktiv", "active"),
    ("action_plan_activities", "status", "planerad", "planned"),
    ("action_plan_activities", "responsible_kind", "funktion", "function"),
    ("company_visits", "status", "planerat", "planned"),
]

# CHECK constraints that name a code: (table, constraint, old condition, new condition).
CHECKS = [
    (
        "lots_cases",
        "ck_lots_cases_closed_has_outcome",
        "status <> 'avslutat' OR outcome IS NOT NULL",
        "status <> 'closed' OR outcome IS NOT NULL",
    ),
    (
        "company_visits",
        "ck_company_visits_status",
        "status IN ('foreslaget', 'planerat', 'genomfort', 'installt')",
        "status IN ('proposed', 'planned', 'done', 'cancelled')",
    ),
    (
        "visit_participants",
        "ck_visit_participants_side",
        "side IN ('ledning', 'kontor')",
        "side IN ('leadership', 'office')",
    ),
]

import_rows = sa.table("import_rows", sa.column("id", sa.Integer), sa.column("before", sa.JSON))


def _reversed(names: dict[str, str]) -> dict[str, str]:
    return {new: old for old, new in names.items()}


def _sqlite_schema(edits: list[tuple[str, str, str]]) -> None:
    """Replace `old` by `new` in each table's stored CREATE TABLE statement (see the docstring)."""
    connection = op.get_bind()
    by_table: dict[str, list[tuple[str, str]]] = {}
    for table, old, new in edits:
        by_table.setdefault(table, []).append((old, new))
    version = connection.exec_driver_sql("PRAGMA schema_version").scalar()
    connection.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        for table, replacements in by_table.items():
            sql = connection.execute(
                sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :name"),
                {"name": table},
            ).scalar()
            for old, new in replacements:
                if old not in sql:
                    raise RuntimeError(f"{table}: {old!r} not found in its CREATE TABLE statement")
                sql = sql.replace(old, new)
            connection.execute(
                sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = :name"),
                {"sql": sql, "name": table},
            )
        connection.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        connection.exec_driver_sql("PRAGMA writable_schema = OFF")


def _rename(forward: bool) -> None:
    """Defaults, CHECK constraints and values to the new codes (forward) or back."""
    checks = [(t, name, old, new) if forward else (t, name, new, old) for t, name, old, new in CHECKS]
    defaults = [(t, c, old, new) if forward else (t, c, new, old) for t, c, old, new in DEFAULTS]
    if op.get_bind().dialect.name == "sqlite":
        # A CHECK is tested when a row is written, so it can change before the rows do.
        edits = [(t, f"CHECK ({old})", f"CHECK ({new})") for t, _, old, new in checks]
        edits += [
            (t, f"{c} VARCHAR(20) DEFAULT '{old}'", f"{c} VARCHAR(20) DEFAULT '{new}'")
            for t, c, old, new in defaults
        ]
        _sqlite_schema(edits)
        _rename_values(forward)
        return
    # PostgreSQL tests every row when a CHECK is added: drop, rename the values, add.
    for table, name, _, _ in checks:
        op.drop_constraint(op.f(name), table, type_="check")
    _rename_values(forward)
    for table, name, _, new in checks:
        op.create_check_constraint(op.f(name), table, sa.text(new))
    for table, column, _, new in defaults:
        op.alter_column(table, column, server_default=new)


def _rename_values(forward: bool) -> None:
    for table, column, names in COLUMNS:
        names = names if forward else _reversed(names)
        for old, new in names.items():
            op.execute(
                sa.text(f"UPDATE {table} SET {column} = :new WHERE {column} = :old").bindparams(
                    old=old, new=new
                )
            )
    connection = op.get_bind()
    keys = {key: names if forward else _reversed(names) for key, names in IMPORT_BEFORE.items()}
    rows = connection.execute(
        sa.select(import_rows.c.id, import_rows.c.before).where(import_rows.c.before.is_not(None))
    ).all()
    for row_id, before in rows:
        if not isinstance(before, dict):
            continue
        renamed = {
            key: keys[key].get(value, value) if key in keys and isinstance(value, str) else value
            for key, value in before.items()
        }
        if renamed != before:
            connection.execute(
                sa.update(import_rows).where(import_rows.c.id == row_id).values(before=renamed)
            )


def upgrade():
    _rename(forward=True)


def downgrade():
    _rename(forward=False)
