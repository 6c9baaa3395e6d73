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
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.audit import services as audit
from app.auth.decorators import permission_required
from app.catalogues import queries as catalogues
from app.companies.models import Company
from app.core.downloads import spreadsheet_response
from app.core.forms import options
from app.core.permissions import Perm
from app.core.time import local_today, to_local, utcnow
from app.core.web import page_arg, render_committed, submit
from app.extensions import db
from app.interactions import contact_form, queries, services
from app.interactions.exports import export_rows, headers
from app.interactions.forms import (
    ContactFilterForm,
    ContactForm,
    DeleteForm,
    ReferralForm,
    ReferralOutcomeForm,
)
from app.interactions.models import LEGACY_KINDS, InteractionKind
from app.strategy import queries as strategy

bp = Blueprint("interactions", __name__, url_prefix="/kontakter")


def _company_url(company_id: int) -> str:
    if "companies.detail" in current_app.view_functions:
        return url_for("companies.detail", company_id=company_id)
    return url_for("interactions.list", company_id=company_id)


def _log_contact_url(company=None, case=None) -> str:
    """The header's "Logga kontakt": on a company page (or a case page) it opens the form for
    that company (and case); elsewhere the company picker. base.html passes the page's
    `company`/`case` (the case only when its content may be shown)."""
    if request.endpoint == "companies.detail" and company and getattr(company, "is_live", False):
        return url_for("interactions.new", company_id=company.id)
    if request.endpoint == "cases.detail" and case:
        return url_for("interactions.new", company_id=case.company_id, case_id=case.id)
    return url_for("interactions.new")


@bp.app_context_processor
def _helpers():
    return {"company_url": _company_url, "log_contact_url": _log_contact_url}


# --------------------------------------------------------------------------- lists and export


def _filter_form() -> ContactFilterForm:
    form = ContactFilterForm(request.args)
    if form.kind.data in LEGACY_KINDS:  # a bookmarked link with a code from before migration 0021
        form.kind.data = LEGACY_KINDS[form.kind.data].value
    form.focus_area_id.choices = options(
        [("", _("Alla fokusområden"))]
        + [(a.id, contact_form.area_name(a)) for a in strategy.list_focus_areas()]
    )
    form.permit_type_id.choices = options(
        [("", _("Alla tillståndstyper"))] + [(p.id, p.name) for p in catalogues.list_permit_types()]
    )
    form.partner_id.choices = options(
        [("", _("Alla partner"))] + [(p.id, p.name) for p in catalogues.list_partners()]
    )
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
        # Not a filter field: set by the report figure "varav gällde tillstånd" (its drill-down).
        concerns_permits=request.args.get("concerns_permits") == "1",
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
        current_user,
        "export",
        "interactions",
        None,
        summary=f"Export av kontakter ({fmt.upper()}): {flt.as_args() or 'alla'}",  # untranslated: audit trail
    )
    db.session.commit()
    name = f"kontakter-{local_today().isoformat()}"
    return spreadsheet_response(
        fmt,
        headers(),
        export_rows(flt, reader=current_user._get_current_object()),
        name=name,
        sheet_title=_("Kontakter"),
    )


# --------------------------------------------------------------------------- logging a contact


def _live_company(company_id) -> Company:
    company = db.session.get(Company, int(company_id)) if str(company_id or "").isdigit() else None
    if company is None or company.deleted_at is not None:
        abort(404)
    return company


# The query-string keys that open the form rather than carry typed fields back into it.
_OPENING_ARGS = frozenset({"company_id", "company", "q", "case_id", "next", "company_search", "company_new"})


