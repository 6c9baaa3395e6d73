"""Contact-log screens: lists (all, mine), quick logging with a company picker, the contact
page, edit, soft delete, referrals and their outcome, export. Thin: parse, call a service,
commit, redirect."""

from __future__ import annotations

import dataclasses
import uuid

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.audit import services as audit
from app.auth.decorators import permission_required
from app.catalogues import queries as catalogues
from app.companies import queries as company_queries
from app.companies.models import Company
from app.companies.services import orgnr_display
from app.core.downloads import spreadsheet_response
from app.core.errors import DomainError, NotFound
from app.core.permissions import Perm
from app.core.time import local_today, to_local, utcnow
from app.core.web import apply_errors, page_arg
from app.extensions import db
from app.interactions import queries, services
from app.interactions.exports import HEADERS, export_rows
from app.interactions.forms import (
    PERMIT_ROWS,
    ContactFilterForm,
    ContactForm,
    DeleteForm,
    ReferralForm,
    ReferralOutcomeForm,
)
from app.interactions.models import InteractionKind
from app.strategy import queries as strategy

bp = Blueprint("interactions", __name__, url_prefix="/kontakter")


def _version(form) -> int | None:
    value = form.version.data
    return int(value) if value and str(value).isdigit() else None


def _or_404(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except NotFound:
        abort(404)


def _company_url(company_id: int) -> str:
    if "companies.detail" in current_app.view_functions:
        return url_for("companies.detail", company_id=company_id)
    return url_for("interactions.list", company_id=company_id)


@bp.app_context_processor
def _helpers():
    return {"company_url": _company_url}


# --------------------------------------------------------------------------- lists and export


def _filter_form() -> ContactFilterForm:
    form = ContactFilterForm(request.args)
    form.focus_area_id.choices = [("", "Alla fokusområden")] + [
        (a.id, a.name + (" (avslutat)" if a.is_retired else "")) for a in strategy.list_focus_areas()
    ]
    form.permit_type_id.choices = [("", "Alla tillståndstyper")] + [
        (p.id, p.name) for p in catalogues.list_permit_types()
    ]
    form.partner_id.choices = [("", "Alla partner")] + [(p.id, p.name) for p in catalogues.list_partners()]
    form.validate()
    return form


def _to_filter(form: ContactFilterForm, **overrides) -> queries.ContactFilter:
    company_id = request.args.get("company_id", "")
    flt = queries.ContactFilter(
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None,
        kind=form.kind.data if form.kind.data in {k.value for k in InteractionKind} else "",
        focus_area_id=form.focus_area_id.data,
        user_id=form.user_id.data,
        permit_type_id=form.permit_type_id.data,
        partner_id=form.partner_id.data,
        company_id=int(company_id) if company_id.isdigit() else None,
        restricted_only=bool(form.restricted_only.data),
    )
    return dataclasses.replace(flt, **overrides)


def _render_list(template: str, flt: queries.ContactFilter, form: ContactFilterForm, **extra):
    page = queries.list_contacts(flt, page_arg(), reader=current_user)
    page = dataclasses.replace(page, items=queries.shown_contacts(current_user, [*page.items]))
    company = db.session.get(Company, flt.company_id) if flt.company_id else None
    return render_template(template, page=page, form=form, flt=flt, company=company, **extra)


@bp.route("")
@permission_required(Perm.VIEW_CONTACTS)
def list():  # noqa: A001 - endpoint name "interactions.list" is fixed by the navigation
    form = _filter_form()
    return _render_list("interactions/list.html", _to_filter(form), form, mine=False)


@bp.route("/mina")
@permission_required(Perm.VIEW_CONTACTS)
def mine():
    form = _filter_form()
    flt = _to_filter(form, user_id=current_user.id)
    return _render_list("interactions/list.html", flt, form, mine=True)


@bp.route("/export.<any(csv, xlsx):fmt>")
@permission_required(Perm.VIEW_CONTACTS)
def export(fmt: str):
    flt = _to_filter(_filter_form())
    if request.args.get("mine") == "1":
        flt = dataclasses.replace(flt, user_id=current_user.id)
    audit.record(
        current_user, "export", "interactions", None,
        summary=f"Export av kontakter ({fmt.upper()}): {flt.as_args() or 'alla'}",
    )
    db.session.commit()
    name = f"kontakter-{local_today().isoformat()}"
    return spreadsheet_response(fmt, HEADERS, export_rows(flt, reader=current_user._get_current_object()), name=name, sheet_title="Kontakter")


# --------------------------------------------------------------------------- logging a contact


@bp.route("/foretag-sok")
@permission_required(Perm.EDIT_CONTACTS)
def company_search():
    """JSON for the company picker (search as you type)."""
    q = (request.args.get("q") or "").strip()[:100]
    return jsonify(
        [
            {
                "id": c.id,
                "name": c.name,
                "detail": " · ".join(x for x in (orgnr_display(c), c.city) if x),
                "url": url_for("interactions.new", company_id=c.id),
            }
            for c in queries.search_companies(q, actor=current_user)
        ]
    )


def _choices(form: ContactForm, company: Company, interaction=None) -> None:
    """Fill the form's choices: selectable entries plus whatever an old contact already has."""
    current_areas: set[int] = set()
    current_permits: set[int] = set()
    if interaction is not None:
        current_areas = {interaction.focus_area_id, *(a.id for a in interaction.other_focus_areas)}
        current_permits = {g.permit_type_id for g in interaction.permit_guidance}
    areas = [a for a in strategy.list_focus_areas() if not a.is_retired or a.id in current_areas]
    area_choices = [(a.id, a.name + (" (avslutat)" if a.is_retired else "")) for a in areas]
    form.focus_area_id.choices = [("", "Välj fokusområde"), *area_choices]
    form.other_focus_area_ids.choices = area_choices
    permits = [p for p in catalogues.list_permit_types() if not p.is_retired or p.id in current_permits]
    permit_choices = [("", "– Ingen –")] + [(p.id, p.name + (" (avslutad)" if p.is_retired else "")) for p in permits]
    for row in form.permit_rows:
        row.form.permit_type_id.choices = permit_choices
    people = company_queries.contact_persons(company.id)
    if interaction is not None:
        people += [p for p in interaction.contact_persons if p.id not in {x.id for x in people}]
    form.contact_person_ids.choices = [(p.id, p.name + (f", {p.title}" if p.title else "")) for p in people]
    if interaction is not None:
        form.participant_ids.keep(u.id for u in interaction.participants)
    if "cases.detail" not in current_app.view_functions:
        # No lots cases yet: hide the link field (an edit then keeps the stored case_id).
        del form.case_id


def _live_company(company_id) -> Company:
    company = db.session.get(Company, int(company_id)) if str(company_id or "").isdigit() else None
    if company is None or company.deleted_at is not None:
        abort(404)
    return company


def _form_context(form, company, interaction=None):
    return {
        "form": form,
        "company": company,
        "interaction": interaction,
        "notes_hint": form.notes.description,
    }


@bp.route("/ny", methods=["GET", "POST"])
@permission_required(Perm.EDIT_CONTACTS)
def new():
    company_id = request.form.get("company_id") if request.method == "POST" else request.args.get("company_id")
    if not company_id:
        q = (request.args.get("q") or "").strip()[:100]
        return render_template(
            "interactions/pick_company.html", q=q, results=queries.search_companies(q, actor=current_user, limit=20) if q else None
        )
    company = _live_company(company_id)
    if company.merged_into_id is not None:
        flash(f"{company.name} är sammanslaget med ett annat företag. Logga kontakten där.", "info")
        return redirect(url_for("interactions.new", company_id=company.merged_into_id))
    if request.method == "GET":
        now = to_local(utcnow())
        form = ContactForm(
            formdata=None,
            data={
                "form_token": uuid.uuid4().hex,
                "company_id": str(company.id),
                "kind": InteractionKind.PHONE.value,
                "occurred_on": now.date(),
                "occurred_time": now.time().replace(second=0, microsecond=0),
                "participant_ids": [current_user.id],
                "focus_area_id": queries.last_focus_area_id(company.id),
                # From a case page: "Logga en kontakt" links the contact to that case.
                "case_id": request.args.get("case_id", type=int),
            },
        )
    else:
        form = ContactForm()
    _choices(form, company)
    if form.validate_on_submit():
        token = form.form_token.data or ""
        try:
            interaction = services.log_contact(
                form.to_input(), actor=current_user, form_token=token, follow_up=form.follow_up_request()
            )
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            try:
                db.session.commit()
            except IntegrityError:
                # A second POST of the same form committed first: show the one contact.
                db.session.rollback()
                interaction = services.contact_for_form_token(token)
                if interaction is None:
                    raise
            flash(f"{interaction.kind_label} med {company.name} är loggad.", "success")
            return redirect(_company_url(interaction.company_id))
    return render_template("interactions/form.html", **_form_context(form, company))


# --------------------------------------------------------------------------- one contact


@bp.route("/<int:interaction_id>")
@permission_required(Perm.VIEW_CONTACTS)
def detail(interaction_id: int):
    interaction = _or_404(queries.get_contact_or_404, interaction_id)
    full = services.read_contact(interaction, actor=current_user)
    can_edit = services.can_edit(current_user, interaction)
    referral_form = None
    if full and can_edit:
        referral_form = ReferralForm(formdata=None, data={"referred_on": local_today()})
        referral_form.partner_id.choices = [("", "Välj partner")] + [
            (p.id, p.name) for p in catalogues.list_partners(include_retired=False)
        ]
    html = render_template(
        "interactions/detail.html",
        interaction=interaction,
        full=full,
        can_edit=can_edit,
        referral_form=referral_form,
        delete_form=DeleteForm(formdata=None, data={"version": interaction.version}),
        title=interaction.subject if full else services.RESTRICTED_TITLE,
    )
    # Commit after rendering: the audited read of a restricted contact is stored only once the
    # page with its content exists (and committing earlier would expire the loaded contact).
    db.session.commit()
    return html


@bp.route("/<int:interaction_id>/andra", methods=["GET", "POST"])
@permission_required(Perm.EDIT_CONTACTS)
def edit(interaction_id: int):
    interaction = _or_404(queries.get_contact_or_404, interaction_id)
    if not services.can_edit(current_user, interaction):
        abort(403)
    company = interaction.company
    if request.method == "GET":
        services.read_contact(interaction, actor=current_user)  # committed after rendering
        at = to_local(interaction.occurred_at)
        rows = [
            {"permit_type_id": g.permit_type_id, "guidance_given": g.guidance_given, "handed_to": g.handed_to}
            for g in interaction.permit_guidance
        ]
        rows += [{}] * max(1, PERMIT_ROWS - len(rows))
        form = ContactForm(
            formdata=None,
            data={
                "version": str(interaction.version),
                "company_id": str(interaction.company_id),
                "kind": InteractionKind(interaction.kind).value,
                "occurred_on": at.date(),
                "occurred_time": at.time().replace(second=0, microsecond=0),
                "duration_minutes": interaction.duration_minutes,
                "subject": interaction.subject,
                "notes": interaction.notes,
                "focus_area_id": interaction.focus_area_id,
                "other_focus_area_ids": [a.id for a in interaction.other_focus_areas],
                "contact_person_ids": [p.id for p in interaction.contact_persons],
                "participant_ids": [u.id for u in interaction.participants],
                "inbound_channel": interaction.inbound_channel.value if interaction.inbound_channel else "",
                "case_id": interaction.case_id,
                "is_restricted": interaction.is_restricted,
                "permit_rows": rows,
            },
        )
    else:
        form = ContactForm()
    _choices(form, company, interaction)
    del form.followup
    del form.followup_on
    if form.validate_on_submit():
        data = form.to_input()
        # The company is chosen when logging; an edit keeps it (a wrong company is fixed by
        # deleting and logging again, so the audit trail tells the story).
        data = dataclasses.replace(data, company_id=interaction.company_id)
        if "case_id" not in form._fields:
            data = dataclasses.replace(data, case_id=interaction.case_id)
        try:
            services.update_contact(interaction, data, actor=current_user, expected_version=_version(form))
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash("Ändringarna är sparade.", "success")
            return redirect(url_for("interactions.detail", interaction_id=interaction.id))
    html = render_template("interactions/form.html", **_form_context(form, company, interaction))
    db.session.commit()  # the audited read (GET of a restricted contact)
    return html


@bp.route("/<int:interaction_id>/ta-bort", methods=["POST"])
@permission_required(Perm.EDIT_CONTACTS)
def delete(interaction_id: int):
    interaction = _or_404(queries.get_contact_or_404, interaction_id)
    form = DeleteForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.delete_contact(interaction, actor=current_user, expected_version=_version(form))
    except DomainError as exc:
        db.session.rollback()
        if exc.status_code == 403:
            abort(403)
        flash(exc.message, "error")
        return redirect(url_for("interactions.detail", interaction_id=interaction_id))
    db.session.commit()
    flash("Kontakten är borttagen. Den finns kvar i händelseloggen.", "success")
    return redirect(_company_url(interaction.company_id))


# --------------------------------------------------------------------------- referrals


@bp.route("/<int:interaction_id>/hanvisningar", methods=["POST"])
@permission_required(Perm.EDIT_CONTACTS)
def referral_new(interaction_id: int):
    interaction = _or_404(queries.get_contact_or_404, interaction_id)
    if not services.can_edit(current_user, interaction):
        abort(403)
    form = ReferralForm()
    form.partner_id.choices = [("", "Välj partner")] + [
        (p.id, p.name) for p in catalogues.list_partners(include_retired=False)
    ]
    if form.validate_on_submit():
        try:
            referral = services.add_referral(form.to_input(interaction_id=interaction.id), actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            # Read what the message needs before the commit: after it a 500 would tell the
            # user that a saved referral failed, and a retry would save it twice.
            partner_name = dict(form.partner_id.choices).get(referral.partner_id, "partnern")
            db.session.commit()
            flash(f"Hänvisningen till {partner_name} är sparad.", "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for("interactions.detail", interaction_id=interaction.id) + "#hanvisningar")


@bp.route("/hanvisningar/<int:referral_id>/utfall", methods=["GET", "POST"])
@permission_required(Perm.EDIT_CONTACTS)
def referral_outcome(referral_id: int):
    referral = _or_404(services.get_referral, referral_id)
    if queries.shown_referrals(current_user, [referral])[0] is not referral:
        abort(403)  # it inherits a restriction the user may not read (showing it is audited)
    form = ReferralOutcomeForm(
        formdata=None if request.method == "GET" else request.form,
        data={"outcome": referral.outcome or "", "outcome_on": referral.outcome_on or local_today(),
              "version": str(referral.version)},
    )
    if form.validate_on_submit():
        try:
            services.record_referral_outcome(
                referral, form.outcome.data, outcome_on=form.outcome_on.data, actor=current_user,
                expected_version=_version(form),
            )
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash("Utfallet är sparat.", "success")
            if referral.interaction_id:
                return redirect(url_for("interactions.detail", interaction_id=referral.interaction_id) + "#hanvisningar")
            return redirect(_company_url(referral.company_id))
    partner = catalogues.get_partner_or_404(referral.partner_id)
    company = db.session.get(Company, referral.company_id)
    return render_template(
        "interactions/referral_outcome.html", form=form, referral=referral, partner=partner, company=company
    )
