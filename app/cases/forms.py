"""Forms of the lots-case screens. They check shape only; services check the rules."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.validators import ValidationError as FieldError

from app.auth.userpick import UserField, UserListField
from app.cases.actions import ActionInput
from app.cases.meetings import Guest, MeetingInput
from app.cases.models import INTAKE_CHANNELS, PERMIT_OUTCOMES, PRIORITIES
from app.cases.permits import PermitInput
from app.cases.services import CaseInput
from app.cases.workflow import OUTCOME_LABELS
from app.core.forms import VersionedForm, options
from app.core.time import local_datetime


def _opt_int(value) -> int | None:
    try:
        return int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


class CaseForm(VersionedForm):
    company_id = HiddenField()
    title = StringField(
        _l("Rubrik"), validators=[DataRequired(message=_l("Ge ärendet en rubrik.")), Length(max=200)]
    )
    description = TextAreaField(
        _l("Beskrivning"),
        description=_l(
            "Vad vill företaget göra? Uppgifterna är allmänna handlingar och kan lämnas ut efter sekretessprövning."
        ),
    )
    case_type_id = SelectField(
        _l("Ärendetyp"), coerce=_opt_int, validators=[DataRequired(message=_l("Välj en ärendetyp."))]
    )
    focus_area_id = SelectField(
        _l("Fokusområde"), coerce=_opt_int, validators=[DataRequired(message=_l("Välj ett fokusområde."))]
    )
    contact_person_id = SelectField(_l("Kontaktperson"), coerce=_opt_int, validators=[Optional()])
    priority = SelectField(_l("Prioritet"), choices=options(PRIORITIES.items()), default="normal")
    responsible_user_id = UserField(_l("Ansvarig lots"), pool="arenden")
    participant_ids = UserListField(
        _l("Övriga deltagare"), description=_l("Tjänstepersoner från alla förvaltningar.")
    )
    intake_channel = SelectField(
        _l("Kanal"), choices=options([("", _l("Välj")), *INTAKE_CHANNELS.items()]), validators=[Optional()]
    )
    intake_on = DateField(_l("Inkom"), validators=[Optional()])
    diarienummer = StringField(
        _l("Diarienummer"), description=_l("Till exempel KS 2026/123."), validators=[Length(max=40)]
    )
    is_restricted = BooleanField(
        _l("Kan innehålla uppgifter som omfattas av sekretess"),
        description=_l(
            "Ärendet visas då bara för ansvarig, deltagare och behöriga, och varje läsning loggas. Det är ingen utfästelse om sekretess."
        ),
    )
    event_date = DateField(_l("Evenemangets datum"), validators=[Optional()])
    event_place = StringField(_l("Plats"), validators=[Length(max=200)])
    organizer = StringField(_l("Arrangör"), validators=[Length(max=200)])
    expected_visitors = IntegerField(
        _l("Förväntat antal besökare"), validators=[Optional(), NumberRange(min=0)]
    )

    def to_input(self) -> CaseInput:
        return CaseInput(
            company_id=_opt_int(self.company_id.data),
            title=self.title.data or "",
            case_type_id=self.case_type_id.data,
            focus_area_id=self.focus_area_id.data,
            description=self.description.data or "",
            contact_person_id=self.contact_person_id.data,
            priority=self.priority.data or "normal",
            responsible_user_id=self.responsible_user_id.data,
            participant_ids=tuple(self.participant_ids.data or ()),
            intake_channel=self.intake_channel.data or None,
            intake_on=self.intake_on.data,
            diarienummer=self.diarienummer.data or "",
            is_restricted=bool(self.is_restricted.data),
            event_date=self.event_date.data,
            event_place=self.event_place.data or "",
            organizer=self.organizer.data or "",
            expected_visitors=self.expected_visitors.data,
        )


class StatusForm(VersionedForm):
    status = SelectField(_l("Ny status"), choices=[])
    outcome = SelectField(
        _l("Utfall (när ärendet avslutas)"),
        choices=options([("", _l("Välj utfall")), *OUTCOME_LABELS.items()]),
    )
    note = TextAreaField(_l("Kommentar"), description=_l("Krävs när ett avslutat ärende öppnas igen."))
    send_survey = BooleanField(_l("Skicka nöjdhetsenkät till kontaktpersonen"), default=True)


class NoteForm(FlaskForm):
    kind = SelectField(
        _l("Sort"),
        choices=options([("note", _l("Anteckning")), ("returned", _l("Återkoppling (vad kom tillbaka)"))]),
    )
    text = TextAreaField(_l("Text"), validators=[DataRequired(message=_l("Skriv något i anteckningen."))])


MAX_OWN_INITIATIVE_DATES = 20


def parse_dates(text: str | None) -> tuple[date, ...]:
    """ "2026-03-02, 2026-03-16" → dates; raises ValueError for anything else."""
    dates = []
    for part in re.split(r"[\s,;]+", text or ""):
        if not part:
            continue
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", part):
            raise ValueError(part)
        dates.append(date.fromisoformat(part))
    return tuple(dates)


class DateListField(StringField):
    """Several dates in one text field (ÅÅÅÅ-MM-DD, separated by commas or spaces)."""

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        try:
            dates = parse_dates(self.data)
        except ValueError as exc:
            self.dates: tuple[date, ...] = ()
            raise FieldError(_("Skriv datumen som ÅÅÅÅ-MM-DD, åtskilda med kommatecken.")) from exc
        if len(dates) > MAX_OWN_INITIATIVE_DATES:
            raise FieldError(_("Högst %(num)s datum.", num=MAX_OWN_INITIATIVE_DATES))
        self.dates = dates

    def process_data(self, value) -> None:
        # From the model: a list of ISO strings (CasePermit.own_initiative_on).
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value)
        super().process_data(value)
        self.dates = parse_dates(self.data) if self.data else ()


class PermitForm(VersionedForm):
    permit_type_id = SelectField(_l("Tillstånd eller område"), coerce=_opt_int)
    authority = StringField(
        _l("Förvaltning eller myndighet"),
        description=_l("Tomt: katalogens beslutande organ."),
        validators=[Length(max=200)],
    )
    submitted_on = DateField(_l("Inlämnad"), validators=[Optional()])
    completion_requested_on = DateField(_l("Föreläggande om komplettering"), validators=[Optional()])
    complete_on = DateField(_l("Komplett"), validators=[Optional()])
    own_initiative_on = DateListField(_l("Underlag på eget initiativ"), validators=[Length(max=400)])
    request_date_unknown = BooleanField(
        _l("Föreläggandets datum är okänt (registrerad före treveckorsregeln)")
    )
    extended = BooleanField(_l("Handläggningstiden är förlängd"))
    decision_on = DateField(_l("Beslutsdatum"), validators=[Optional()])
    outcome = SelectField(
        _l("Beslut"),
        choices=options([("", _l("Inget beslut ännu")), *PERMIT_OUTCOMES.items()]),
        validators=[Optional()],
    )
    note = TextAreaField(_l("Anteckning"))

    def to_input(self, *, with_unknown_mark: bool = False) -> PermitInput:
        """`with_unknown_mark`: the form showed the "datum okänt" box (only on rows that carry
        the mark), so its value counts; otherwise the row keeps what it has."""
        return PermitInput(
            permit_type_id=self.permit_type_id.data,
            authority=self.authority.data or "",
            submitted_on=self.submitted_on.data,
            complete_on=self.complete_on.data,
            completion_requested_on=self.completion_requested_on.data,
            own_initiative_on=getattr(self.own_initiative_on, "dates", ()),
            request_date_unknown=bool(self.request_date_unknown.data) if with_unknown_mark else None,
            extended=bool(self.extended.data),
            decision_on=self.decision_on.data,
            outcome=self.outcome.data or None,
            note=self.note.data or "",
        )


class ActionForm(FlaskForm):
    title = StringField(
        _l("Åtgärd"), validators=[DataRequired(message=_l("Beskriv åtgärden.")), Length(max=200)]
    )
    assignee_id = UserField(_l("Ansvarig person"), pool="uppfoljning")
    handed_to = StringField(
        _l("Förvaltning"),
        description=_l("Till exempel Samhällsbyggnadsförvaltningen."),
        validators=[Length(max=120)],
    )
    due_on = DateField(_l("Senast"), validators=[DataRequired(message=_l("Ange ett datum."))])
    note = TextAreaField(_l("Anteckning"))

    def to_input(self) -> ActionInput:
        return ActionInput(
            title=self.title.data or "",
            due_on=self.due_on.data,
            assignee_id=self.assignee_id.data,
            handed_to=self.handed_to.data or "",
            note=self.note.data or "",
        )


class ActionResultForm(FlaskForm):
    result = TextAreaField(
        _l("Vad kom tillbaka?"), validators=[DataRequired(message=_l("Skriv vad som kom tillbaka."))]
    )


class ReferralForm(FlaskForm):
    partner_id = SelectField(_l("Partner"), coerce=_opt_int)
    reason = TextAreaField(
        _l("Varför"), validators=[DataRequired(message=_l("Skriv varför företaget hänvisas."))]
    )
    referred_on = DateField(_l("Datum"), validators=[Optional()])


class ReferralOutcomeForm(FlaskForm):
    outcome = TextAreaField(
        _l("Vad blev det?"), validators=[DataRequired(message=_l("Skriv vad hänvisningen ledde till."))]
    )


def _parse_guests(text: str) -> tuple[Guest, ...]:
    """One guest per line: "Namn <e-post>" or "Namn, e-post" or just a name."""
    guests = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if "<" in line and line.endswith(">"):
            name, _sep, email = line[:-1].partition("<")
        elif "," in line:
            name, _sep, email = line.partition(",")
        elif "@" in line and " " not in line:
            name, email = line, line
        else:
            name, email = line, ""
        guests.append(Guest(name=name.strip() or email.strip(), email=email.strip()))
    return tuple(guests)


class MeetingForm(VersionedForm):
    day = DateField(_l("Datum"), validators=[DataRequired(message=_l("Ange ett datum."))])
    start = TimeField(_l("Börjar"), validators=[DataRequired(message=_l("Ange en tid."))])
    end = TimeField(_l("Slutar"), validators=[DataRequired(message=_l("Ange en tid."))])
    place = StringField(_l("Plats"), validators=[Length(max=200)])
    user_ids = UserListField(_l("Deltagare från kommunen"))
    contact_person_ids = SelectMultipleField(_l("Kontaktpersoner på företaget"), coerce=int)
    other_guests = TextAreaField(_l("Andra externa deltagare"))
    agenda = TextAreaField(_l("Dagordning"))
    minutes = TextAreaField(_l("Minnesanteckningar"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A plain str, set per request: a lazy text is taken as markup (it has __html__), so
        # Jinja would not escape the <e-post> in it.
        self.other_guests.description = _(
            "En per rad: Namn <e-post>. Till exempel Polisen <tillstand@polisen.example>."
        )

    def to_input(self) -> MeetingInput:
        def at(t: time | None) -> datetime | None:
            return local_datetime(self.day.data, t) if self.day.data and t else None

        return MeetingInput(
            starts_at=at(self.start.data),
            ends_at=at(self.end.data),
            place=self.place.data or "",
            agenda=self.agenda.data or "",
            minutes=self.minutes.data or "",
            user_ids=tuple(self.user_ids.data or ()),
            contact_person_ids=tuple(self.contact_person_ids.data or ()),
            other_guests=_parse_guests(self.other_guests.data or ""),
        )


class SimpleForm(FlaskForm):
    """Only the CSRF token (buttons that post)."""
