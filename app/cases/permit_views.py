"""Permit rows on the case page (blueprint "cases", see app.cases.views): add, edit, remove."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.decorators import permission_required
from app.cases import permits, queries
from app.cases.forms import PermitForm, SimpleForm
from app.cases.models import PERMIT_OUTCOMES
from app.cases.views import bp, case_url, editable_case, rerender
from app.core.forms import options
from app.core.permissions import Perm
from app.core.web import submit
from app.extensions import db


@bp.route("/<int:case_id>/tillstand", methods=["POST"])
@permission_required(Perm.EDIT_CASES)
def permit_add(case_id: int):
    from app.catalogues.queries import list_permit_types

    case = editable_case(case_id)
    form = PermitForm(prefix="permit")
    form.permit_type_id.choices = options([(None, _("Välj"))] + [(p.id, p.name) for p in list_permit_types()])
    return submit(
        form,
        lambda: permits.add_permit(case, form.to_input(), actor=current_user),
        success=_("Tillståndet är tillagt."),
        redirect_to=case_url(case, "tillstand"),
    ) or rerender(case_id, permit_form=form)


@bp.route("/<int:case_id>/tillstand/<int:permit_id>", methods=["GET", "POST"])
@permission_required(Perm.EDIT_CASES)
def permit_edit(case_id: int, permit_id: int):
    from app.catalogues.models import PermitType

    case = editable_case(case_id)
    row = queries.get_permit_or_404(case.id, permit_id)
    permit_type = db.session.get(PermitType, row.permit_type_id)
    form = PermitForm(obj=row)
    form.permit_type_id.choices = options([(permit_type.id, permit_type.name)])
    if request.method == "GET":
        form.outcome.data = row.outcome or ""
    if done := submit(
        form,
        lambda: permits.update_permit(
            row,
            form.to_input(with_unknown_mark=row.request_date_unknown),
            actor=current_user,
            expected_version=form.expected_version,
        ),
        success=_("%(name)s är sparat.", name=permit_type.name),
        redirect_to=case_url(case, "tillstand"),
    ):
        return done
    return render_template(
        "cases/permit_form.html",
        form=form,
        case=case,
        row=row,
        permit_type=permit_type,
        delete_form=SimpleForm(),
        outcomes=PERMIT_OUTCOMES,
    )


@bp.route("/<int:case_id>/tillstand/<int:permit_id>/ta-bort", methods=["POST"])
@permission_required(Perm.EDIT_CASES)
def permit_remove(case_id: int, permit_id: int):
    case = editable_case(case_id)
    row = queries.get_permit_or_404(case.id, permit_id)
    back = case_url(case, "tillstand")
    return submit(
        SimpleForm(),
        lambda: permits.remove_permit(row, actor=current_user),
        success=_("Tillståndsraden är borttagen."),
        redirect_to=back,
        errors_to=back,
    )
