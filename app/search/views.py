"""The search page: one box, results grouped by kind."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from app.auth.decorators import permission_required
from app.companies.services import audit_personal_id_lookup
from app.core.permissions import Perm
from app.search.queries import load_hits, search

bp = Blueprint("search", __name__, url_prefix="/sok")

KIND_HEADINGS = {
    "company": "Företag",
    "person": "Kontaktpersoner",
    "interaction": "Kontakter",
    "case": "Lotsärenden",
}


@bp.route("")
@permission_required(Perm.VIEW_COMPANIES)
def results():
    query = request.args.get("q", "").strip()[:200]
    shown = {}
    if query:
        found = search(query, actor=current_user, limit=10)
        shown = load_hits(found, actor=current_user)
        # A whole personnummer was looked up: audited (committed after the page).
        audit_personal_id_lookup(current_user, found.personal_ids, where="sök")
    return render_template("search/results.html", query=query, shown=shown, headings=KIND_HEADINGS)
