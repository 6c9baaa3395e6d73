"""Forms of the privacy screens (shape only; the services check the rules)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
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
    field = SelectField(_l("Uppgift"), choices=options(RECTIFIABLE.items()))
    value = StringField(_l("Nytt värde"), validators=[Length(max=254)])
    reason = TextAreaField(_l("Varför rättas uppgiften?"), validators=[DataRequired(), Length(max=2000)])


class ObjectionForm(FlaskForm):
    objected = HiddenField()
    reason = TextAreaField(
        _l("Skäl"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("T.ex. ”Invände i telefon 2026-03-02”."),
    )


class AnonymiseForm(FlaskForm):
    decision_reference = StringField(
        _l("Gallringsbeslut eller rättslig grund"),
        validators=[Length(max=200)],
        description=_l("T.ex. ”KS 2026/123, § 45”. Utan beslut anonymiseras ingenting."),
    )
    confirm = BooleanField(
        _l("Jag förstår att anonymiseringen inte kan ångras"), validators=[InputRequired()]
    )


class RuleForm(VersionedForm):
    action = SelectField(_l("Åtgärd"))
    years = IntegerField(_l("Antal år"), validators=[Optional(), NumberRange(min=0, max=100)])
    decision_reference = StringField(
        _l("Gallringsbeslut (diarienummer, paragraf)"),
        validators=[Length(max=200)],
        description=_l("T.ex. ”KS 2026/123, § 45”. Regeln är inaktiv tills beslut och datum är ifyllda."),
    )
    decision_on = DateField(_l("Beslutsdatum"), validators=[Optional()])

    def set_actions(self, actions: tuple[str, ...]) -> None:
        self.action.choices = options(
            [("keep", ACTION_LABELS["keep"])] + [(a, ACTION_LABELS[a]) for a in actions]
        )


class ExportForm(FlaskForm):
    closed_before = DateField(_l("Ärenden avslutade före"), validators=[DataRequired()])
    creator = StringField(
        _l("Arkivbildare"),
        default="Kommunstyrelsen, näringslivskontoret",  # untranslated: the arkivbildare's official name, written into the e-arkiv package
        validators=[DataRequired(), Length(max=200)],
    )
