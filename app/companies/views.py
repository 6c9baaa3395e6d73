"""Company register screens: list/search/export, company page, edit, contact persons, areas,
import (upload → preview → confirm, log, undo), duplicate scan and merge. Thin: parse, call a
service, commit, redirect."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.auth.decorators import permission_required
from app.companies import importer, merge, queries, services
from app.companies.exports import HEADERS, export_rows
from app.companies.forms import (
    CompanyFilterForm,
    CompanyForm,
    ContactPersonForm,
    ImportUploadForm,
    MoveContactForm,
)
from app.companies.models import COMPANY_STATUSES, SIZE_CLASSES, Company
from app.companies.sni import SNI_VERSIONS, search_sni, sni_label
from app.core.downloads import spreadsheet_response
from app.core.errors import DomainError, NotFound
from app.core.permissions import Perm
from app.core.time import local_today
from app.core.timeline import TIMELINE_KINDS, TimelineFilter, timeline_for
from app.core.web import apply_errors, page_arg
from app.extensions import db
from app.strategy.queries import list_focus_areas

bp = Blueprint("companies", __name__, url_prefix="/foretag")


def _version(form) -> int | None:
    value = form.version.data
    return int(value) if value and str(value).isdigit() else None


def _or_404(fn, *args):
    try:
        return fn(*args)
    except NotFound:
        abort(404)


@bp.app_template_filter("sni_label")
def _sni_label(company: Company) -> str:
    if not company.sni_code or not company.sni_version:
        return ""
    return sni_label(company.sni_version, company.sni_code)


def _mask_orgnr_text(number: str) -> str:
    """A normalised 10-digit number from an import file, masked if it is a personnummer."""
    if not number:
        return ""
    if int(number[2:4]) < 20:
        return f"{number[:6]}-****"
    return f"{number[:6]}-{number[6:]}"


@bp.app_context_processor
def _company_helpers():
    return {
        "orgnr_display": services.orgnr_display,
        "mask_orgnr_text": _mask_orgnr_text,
        "COMPANY_STATUSES": COMPANY_STATUSES,
        "SIZE_CLASSES": SIZE_CLASSES,
    }


# --------------------------------------------------------------------------- list, export


def _filter_form() -> CompanyFilterForm:
    form = CompanyFilterForm(request.args)
    form.area.choices = [(None, "Alla"), *[(a.id, a.name) for a in queries.areas()]]
    form.tag.choices = [(None, "Alla"), *[(t.id, t.name) for t in queries.all_tags()]]
    form.validate()
    return form


def _list_args() -> dict[str, str]:
    return {k: v for k, v in request.args.items() if k not in {"fragment", "page"} and v}


@bp.route("")
@permission_required(Perm.VIEW_COMPANIES)
def list():  # noqa: A001 - endpoint name "companies.list" is fixed by the navigation
    form = _filter_form()
    filters = form.to_filter()
    page = queries.list_companies(filters, page_arg())
    services.audit_personal_id_lookup(current_user, queries.personal_ids_in(filters.q), where="företagslistan")
    context = {"form": form, "page": page, "list_args": _list_args()}
    if request.args.get("fragment") == "1":
        return render_template("companies/_results.html", **context)
    return render_template("companies/list.html", **context)


@bp.route("/export.<any(csv, xlsx):fmt>")
@permission_required(Perm.VIEW_COMPANIES)
def export(fmt: str):
    filters = _filter_form().to_filter()
    if services.audit_personal_id_lookup(current_user, queries.personal_ids_in(filters.q), where="export"):
        db.session.commit()
    rows = export_rows(filters)
    return spreadsheet_response(fmt, HEADERS, rows, name=f"företag-{local_today().isoformat()}", sheet_title="Företag")


@bp.route("/sni")
@permission_required(Perm.VIEW_COMPANIES)
def sni_search():
    q = (request.args.get("q") or "").strip()[:100]
    version = request.args.get("version") if request.args.get("version") in SNI_VERSIONS else None
    results = search_sni(q, version=version, limit=30) if q else []
    if request.args.get("format") == "json":
        return jsonify([{"code": r.code, "version": r.version, "label": r.label} for r in results])
    return render_template("companies/sni_search.html", q=q, version=version or "", results=results)


# --------------------------------------------------------------------------- company page


def _timeline_filter() -> tuple[TimelineFilter, dict]:
    """The company page's timeline filter from ?typ= (a timeline kind) and ?fokus= (an id)."""
    kind = request.args.get("typ", "")
    kind = kind if kind in TIMELINE_KINDS else ""
    areas = list_focus_areas()
    area = next((a for a in areas if str(a.id) == request.args.get("fokus", "")), None)
    extra = {"focus_area_id": area.id, "focus_area_label": area.label} if area else {}
    chosen = {"kind": kind, "focus_area_id": area.id if area else None, "kinds": TIMELINE_KINDS, "areas": areas}
    return TimelineFilter(kinds=frozenset({kind}) if kind else None, extra=extra), chosen