def _new_form(carried) -> ContactForm:
    """The logging form: posted, carried back in the query string (from "Nytt företag" or a
    company changed in the picker), or the defaults of a fresh form."""
    if request.method == "POST":
        return ContactForm()
    if carried:
        form = ContactForm(formdata=request.args)
        form.form_token.data = uuid.uuid4().hex
        return form
    now = to_local(utcnow())
    return ContactForm(
        formdata=None,
        data={
            "form_token": uuid.uuid4().hex,
            "kind": InteractionKind.PHONE.value,
            "occurred_on": now.date(),
            "occurred_time": now.time().replace(second=0, microsecond=0),
            "participant_ids": [current_user.id],
            # No focus area is checked: the company's last one is only marked "Förslag".
            # From a case page: the contact is linked to that case (one of the company's open ones).
            "case_id": request.args.get("case_id", type=int),
        },
    )


@bp.route("/ny", methods=["GET", "POST"])
@permission_required(Perm.EDIT_CONTACTS)
def new():
    from app.companies import picker

    posted = request.method == "POST"
    if not posted and request.args.get("company_id"):
        # A link from a company or case page: a removed company is not found, a merged one
        # sends the user to the company it became part of.
        linked = _live_company(request.args["company_id"])
        if linked.merged_into_id is not None:
            flash(
                _("%(name)s är sammanslaget med ett annat företag. Logga kontakten där.", name=linked.name),
                "info",
            )
            return redirect(url_for("interactions.new", company_id=linked.merged_into_id))
    picked = picker.read_request(actor=current_user, where="ny kontakt")  # untranslated: audit
    if (to_company_form := picker.new_company_redirect(picked, "interactions.new")) is not None:
        return to_company_form
    company = picked.company
    form = _new_form(carried=not posted and any(key not in _OPENING_ARGS for key in request.args))
    form.company_id.data = str(company.id) if company else ""
    contact_form.fill_choices(form, company)
    if (
        posted
        and not picked.searched
        and (
            done := submit(
                form,
                lambda: services.log_contact(
                    form.to_input(),
                    actor=current_user,
                    form_token=form.form_token.data or "",
                    follow_up=form.follow_up_request(),
                ),
                success=lambda interaction: _(
                    "%(kind)s med %(company)s är loggad.",
                    kind=interaction.kind_label,
                    company=company.name if company else "",
                ),
                # Back on the company page at the saved contact on its timeline (not 2 850 px down).
                redirect_to=lambda interaction: (
                    _company_url(interaction.company_id) + f"#kontakt-{interaction.id}"
                ),
                already_saved=lambda: services.contact_for_form_token(form.form_token.data or ""),
            )
        )
    ):
        return done
    if not posted:
        picked.error = ""  # a search from the query string shows its choices without an error
    suggested = queries.last_focus_area_id(company.id) if company else None
    return render_template(
        "interactions/form.html",
        **contact_form.context(form, company, suggested_area_id=suggested, picked=picked),
    )


# --------------------------------------------------------------------------- one contact


@bp.route("/<int:interaction_id>")
@permission_required(Perm.VIEW_CONTACTS)
def detail(interaction_id: int):
    interaction = queries.get_contact_or_404(interaction_id)
    full = services.read_contact(interaction, actor=current_user)
    can_edit = services.can_edit(current_user, interaction)
    referral_form = None
    if full and can_edit:
        referral_form = ReferralForm(formdata=None, data={"referred_on": local_today()})
        referral_form.partner_id.choices = _partner_options()
    # Committed after rendering: the audited read of a restricted contact is stored only once
    # the page with its content exists.
    return render_committed(
        "interactions/detail.html",
        interaction=interaction,
        full=full,
        can_edit=can_edit,
        referral_form=referral_form,
        delete_form=DeleteForm(formdata=None, data={"version": interaction.version}),
        title=interaction.subject if full else services.RESTRICTED_TITLE,
    )


