"""Company register screens: list/search/export, the company page, create/edit/delete, areas.
The blueprint is shared by contact_person_views.py (contact persons), import_views.py (import,
its log and undo) and merge_views.py (duplicates and merge). Thin: parse, call a service
through `submit` (app.core.web)."""

from __future__ import annotations

import secrets

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.decorators import permission_required
from app.companies import picker, queries, services, tags
from app.companies.exports import HEADERS, export_rows
from app.companies.forms import CompanyFilterForm, CompanyForm
from app.companies.models import COMPANY_STATUSES, SIZE_CLASSES, Company
from app.companies.similar import similar_companies
from app.companies.sni import SNI_VERSIONS, search_sni, sni_label
from app.core.downloads import spreadsheet_response
from app.core.forms import options
from app.core.permissions import Perm
from app.core.time import local_today
from app.core.timeline import TIMELINE_KINDS, TimelineFilter, timeline_for
from app.core.web import page_arg, render_committed, submit
from app.extensions import db
from app.strategy.queries import list_focus_areas

bp = Blueprint("companies", __name__, url_prefix="/foretag")


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
    form.area.choices = options([(None, _("Alla")), *[(a.id, a.name) for a in queries.areas()]])
    form.tag.choices = options([(None, _("Alla")), *[(t.id, t.name) for t in queries.all_tags()]])
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
    services.audit_personal_id_lookup(
        current_user,
        queries.personal_ids_in(filters.q),
        where="företagslistan",  # untranslated: stored in the audit trail
    )
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
    return spreadsheet_response(
        fmt,
        [str(header) for header in HEADERS],
        rows,
        name=_("företag-%(day)s", day=local_today().isoformat()),
        sheet_title=_("Företag"),
    )


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
    chosen = {
        "kind": kind,
        "focus_area_id": area.id if area else None,
        "kinds": TIMELINE_KINDS,
        "areas": areas,
    }
    return TimelineFilter(kinds=frozenset({kind}) if kind else None, extra=extra), chosen


def _detail_context(company: Company, full_orgnr: str | None = None) -> dict:
    from app.companies.picker_views import company_actions

    timeline_filter, timeline_choice = _timeline_filter()
    return {
        "company": company,
        "contact_persons": queries.contact_persons(company.id),
        "former_contact_persons": queries.contact_persons(company.id, active=False),
        "moves_out": queries.former_contact_person_moves(company.id),
        "timeline": timeline_for(company, current_user, timeline_filter),
        "timeline_choice": timeline_choice,
        "full_orgnr": full_orgnr,
        "orgnr_is_personal": services.is_personal_orgnr(company),
        "actions": company_actions(company, current_user),
    }


@bp.route("/<int:company_id>")
@permission_required(Perm.VIEW_COMPANIES)
def detail(company_id: int):
    company = queries.get_company_or_404(company_id)
    if company.merged_into_id is not None:
        target = company.merged_into
        flash(
            _(
                "%(name)s har slagits samman med %(target)s. Du ser nu %(target)s.",
                name=company.name,
                target=target.name,
            ),
            "info",
        )
        return redirect(url_for("companies.detail", company_id=target.id))
    return render_template("companies/detail.html", **_detail_context(company))


@bp.route("/<int:company_id>/visa-nummer", methods=["POST"])
@permission_required(Perm.VIEW_PERSONAL_IDS)
def reveal_orgnr(company_id: int):
    """Show the full personnummer once, in the response body only (never in a URL)."""
    company = queries.get_company_or_404(company_id)
    full = services.reveal_orgnr(company, actor=current_user)
    # Committed after rendering: the audited view of the number is stored with the page.
    return render_committed("companies/detail.html", **_detail_context(company, full_orgnr=full))


def _company_form(company: Company | None = None) -> CompanyForm:
    form = CompanyForm(obj=company)
    selectable = queries.areas(include_retired=False)
    if company is not None and company.area_id and all(a.id != company.area_id for a in selectable):
        selectable = [a for a in queries.areas() if a.id == company.area_id] + selectable
    form.area_id.choices = options([(None, _("Inget område")), *[(a.id, a.name) for a in selectable]])
    if request.method == "GET":
        if company is not None:
            form.version.data = str(company.version)
            form.tags.data = ", ".join(tags.tag_names(company.id))
            form.orgnr.data = "" if services.is_personal_orgnr(company) else services.orgnr_display(company)
        else:
            form.form_token.data = secrets.token_urlsafe(24)
    return form


@bp.route("/nytt", methods=["GET", "POST"])
@permission_required(Perm.EDIT_COMPANIES)
def new():
    form = _company_form()
    token = form.form_token.data or ""
    # From a company picker's "Nytt företag": the typed name, and the form to return to.
    next_url = picker.safe_next(request.values.get("next"))
    if request.method == "GET" and request.args.get("name"):
        form.name.data = request.args.get("name", "")[:200]
    if form.is_submitted() and (existing := services.company_for_form_token(token)) is not None:
        flash(_("Formuläret var redan skickat. %(name)s är registrerat.", name=existing.name), "info")
        return redirect(_after_create(existing, next_url))
    similar = []
    if form.is_submitted() and not request.form.get("confirm_similar"):
        similar = similar_companies(form.name.data or "", form.postcode.data or "", form.orgnr.data or "")
    if not similar and (
        done := submit(
            form,
            lambda: services.create_company(form.to_input(), actor=current_user, form_token=token),
            success=lambda company: _("%(name)s är registrerat.", name=company.name),
            redirect_to=lambda company: _after_create(company, next_url),
            already_saved=lambda: services.company_for_form_token(token),
        )
    ):
        return done
    return render_template("companies/form.html", form=form, company=None, similar=similar, next_url=next_url)


def _after_create(company: Company, next_url: str) -> str:
    """The form the picker's "Nytt företag" came from, with the new company chosen; else the
    company's page."""
    if next_url:
        return picker.with_company(next_url, company.id)
    return url_for("companies.detail", company_id=company.id)


@bp.route("/<int:company_id>/andra", methods=["GET", "POST"])
@permission_required(Perm.EDIT_COMPANIES)
def edit(company_id: int):
    company = queries.get_company_or_404(company_id)
    form = _company_form(company)
    personal = services.is_personal_orgnr(company)
    if done := submit(
        form,
        lambda: services.update_company(
            company,
            form.to_input(keep_orgnr=personal),
            actor=current_user,
            expected_version=form.expected_version,
        ),
        success=_("Ändringarna är sparade."),
        redirect_to=url_for("companies.detail", company_id=company.id),
    ):
        return done
    return render_template("companies/form.html", form=form, company=company, orgnr_is_personal=personal)


@bp.route("/<int:company_id>/ta-bort", methods=["POST"])
@permission_required(Perm.EDIT_COMPANIES)
def delete(company_id: int):
    company = queries.get_company_or_404(company_id)
    return submit(
        None,
        lambda: services.delete_company(company, actor=current_user),
        success=_("%(name)s är borttaget ur registret.", name=company.name),
        redirect_to=url_for("companies.list"),
        errors_to=url_for("companies.detail", company_id=company_id),
    )


@bp.route("/<int:company_id>/aterstall", methods=["POST"])
@permission_required(Perm.EDIT_COMPANIES)
def restore(company_id: int):
    company = queries.get_company_or_404(company_id)
    back = url_for("companies.detail", company_id=company_id)
    return submit(
        None,
        lambda: services.restore_company(company, actor=current_user),
        success=_("%(name)s är återställt.", name=company.name),
        redirect_to=back,
        errors_to=back,
    )