def _detail_context(company: Company, full_orgnr: str | None = None) -> dict:
    timeline_filter, timeline_choice = _timeline_filter()
    return {
        "company": company,
        "contacts": queries.contact_persons(company.id),
        "former_contacts": queries.contact_persons(company.id, active=False),
        "moves_out": queries.former_contact_moves(company.id),
        "timeline": timeline_for(company, current_user, timeline_filter),
        "timeline_choice": timeline_choice,
        "full_orgnr": full_orgnr,
        "orgnr_is_personal": services.is_personal_orgnr(company),
    }


@bp.route("/<int:company_id>")
@permission_required(Perm.VIEW_COMPANIES)
def detail(company_id: int):
    company = _or_404(queries.get_company_or_404, company_id)
    if company.merged_into_id is not None:
        target = company.merged_into
        flash(f"{company.name} har slagits samman med {target.name}. Du ser nu {target.name}.", "info")
        return redirect(url_for("companies.detail", company_id=target.id))
    return render_template("companies/detail.html", **_detail_context(company))


@bp.route("/<int:company_id>/visa-nummer", methods=["POST"])
@permission_required(Perm.VIEW_PERSONAL_IDS)
def reveal_orgnr(company_id: int):
    """Show the full personnummer once, in the response body only (never in a URL)."""
    company = _or_404(queries.get_company_or_404, company_id)
    full = services.reveal_orgnr(company, actor=current_user)
    db.session.commit()
    company = queries.get_company_or_404(company_id)  # reload what the commit expired
    return render_template("companies/detail.html", **_detail_context(company, full_orgnr=full))


def _company_form(company: Company | None = None) -> CompanyForm:
    form = CompanyForm(obj=company)
    selectable = queries.areas(include_retired=False)
    if company is not None and company.area_id and all(a.id != company.area_id for a in selectable):
        selectable = [a for a in queries.areas() if a.id == company.area_id] + selectable
    form.area_id.choices = [(None, "Inget område"), *[(a.id, a.name) for a in selectable]]
    if request.method == "GET":
        if company is not None:
            form.version.data = str(company.version)
            form.tags.data = ", ".join(services.tag_names(company.id))
            form.orgnr.data = "" if services.is_personal_orgnr(company) else services.orgnr_display(company)
        else:
            form.form_token.data = secrets.token_urlsafe(24)
    return form


@bp.route("/nytt", methods=["GET", "POST"])
@permission_required(Perm.EDIT_COMPANIES)
def new():
    form = _company_form()
    if form.validate_on_submit():
        token = form.form_token.data or ""
        existing = services.company_for_form_token(token)
        if existing is not None:
            flash(f"Formuläret var redan skickat. {existing.name} är registrerat.", "info")
            return redirect(url_for("companies.detail", company_id=existing.id))
        try:
            company = services.create_company(form.to_input(), actor=current_user, form_token=token)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        except IntegrityError:
            # Two submissions of the same form raced: the other one won.
            db.session.rollback()
            existing = services.company_for_form_token(token)
            if existing is None:
                raise
            return redirect(url_for("companies.detail", company_id=existing.id))
        else:
            flash(f"{company.name} är registrerat.", "success")
            return redirect(url_for("companies.detail", company_id=company.id))
    return render_template("companies/form.html", form=form, company=None)


@bp.route("/<int:company_id>/andra", methods=["GET", "POST"])
@permission_required(Perm.EDIT_COMPANIES)
def edit(company_id: int):
    company = _or_404(queries.get_company_or_404, company_id)
    form = _company_form(company)
    personal = services.is_personal_orgnr(company)
    if form.validate_on_submit():
        try:
            services.update_company(
                company, form.to_input(keep_orgnr=personal), actor=current_user, expected_version=_version(form)
            )
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash("Ändringarna är sparade.", "success")
            return redirect(url_for("companies.detail", company_id=company.id))
    return render_template("companies/form.html", form=form, company=company, orgnr_is_personal=personal)


@bp.route("/<int:company_id>/ta-bort", methods=["POST"])
@permission_required(Perm.EDIT_COMPANIES)
def delete(company_id: int):
    company = _or_404(queries.get_company_or_404, company_id)
    try:
        services.delete_company(company, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("companies.detail", company_id=company_id))
    db.session.commit()
    flash(f"{company.name} är borttaget ur registret.", "success")
    return redirect(url_for("companies.list"))


