"""The search page: one box, results grouped by kind."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_babel import pgettext
from flask_login import current_user

from app.auth.decorators import permission_required
from app.companies.services import audit_personal_id_lookup
from app.core.permissions import Perm
from app.search.queries import load_hits, search

bp = Blueprint("search", __name__, url_prefix="/sok")


def kind_headings() -> dict[str, str]:
    """The heading of each kind of hit, in the page's language (one dict per request)."""
    return {
        "company": pgettext("sökträffar", "Företag"),  # "Companies", not the form label "Company"
        "person": _("Kontaktpersoner"),
        "interaction": _("Kontakter"),
        "case": _("Lotsärenden"),
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
        place = "sök"  # untranslated: stored in the audit trail
        audit_personal_id_lookup(current_user, found.personal_ids, where=place)
    return render_template("search/results.html", query=query, shown=shown, headings=kind_headings())
