"""The admin screens of the permit types (/admin/tillstandstyper) and the referral partners
(/admin/partner), served by app.admin.catalogue."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.catalogues import queries, services
from app.catalogues.forms import PartnerForm, PermitTypeForm
from app.catalogues.models import PermitType
from app.core.catalogue import CatalogueScreen, Column


def _permit_form(permit: PermitType | None) -> PermitTypeForm:
    form = PermitTypeForm(obj=permit)
    if permit is not None and request.method == "GET":
        form.statutory_time_unit.data = permit.statutory_time_unit or ""
        form.extension_unit.data = permit.extension_unit or ""
        form.guidance_only.data = not permit.time_is_statutory
    return form


def _update_permit(permit: PermitType, form: PermitTypeForm, actor) -> PermitType:
    """Save, unless that moves open deadlines the admin has not seen: then the form shows the
    count (`form.impact`) with a confirm button, and the second post (carrying the count in
    `confirmed_rows`) saves."""
    confirmed = form.confirmed_rows.data
    try:
        return services.update_permit_type(
            permit,
            form.to_input(),
            actor=actor,
            expected_version=form.expected_version,
            confirmed_rows=int(confirmed) if confirmed and confirmed.isdigit() else None,
        )
    except services.ClockImpactUnconfirmed as exc:
        form.impact = exc
        form.confirmed_rows.data = str(exc.impact.rows)
        raise


def _lead_time(permit: PermitType) -> str:
    if permit.lead_time_weeks is None:
        return "–"
    # Swedish says "veckor" for every number here (as before); English has a singular.
    return ngettext("%(num)s veckor", "%(num)s veckor", permit.lead_time_weeks)


PERMIT_TYPES = CatalogueScreen(
    key="permit_types",
    slug="tillstandstyper",
    title=_l("Tillståndstyper"),
    new_label=_l("Ny tillståndstyp"),
    empty=_l("Inga tillståndstyper ännu."),
    intro=_l(
        "Katalogen används vid tillståndsvägledning och i lotsärenden. Avslutade typer finns kvar på gamla "
        "poster men kan inte väljas för nya."
    ),
    caption=_l("Tillståndstyper med lag, beslutande instans och handläggningstid"),
    form=_permit_form,
    form_template="catalogues/permit_type_form.html",
    fields=(
        "name",
        "code",
        "law",
        "deciding_body",
        (
            _l("Handläggningstid enligt lag"),
            (
                "statutory_time_value",
                "statutory_time_unit",
                "clock_starts",
                "guidance_only",
                "pbl_three_week_rule",
                "extension_value",
                "extension_unit",
            ),
        ),
        "lead_time_weeks",
        "is_skr_insikt_area",
        "handling_note",
        "e_service_url",
    ),
    list=queries.list_permit_types,
    get=queries.get_permit_type_or_404,
    create=lambda form, actor: services.create_permit_type(form.to_input(), actor=actor),
    update=_update_permit,
    retire=lambda permit, actor: services.retire_permit_type(permit, actor=actor),
    reinstate=lambda permit, actor: services.reinstate_permit_type(permit, actor=actor),
    created=lambda permit: _("Tillståndstypen %(name)s är sparad.", name=permit.name),
    saved=lambda permit: _("Tillståndstypen %(name)s är sparad.", name=permit.name),
    retired=lambda permit: _(
        "”%(name)s” är avslutad. Befintliga kontakter och ärenden behåller den.", name=permit.name
    ),
    reinstated=lambda permit: _("”%(name)s” kan väljas igen.", name=permit.name),
    columns=(
        Column(_l("Lag"), lambda p: p.law),
        Column(_l("Beslutar"), lambda p: p.deciding_body),
        Column(_l("Handläggningstid"), lambda p: p.statutory_time_text or "–"),
        Column(_l("Ledtid"), _lead_time),
        Column(_l("SKR Insikt"), lambda p: p.is_skr_insikt_area, kind="yesno"),
    ),
    retire_confirm=_l("Avsluta ”%(name)s”? Den kan då inte väljas för nya poster."),
    moved_from="/admin/kataloger/tillstandstyper",
)

PARTNERS = CatalogueScreen(
    key="partners",
    slug="partner",
    title=_l("Hänvisningspartner"),
    new_label=_l("Ny partner"),
    empty=_l("Inga partner ännu."),
    intro=_l(
        "Organisationer som företag kan hänvisas till. Avslutade partner finns kvar på gamla hänvisningar."
    ),
    form=lambda partner: PartnerForm(obj=partner),
    fields=("name", "description", "website"),
    list=queries.list_partners,
    get=queries.get_partner_or_404,
    create=lambda form, actor: services.create_partner(form.to_input(), actor=actor),
    update=lambda partner, form, actor: services.update_partner(
        partner, form.to_input(), actor=actor, expected_version=form.expected_version
    ),
    retire=lambda partner, actor: services.retire_partner(partner, actor=actor),
    reinstate=lambda partner, actor: services.reinstate_partner(partner, actor=actor),
    created=lambda partner: _("Partnern %(name)s är sparad.", name=partner.name),
    saved=lambda partner: _("Partnern %(name)s är sparad.", name=partner.name),
    retired=lambda partner: _(
        "”%(name)s” är avslutad. Befintliga hänvisningar behåller den.", name=partner.name
    ),
    reinstated=lambda partner: _("”%(name)s” kan väljas igen.", name=partner.name),
    columns=(
        Column(_l("Beskrivning"), lambda p: p.description),
        Column(_l("Webbplats"), lambda p: p.website, kind="url"),
    ),
    retire_confirm=_l("Avsluta ”%(name)s”? Den kan då inte väljas för nya hänvisningar."),
    moved_from="/admin/kataloger/partner",
)