@bp.route("/<int:company_id>/aterstall", methods=["POST"])
@permission_required(Perm.EDIT_COMPANIES)
def restore(company_id: int):
    company = _or_404(queries.get_company_or_404, company_id)
    services.restore_company(company, actor=current_user)
    db.session.commit()
    flash(f"{company.name} är återställt.", "success")
    return redirect(url_for("companies.detail", company_id=company_id))


# --------------------------------------------------------------------------- contact persons


@bp.route("/<int:company_id>/kontaktpersoner/ny", methods=["GET", "POST"])
@permission_required(Perm.EDIT_COMPANIES)
def contact_new(company_id: int):
    company = _or_404(queries.get_company_or_404, company_id)
    form = ContactPersonForm()
    if form.validate_on_submit():
        try:
            person = services.add_contact_person(company, form.to_input(), actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"{person.name} är tillagd som kontaktperson.", "success")
            return redirect(url_for("companies.detail", company_id=company.id))
    return render_template("companies/contact_form.html", form=form, company=company, person=None)


@bp.route("/<int:company_id>/kontaktpersoner/<int:person_id>", methods=["GET", "POST"])
@permission_required(Perm.EDIT_COMPANIES)
def contact_edit(company_id: int, person_id: int):
    company = _or_404(queries.get_company_or_404, company_id)
    person = _or_404(queries.get_contact_person_or_404, company_id, person_id)
    form = ContactPersonForm(obj=person)
    if request.method == "GET":
        form.version.data = str(person.version)
    if form.validate_on_submit():
        try:
            services.update_contact_person(person, form.to_input(), actor=current_user, expected_version=_version(form))
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash("Kontaktpersonen är sparad.", "success")
            return redirect(url_for("companies.detail", company_id=company.id))
    return render_template(
        "companies/contact_form.html", form=form, company=company, person=person, move_form=MoveContactForm(formdata=None)
    )


@bp.route("/<int:company_id>/kontaktpersoner/<int:person_id>/ta-bort", methods=["POST"])
@permission_required(Perm.EDIT_COMPANIES)
def contact_remove(company_id: int, person_id: int):
    person = _or_404(queries.get_contact_person_or_404, company_id, person_id)
    services.remove_contact_person(person, actor=current_user)
    db.session.commit()
    flash(f"{person.name} är inte längre kontaktperson här (finns kvar under tidigare kontaktpersoner).", "success")
    return redirect(url_for("companies.detail", company_id=company_id))


@bp.route("/<int:company_id>/kontaktpersoner/<int:person_id>/flytta", methods=["POST"])
@permission_required(Perm.EDIT_COMPANIES)
def contact_move(company_id: int, person_id: int):
    person = _or_404(queries.get_contact_person_or_404, company_id, person_id)
    form = MoveContactForm()
    if not form.validate_on_submit():
        flash("Ange organisationsnumret för företaget personen flyttat till.", "error")
        return redirect(url_for("companies.contact_edit", company_id=company_id, person_id=person_id))
    try:
        parsed = services.check_orgnr(form.to_orgnr.data)
        target = queries.find_company_by_orgnr(parsed.number) if parsed else None
        if target is None:
            raise NotFound("Inget företag i registret har det organisationsnumret.")
        services.move_contact_person(person, target, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("companies.contact_edit", company_id=company_id, person_id=person_id))
    db.session.commit()
    flash(f"{person.name} är flyttad till {target.name}.", "success")
    return redirect(url_for("companies.detail", company_id=target.id))


# --------------------------------------------------------------------------- import


