"""The company picker's suggestions (search as you type, app.companies.picker) and the company
page's action bar: the forms a role may open for this company, each with the company chosen.
On the companies blueprint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, jsonify, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.decorators import permission_required
from app.companies import picker, queries
from app.companies.models import Company
from app.companies.views import bp
from app.core.permissions import Perm, can


@bp.route("/forslag")
@permission_required(Perm.VIEW_COMPANIES)
def suggest():
    """JSON for the company picker: [{id, name, detail}] – the company list's own search rule."""
    found = picker.search(
        request.args.get("q", ""),
        actor=current_user,
        where="företagsväljaren",  # untranslated: audit trail
    )
    return jsonify([picker.suggestion(c) for c in found])


@bp.route("/<int:company_id>/kontaktpersoner.json")
@permission_required(Perm.VIEW_COMPANIES)
def contact_persons_json(company_id: int):
    """JSON [{id, label}] of a live company's current contact persons, as its page lists them:
    a form's contact-person list follows the company picked (`people` of the picker macro)."""
    company = queries.get_company_or_404(company_id)
    people = queries.contact_persons(company.id) if company.is_live else []
    return jsonify([{"id": p.id, "label": p.name + (f" ({p.email})" if p.email else "")} for p in people])


@dataclass(frozen=True)
class CompanyAction:
    key: str
    label: Any
    endpoint: str
    perm: Perm
    primary: bool = False


# The company page's action bar, in this order; each shown to the roles whose permission the
# form itself checks, when the feature is installed (its endpoint exists). The visit form takes
# `?company_id=` like the others; the brief is open to everyone who may see visits.
ACTIONS = (
    CompanyAction("contact", _l("Logga kontakt"), "interactions.new", Perm.EDIT_CONTACTS, primary=True),
    CompanyAction("case", _l("Nytt lotsärende"), "cases.new", Perm.EDIT_CASES),
    CompanyAction("followup", _l("Ny uppföljning"), "followups.new", Perm.EDIT_FOLLOWUPS),
    CompanyAction("visit", _l("Planera besök"), "visits.new", Perm.EDIT_VISITS),
    CompanyAction("brief", _l("Besöksunderlag"), "visits.company_brief", Perm.VIEW_VISITS),
)


def company_actions(company: Company, user: Any) -> list[dict[str, Any]]:
    """[{key, label, url, primary}] of the action bar for `user` (none on a deleted company)."""
    if not company.is_live:
        return []
    endpoints = current_app.view_functions
    out = []
    for action in ACTIONS:
        if action.endpoint not in endpoints or not can(user, action.perm):
            continue
        if action.key == "followup":
            back = url_for("companies.detail", company_id=company.id)
            url = url_for(action.endpoint, company_id=company.id, next=back)
        else:
            url = url_for(action.endpoint, company_id=company.id)
        out.append({"key": action.key, "label": action.label, "url": url, "primary": action.primary})
    return out
