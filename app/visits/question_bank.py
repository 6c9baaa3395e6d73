"""The question bank's admin screen (/admin/besoksfragor, served by app.admin.catalogue), with
its form and the retire/reinstate services. A retired question (`is_active` false) is kept but
no longer suggested in visit briefs; the reorder is a row action."""

from __future__ import annotations

from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.audit import services as audit
from app.auth.models import User
from app.core.catalogue import CatalogueScreen, Column, RowAction
from app.core.forms import VersionedForm, options
from app.core.permissions import Perm, require
from app.extensions import db
from app.interactions.forms import int_or_none
from app.strategy.queries import list_focus_areas
from app.visits import queries, services
from app.visits.models import VisitQuestion


class QuestionForm(VersionedForm):
    text = StringField("Fråga", validators=[DataRequired(message="Skriv frågan."), Length(max=300)])
    focus_area_id = SelectField("Fokusområde", coerce=int_or_none)
    is_active = BooleanField("Föreslås i besöksunderlagen", default=True)

    def to_input(self) -> services.QuestionInput:
        return services.QuestionInput(
            text=self.text.data or "", focus_area_id=self.focus_area_id.data, is_active=bool(self.is_active.data)
        )


def _form(question: VisitQuestion | None) -> QuestionForm:
    form = QuestionForm(obj=question)
    form.focus_area_id.choices = options(
        [(None, "Alla besök (oavsett fokusområde)")]
        + [(a.id, a.name + (" (avslutat)" if a.is_retired else "")) for a in list_focus_areas()]
    )
    return form


def retire_question(question: VisitQuestion, *, actor: User) -> VisitQuestion:
    """Stop suggesting a question in visit briefs (kept in the bank). Idempotent."""
    require(actor, Perm.MANAGE_CATALOGUES)
    if question.is_active:
        question.is_active = False
        audit.record_update(actor, question, summary="Fråga till besöksunderlag föreslås inte längre")
        db.session.flush()
    return question


def reinstate_question(question: VisitQuestion, *, actor: User) -> VisitQuestion:
    """Suggest a retired question again. Idempotent."""
    require(actor, Perm.MANAGE_CATALOGUES)
    if not question.is_active:
        question.is_active = True
        audit.record_update(actor, question, summary="Fråga till besöksunderlag föreslås igen")
        db.session.flush()
    return question


QUESTIONS = CatalogueScreen(
    key="visit_questions",
    slug="besoksfragor",
    title="Frågebank för besöksunderlag",
    new_label="Ny fråga",
    empty="Inga frågor ännu.",
    intro="Frågorna föreslås i besöksunderlaget för besökets fokusområden. Frågor utan fokusområde föreslås "
    "vid alla besök.",
    caption="Frågor per fokusområde, i ordning",
    form=_form,
    fields=("text", "focus_area_id", "is_active"),
    list=queries.list_questions,
    get=queries.get_question_or_404,
    create=lambda form, actor: services.create_question(form.to_input(), actor=actor),
    update=lambda question, form, actor: services.update_question(
        question, form.to_input(), actor=actor, expected_version=form.expected_version
    ),
    retire=lambda question, actor: retire_question(question, actor=actor),
    reinstate=lambda question, actor: reinstate_question(question, actor=actor),
    created="Frågan är sparad.",
    saved="Frågan är ändrad.",
    retired="Frågan föreslås inte längre i besöksunderlagen.",
    reinstated="Frågan föreslås i besöksunderlagen igen.",
    name=lambda question: question.text,
    name_label="Fråga",
    edit_heading=lambda question: "Ändra fråga",
    columns=(
        Column("Fokusområde", lambda q: q.focus_area.label if q.focus_area else "Alla besök", before_name=True),
    ),
    actions=(
        RowAction(
            key="move", slug="flytta", label="Ordning", buttons=(("up", "Upp"), ("down", "Ner")), field="direction",
            call=lambda question, direction, actor: services.move_question(
                question, -1 if direction == "up" else 1, actor=actor
            ),
        ),
    ),
    is_retired=lambda question: not question.is_active,
    retired_on=lambda question: None,
    status_label="Föreslås",
    active_text="Ja",
    retired_text="Nej",
    retire_label="Sluta föreslå",
    reinstate_label="Föreslå igen",
    row_anchor="fraga",
    cancel_label="Tillbaka",
    moved_from="/admin/besok/fragor",
    moved_retire=False,  # the bank had no retire before
)