@bp.route("/import", methods=["GET", "POST"])
@permission_required(Perm.IMPORT_COMPANIES)
def import_upload():
    form = ImportUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            batch = importer.start_import(upload.stream, upload.filename or "", actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            db.session.commit()
            return redirect(url_for("companies.import_preview", batch_id=batch.id))
    return render_template("companies/import_upload.html", form=form, fields=importer.FIELDS)


def _preview_batch(batch_id: int):
    batch = _or_404(queries.get_import_batch_or_404, batch_id)
    if batch.status != "preview":
        flash("Importen är redan genomförd eller avbruten.", "info")
        return None
    return batch


@bp.route("/import/<int:batch_id>", methods=["GET", "POST"])
@permission_required(Perm.IMPORT_COMPANIES)
def import_preview(batch_id: int):
    batch = _preview_batch(batch_id)
    if batch is None:
        return redirect(url_for("companies.import_log"))
    errors: list[str] = []
    if request.method == "POST":
        mapping = {str(i): request.form.get(f"col-{i}", "") for i in range(len(batch.headers))}
        try:
            importer.set_mapping(batch, mapping, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            errors.append(exc.message)
        else:
            db.session.commit()
            flash("Kolumnkopplingen är uppdaterad.", "success")
            return redirect(url_for("companies.import_preview", batch_id=batch.id))
    analysis = importer.analyse(batch)
    return render_template(
        "companies/import_preview.html", batch=batch, analysis=analysis, fields=importer.FIELDS,
        actions=importer.ACTIONS, errors=errors,
    )


@bp.route("/import/<int:batch_id>/bekrafta", methods=["POST"])
@permission_required(Perm.IMPORT_COMPANIES)
def import_confirm(batch_id: int):
    batch = _preview_batch(batch_id)
    if batch is None:
        return redirect(url_for("companies.import_log"))
    actions = {
        int(key.removeprefix("action-")): value
        for key, value in request.form.items()
        if key.startswith("action-") and key.removeprefix("action-").isdigit()
    }
    try:
        counts = importer.run_import(batch, actions, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("companies.import_preview", batch_id=batch_id))
    db.session.commit()
    flash(
        f"Importen är klar: {counts.created} nya, {counts.updated} uppdaterade, {counts.skipped} överhoppade.",
        "success",
    )
    return redirect(url_for("companies.import_log"))


@bp.route("/import/<int:batch_id>/avbryt", methods=["POST"])
@permission_required(Perm.IMPORT_COMPANIES)
def import_cancel(batch_id: int):
    batch = _or_404(queries.get_import_batch_or_404, batch_id)
    try:
        importer.cancel_import(batch, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash("Importen är avbruten. Inget har sparats.", "success")
    return redirect(url_for("companies.import_upload"))


@bp.route("/import/logg")
@permission_required(Perm.IMPORT_COMPANIES)
def import_log():
    return render_template("companies/import_log.html", batches=queries.import_batches())


@bp.route("/import/<int:batch_id>/angra", methods=["POST"])
@permission_required(Perm.IMPORT_COMPANIES)
def import_undo(batch_id: int):
    batch = _or_404(queries.get_import_batch_or_404, batch_id)
    try:
        counts = importer.undo_import(batch, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(f"Importen är ångrad: {counts.created} företag borttagna, {counts.updated} återställda.", "success")
    return redirect(url_for("companies.import_log"))


# --------------------------------------------------------------------------- duplicates, merge


@bp.route("/dubbletter")
@permission_required(Perm.EDIT_COMPANIES)
def duplicates():
    return render_template("companies/duplicates.html", pairs=queries.duplicate_candidates())


@bp.route("/sammanslagning/<int:target_id>/<int:source_id>", methods=["GET", "POST"])
@permission_required(Perm.EDIT_COMPANIES)
def merge_companies(target_id: int, source_id: int):
    target = _or_404(queries.get_company_or_404, target_id)
    source = _or_404(queries.get_company_or_404, source_id)
    errors: list[str] = []
    if request.method == "POST":
        choices = {key: request.form.get(f"field-{key}", "target") for key in merge.MERGE_FIELDS}
        try:
            merge.merge_companies(
                source, target, choices, actor=current_user,
                source_version=_int(request.form.get("source_version")),
                target_version=_int(request.form.get("target_version")),
            )
        except DomainError as exc:
            db.session.rollback()
            errors.append(exc.message)
            target = queries.get_company_or_404(target_id)
            source = queries.get_company_or_404(source_id)
        else:
            db.session.commit()
            flash(f"{source.name} är sammanslaget med {target.name}.", "success")
            return redirect(url_for("companies.detail", company_id=target.id))
    return render_template(
        "companies/merge.html", target=target, source=source, fields=merge.MERGE_FIELDS,
        values={"target": _merge_values(target), "source": _merge_values(source)}, errors=errors,
        can_merge=target.is_live and source.is_live and target.id != source.id,
    )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _merge_values(company: Company) -> dict[str, str]:
    """How each merge field reads for the user (personnummer masked)."""
    key_text = (
        f"Ja, kontakt var {company.contact_cadence_months}:e månad" if company.is_key_company else "Nej"
    )
    return {
        "name": company.name,
        "orgnr": services.orgnr_display(company),
        "legal_form": company.legal_form,
        "sni": _sni_label(company),
        "size_class": SIZE_CLASSES.get(company.size_class, ""),
        "visiting_address": company.visiting_address,
        "postal_address": company.postal_address,
        "postcode": f"{company.postcode} {company.city}".strip(),
        "area_id": company.area.name if company.area else "",
        "website": company.website,
        "phone": company.phone,
        "email": company.email,
        "status": COMPANY_STATUSES.get(company.status, company.status),
        "responsible_user_id": company.responsible.name if company.responsible else "",
        "key_company": key_text,
        "notes": company.notes,
    }

