"""Admin screens for the permit-type and referral-partner catalogues (thin callers of services)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth.decorators import permission_required
from app.catalogues import queries, services
from app.catalogues.forms import ClosedDayForm, PartnerForm, PermitTypeForm
from app.core.calendar import holidays_of
from app.core.errors import DomainError, NotFound
from app.core.permissions import Perm
from app.core.time import local_today
from app.core.web import apply_errors
from app.extensions import db

bp = Blueprint("catalogues", __name__, url_prefix="/admin/kataloger")


def _version(form) -> int | None:
    return int(form.version.data) if form.version.data and form.version.data.isdigit() else None


@bp.route("/tillstandstyper")
@permission_required(Perm.MANAGE_CATALOGUES)
def permit_types():
    return render_template("catalogues/permit_types.html", permit_types=queries.list_permit_types())


def _save_permit(form: PermitTypeForm, permit=None):
    """Save, or return None to show the form again. An edit that moves open deadlines is shown
    again with the count (`form.impact`) and a confirm button, and saved on the second post."""
    form.impact = None
    if not form.validate_on_submit():
        return None
    confirmed = form.confirmed_rows.data
    try:
        if permit is None:
            permit = services.create_permit_type(form.to_input(), actor=current_user)
        else:
            services.update_permit_type(
                permit, form.to_input(), actor=current_user, expected_version=_version(form),
                confirmed_rows=int(confirmed) if confirmed and confirmed.isdigit() else None,
            )
    except services.ClockImpactUnconfirmed as exc:
        db.session.rollback()
        form.impact = exc
        form.confirmed_rows.data = str(exc.impact.rows)
        return None
    except DomainError as exc:
        db.session.rollback()
        apply_errors(form, exc)
        return None
    db.session.commit()
    flash(f"Tillståndstypen {permit.name} är sparad.", "success")
    return redirect(url_for("catalogues.permit_types"))


@bp.route("/tillstandstyper/ny", methods=["GET", "POST"])
@permission_required(Perm.MANAGE_CATALOGUES)
def permit_type_new():
    form = PermitTypeForm()
    return _save_permit(form) or render_template("catalogues/permit_type_form.html", form=form, permit=None)


@bp.route("/tillstandstyper/<int:permit_type_id>", methods=["GET", "POST"])
@permission_required(Perm.MANAGE_CATALOGUES)
def permit_type_edit(permit_type_id: int):
    permit = queries.get_permit_type_or_404(permit_type_id)
    form = PermitTypeForm(obj=permit)
    if request.method == "GET":
        form.version.data = str(permit.version)
        form.statutory_time_unit.data = permit.statutory_time_unit or ""
        form.extension_unit.data = permit.extension_unit or ""
        form.guidance_only.data = not permit.time_is_statutory
    return _save_permit(form, permit) or render_template(
        "catalogues/permit_type_form.html", form=form, permit=permit
    )


@bp.route("/tillstandstyper/<int:permit_type_id>/avsluta", methods=["POST"])
@permission_required(Perm.MANAGE_CATALOGUES)
def permit_type_retire(permit_type_id: int):
    permit = queries.get_permit_type_or_404(permit_type_id)
    retire = request.form.get("reinstate") != "1"
    services.set_permit_type_retired(permit, retire, actor=current_user)
    db.session.commit()
    if retire:
        flash(f"”{permit.name}” är avslutad. Befintliga kontakter och ärenden behåller den.", "success")
    else:
        flash(f"”{permit.name}” kan väljas igen.", "success")
    return redirect(url_for("catalogues.permit_types"))


@bp.route("/stangda-dagar", methods=["GET", "POST"])
@permission_required(Perm.MANAGE_CATALOGUES)
def closed_days():
    """The kommun's extra closed days, with this year's and next year's holidays beside them."""
    form = ClosedDayForm()
    if form.validate_on_submit():
        try:
            row = services.add_closed_day(form.day.data, form.reason.data or "", actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            message = f"{row.day.isoformat()} är en stängd dag."
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("catalogues.closed_days"))
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
    if FlaskForm().validate_on_submit():
        try:
            services.remove_closed_day(closed_day_id, actor=current_user)
        except NotFound:
            abort(404)
        db.session.commit()
        flash("Dagen är en arbetsdag igen.", "success")
    return redirect(url_for("catalogues.closed_days"))


@bp.route("/partner")
@permission_required(Perm.MANAGE_CATALOGUES)
def partners():
    return render_template("catalogues/partners.html", partners=queries.list_partners())


def _save_partner(form: PartnerForm, partner=None):
    if not form.validate_on_submit():
        return None
    try:
        if partner is None:
            partner = services.create_partner(form.to_input(), actor=current_user)
        else:
            services.update_partner(partner, form.to_input(), actor=current_user, expected_version=_version(form))
    except DomainError as exc:
        db.session.rollback()
        apply_errors(form, exc)
        return None
    db.session.commit()
    flash(f"Partnern {partner.name} är sparad.", "success")
    return redirect(url_for("catalogues.partners"))


@bp.route("/partner/ny", methods=["GET", "POST"])
@permission_required(Perm.MANAGE_CATALOGUES)
def partner_new():
    form = PartnerForm()
    return _save_partner(form) or render_template("catalogues/partner_form.html", form=form, partner=None)


@bp.route("/partner/<int:partner_id>", methods=["GET", "POST"])
@permission_required(Perm.MANAGE_CATALOGUES)
def partner_edit(partner_id: int):
    partner = queries.get_partner_or_404(partner_id)
    form = PartnerForm(obj=partner)
    if request.method == "GET":
        form.version.data = str(partner.version)
    return _save_partner(form, partner) or render_template(
        "catalogues/partner_form.html", form=form, partner=partner
    )


@bp.route("/partner/<int:partner_id>/avsluta", methods=["POST"])
@permission_required(Perm.MANAGE_CATALOGUES)
def partner_retire(partner_id: int):
    partner = queries.get_partner_or_404(partner_id)
    retire = request.form.get("reinstate") != "1"
    services.set_partner_retired(partner, retire, actor=current_user)
    db.session.commit()
    if retire:
        flash(f"”{partner.name}” är avslutad. Befintliga hänvisningar behåller den.", "success")
    else:
        flash(f"”{partner.name}” kan väljas igen.", "success")
    return redirect(url_for("catalogues.partners"))
