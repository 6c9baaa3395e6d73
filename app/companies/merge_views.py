"""Duplicate scan and merge screens of the company register (on the companies blueprint)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth.decorators import permission_required
from app.companies import merge, picker, queries, services
from app.companies.models import COMPANY_STATUSES, SIZE_CLASSES, Company
from app.companies.sni import sni_label
from app.companies.views import bp
from app.core.permissions import Perm
from app.core.web import submit


@bp.route("/dubbletter")
@permission_required(Perm.EDIT_COMPANIES)
def duplicates():
    return render_template("companies/duplicates.html", pairs=queries.duplicate_candidates())


@bp.route("/<int:company_id>/sla-samman")
@permission_required(Perm.EDIT_COMPANIES)
def merge_choose(company_id: int):
    """Choose the other company of a merge with the company picker; then the comparison."""
    company = queries.get_company_or_404(company_id)
    picked = picker.read(request.args, actor=current_user, where="sammanslagning")  # untranslated: audit
    if picked.company is not None and not picked.searched:
        if picked.company.id != company.id:
            return redirect(
                url_for("companies.merge_companies", target_id=company.id, source_id=picked.company.id)
            )
        picked.error = _("Välj ett annat företag än %(name)s.", name=company.name)
    elif not request.args.get("company") and not request.args.get("q"):
        picked.error = ""
    return render_template("companies/merge_choose.html", company=company, picked=picked)


@bp.route("/sammanslagning/<int:target_id>/<int:source_id>", methods=["GET", "POST"])
@permission_required(Perm.EDIT_COMPANIES)
def merge_companies(target_id: int, source_id: int):
    target = queries.get_company_or_404(target_id)
    source = queries.get_company_or_404(source_id)
    # The choices are posted as field-<key> = "source" | "target"; the bare form carries the
    # CSRF token and collects a refusal, shown above the comparison.
    form = FlaskForm()
    if done := submit(
        form,
        lambda: merge.merge_companies(
            source,
            target,
            {key: request.form.get(f"field-{key}", "target") for key in merge.MERGE_FIELDS},
            actor=current_user,
            source_version=_int(request.form.get("source_version")),
            target_version=_int(request.form.get("target_version")),
        ),
        success=_("%(source)s är sammanslaget med %(target)s.", source=source.name, target=target.name),
        redirect_to=url_for("companies.detail", company_id=target.id),
    ):
        return done
    if form.form_errors:  # refused and rolled back: show the companies as they are stored
        target = queries.get_company_or_404(target_id)
        source = queries.get_company_or_404(source_id)
    return render_template(
        "companies/merge.html",
        target=target,
        source=source,
        fields=merge.MERGE_FIELDS,
        values={"target": _merge_values(target), "source": _merge_values(source)},
        errors=form.form_errors,
        can_merge=target.is_live and source.is_live and target.id != source.id,
    )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _merge_values(company: Company) -> dict[str, str]:
    """How each merge field reads for the user (personnummer masked)."""
    key_text = (
        _("Ja, kontakt var %(months)s:e månad", months=company.contact_cadence_months)
        if company.is_key_company
        else _("Nej")
    )
    return {
        "name": company.name,
        "orgnr": services.orgnr_display(company),
        "legal_form": company.legal_form,
        "sni": sni_label(company.sni_version, company.sni_code)
        if company.sni_code and company.sni_version
        else "",
        "size_class": SIZE_CLASSES.get(company.size_class, ""),
        "visiting_address": company.visiting_address,
        "postal_address": company.postal_address,
        "postcode": f"{company.postcode} {company.city}".strip(),
        "area_id": company.area.name if company.area else "",
        "website": company.website,
        "phone": company.phone,
        "email": company.email,
        "status": str(COMPANY_STATUSES.get(company.status, company.status)),
        "responsible_user_id": company.responsible.name if company.responsible else "",
        "key_company": key_text,
        "notes": company.notes,
    }
