"""Forms for indicators, their yearly values and handlingsplan activities."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core.forms import VersionedForm, options
from app.interactions.forms import MultiCheckboxField
from app.plan.action_plan import RESPONSIBLE_KINDS, STATUS_LABELS, ActivityInput
from app.plan.indicators import GROUPS, KIND_LABELS, IndicatorInput, IndicatorValueInput


def _float(value) -> float | None:
    return float(value) if value is not None else None


class IndicatorForm(VersionedForm):
    strategy_id = SelectField(_l("Strategi"), coerce=int)
    name = StringField(_l("Namn"), validators=[DataRequired(message=_l("Ange ett namn.")), Length(max=200)])
    key = StringField(
        _l("Kod"),
        description=_l("Kort och unik, t.ex. nki_bygglov. Används i exporter."),
        validators=[DataRequired(message=_l("Ange en kod.")), Length(max=60)],
    )
    group = SelectField(_l("Grupp"), choices=options(GROUPS.items()))
    kind = SelectField(
        _l("Typ av värde"), choices=options((k.value, label) for k, label in KIND_LABELS.items())
    )
    baseline_value = DecimalField(_l("Utgångsvärde"), places=None, validators=[Optional()])
    baseline_year = IntegerField(_l("Utgångsår"), validators=[Optional()])
    target_value = DecimalField(
        _l("Målvärde (minst)"),
        places=None,
        description=_l("Ja/nej: 1 betyder ”ja”."),
        validators=[Optional()],
    )
    target_year = IntegerField(_l("Målår"), validators=[Optional()])
    moving_average_years = SelectField(
        _l("Jämför med"),
        coerce=int,
        choices=options(
            [
                (1, _l("Årets värde")),
                (2, _l("Glidande medelvärde över två år")),
                (3, _l("Glidande medelvärde över tre år")),
            ]
        ),
    )
    is_total = BooleanField(_l("Totalvärde (t.ex. NKI för samtliga mätområden)"))
    outside_total_from = IntegerField(
        _l("Redovisas utanför totalen från år"),
        description=_l("NKI-områden: markupplåtelse ingår inte i totalen från 2024."),
        validators=[Optional()],
    )
    source = StringField(_l("Källa"), validators=[Length(max=200)])
    description = TextAreaField(_l("Beskrivning"))

    def to_input(self) -> IndicatorInput:
        return IndicatorInput(
            strategy_id=self.strategy_id.data,
            key=self.key.data or "",
            name=self.name.data or "",
            group=self.group.data,
            kind=self.kind.data,
            baseline_value=_float(self.baseline_value.data),
            baseline_year=self.baseline_year.data,
            target_value=_float(self.target_value.data),
            target_year=self.target_year.data,
            moving_average_years=self.moving_average_years.data or 1,
            outside_total_from=self.outside_total_from.data,
            is_total=bool(self.is_total.data),
            source=self.source.data or "",
            description=self.description.data or "",
        )


class IndicatorFocusAreasForm(VersionedForm):
    """Which focus areas an indicator follows up (the dashboard shows it in their sections).
    Posted from the indicator's page, with the prefix "fa" (the page has two other forms)."""

    focus_area_ids = MultiCheckboxField(
        _l("Fokusområden som indikatorn följer upp"),
        coerce=int,
        description=_l("Instrumentpanelen visar indikatorn i avsnittet för varje valt fokusområde."),
    )


class IndicatorValueForm(FlaskForm):
    year = IntegerField(
        _l("År"), validators=[DataRequired(message=_l("Ange året.")), NumberRange(1990, 2100)]
    )
    value = DecimalField(_l("Värde"), places=None, validators=[DataRequired(message=_l("Ange värdet."))])
    national_value = DecimalField(_l("Riket"), places=None, validators=[Optional()])
    county_value = DecimalField(_l("Länet"), places=None, validators=[Optional()])
    case_id = IntegerField(_l("Lotsärende (nummer)"), description=_l("Den större etableringen: ärendet som ledde dit."),
                           validators=[Optional()])  # fmt: skip
    note = StringField(_l("Anteckning"), validators=[Length(max=500)])

    def to_input(self) -> IndicatorValueInput:
        return IndicatorValueInput(
            year=self.year.data,
            value=float(self.value.data),
            national_value=_float(self.national_value.data),
            county_value=_float(self.county_value.data),
            case_id=self.case_id.data,
            note=self.note.data or "",
        )


class ActivityForm(VersionedForm):
    focus_area_id = SelectField(_l("Fokusområde"), coerce=int)
    title = StringField(
        _l("Aktivitet"), validators=[DataRequired(message=_l("Ange aktiviteten.")), Length(max=200)]
    )
    description = TextAreaField(_l("Beskrivning"))
    responsible_kind = SelectField(_l("Ansvarig är en"), choices=options(RESPONSIBLE_KINDS.items()))
    responsible_name = StringField(
        _l("Ansvarig nämnd, bolag eller funktion"),
        validators=[DataRequired(message=_l("Ange vem som ansvarar.")), Length(max=200)],
    )
    status = SelectField(
        _l("Status"), choices=options((k.value, label) for k, label in STATUS_LABELS.items())
    )
    due_on = DateField(_l("Klart senast"), validators=[Optional()])

    def to_input(self) -> ActivityInput:
        return ActivityInput(
            focus_area_id=self.focus_area_id.data,
            title=self.title.data or "",
            description=self.description.data or "",
            responsible_kind=self.responsible_kind.data,
            responsible_name=self.responsible_name.data or "",
            status=self.status.data,
            due_on=self.due_on.data,
        )


class LinkForm(FlaskForm):
    kind = SelectField(
        _l("Typ"), choices=options([("interaction", _l("Kontakt")), ("case", _l("Lotsärende"))])
    )
    record_id = IntegerField(_l("Nummer"), validators=[DataRequired(message=_l("Ange numret."))])
