"""The contact form's choices and context (logging and editing): focus areas as radio buttons
with the company's last one marked as a suggestion, the "how" kinds, permit rows, the company's
open cases, follow-up labels with their dates, and what "Fler uppgifter" holds."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.catalogues import queries as catalogues
from app.companies import queries as company_queries
from app.companies.models import Company
from app.core.case_choices import open_cases
from app.core.forms import options
from app.interactions.follow_up import follow_up_choices
from app.interactions.forms import PERMIT_ROWS, ContactForm
from app.interactions.models import HOW_KINDS, KIND_LABELS, InteractionKind
from app.strategy import queries as strategy

# The fields folded under "Fler uppgifter" (<details>): opened when one of them holds an error.
MORE_FIELDS = (
    "duration_minutes",
    "inbound_channel",
    "participant_ids",
    "contact_person_ids",
    "other_focus_area_ids",
    "case_id",
    "is_restricted",
)


def area_name(area) -> str:
    return _("%(name)s (avslutat)", name=area.name) if area.is_retired else area.name


def fill_choices(form: ContactForm, company: Company | None, interaction=None) -> None:
    """Fill the form's choices: selectable entries plus whatever an old contact already has.
    Before a company is picked there are no contact persons and no cases to choose from."""
    current_areas: set[int] = set()
    current_permits: set[int] = set()
    if interaction is not None:
        current_areas = {interaction.focus_area_id, *(a.id for a in interaction.other_focus_areas)}
        current_permits = {g.permit_type_id for g in interaction.permit_guidance}
        kind = InteractionKind(interaction.kind)
        if kind not in HOW_KINDS:  # an old kind (tillståndsvägledning …) keeps its label on edit
            form.kind.choices = [*form.kind.choices, (kind.value, str(KIND_LABELS[kind]))]
    areas = [a for a in strategy.list_focus_areas() if not a.is_retired or a.id in current_areas]
    area_choices = [(a.id, area_name(a)) for a in areas]
    form.focus_area_id.choices = options(area_choices)
    form.other_focus_area_ids.choices = options(area_choices)
    permits = [p for p in catalogues.list_permit_types() if not p.is_retired or p.id in current_permits]
    permit_choices = options(
        [("", _("– Ingen –"))]
        + [(p.id, _("%(name)s (avslutad)", name=p.name) if p.is_retired else p.name) for p in permits]
    )
    while len(form.permit_rows) < PERMIT_ROWS or _filled_rows(form) >= len(form.permit_rows):
        form.permit_rows.append_entry()
    for row in form.permit_rows:
        row.form.permit_type_id.choices = permit_choices
    people = company_queries.contact_persons(company.id) if company is not None else []
    if interaction is not None:
        people += [p for p in interaction.contact_persons if p.id not in {x.id for x in people}]
    form.contact_person_ids.choices = options(
        (p.id, p.name + (f", {p.title}" if p.title else "")) for p in people
    )
    if interaction is not None:
        form.participant_ids.keep(u.id for u in interaction.participants)
    if "followup" in form._fields:
        form.followup.choices = options(follow_up_choices())
    cases = open_cases(company.id if company is not None else 0, current_user)
    if cases is None:
        # No lots cases installed: hide the link field (an edit then keeps the stored case_id).
        del form.case_id
        return
    kept = interaction.case_id if interaction is not None else None
    if kept and kept not in {case_id for case_id, _label in cases}:
        cases = [(kept, _("Lotsärende nr %(id)s", id=kept)), *cases]
    form.case_id.choices = options([("", _("Inget lotsärende")), *cases])
    if form.case_id.data not in {None, *(case_id for case_id, _label in cases)}:
        form.case_id.data = None  # a case_id in the link that is not one of the company's open cases


def _filled_rows(form: ContactForm) -> int:
    return sum(1 for row in form.permit_rows if row.form.permit_type_id.data)


def context(
    form: ContactForm, company: Company | None, interaction=None, suggested_area_id=None, picked=None
) -> dict[str, Any]:
    """The template's context. `picked` (app.companies.picker.Picked) when logging: the form's
    company picker; editing keeps the contact's company."""
    more_open = any(form[name].errors for name in MORE_FIELDS if name in form._fields) or bool(
        "case_id" in form._fields and form.case_id.data
    )
    return {
        "form": form,
        "company": company,
        "picked": picked,
        "interaction": interaction,
        "notes_hint": form.notes.description,
        "suggested_area_id": suggested_area_id,
        "more_open": more_open,
        # The subject once the company is known (from a company page, or just picked); else the picker.
        "focus_subject": interaction is None and company is not None and not form.is_submitted(),
        "focus_company": interaction is None and company is None and not form.is_submitted(),
        "cancel_url": url_for("interactions.detail", interaction_id=interaction.id) if interaction else None,
    }
