"""The admin screen for the kommun's extra closed days. The permit-type and partner screens are
catalogue screens (catalogue_screen.py, served by app.admin.catalogue)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth.decorators import permission_required
from app.catalogues import queries, services
from app.catalogues.forms import ClosedDayForm
from app.core.calendar import holidays_of
from app.core.permissions import Perm
from app.core.time import local_today
from app.core.web import submit

bp = Blueprint("catalogues", __name__, url_prefix="/admin/kataloger")


@bp.route("/stangda-dagar", methods=["GET", "POST"])
@permission_required(Perm.MANAGE_CATALOGUES)
def closed_days():
    """The kommun's extra closed days, with this year's and next year's holidays beside them."""
    form = ClosedDayForm()
    if done := submit(
        form,
        lambda: services.add_closed_day(form.day.data, form.reason.data or "", actor=current_user),
        success=lambda row: _("%(day)s är en stängd dag.", day=row.day.isoformat()),
        redirect_to=url_for("catalogues.closed_days"),
    ):
        return done
    today = local_today()
    years = (today.year, today.year + 1)
    return render_template(
        "catalogues/closed_days.html",
        form=form,
        closed=queries.list_closed_days(date(today.year, 1, 1)),
        holidays={year: holidays_of(year) for year in years},
        delete_form=FlaskForm(),
    )


@bp.route("/stangda-dagar/<int:closed_day_id>/ta-bort", methods=["POST"])
@permission_required(Perm.MANAGE_CATALOGUES)
def closed_day_remove(closed_day_id: int):
    return submit(
        FlaskForm(),
        lambda: services.remove_closed_day(closed_day_id, actor=current_user),
        success=_("Dagen är en arbetsdag igen."),
        redirect_to=url_for("catalogues.closed_days"),
        errors_to=url_for("catalogues.closed_days"),
    )
