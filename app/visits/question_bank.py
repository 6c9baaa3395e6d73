"""The question bank's admin screen (/admin/besoksfragor, served by app.admin.catalogue), with
its form and the retire/reinstate services. A retired question (`is_active` false) is kept but
no longer suggested in visit briefs; the reorder is a row action."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.audit import services as audit
from app.auth.models import User
from app.core.catalogue import CatalogueScreen, Column, RowAction
from app.core.db import check_version
from app.core.errors import ValidationError
from app.core.forms import VersionedForm, options
from app.core.permissions import Perm, require
from app.extensions import db
from app.interactions.forms import int_or_none
from app.strategy.models import FocusArea
from app.strategy.queries import list_focus_areas
from app.visits import queries
from app.visits.models import VisitQuestion


@dataclass(frozen=True)
class QuestionInput:
    text: str
    focus_area_id: int | None = None
    is_active: bool = True


def _validate_question(data: QuestionInput) -> FocusArea | None:
    text = data.text.strip()
    if not text:
        raise ValidationError(_("Skriv frågan."), field="text")
    if len(text) > 300:
        raise ValidationError(_("Högst 300 tecken."), field="text")
    if data.focus_area_id is None:
        return None
    area = db.session.get(FocusArea, data.focus_area_id)
    if area is None:
        raise ValidationError(_("Fokusområdet finns inte."), field="focus_area_id")
    return area


def create_question(data: QuestionInput, *, actor: User) -> VisitQuestion:
    """Add a question to the bank, last within its focus area. Raises PermissionDenied,
    ValidationError. Flushes."""
    require(actor, Perm.MANAGE_CATALOGUES)
    area = _validate_question(data)
    last = db.session.scalar(
        sa.select(sa.func.max(VisitQuestion.position)).where(
            VisitQuestion.focus_area_id.is_(None) if area is None else VisitQuestion.focus_area_id == area.id
        )
    )
    question = VisitQuestion(
        text=data.text.strip(),
        focus_area_id=area.id if area else None,
        position=(last or 0) + 1,
        is_active=data.is_active,
    )
    db.session.add(question)
    audit.record_create(
        actor,
        question,
        summary="Fråga till besöksunderlag skapad",  # untranslated: audit trail
    )
    return question


def update_question(
    question: VisitQuestion, data: QuestionInput, *, actor: User, expected_version: int | None = None
) -> VisitQuestion:
    """Change a question's text, focus area or whether it is suggested. Raises
    PermissionDenied, StaleEdit, ValidationError. Flushes."""
    require(actor, Perm.MANAGE_CATALOGUES)
    check_version(question, expected_version)
    area = _validate_question(data)
    question.text = data.text.strip()
    question.focus_area_id = area.id if area else None
    question.is_active = data.is_active
    audit.record_update(
        actor,
        question,
        summary="Fråga till besöksunderlag ändrad",  # untranslated: audit trail
    )
    db.session.flush()
    return question


def move_question(question: VisitQuestion, direction: int, *, actor: User) -> VisitQuestion:
    """Swap a question with its neighbour (-1 up, +1 down) within its focus area."""
    require(actor, Perm.MANAGE_CATALOGUES)
    same_area = (
        VisitQuestion.focus_area_id.is_(None)
        if question.focus_area_id is None
        else VisitQuestion.focus_area_id == question.focus_area_id
    )
    if direction < 0:
        stmt = (
            sa.select(VisitQuestion)
            .where(same_area, VisitQuestion.position < question.position)
            .order_by(VisitQuestion.position.desc())
        )
    else:
        stmt = (
            sa.select(VisitQuestion)
            .where(same_area, VisitQuestion.position > question.position)
            .order_by(VisitQuestion.position)
        )
    other = db.session.scalars(stmt.limit(1)).first()
    if other is None:
        return question
    question.position, other.position = other.position, question.position
    audit.record_update(actor, question, summary="Frågornas ordning ändrad")  # untranslated: audit trail
    db.session.flush()
    return question


class QuestionForm(VersionedForm):
    text = StringField(_l("Fråga"), validators=[DataRequired(message=_l("Skriv frågan.")), Length(max=300)])
    focus_area_id = SelectField(_l("Fokusområde"), coerce=int_or_none)
    is_active = BooleanField(_l("Föreslås i besöksunderlagen"), default=True)

    def to_input(self) -> QuestionInput:
        return QuestionInput(
            text=self.text.data or "",
            focus_area_id=self.focus_area_id.data,
            is_active=bool(self.is_active.data),
        )


def _form(question: VisitQuestion | None) -> QuestionForm:
    form = QuestionForm(obj=question)
    form.focus_area_id.choices = options(
        [(None, _("Alla besök (oavsett fokusområde)"))]
        + [
            (a.id, _("%(name)s (avslutat)", name=a.name) if a.is_retired else a.name)
            for a in list_focus_areas()
        ]
    )
    return form


def retire_question(question: VisitQuestion, *, actor: User) -> VisitQuestion:
    """Stop suggesting a question in visit briefs (kept in the bank). Idempotent."""
    require(actor, Perm.MANAGE_CATALOGUES)
    if question.is_active:
        question.is_active = False
        audit.record_update(
            actor,
            question,
            summary="Fråga till besöksunderlag föreslås inte längre",  # untranslated: audit trail
        )
        db.session.flush()
    return question


def reinstate_question(question: VisitQuestion, *, actor: User) -> VisitQuestion:
    """Suggest a retired question again. Idempotent."""
    require(actor, Perm.MANAGE_CATALOGUES)
    if not question.is_active:
        question.is_active = True
        audit.record_update(
            actor,
            question,
            summary="Fråga till besöksunderlag föreslås igen",  # untranslated: audit trail
        )
        db.session.flush()
    return question


QUESTIONS = CatalogueScreen(
    key="visit_questions",
    slug="besoksfragor",
    title=_l("Frågebank för besöksunderlag"),
    new_label=_l("Ny fråga"),
    empty=_l("Inga frågor ännu."),
    intro=_l(
        "Frågorna föreslås i besöksunderlaget för besökets fokusområden. Frågor utan fokusområde föreslås "
        "vid alla besök."
    ),
    caption=_l("Frågor per fokusområde, i ordning"),
    form=_form,
    fields=("text", "focus_area_id", "is_active"),
    list=queries.list_questions,
    get=queries.get_question_or_404,
    create=lambda form, actor: create_question(form.to_input(), actor=actor),
    update=lambda question, form, actor: update_question(
        question, form.to_input(), actor=actor, expected_version=form.expected_version
    ),
    retire=lambda question, actor: retire_question(question, actor=actor),
    reinstate=lambda question, actor: reinstate_question(question, actor=actor),
    created=lambda _question: _("Frågan är sparad."),
    saved=lambda _question: _("Frågan är ändrad."),
    retired=lambda _question: _("Frågan föreslås inte längre i besöksunderlagen."),
    reinstated=lambda _question: _("Frågan föreslås i besöksunderlagen igen."),
    name=lambda question: question.text,
    name_label=_l("Fråga"),
    edit_heading=lambda question: _("Ändra fråga"),
    columns=(
        Column(
            _l("Fokusområde"),
            lambda q: q.focus_area.label if q.focus_area else _("Alla besök"),
            before_name=True,
        ),
    ),
    actions=(
        RowAction(
            key="move",
            slug="flytta",
            label=_l("Ordning"),
            buttons=(("up", _l("Upp")), ("down", _l("Ner"))),
            field="direction",
            call=lambda question, direction, actor: move_question(
                question, -1 if direction == "up" else 1, actor=actor
            ),
        ),
    ),
    is_retired=lambda question: not question.is_active,
    retired_on=lambda question: None,
    status_label=_l("Föreslås"),
    active_text=_l("Ja"),
    retired_text=_l("Nej"),
    retire_label=_l("Sluta föreslå"),
    reinstate_label=_l("Föreslå igen"),
    row_anchor="fraga",
    cancel_label=_l("Tillbaka"),
    moved_from="/admin/besok/fragor",
    moved_retire=False,  # the bank had no retire before
)
