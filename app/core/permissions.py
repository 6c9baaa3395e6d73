"""Roles and the permission table. Services call `require`; templates call `can`.

One table decides what each role may do, so the HTML view, CLI and jobs cannot disagree.
"""

from __future__ import annotations

import enum
from typing import Protocol

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.errors import PermissionDenied


class Role(enum.StrEnum):
    LOTS = "lots"  # företagslots / näringslivsutvecklare: works with everything
    LEDNING = "ledning"  # kommunledning: reads companies, plans and records company visits
    CHEF = "chef"  # manager: reads everything not restricted, reports, monthly summary
    ADMIN = "admin"  # users, focus areas, catalogues, settings


# Shown to the user (lazy: in the page's language). A text stored in the audit trail takes
# the label under force_locale("sv"), so a record reads the same whoever wrote it.
ROLE_LABELS = {
    Role.LOTS: _l("Företagslots"),
    Role.LEDNING: _l("Kommunledning"),
    Role.CHEF: _l("Chef"),
    Role.ADMIN: _l("Administratör"),
}


class Perm(enum.StrEnum):
    """Named permissions. Add one here and give it to roles below."""

    VIEW_START = "start.view"
    VIEW_COMPANIES = "companies.view"
    EDIT_COMPANIES = "companies.edit"
    IMPORT_COMPANIES = "companies.import"
    VIEW_PERSONAL_IDS = "companies.view_personal_ids"  # full personnummer of sole traders
    VIEW_CONTACTS = "interactions.view"
    EDIT_CONTACTS = "interactions.edit"
    VIEW_RESTRICTED = "restricted.view"  # records marked as possibly secret
    VIEW_CASES = "cases.view"
    EDIT_CASES = "cases.edit"
    VIEW_FOLLOWUPS = "followups.view"
    EDIT_FOLLOWUPS = "followups.edit"
    VIEW_VISITS = "visits.view"
    EDIT_VISITS = "visits.edit"
    VIEW_REPORTS = "reports.view"
    EDIT_ACTION_PLAN = "plan.action_plan"  # handlingsplan activities (lots and admin)
    MANAGE_USERS = "admin.users"
    MANAGE_CATALOGUES = "admin.catalogues"  # focus areas, permit types, partners, areas
    VIEW_AUDIT = "admin.audit"
    VIEW_OUTBOX = "admin.outbox"
    # Registerutdrag, rectification, objection, anonymisation, retention rules, the
    # personal-data inventory and the e-arkiv export (app.privacy). Admin by default; the
    # kommun may give it to a role for its dataskyddsombud or arkivansvarig.
    PRIVACY_MANAGE = "privacy.manage"


_EVERYONE = {Perm.VIEW_START, Perm.VIEW_COMPANIES}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.LOTS: frozenset(
        _EVERYONE
        | {
            Perm.EDIT_COMPANIES,
            Perm.IMPORT_COMPANIES,
            Perm.VIEW_PERSONAL_IDS,
            Perm.VIEW_CONTACTS,
            Perm.EDIT_CONTACTS,
            Perm.VIEW_RESTRICTED,
            Perm.VIEW_CASES,
            Perm.EDIT_CASES,
            Perm.VIEW_FOLLOWUPS,
            Perm.EDIT_FOLLOWUPS,
            Perm.VIEW_VISITS,
            Perm.EDIT_VISITS,
            Perm.VIEW_REPORTS,
            Perm.EDIT_ACTION_PLAN,
        }
    ),
    Role.LEDNING: frozenset(
        _EVERYONE | {Perm.VIEW_CONTACTS, Perm.VIEW_VISITS, Perm.EDIT_VISITS, Perm.VIEW_FOLLOWUPS}
    ),
    Role.CHEF: frozenset(
        _EVERYONE
        | {
            Perm.VIEW_CONTACTS,
            Perm.VIEW_CASES,
            Perm.VIEW_FOLLOWUPS,
            Perm.VIEW_VISITS,
            Perm.VIEW_REPORTS,
        }
    ),
    Role.ADMIN: frozenset(
        _EVERYONE
        | {
            Perm.VIEW_PERSONAL_IDS,
            Perm.VIEW_RESTRICTED,
            Perm.MANAGE_USERS,
            Perm.MANAGE_CATALOGUES,
            Perm.VIEW_AUDIT,
            Perm.VIEW_OUTBOX,
            Perm.VIEW_REPORTS,
            Perm.EDIT_ACTION_PLAN,
            Perm.PRIVACY_MANAGE,
        }
    ),
}


class Actor(Protocol):
    """What permission checks need to know about whoever acts (a User)."""

    id: int
    role: str
    is_active: bool


def can(actor: Actor | None, perm: Perm) -> bool:
    """True if the actor is an active user whose role grants `perm`."""
    if actor is None or not getattr(actor, "is_active", False):
        return False
    try:
        role = Role(actor.role)
    except ValueError:
        return False
    return perm in ROLE_PERMISSIONS[role]


def require(actor: Actor | None, perm: Perm) -> None:
    """Raise PermissionDenied unless the actor has `perm`."""
    if not can(actor, perm):
        raise PermissionDenied(_("Du har inte behörighet att göra detta."))
