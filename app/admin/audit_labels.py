"""Labels for the audit log screen (admin.audit_log): what happened, to which kind of record,
and the stored codes among the changed values, in the reader's language.

The audit trail stores codes (`update`, `lots_cases`, `in_progress`); the screen shows their
labels. A code without a label here (a new event or table) is shown as it is stored.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.cases.models import PRIORITIES
from app.cases.workflow import OUTCOME_LABELS, STATUS_LABELS
from app.companies.models import COMPANY_STATUSES, SIZE_CLASSES
from app.core.permissions import ROLE_LABELS
from app.followups.models import STATUS_LABELS as FOLLOWUP_STATUS_LABELS
from app.interactions.models import CHANNEL_LABELS, KIND_LABELS
from app.plan.action_plan import STATUS_LABELS as ACTIVITY_STATUS_LABELS
from app.visits.models import SIDE_LABELS
from app.visits.models import STATUS_LABELS as VISIT_STATUS_LABELS

ACTION_LABELS: dict[str, Any] = {
    "create": _l("Skapad"),
    "update": _l("Ändrad"),
    "delete": _l("Borttagen"),
    "view": _l("Läst"),
    "export": _l("Export"),
    "import": _l("Import"),
    "undo": _l("Ångrad"),
    "merge": _l("Sammanslagen"),
    "lookup": _l("Uppslag"),
    "dispose": _l("Gallring"),
    "revoke": _l("Återkallad"),
    "sign_in": _l("Inloggning"),
    "sign_out": _l("Utloggning"),
    "sign_out_others": _l("Utloggning av andra sessioner"),
    "change_password": _l("Byte av lösenord"),
    "set_password": _l("Nytt lösenord satt"),
    "enable_mfa": _l("Tvåstegsverifiering påslagen"),
    "reset_mfa": _l("Tvåstegsverifiering återställd"),
    "mfa_policy": _l("Regel för tvåstegsverifiering"),
    "new_recovery_codes": _l("Nya reservkoder"),
    "use_recovery_code": _l("Reservkod använd"),
    "lift_throttle": _l("Fördröjning hävd"),
    "link_oidc": _l("Inloggningskonto kopplat"),
}

ENTITY_LABELS: dict[str, Any] = {
    "companies": _l("Företag"),
    "contact_persons": _l("Kontaktperson"),
    "interactions": _l("Kontakt"),
    "referrals": _l("Hänvisning"),
    "permit_guidances": _l("Tillståndsvägledning"),
    "lots_cases": _l("Lotsärende"),
    "case_events": _l("Händelse i lotsärende"),
    "case_permits": _l("Tillstånd i lotsärende"),
    "lots_meetings": _l("Lotsmöte"),
    "followups": _l("Uppföljning"),
    "company_visits": _l("Företagsbesök"),
    "users": _l("Användare"),
    "api_tokens": _l("API-nyckel"),
    "api_token_policy": _l("Regel för API-nycklar"),
    "calendar_feeds": _l("Kalenderprenumeration"),
    "login_attempts": _l("Inloggningsförsök"),
    "mfa_role_policies": _l("Regel för tvåstegsverifiering"),
    "import_batches": _l("Import"),
    "disposal_runs": _l("Gallring"),
    "registerutdrag": _l("Registerutdrag"),
    "earkiv": _l("E-arkiv"),
    "focus_areas": _l("Fokusområde"),
    "areas": _l("Område"),
    "case_types": _l("Ärendetyp"),
    "permit_types": _l("Tillståndstyp"),
    "referral_partners": _l("Partner"),
    "visit_questions": _l("Besöksfråga"),
    "action_plan_activities": _l("Aktivitet i handlingsplanen"),
    "indicators": _l("Indikator"),
    "retention_rules": _l("Gallringsregel"),
}

# (record kind, column) → the labels of the codes that column stores.
VALUE_LABELS: dict[tuple[str, str], dict[Any, Any]] = {
    ("companies", "status"): COMPANY_STATUSES,
    ("companies", "size_class"): SIZE_CLASSES,
    ("interactions", "kind"): KIND_LABELS,
    ("interactions", "inbound_channel"): CHANNEL_LABELS,
    ("lots_cases", "status"): STATUS_LABELS,
    ("lots_cases", "outcome"): OUTCOME_LABELS,
    ("lots_cases", "priority"): PRIORITIES,
    ("followups", "status"): FOLLOWUP_STATUS_LABELS,
    ("company_visits", "status"): VISIT_STATUS_LABELS,
    ("visit_participants", "side"): SIDE_LABELS,
    ("users", "role"): ROLE_LABELS,
    ("action_plan_activities", "status"): ACTIVITY_STATUS_LABELS,
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


def entity_label(code: str) -> str:
    return str(ENTITY_LABELS.get(code, code))


def value_label(entity_type: str, column: str, value: Any) -> Any:
    """A changed value as the reader knows it: a stored code's label, anything else as it is."""
    labels = VALUE_LABELS.get((entity_type, column))
    if labels is None or not isinstance(value, str) or value not in labels:
        return value
    return str(labels[value])
