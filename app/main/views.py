"""Start page and language switch."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from app.auth.decorators import permission_required
from app.core.permissions import Perm, can
from app.core.redirects import safe_next
from app.core.time import local_today
from app.core.web import submit
from app.extensions import db
from app.strategy.queries import selectable_focus_areas

bp = Blueprint("main", __name__)


@bp.route("/")
@permission_required(Perm.VIEW_START)
def index():
    return render_template(
        "main/index.html",
        today=local_today(),
        focus_areas=selectable_focus_areas(),
        start_log_url=_log_contact_url(),
    )


def _log_contact_url() -> str | None:
    """The contact form, if the contact log is installed and the user may log contacts (the layout
    names endpoints rather than importing features, as the navigation does)."""
    if "interactions.new" not in current_app.view_functions or not can(current_user, Perm.EDIT_CONTACTS):
        return None
    return url_for("interactions.new")


@bp.route("/sprak", methods=["POST"])
def set_language():
    lang = request.form.get("lang", "sv")
    back = safe_next(request.form.get("next"))
    if lang not in current_app.config["LOTSBOK_LANGUAGES"]:
        return redirect(back)
    session["lang"] = lang

    def remember() -> None:
        if current_user.is_authenticated:
            current_user.locale = lang

    return submit(None, remember, redirect_to=back)


@bp.route("/halsa")
def health():
    """Liveness check for load balancers: answers without signing in, touches the database."""
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok"}
