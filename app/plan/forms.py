"""Forms for indicators, their yearly values and handlingsplan activities."""

from __future__ import annotations

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
from app.plan.action_plan import RESPONSIBLE_KINDS, STATUS_LABELS, ActivityInput
from app.plan.indicators import GROUPS, KIND_LABELS, IndicatorInput, IndicatorValueInput


def _float(value) -> float | None:
    return float(value) if value is not None else None


class IndicatorForm(VersionedForm):
    strategy_id = SelectField("Strategi", coerce=int)
    name = StringField("Namn", validators=[DataRequired(message="Ange ett namn."), Length(max=200)])
    key = StringField(
        "Kod",
        description="Kort och unik, t.ex. nki_bygglov. Används i exporter.",
        validators=[DataRequired(message="Ange en kod."), Length(max=60)],
    )
    group = SelectField("Grupp", choices=options(GROUPS.items()))
    kind = SelectField("Typ av värde", choices=options((k.value, label) for k, label in KIND_LABELS.items()))
    baseline_value = DecimalField("Utgångsvärde", places=None, validators=[Optional()])
    baseline_year = IntegerField("Utgångsår", validators=[Optional()])
    target_value = DecimalField(
        "Målvärde (minst)", places=None, description="Ja/nej: 1 betyder ”ja”.", validators=[Optional()]
    )
    target_year = IntegerField("Målår", validators=[Optional()])
    moving_average_years = SelectField(
        "Jämför med",
        coerce=int,
        choices=options(
            [
                (1, "Årets värde"),
                (2, "Glidande medelvärde över två år"),
                (3, "Glidande medelvärde över tre år"),
            ]
        ),
    )
    is_total = BooleanField("Totalvärde (t.ex. NKI för samtliga mätområden)")
    outside_total_from = IntegerField(
        "Redovisas utanför totalen från år",
        description="NKI-områden: markupplåtelse ingår inte i totalen från 2024.",
        validators=[Optional()],
    )
    source = StringField("Källa", validators=[Length(max=200)])
    description = TextAreaField("Beskrivning")

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


class IndicatorValueForm(FlaskForm):
    year = IntegerField("År", validators=[DataRequired(message="Ange året."), NumberRange(1990, 2100)])
    value = DecimalField("Värde", places=None, validators=[DataRequired(message="Ange värdet.")])
    national_value = DecimalField("Riket", places=None, validators=[Optional()])
    county_value = DecimalField("Länet", places=None, validators=[Optional()])
    case_id = IntegerField("Lotsärende (nummer)", description="Den större etableringen: ärendet som ledde dit.",
                           validators=[Optional()])  # fmt: skip
    note = StringField("Anteckning", validators=[Length(max=500)])

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
    focus_area_id = SelectField("Fokusområde", coerce=int)
    title = StringField("Aktivitet", validators=[DataRequired(message="Ange aktiviteten."), Length(max=200)])
    description = TextAreaField("Beskrivning")
    responsible_kind = SelectField("Ansvarig är en", choices=options(RESPONSIBLE_KINDS.items()))
    responsible_name = StringField(
        "Ansvarig nämnd, bolag eller funktion",
        validators=[DataRequired(message="Ange vem som ansvarar."), Length(max=200)],
    )
    status = SelectField("Status", choices=options((k.value, label) for k, label in STATUS_LABELS.items()))
    due_on = DateField("Klart senast", validators=[Optional()])

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
    kind = SelectField("Typ", choices=options([("interaction", "Kontakt"), ("case", "Lotsärende")]))
    record_id = IntegerField("Nummer", validators=[DataRequired(message="Ange numret.")])