@bp.route("/<int:interaction_id>/andra", methods=["GET", "POST"])
@permission_required(Perm.EDIT_CONTACTS)
def edit(interaction_id: int):
    interaction = queries.get_contact_or_404(interaction_id)
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
                "concerns_permits": bool(rows),
                "permit_rows": rows,
            },
        )
    else:
        form = ContactForm()
    del form.followup
    del form.followup_on
    contact_form.fill_choices(form, company, interaction)

    def save():
        data = form.to_input()
        # The company is chosen when logging; an edit keeps it (a wrong company is fixed by
        # deleting and logging again, so the audit trail tells the story).
        data = dataclasses.replace(data, company_id=interaction.company_id)
        if "case_id" not in form._fields:
            data = dataclasses.replace(data, case_id=interaction.case_id)
        return services.update_contact(
            interaction, data, actor=current_user, expected_version=form.expected_version
        )

    if done := submit(
        form,
        save,
        success=_("Ändringarna är sparade."),
        redirect_to=url_for("interactions.detail", interaction_id=interaction.id),
    ):
        return done
    # Committed after rendering: the audited read (GET of a restricted contact).
    return render_committed("interactions/form.html", **contact_form.context(form, company, interaction))


@bp.route("/<int:interaction_id>/ta-bort", methods=["POST"])
@permission_required(Perm.EDIT_CONTACTS)
def delete(interaction_id: int):
    interaction = queries.get_contact_or_404(interaction_id)
    form = DeleteForm()
    if not form.validate_on_submit():
        abort(400)
    return submit(
        None,
        lambda: services.delete_contact(
            interaction, actor=current_user, expected_version=form.expected_version
        ),
        success=_("Kontakten är borttagen. Den finns kvar i händelseloggen."),
        redirect_to=_company_url(interaction.company_id),
        errors_to=url_for("interactions.detail", interaction_id=interaction_id),
    )


# --------------------------------------------------------------------------- referrals


def _partner_options():
    return options(
        [("", _("Välj partner"))] + [(p.id, p.name) for p in catalogues.list_partners(include_retired=False)]
    )


@bp.route("/<int:interaction_id>/hanvisningar", methods=["POST"])
@permission_required(Perm.EDIT_CONTACTS)
def referral_new(interaction_id: int):
    interaction = queries.get_contact_or_404(interaction_id)
    if not services.can_edit(current_user, interaction):
        abort(403)
    form = ReferralForm()
    form.partner_id.choices = _partner_options()
    back = url_for("interactions.detail", interaction_id=interaction.id) + "#hanvisningar"
    partners = {choice.value: choice.label for choice in form.partner_id.choices}
    return submit(
        form,
        lambda: services.add_referral(form.to_input(interaction_id=interaction.id), actor=current_user),
        success=lambda referral: _(
            "Hänvisningen till %(partner)s är sparad.",
            partner=partners.get(referral.partner_id, _("partnern")),
        ),
        redirect_to=back,
        errors_to=back,
    ) or redirect(back)


@bp.route("/hanvisningar/<int:referral_id>/utfall", methods=["GET", "POST"])
@permission_required(Perm.EDIT_CONTACTS)
def referral_outcome(referral_id: int):
    referral = services.get_referral(referral_id)
    if queries.shown_referrals(current_user, [referral])[0] is not referral:
        abort(403)  # it inherits a restriction the user may not read (showing it is audited)
    form = ReferralOutcomeForm(
        formdata=None if request.method == "GET" else request.form,
        data={
            "outcome": referral.outcome or "",
            "outcome_on": referral.outcome_on or local_today(),
            "version": str(referral.version),
        },
    )
    if referral.interaction_id:
        back = url_for("interactions.detail", interaction_id=referral.interaction_id) + "#hanvisningar"
    else:
        back = _company_url(referral.company_id)
    if done := submit(
        form,
        lambda: services.record_referral_outcome(
            referral,
            form.outcome.data,
            outcome_on=form.outcome_on.data,
            actor=current_user,
            expected_version=form.expected_version,
        ),
        success=_("Utfallet är sparat."),
        redirect_to=back,
    ):
        return done
    partner = catalogues.get_partner_or_404(referral.partner_id)
    company = db.session.get(Company, referral.company_id)
    return render_template(
        "interactions/referral_outcome.html", form=form, referral=referral, partner=partner, company=company
    )
