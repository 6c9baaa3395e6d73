"""The personal-data inventory (support for the Art. 30 record of processing), generated from
the models.

Every text-like column (String, Text, JSON – enums included) of every table in the metadata
must be classified in CLASSIFICATION: either with a personal-data category or as NOT_PERSONAL.
`unclassified_columns(metadata)` lists those that are not; tests/privacy/test_inventory.py
fails on any, so a new field cannot be added without appearing on the inventory page. The
page itself walks the models and joins the table facts (purpose, who sees it, the retention
rule) below.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core.permissions import ROLE_LABELS, ROLE_PERMISSIONS, Perm

NOT_PERSONAL = ""

NAME = _l("Namn")
CONTACT = _l("Kontaktuppgift (e-post, telefon)")
PNR = _l("Personnummer (enskild firmas organisationsnummer)")
FREE_TEXT = _l("Fritext som kan innehålla personuppgifter")
ROLE = _l("Befattning eller roll")
ADDRESS = _l("Adress (enskild firma: personens adress)")
LOG = _l("Logg med personuppgifter (värden före/efter, adresser)")
ACCOUNT = _l("Kontouppgift för kommunens personal")
TECHNICAL = _l("Teknisk identitet (IP-adress)")

# "table.column" → category ("" = not personal data). Keep sorted by table.
CLASSIFICATION: dict[str, str] = {
    "action_plan_activities.title": FREE_TEXT,
    "action_plan_activities.description": FREE_TEXT,
    "action_plan_activities.responsible_kind": NOT_PERSONAL,
    "action_plan_activities.responsible_name": NAME,
    "action_plan_activities.status": NOT_PERSONAL,
    "api_tokens.name": NOT_PERSONAL,
    "api_tokens.token_hash": NOT_PERSONAL,
    "api_tokens.prefix": NOT_PERSONAL,
    "api_tokens.scope": NOT_PERSONAL,
    "api_tokens.revoked_reason": NOT_PERSONAL,
    "areas.name": NOT_PERSONAL,
    "audit_events.action": NOT_PERSONAL,
    "audit_events.entity_type": NOT_PERSONAL,
    "audit_events.summary": LOG,
    "audit_events.changes": LOG,
    "audit_events.ip": TECHNICAL,
    "calendar_feeds.token": NOT_PERSONAL,
    "case_events.kind": NOT_PERSONAL,
    "case_events.from_status": NOT_PERSONAL,
    "case_events.to_status": NOT_PERSONAL,
    "case_events.outcome": NOT_PERSONAL,
    "case_events.text": FREE_TEXT,
    "case_permits.authority": NOT_PERSONAL,
    "case_permits.outcome": NOT_PERSONAL,
    "case_permits.note": FREE_TEXT,
    "case_permits.own_initiative_on": NOT_PERSONAL,  # dates only
    "case_types.code": NOT_PERSONAL,
    "case_types.name": NOT_PERSONAL,
    "companies.name": NAME,
    "companies.name_norm": NAME,
    "companies.sort_name": NAME,
    "companies.orgnr": PNR,
    "companies.orgnr_kind": NOT_PERSONAL,
    "companies.legal_form": NOT_PERSONAL,
    "companies.sni_code": NOT_PERSONAL,
    "companies.sni_version": NOT_PERSONAL,
    "companies.size_class": NOT_PERSONAL,
    "companies.visiting_address": ADDRESS,
    "companies.postal_address": ADDRESS,
    "companies.postcode": NOT_PERSONAL,
    "companies.city": NOT_PERSONAL,
    "companies.website": CONTACT,
    "companies.phone": CONTACT,
    "companies.email": CONTACT,
    "companies.status": NOT_PERSONAL,
    "companies.notes": FREE_TEXT,
    "closed_days.reason": NOT_PERSONAL,
    "company_create_tokens.token": NOT_PERSONAL,
    "company_visits.status": NOT_PERSONAL,
    "company_visits.place": FREE_TEXT,
    "company_visits.host_name": NAME,
    "company_visits.purpose": FREE_TEXT,
    "company_visits.uid": NOT_PERSONAL,
    "company_visits.cancel_reason": FREE_TEXT,
    "company_visits.key_messages": FREE_TEXT,
    "contact_person_moves.title_before": ROLE,
    "contact_persons.name": NAME,
    "contact_persons.name_norm": NAME,
    "contact_persons.title": ROLE,
    "contact_persons.phone": CONTACT,
    "contact_persons.email": CONTACT,
    "disposal_run_items.record_type": NOT_PERSONAL,
    "disposal_run_items.record_label": NOT_PERSONAL,
    "disposal_run_items.action": NOT_PERSONAL,
    "disposal_run_items.decision_reference": NOT_PERSONAL,
    "disposal_runs.trigger": NOT_PERSONAL,
    "disposal_runs.summary": NOT_PERSONAL,
    "focus_areas.name": NOT_PERSONAL,
    "focus_areas.short_name": NOT_PERSONAL,
    "focus_areas.description": NOT_PERSONAL,
    "followups.title": FREE_TEXT,
    "followups.note": FREE_TEXT,
    "followups.source": NOT_PERSONAL,
    "followups.status": NOT_PERSONAL,
    "followups.done_note": FREE_TEXT,
    "import_batches.filename": NOT_PERSONAL,
    "import_batches.status": NOT_PERSONAL,
    "import_batches.headers": NOT_PERSONAL,
    "import_batches.rows": LOG,
    "import_batches.mapping": NOT_PERSONAL,
    "import_rows.action": NOT_PERSONAL,
    "import_rows.before": LOG,
    "indicator_values.note": NOT_PERSONAL,
    "indicators.key": NOT_PERSONAL,
    "indicators.name": NOT_PERSONAL,
    "indicators.group": NOT_PERSONAL,
    "indicators.kind": NOT_PERSONAL,
    "indicators.source": NOT_PERSONAL,
    "indicators.description": NOT_PERSONAL,
    "interactions.kind": NOT_PERSONAL,
    "interactions.inbound_channel": NOT_PERSONAL,
    "interactions.subject": FREE_TEXT,
    "interactions.notes": FREE_TEXT,
    "interactions.form_token": NOT_PERSONAL,
    "job_runs.job_id": NOT_PERSONAL,
    "job_runs.error": NOT_PERSONAL,
    "job_runs.holder": NOT_PERSONAL,
    "login_attempts.email": CONTACT,
    "login_attempts.ip": TECHNICAL,
    "login_attempts.reason": NOT_PERSONAL,
    "lots_cases.title": FREE_TEXT,
    "lots_cases.description": FREE_TEXT,
    "lots_cases.priority": NOT_PERSONAL,
    "lots_cases.intake_channel": NOT_PERSONAL,
    "lots_cases.diarienummer": NOT_PERSONAL,
    "lots_cases.status": NOT_PERSONAL,
    "lots_cases.outcome": NOT_PERSONAL,
    "lots_cases.event_place": NOT_PERSONAL,
    "lots_cases.organizer": NAME,
    "lots_meeting_guests.name": NAME,
    "lots_meeting_guests.email": CONTACT,
    "lots_meetings.uid": NOT_PERSONAL,
    "lots_meetings.place": NOT_PERSONAL,
    "lots_meetings.agenda": FREE_TEXT,
    "lots_meetings.minutes": FREE_TEXT,
    "outbox_messages.key": NOT_PERSONAL,
    "outbox_messages.template": NOT_PERSONAL,
    "outbox_messages.to_addr": CONTACT,
    "outbox_messages.subject": FREE_TEXT,
    "outbox_messages.body_text": FREE_TEXT,
    "outbox_messages.body_html": FREE_TEXT,
    "outbox_messages.attachments": FREE_TEXT,
    "outbox_messages.redact": NOT_PERSONAL,
    "outbox_messages.status": NOT_PERSONAL,
    "outbox_messages.claim_token": NOT_PERSONAL,
    "outbox_messages.last_error": NOT_PERSONAL,
    "permit_guidances.guidance_given": FREE_TEXT,
    "permit_guidances.handed_to": NOT_PERSONAL,
    "permit_types.code": NOT_PERSONAL,
    "permit_types.name": NOT_PERSONAL,
    "permit_types.law": NOT_PERSONAL,
    "permit_types.deciding_body": NOT_PERSONAL,
    "permit_types.statutory_time_unit": NOT_PERSONAL,
    "permit_types.extension_unit": NOT_PERSONAL,
    "permit_types.clock_starts": NOT_PERSONAL,
    "permit_types.handling_note": NOT_PERSONAL,
    "permit_types.e_service_url": NOT_PERSONAL,
    "privacy_events.kind": NOT_PERSONAL,
    "privacy_events.entity_type": NOT_PERSONAL,
    "privacy_events.field": NOT_PERSONAL,
    "privacy_events.old_value": LOG,
    "privacy_events.new_value": LOG,
    "privacy_events.reason": FREE_TEXT,
    "privacy_events.decision_reference": NOT_PERSONAL,
    "referral_partners.name": NOT_PERSONAL,
    "referral_partners.description": NOT_PERSONAL,
    "referral_partners.website": NOT_PERSONAL,
    "referrals.reason": FREE_TEXT,
    "referrals.outcome": FREE_TEXT,
    "mfa_role_policies.role": NOT_PERSONAL,
    "recovery_codes.code_hash": NOT_PERSONAL,
    "report_company_periods.grain": NOT_PERSONAL,
    "report_contact_days.kind": NOT_PERSONAL,
    "report_record_days.family": NOT_PERSONAL,
    "report_record_months.family": NOT_PERSONAL,
    "retention_rules.record_type": NOT_PERSONAL,
    "retention_rules.action": NOT_PERSONAL,
    "retention_rules.decision_reference": NOT_PERSONAL,
    "scheduler_leases.name": NOT_PERSONAL,
    "scheduler_leases.holder": NOT_PERSONAL,
    "security_events.kind": NOT_PERSONAL,
    "security_events.ip": TECHNICAL,
    "security_events.path": NOT_PERSONAL,
    "security_events.detail": LOG,
    "strategies.name": NOT_PERSONAL,
    "survey_invitations.token_hash": NOT_PERSONAL,
    "survey_responses.free_text": FREE_TEXT,
    "tags.name": NOT_PERSONAL,
    "tags.name_norm": NOT_PERSONAL,
    "users.email": ACCOUNT,
    "users.name": ACCOUNT,
    "users.role": NOT_PERSONAL,
    "users.department": ACCOUNT,
    "users.password_hash": NOT_PERSONAL,
    "users.session_token": NOT_PERSONAL,
    "users.locale": NOT_PERSONAL,
    "users.oidc_subject": ACCOUNT,
    "users.totp_secret": NOT_PERSONAL,
    "user_sessions.token_hash": NOT_PERSONAL,
    "user_sessions.ip": TECHNICAL,
    "user_sessions.user_agent": TECHNICAL,
    "user_sessions.method": NOT_PERSONAL,
    "user_sessions.id_token": ACCOUNT,
    "visit_participants.side": NOT_PERSONAL,
    "visit_questions.text": NOT_PERSONAL,
}


@dataclass(frozen=True)
class TableFacts:
    purpose: str
    visible_with: Perm
    retention_key: str | None = None
    subjects: str = _l("kontaktpersoner och ägare av enskilda firmor")


TABLES: dict[str, TableFacts] = {
    "companies": TableFacts(
        _l("Företagsregistret"), Perm.VIEW_COMPANIES, None, _l("ägare av enskilda firmor")
    ),
    "contact_persons": TableFacts(
        _l("Kontakt med företagen"), Perm.VIEW_COMPANIES, "contact_persons", _l("kontaktpersoner")
    ),
    "contact_person_moves": TableFacts(
        _l("Kontakt med företagen"), Perm.VIEW_COMPANIES, None, _l("kontaktpersoner")
    ),
    "interactions": TableFacts(
        _l("Service och lotsning till företag (KL 2:8): kontaktloggen"), Perm.VIEW_CONTACTS, "interactions"
    ),
    "permit_guidances": TableFacts(
        _l("Service och lotsning till företag (KL 2:8): tillståndsvägledning"),
        Perm.VIEW_CONTACTS,
        "interactions",
    ),
    "referrals": TableFacts(
        _l("Service och lotsning till företag (KL 2:8): hänvisningar"), Perm.VIEW_CONTACTS, None
    ),
    "lots_cases": TableFacts(
        _l("Service och lotsning till företag (KL 2:8): lotsärenden"), Perm.VIEW_CASES, "lots_cases"
    ),
    "case_events": TableFacts(
        _l("Service och lotsning till företag (KL 2:8): ärendehistorik"), Perm.VIEW_CASES, "lots_cases"
    ),
    "case_permits": TableFacts(
        _l("Service och lotsning till företag (KL 2:8): tillstånd i ärenden"), Perm.VIEW_CASES, "lots_cases"
    ),
    "lots_meetings": TableFacts(
        _l("Service och lotsning till företag (KL 2:8): lotsmöten"), Perm.VIEW_CASES, "lots_cases"
    ),
    "lots_meeting_guests": TableFacts(
        _l("Service och lotsning till företag (KL 2:8): lotsmöten"),
        Perm.VIEW_CASES,
        "lots_cases",
        _l("gäster på lotsmöten"),
    ),
    "survey_responses": TableFacts(
        _l("Uppföljning av servicen (nöjdhetsenkät)"), Perm.VIEW_CASES, "survey_responses", _l("svarande")
    ),
    "company_visits": TableFacts(_l("Kommunledningens företagsbesök"), Perm.VIEW_VISITS, "company_visits"),
    "followups": TableFacts(
        _l("Service och lotsning till företag (KL 2:8): uppföljningar"), Perm.VIEW_FOLLOWUPS, "followups"
    ),
    "action_plan_activities": TableFacts(
        _l("Näringslivsstrategins handlingsplan"), Perm.VIEW_REPORTS, None, _l("ansvariga")
    ),
    "outbox_messages": TableFacts(
        _l("E-post till kontaktpersoner och personal"), Perm.VIEW_OUTBOX, "outbox_messages", _l("mottagare")
    ),
    "audit_events": TableFacts(
        _l("Spårbarhet och informationssäkerhet (händelselogg)"),
        Perm.VIEW_AUDIT,
        "audit_events",
        _l("alla registrerade"),
    ),
    "import_batches": TableFacts(_l("Import av företag"), Perm.IMPORT_COMPANIES, None),
    "import_rows": TableFacts(_l("Ångra import"), Perm.IMPORT_COMPANIES, None),
    "login_attempts": TableFacts(
        _l("Skydd mot lösenordsgissning"),
        Perm.MANAGE_USERS,
        "login_attempts",
        _l("användare och andra som försöker logga in"),
    ),
    "users": TableFacts(_l("Behörighet och spårbarhet"), Perm.MANAGE_USERS, None, _l("kommunens personal")),
    "user_sessions": TableFacts(
        _l("Inloggningar (Mina inloggningar, utloggning)"), Perm.MANAGE_USERS, None, _l("kommunens personal")
    ),
    "security_events": TableFacts(
        _l("Informationssäkerhet (nekade anrop, CSRF-fel)"),
        Perm.MANAGE_USERS,
        None,
        _l("användare och andra som anropar appen"),
    ),
    "privacy_events": TableFacts(
        _l("De registrerades rättigheter (rättelse, invändning)"),
        Perm.PRIVACY_MANAGE,
        None,
        _l("registrerade"),
    ),
}

LEGAL_BASIS = _l(
    "Art. 6.1 e (uppgift av allmänt intresse), dataskyddslagen 2 kap. 2 §, kommunallagen 2 kap. 8 §"
)
LEGAL_BASIS_STAFF = _l("Art. 6.1 c och e (arbetsgivarens och myndighetens skyldigheter, säkerhet)")
STAFF_TABLES = {"users", "login_attempts", "user_sessions", "security_events"}


def _text_columns(metadata: sa.MetaData) -> Iterable[tuple[str, sa.Column]]:
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, sa.String | sa.Text | sa.JSON):
                yield table.name, column


def unclassified_columns(metadata: sa.MetaData, classification: dict[str, str] | None = None) -> list[str]:
    """Text-like columns that are neither personal data nor marked as not personal."""
    classification = CLASSIFICATION if classification is None else classification
    return [f"{t}.{c.name}" for t, c in _text_columns(metadata) if f"{t}.{c.name}" not in classification]


@dataclass(frozen=True)
class InventoryRow:
    table: str
    column: str
    category: str
    purpose: str
    legal_basis: str
    subjects: str
    visible_to: str
    retention_key: str | None


def roles_with(perm: Perm) -> str:
    return ", ".join(str(ROLE_LABELS[role]) for role, perms in ROLE_PERMISSIONS.items() if perm in perms)


def inventory(metadata: sa.MetaData) -> list[InventoryRow]:
    """Every personal-data column with its category, purpose, basis, viewers and retention."""
    rows = []
    for table, column in _text_columns(metadata):
        category = CLASSIFICATION.get(f"{table}.{column.name}")
        if not category:
            continue
        facts = TABLES.get(table, TableFacts(_l("Se tabellen"), Perm.MANAGE_USERS, None, ""))
        basis = LEGAL_BASIS_STAFF if table in STAFF_TABLES else LEGAL_BASIS
        rows.append(
            InventoryRow(
                table,
                column.name,
                category,
                facts.purpose,
                basis,
                facts.subjects,
                roles_with(facts.visible_with),
                facts.retention_key,
            )
        )
    return rows
