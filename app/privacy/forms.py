"""Forms of the privacy screens (shape only; the services check the rules)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.companies.personal_data import RECTIFIABLE
from app.core.forms import VersionedForm, options
from app.privacy.models import ACTION_LABELS


class RectifyForm(FlaskForm):
    field = SelectField("Uppgift", choices=options(RECTIFIABLE.items()))
    value = StringField("Nytt värde", validators=[Length(max=254)])
    reason = TextAreaField("Varför rättas uppgiften?", validators=[DataRequired(), Length(max=2000)])


class ObjectionForm(FlaskForm):
    objected = HiddenField()
    reason = TextAreaField(
        "Skäl",
        validators=[DataRequired(), Length(max=2000)],
        description="T.ex. ”Invände i telefon 2026-03-02”.",
    )


class AnonymiseForm(FlaskForm):
    decision_reference = StringField(
        "Gallringsbeslut eller rättslig grund",
        validators=[Length(max=200)],
        description="T.ex. ”KS 2026/123, § 45”. Utan beslut anonymiseras ingenting.",
    )
    confirm = BooleanField("Jag förstår att anonymiseringen inte kan ångras", validators=[InputRequired()])


class RuleForm(VersionedForm):
    action = SelectField("Åtgärd")
    years = IntegerField("Antal år", validators=[Optional(), NumberRange(min=0, max=100)])
    decision_reference = StringField(
        "Gallringsbeslut (diarienummer, paragraf)",
        validators=[Length(max=200)],
        description="T.ex. ”KS 2026/123, § 45”. Regeln är inaktiv tills beslut och datum är ifyllda.",
    )
    decision_on = DateField("Beslutsdatum", validators=[Optional()])

    def set_actions(self, actions: tuple[str, ...]) -> None:
        self.action.choices = options(
            [("keep", ACTION_LABELS["keep"])] + [(a, ACTION_LABELS[a]) for a in actions]
        )


class ExportForm(FlaskForm):
    closed_before = DateField("Ärenden avslutade före", validators=[DataRequired()])
    creator = StringField(
        "Arkivbildare",
        default="Kommunstyrelsen, näringslivskontoret",
        validators=[DataRequired(), Length(max=200)],
    )
