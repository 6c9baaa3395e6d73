"""Forms of the lots-case screens. They check shape only; services check the rules."""

from __future__ import annotations

import re
from datetime import date, datetime, time

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
    title = StringField("Rubrik", validators=[DataRequired(message="Ge ärendet en rubrik."), Length(max=200)])
    description = TextAreaField(
        "Beskrivning",
        description="Vad vill företaget göra? Uppgifterna är allmänna handlingar och kan lämnas ut efter sekretessprövning.",
    )
    case_type_id = SelectField(
        "Ärendetyp", coerce=_opt_int, validators=[DataRequired(message="Välj en ärendetyp.")]
    )
    focus_area_id = SelectField(
        "Fokusområde", coerce=_opt_int, validators=[DataRequired(message="Välj ett fokusområde.")]
    )
    contact_person_id = SelectField("Kontaktperson", coerce=_opt_int, validators=[Optional()])
    priority = SelectField("Prioritet", choices=options(PRIORITIES.items()), default="normal")
    responsible_user_id = UserField("Ansvarig lots", pool="arenden")
    participant_ids = UserListField(
        "Övriga deltagare", description="Tjänstepersoner från alla förvaltningar."
    )
    intake_channel = SelectField(
        "Kanal", choices=options([("", "Välj"), *INTAKE_CHANNELS.items()]), validators=[Optional()]
    )
    intake_on = DateField("Inkom", validators=[Optional()])
    diarienummer = StringField(
        "Diarienummer", description="Till exempel KS 2026/123.", validators=[Length(max=40)]
    )
    is_restricted = BooleanField(
        "Kan innehålla uppgifter som omfattas av sekretess",
        description="Ärendet visas då bara för ansvarig, deltagare och behöriga, och varje läsning loggas. Det är ingen utfästelse om sekretess.",
    )
    event_date = DateField("Evenemangets datum", validators=[Optional()])
    event_place = StringField("Plats", validators=[Length(max=200)])
    organizer = StringField("Arrangör", validators=[Length(max=200)])
    expected_visitors = IntegerField("Förväntat antal besökare", validators=[Optional(), NumberRange(min=0)])

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
    status = SelectField("Ny status", choices=[])
    outcome = SelectField(
        "Utfall (när ärendet avslutas)", choices=options([("", "Välj utfall"), *OUTCOME_LABELS.items()])
    )
    note = TextAreaField("Kommentar", description="Krävs när ett avslutat ärende öppnas igen.")
    send_survey = BooleanField("Skicka nöjdhetsenkät till kontaktpersonen", default=True)


class NoteForm(FlaskForm):
    kind = SelectField(
        "Sort", choices=options([("note", "Anteckning"), ("returned", "Återkoppling (vad kom tillbaka)")])
    )
    text = TextAreaField("Text", validators=[DataRequired(message="Skriv något i anteckningen.")])


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
            raise FieldError("Skriv datumen som ÅÅÅÅ-MM-DD, åtskilda med kommatecken.") from exc
        if len(dates) > MAX_OWN_INITIATIVE_DATES:
            raise FieldError(f"Högst {MAX_OWN_INITIATIVE_DATES} datum.")
        self.dates = dates

    def process_data(self, value) -> None:
        # From the model: a list of ISO strings (CasePermit.own_initiative_on).
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value)
        super().process_data(value)
        self.dates = parse_dates(self.data) if self.data else ()


class PermitForm(VersionedForm):
    permit_type_id = SelectField("Tillstånd eller område", coerce=_opt_int)
    authority = StringField(
        "Förvaltning eller myndighet",
        description="Tomt: katalogens beslutande organ.",
        validators=[Length(max=200)],
    )
    submitted_on = DateField("Inlämnad", validators=[Optional()])
    completion_requested_on = DateField("Föreläggande om komplettering", validators=[Optional()])
    complete_on = DateField("Komplett", validators=[Optional()])
    own_initiative_on = DateListField("Underlag på eget initiativ", validators=[Length(max=400)])
    request_date_unknown = BooleanField("Föreläggandets datum är okänt (registrerad före treveckorsregeln)")
    extended = BooleanField("Handläggningstiden är förlängd")
    decision_on = DateField("Beslutsdatum", validators=[Optional()])
    outcome = SelectField(
        "Beslut",
        choices=options([("", "Inget beslut ännu"), *PERMIT_OUTCOMES.items()]),
        validators=[Optional()],
    )
    note = TextAreaField("Anteckning")

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
    title = StringField("Åtgärd", validators=[DataRequired(message="Beskriv åtgärden."), Length(max=200)])
    assignee_id = UserField("Ansvarig person", pool="uppfoljning")
    handed_to = StringField(
        "Förvaltning", description="Till exempel Samhällsbyggnadsförvaltningen.", validators=[Length(max=120)]
    )
    due_on = DateField("Senast", validators=[DataRequired(message="Ange ett datum.")])
    note = TextAreaField("Anteckning")

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
        "Vad kom tillbaka?", validators=[DataRequired(message="Skriv vad som kom tillbaka.")]
    )


class ReferralForm(FlaskForm):
    partner_id = SelectField("Partner", coerce=_opt_int)
    reason = TextAreaField("Varför", validators=[DataRequired(message="Skriv varför företaget hänvisas.")])
    referred_on = DateField("Datum", validators=[Optional()])


class ReferralOutcomeForm(FlaskForm):
    outcome = TextAreaField(
        "Vad blev det?", validators=[DataRequired(message="Skriv vad hänvisningen ledde till.")]
    )


def _parse_guests(text: str) -> tuple[Guest, ...]:
    """One guest per line: "Namn <e-post>" or "Namn, e-post" or just a name."""
    guests = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if "<" in line and line.endswith(">"):
            name, _, email = line[:-1].partition("<")
        elif "," in line:
            name, _, email = line.partition(",")
        elif "@" in line and " " not in line:
            name, email = line, line
        else:
            name, email = line, ""
        guests.append(Guest(name=name.strip() or email.strip(), email=email.strip()))
    return tuple(guests)


class MeetingForm(VersionedForm):
    day = DateField("Datum", validators=[DataRequired(message="Ange ett datum.")])
    start = TimeField("Börjar", validators=[DataRequired(message="Ange en tid.")])
    end = TimeField("Slutar", validators=[DataRequired(message="Ange en tid.")])
    place = StringField("Plats", validators=[Length(max=200)])
    user_ids = UserListField("Deltagare från kommunen")
    contact_person_ids = SelectMultipleField("Kontaktpersoner på företaget", coerce=int)
    other_guests = TextAreaField(
        "Andra externa deltagare",
        description="En per rad: Namn <e-post>. Till exempel Polisen <tillstand@polisen.example>.",
    )
    agenda = TextAreaField("Dagordning")
    minutes = TextAreaField("Minnesanteckningar")

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
