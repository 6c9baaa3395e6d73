"""Contact person screens of the company register (on the companies blueprint): add, edit,
"no longer works here" and a move to another company."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.decorators import permission_required
from app.companies import contact_persons, fields, queries
from app.companies.forms import ContactPersonForm, MoveContactPersonForm
from app.companies.models import Company
from app.companies.views import bp
from app.core.errors import ValidationError
from app.core.permissions import Perm
from app.core.web import submit


@bp.route("/<int:company_id>/kontaktpersoner/ny", methods=["GET", "POST"])
@permission_required(Perm.EDIT_COMPANIES)
def contact_person_new(company_id: int):
    company = queries.get_company_or_404(company_id)
    form = ContactPersonForm()
    if done := submit(
        form,
        lambda: contact_persons.add_contact_person(company, form.to_input(), actor=current_user),
        success=lambda person: _("%(name)s är tillagd som kontaktperson.", name=person.name),
        redirect_to=url_for("companies.detail", company_id=company.id),
    ):
        return done
    return render_template("companies/contact_person_form.html", form=form, company=company, person=None)


@bp.route("/<int:company_id>/kontaktpersoner/<int:person_id>", methods=["GET", "POST"])
@permission_required(Perm.EDIT_COMPANIES)
def contact_person_edit(company_id: int, person_id: int):
    company = queries.get_company_or_404(company_id)
    person = queries.get_contact_person_or_404(company_id, person_id)
    form = ContactPersonForm(obj=person)
    if not form.is_submitted():
        form.version.data = str(person.version)
    if done := submit(
        form,
        lambda: contact_persons.update_contact_person(
            person, form.to_input(), actor=current_user, expected_version=form.expected_version
        ),
        success=_("Kontaktpersonen är sparad."),
        redirect_to=url_for("companies.detail", company_id=company.id),
    ):
        return done
    return render_template(
        "companies/contact_person_form.html",
        form=form,
        company=company,
        person=person,
        move_form=MoveContactPersonForm(formdata=None),
    )


@bp.route("/<int:company_id>/kontaktpersoner/<int:person_id>/ta-bort", methods=["POST"])
@permission_required(Perm.EDIT_COMPANIES)
def contact_person_remove(company_id: int, person_id: int):
    person = queries.get_contact_person_or_404(company_id, person_id)
    back = url_for("companies.detail", company_id=company_id)
    return submit(
        None,
        lambda: contact_persons.remove_contact_person(person, actor=current_user),
        success=_(
            "%(name)s är inte längre kontaktperson här (finns kvar under tidigare kontaktpersoner).",
            name=person.name,
        ),
        redirect_to=back,
        errors_to=back,
    )


@bp.route("/<int:company_id>/kontaktpersoner/<int:person_id>/flytta", methods=["POST"])
@permission_required(Perm.EDIT_COMPANIES)
def contact_person_move(company_id: int, person_id: int):
    person = queries.get_contact_person_or_404(company_id, person_id)
    form = MoveContactPersonForm()

    def move() -> Company:
        parsed = fields.check_orgnr(form.to_orgnr.data)
        target = queries.find_company_by_orgnr(parsed.number) if parsed else None
        if target is None:
            # A form error (shown on the person's page), not a missing page.
            raise ValidationError(_("Inget företag i registret har det organisationsnumret."))
        contact_persons.move_contact_person(person, target, actor=current_user)
        return target

    return submit(
        form,
        move,
        success=lambda target: _(
            "%(name)s är flyttad till %(target)s.", name=person.name, target=target.name
        ),
        redirect_to=lambda target: url_for("companies.detail", company_id=target.id),
        errors_to=url_for("companies.contact_person_edit", company_id=company_id, person_id=person_id),
    )
