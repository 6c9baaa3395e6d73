"""Forms of the contact log: the contact form (quick logging and edit), list filters,
referrals and their outcome. Forms check shape; the services check the rules."""

from __future__ import annotations

from datetime import time

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
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.auth.userpick import UserField, UserListField
from app.core.forms import FilterForm, VersionedForm, options
from app.core.time import local_datetime
from app.interactions.follow_up import FOLLOW_UP_CHOICES
from app.interactions.inputs import ContactInput, FollowUpRequest, PermitGuidanceInput, ReferralInput
from app.interactions.models import CHANNEL_LABELS, HOW_KINDS, KIND_LABELS

NOTES_HINT = _l("Anteckningar är allmänna handlingar och kan lämnas ut efter sekretessprövning.")
# Permit rows rendered: without JavaScript all of them show (a usable fallback); with it one shows
# and "Lägg till ett tillstånd" reveals (or adds) the next (app/static/js/interactions.js).
PERMIT_ROWS = 3
FOCUS_REQUIRED = _l("Välj ett fokusområde. Varje kontakt räknas till ett av strategins fokusområden.")


def int_or_none(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (rendered inside a fieldset by the template)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PermitRowForm(Form):
    permit_type_id = SelectField(_l("Tillståndstyp"), coerce=int_or_none, validate_choice=False)
    guidance_given = TextAreaField(_l("Vägledning som gavs"))
    handed_to = StringField(
        _l("Lämnades vidare till"),
        description=_l("Förvaltning eller myndighet."),
        validators=[Length(max=200)],
    )


class ContactForm(VersionedForm):
    form_token = HiddenField()
    company_id = HiddenField()
    # "How" the contact took place; an old contact's own kind is added by the view (_choices).
    kind = RadioField(
        _l("Kontaktsätt"),
        choices=options((k.value, KIND_LABELS[k]) for k in HOW_KINDS),
        validate_choice=False,  # the service checks the code (and keeps an old contact's kind)
    )
    occurred_on = DateField(
        _l("Datum"), validators=[DataRequired(message=_l("Ange ett datum (ÅÅÅÅ-MM-DD)."))]
    )
    occurred_time = TimeField(
        _l("Klockslag"), validators=[DataRequired(message=_l("Ange ett klockslag (TT:MM)."))]
    )
    duration_minutes = IntegerField(
        _l("Längd i minuter"),
        validators=[Optional(), NumberRange(min=0, max=1440, message=_l("Ange 0–1440 minuter."))],
    )
    subject = StringField(
        _l("Ämne"), validators=[DataRequired(message=_l("Skriv kort vad kontakten gällde.")), Length(max=200)]
    )
    notes = TextAreaField(_l("Anteckningar"), description=NOTES_HINT)
    # Radio buttons, none checked on a new contact: the user chooses (the company's last focus
    # area is only marked "Förslag"), so the monthly figures per focus area hold real choices.
    focus_area_id = RadioField(
        _l("Fokusområde"),
        coerce=int_or_none,
        validate_choice=False,  # the service checks the area (retired ones stay on old contacts)
        validators=[DataRequired(message=FOCUS_REQUIRED)],
    )
    other_focus_area_ids = MultiCheckboxField(_l("Även dessa fokusområden"), coerce=int)
    contact_person_ids = MultiCheckboxField(_l("Kontaktpersoner på företaget"), coerce=int)
    participant_ids = UserListField(_l("Deltagare från kommunen"))
    inbound_channel = SelectField(
        _l("Företaget tog kontakt via"),
        choices=options(
            [
                ("", _l("Vi tog kontakt / ej aktuellt")),
                *((c.value, label) for c, label in CHANNEL_LABELS.items()),
            ]
        ),
    )
    # The company's open cases the user may read (app.core.case_choices), "" for none.
    case_id = SelectField(_l("Lotsärende"), coerce=int_or_none)
    is_restricted = BooleanField(
        _l("Kan innehålla uppgifter som omfattas av sekretess"),
        description=_l(
            "Kontakten visas då bara för deltagarna och företagslotsar, och varje läsning loggas. "
            "Markeringen är inget löfte om sekretess: om någon begär ut uppgifterna görs en sekretessprövning."
        ),
    )
    concerns_permits = BooleanField(
        _l("Gällde tillstånd"),
        description=_l("Bocka i om kontakten gällde ett eller flera tillstånd (tillståndsvägledning)."),
    )
    permit_rows = FieldList(FormField(PermitRowForm), min_entries=PERMIT_ROWS)
    # Labels with the date each choice sets: the view fills them (follow_up_choices).
    followup = SelectField(_l("Följ upp"), choices=options(FOLLOW_UP_CHOICES.items()))
    followup_on = DateField(_l("Uppföljningsdatum"), validators=[Optional()])

    def to_input(self) -> ContactInput:
        occurred_at = None
        if self.occurred_on.data and self.occurred_time.data:
            at: time = self.occurred_time.data.replace(second=0, microsecond=0)
            occurred_at = local_datetime(self.occurred_on.data, at)
        rows = tuple(
            PermitGuidanceInput(
                permit_type_id=row.form.permit_type_id.data,
                guidance_given=row.form.guidance_given.data or "",
                handed_to=row.form.handed_to.data or "",
            )
            for row in self.permit_rows
            if row.form.permit_type_id.data
        )
        return ContactInput(
            kind=self.kind.data or "",
            occurred_at=occurred_at,
            company_id=int_or_none(self.company_id.data),
            focus_area_id=self.focus_area_id.data,
            subject=self.subject.data or "",
            notes=self.notes.data or "",
            duration_minutes=self.duration_minutes.data,
            other_focus_area_ids=tuple(self.other_focus_area_ids.data or ()),
            contact_person_ids=tuple(self.contact_person_ids.data or ()),
            participant_ids=tuple(self.participant_ids.data or ()),
            inbound_channel=self.inbound_channel.data or None,
            case_id=self.case_id.data if "case_id" in self._fields else None,
            is_restricted=bool(self.is_restricted.data),
            permit_guidance=rows,
            concerns_permits=bool(self.concerns_permits.data),
        )

    def follow_up_request(self) -> FollowUpRequest | None:
        if not self.followup.data:
            return None
        return FollowUpRequest(when=self.followup.data, on=self.followup_on.data)


class ContactFilterForm(FilterForm):
    """The list filters, read from the query string: only what the user submitted is validated
    (app.core.forms)."""

    date_from = DateField(_l("Från och med"), validators=[Optional()])
    date_to = DateField(_l("Till och med"), validators=[Optional()])
    kind = SelectField(
        _l("Typ"),
        choices=options([("", _l("Alla typer")), *((k.value, label) for k, label in KIND_LABELS.items())]),
    )
    # Radio buttons, none checked on a new contact: the user chooses (the company's last focus
    # area is only marked "Förslag"), so the monthly figures per focus area hold real choices.
    focus_area_id = RadioField(
        _l("Fokusområde"),
        coerce=int_or_none,
        validate_choice=False,  # the service checks the area (retired ones stay on old contacts)
        validators=[DataRequired(message=FOCUS_REQUIRED)],
    )
    user_id = UserField(_l("Användare"), any_id=True)
    permit_type_id = SelectField(_l("Tillståndstyp"), coerce=int_or_none)
    partner_id = SelectField(_l("Hänvisad till"), coerce=int_or_none)
    restricted_only = BooleanField(_l("Bara kontakter med begränsad åtkomst"))


class ReferralForm(FlaskForm):
    partner_id = SelectField(_l("Partner"), coerce=int_or_none)
    reason = TextAreaField(
        _l("Anledning"), validators=[DataRequired(message=_l("Skriv varför företaget hänvisades."))]
    )
    referred_on = DateField(_l("Datum"), validators=[Optional()])

    def to_input(self, *, interaction_id: int) -> ReferralInput:
        return ReferralInput(
            partner_id=self.partner_id.data,
            reason=self.reason.data or "",
            referred_on=self.referred_on.data,
            interaction_id=interaction_id,
        )


class ReferralOutcomeForm(VersionedForm):
    outcome = TextAreaField(
        _l("Utfall"), validators=[DataRequired(message=_l("Skriv vad hänvisningen ledde till."))]
    )
    outcome_on = DateField(_l("Datum för utfallet"), validators=[Optional()])


class DeleteForm(VersionedForm):
    pass
