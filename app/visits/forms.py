"""Forms of the visit feature: plan/change, cancel, record (with repeatable promise rows), the
question bank and the yearly target. Forms check shape; app.visits.services checks the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.auth.userpick import UserField, UserListField
from app.core.forms import VersionedForm, options
from app.core.time import local_datetime
from app.interactions.forms import NOTES_HINT, MultiCheckboxField, int_or_none
from app.visits.models import PLANNED, PROPOSED, STATUS_LABELS
from app.visits.services import PromiseInput, RecordInput, VisitInput

PROMISE_ROWS = 3  # empty promise rows shown at first; "Fler rader" adds more
MAX_PROMISE_ROWS = 20


class VisitForm(VersionedForm):
    company_id = HiddenField()
    company = StringField(
        _l("Företag"),
        description=_l("Namn eller organisationsnummer."),
        validators=[Length(max=200)],
    )
    status = RadioField(
        _l("Status"),
        choices=options(
            [
                (PLANNED, _l("%(status)s – inbjudan skickas till deltagarna", status=STATUS_LABELS[PLANNED])),
                (PROPOSED, _l("%(status)s – preliminärt, ingen inbjudan än", status=STATUS_LABELS[PROPOSED])),
            ]
        ),
        default=PLANNED,
    )
    starts_on = DateField(_l("Datum"), validators=[DataRequired(message=_l("Ange ett datum (ÅÅÅÅ-MM-DD)."))])
    starts_time = TimeField(_l("Börjar"), validators=[DataRequired(message=_l("Ange en tid (TT:MM)."))])
    ends_time = TimeField(_l("Slutar"), validators=[DataRequired(message=_l("Ange en tid (TT:MM)."))])
    place = StringField(
        _l("Plats"), description=_l("Tomt: företagets besöksadress."), validators=[Length(max=200)]
    )
    ledning_ids = UserListField(_l("Deltagare från kommunledningen"), pool="ledning")
    office_ids = UserListField(_l("Deltagare från näringslivskontoret"), pool="kontor")
    host_contact_person_id = SelectField(_l("Värd på företaget"), coerce=int_or_none, validate_choice=False)
    host_name = StringField(
        _l("Eller värdens namn"),
        description=_l("Om värden inte finns bland kontaktpersonerna."),
        validators=[Length(max=120)],
    )
    purpose = TextAreaField(_l("Syfte med besöket"))
    key_messages = TextAreaField(
        _l("Budskap och frågor"),
        description=_l(
            "Det kommunledningen vill säga och fråga vid besöket, en punkt per rad. Visas i besöksunderlaget."
        ),
        validators=[Length(max=4000)],
    )
    focus_area_ids = MultiCheckboxField(_l("Fokusområden att ta upp"), coerce=int)

    def to_input(self, company_id: int | None) -> VisitInput:
        starts_at = ends_at = None
        if self.starts_on.data and self.starts_time.data:
            starts_at = local_datetime(
                self.starts_on.data, self.starts_time.data.replace(second=0, microsecond=0)
            )
        if self.starts_on.data and self.ends_time.data:
            ends_at = local_datetime(
                self.starts_on.data, self.ends_time.data.replace(second=0, microsecond=0)
            )
        return VisitInput(
            company_id=company_id,
            starts_at=starts_at,
            ends_at=ends_at,
            status=self.status.data or PLANNED,
            place=self.place.data or "",
            ledning_ids=tuple(self.ledning_ids.data or ()),
            office_ids=tuple(self.office_ids.data or ()),
            host_contact_person_id=self.host_contact_person_id.data,
            host_name=self.host_name.data or "",
            purpose=self.purpose.data or "",
            focus_area_ids=tuple(self.focus_area_ids.data or ()),
            key_messages=self.key_messages.data or "",
        )


class CancelForm(VersionedForm):
    reason = TextAreaField(_l("Anledning (valfri)"), validators=[Length(max=2000)])


class PromiseRowForm(Form):
    text = StringField(_l("Vad lovades?"), validators=[Length(max=200)])
    owner_id = UserField(_l("Ansvarig"), pool="uppfoljning")
    due_on = DateField(_l("Klart senast"), validators=[Optional()])

    @property
    def is_blank(self) -> bool:
        return not (self.text.data or "").strip()


class RecordForm(VersionedForm):
    focus_area_id = SelectField(_l("Huvudsakligt fokusområde"), coerce=int_or_none)
    other_focus_area_ids = MultiCheckboxField(_l("Även dessa fokusområden"), coerce=int)
    notes = TextAreaField(_l("Anteckningar från besöket"), description=NOTES_HINT)
    is_restricted = BooleanField(
        _l("Kan innehålla uppgifter som omfattas av sekretess"),
        description=_l(
            "Kontakten visas då bara för deltagarna och företagslotsar. Markeringen är inget löfte "
            "om sekretess: om någon begär ut uppgifterna görs en sekretessprövning."
        ),
    )
    promises = FieldList(FormField(PromiseRowForm), min_entries=PROMISE_ROWS, max_entries=MAX_PROMISE_ROWS)

    def to_input(self) -> RecordInput:
        # A row without text is an unused row; a row with text but no owner or date is an
        # error the service reports.
        rows = tuple(
            PromiseInput(
                text=row.form.text.data or "",
                owner_id=row.form.owner_id.data,
                due_on=row.form.due_on.data,
            )
            for row in self.promises
            if not row.form.is_blank
        )
        return RecordInput(
            focus_area_id=self.focus_area_id.data,
            notes=self.notes.data or "",
            other_focus_area_ids=tuple(self.other_focus_area_ids.data or ()),
            is_restricted=bool(self.is_restricted.data),
            promises=rows,
        )


class TargetForm(FlaskForm):
    year = IntegerField(
        _l("År"), validators=[InputRequired(message=_l("Ange ett år.")), NumberRange(min=2000, max=2100)]
    )
    target_count = IntegerField(
        _l("Mål: antal genomförda besök"),
        validators=[InputRequired(message=_l("Ange ett antal.")), NumberRange(min=0, max=10_000)],
    )
