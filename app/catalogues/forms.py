"""Admin forms for the permit-type and referral-partner catalogues and the closed days."""

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
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.catalogues.models import CLOCK_STARTS, TIME_UNITS
from app.catalogues.services import PartnerInput, PermitTypeInput
from app.core.forms import VersionedForm, options

UNIT_CHOICES = options([("", "–"), *TIME_UNITS.items()])


class PermitTypeForm(VersionedForm):
    # Set when saving would move open deadlines (ClockImpactUnconfirmed): the form asks again.
    impact = None

    code = StringField(
        _l("Kod"),
        description=_l("Kort maskinnamn, t.ex. bygglov. Små bokstäver, siffror och bindestreck."),
        validators=[DataRequired(message=_l("Ange en kod.")), Length(max=40)],
    )
    name = StringField(_l("Namn"), validators=[DataRequired(message=_l("Ange ett namn.")), Length(max=120)])
    law = StringField(
        _l("Lag"), description=_l("T.ex. Plan- och bygglagen (2010:900) 9 kap."), validators=[Length(max=300)]
    )
    deciding_body = StringField(_l("Vem beslutar"), validators=[Length(max=300)])
    statutory_time_value = IntegerField(
        _l("Lagstadgad handläggningstid (antal)"),
        description=_l("Lämna tomt om lagen inte anger någon tid."),
        validators=[Optional(), NumberRange(min=1, max=120, message=_l("Ange 1–120."))],
    )
    statutory_time_unit = SelectField(_l("Enhet för handläggningstid"), choices=UNIT_CHOICES)
    extension_value = IntegerField(
        _l("Längsta förlängning (antal)"),
        validators=[Optional(), NumberRange(min=1, max=120, message=_l("Ange 1–120."))],
    )
    extension_unit = SelectField(_l("Enhet för förlängning"), choices=UNIT_CHOICES)
    clock_starts = SelectField(_l("Tiden räknas"), choices=options(CLOCK_STARTS.items()))
    guidance_only = BooleanField(
        _l("Tiden är bara vägledande (inte lagstadgad)"),
        description=_l(
            "En lagstadgad tid vars sista dag är en lördag, söndag eller helgdag flyttas till "
            "nästa vardag (lag (1930:173) 2 §); en vägledande tid flyttas inte."
        ),
    )
    pbl_three_week_rule = BooleanField(
        _l("PBL:s treveckorsregel gäller"),
        description=_l(
            "För lov, förhandsbesked och anmälan (PBL 9 kap. 22 och 27 §§): tiden räknas från "
            "inlämningen, eller från kompletteringen om nämnden förelade om komplettering inom tre veckor."
        ),
    )
    lead_time_weeks = IntegerField(
        _l("Ledtid före start (veckor)"),
        description=_l("Hur långt före start ansökan eller anmälan bör komma in."),
        validators=[Optional(), NumberRange(min=0, max=104, message=_l("Ange 0–104 veckor."))],
    )
    is_skr_insikt_area = BooleanField(_l("Ingår i SKR Insikt"))
    handling_note = TextAreaField(
        _l("Kommentar om handläggning"), description=_l("T.ex. typiska handläggningstider.")
    )
    e_service_url = StringField(_l("Länk till e-tjänst"), validators=[Length(max=300)])
    # The number of permit rows whose dates the admin agreed to move (see update_permit_type).
    confirmed_rows = HiddenField()

    def to_input(self) -> PermitTypeInput:
        return PermitTypeInput(
            code=(self.code.data or "").strip(),
            name=self.name.data or "",
            law=self.law.data or "",
            deciding_body=self.deciding_body.data or "",
            statutory_time_value=self.statutory_time_value.data,
            statutory_time_unit=self.statutory_time_unit.data or None,
            extension_value=self.extension_value.data,
            extension_unit=self.extension_unit.data or None,
            clock_starts=self.clock_starts.data or "complete",
            lead_time_weeks=self.lead_time_weeks.data,
            is_skr_insikt_area=bool(self.is_skr_insikt_area.data),
            handling_note=self.handling_note.data or "",
            e_service_url=self.e_service_url.data or "",
            time_is_statutory=not self.guidance_only.data,
            pbl_three_week_rule=bool(self.pbl_three_week_rule.data),
        )


class ClosedDayForm(FlaskForm):
    day = DateField(_l("Datum"), validators=[DataRequired(message=_l("Ange ett datum (ÅÅÅÅ-MM-DD)."))])
    reason = StringField(
        _l("Anledning"),
        description=_l("T.ex. Klämdag efter Kristi himmelsfärdsdag."),
        validators=[Length(max=120)],
    )


class PartnerForm(VersionedForm):
    name = StringField(_l("Namn"), validators=[DataRequired(message=_l("Ange ett namn.")), Length(max=120)])
    description = TextAreaField(_l("Beskrivning"), description=_l("Vad partnern hjälper företag med."))
    website = StringField(_l("Webbplats"), validators=[Length(max=300)])

    def to_input(self) -> PartnerInput:
        return PartnerInput(
            name=self.name.data or "",
            description=self.description.data or "",
            website=self.website.data or "",
        )
