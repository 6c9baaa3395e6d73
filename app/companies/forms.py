"""Forms of the company register. They check shape; services check the business rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.auth.userpick import UserField
from app.companies.contact_persons import ContactPersonInput
from app.companies.models import ACTIVE, COMPANY_STATUSES, LEGACY_COMPANY_STATUSES, SIZE_CLASSES
from app.companies.queries import NO_CONTACT_MONTHS, SORTS, CompanyFilter
from app.companies.services import CompanyInput
from app.companies.sni import SNI_VERSIONS
from app.core.forms import FilterForm, VersionedForm, options


def _int_or_none(value: object) -> int | None:
    try:
        return int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


class CompanyForm(VersionedForm):
    name = StringField(
        _l("Namn"), validators=[DataRequired(message=_l("Ange företagets namn.")), Length(max=200)]
    )
    orgnr = StringField(
        _l("Organisationsnummer"),
        description=_l("10 siffror, t.ex. 556036-0793. Lämna tomt för ett prospekt utan nummer."),
        validators=[Length(max=20)],
    )
    legal_form = StringField(
        _l("Juridisk form"),
        description=_l("Fylls i från organisationsnumret om du lämnar tomt."),
        validators=[Length(max=100)],
    )
    sni_code = StringField(
        _l("SNI-kod"),
        description=_l("Sök på kod eller ord, t.ex. 62010 eller ”programmering”."),
        validators=[Length(max=10)],
    )
    sni_version = SelectField(
        _l("SNI-version"), choices=options((v, f"SNI {v}") for v in SNI_VERSIONS), default="2007"
    )
    size_class = SelectField(
        _l("Storleksklass"), choices=options([("", _l("Okänd")), *SIZE_CLASSES.items()]), default=""
    )
    visiting_address = StringField(_l("Besöksadress"), validators=[Length(max=200)])
    postal_address = StringField(_l("Postadress"), validators=[Length(max=200)])
    postcode = StringField(_l("Postnummer"), validators=[Length(max=10)])
    city = StringField(_l("Ort"), validators=[Length(max=100)])
    area_id = SelectField(_l("Område"), coerce=_int_or_none, validate_choice=False)
    website = StringField(_l("Webbplats"), validators=[Length(max=200)])
    phone = StringField(_l("Telefon"), validators=[Length(max=40)])
    email = StringField(_l("E-post"), validators=[Length(max=254)])
    status = SelectField(_l("Status"), choices=options(COMPANY_STATUSES.items()), default=ACTIVE)
    responsible_user_id = UserField(_l("Ansvarig lots"), pool="lots")
    is_key_company = BooleanField(_l("Nyckelföretag"))
    contact_cadence_months = IntegerField(
        _l("Önskat kontaktintervall (månader)"),
        description=_l("För nyckelföretag: hur ofta vi vill ha kontakt."),
        validators=[Optional(), NumberRange(min=1, max=60, message=_l("Ange 1–60 månader."))],
    )
    tags = StringField(
        _l("Taggar"), description=_l("Separera med kommatecken."), validators=[Length(max=500)]
    )
    notes = TextAreaField(_l("Anteckningar"))
    form_token = HiddenField()

    def to_input(self, *, keep_orgnr: bool = False) -> CompanyInput:
        return CompanyInput(
            name=self.name.data or "",
            orgnr=self.orgnr.data or "",
            legal_form=self.legal_form.data or "",
            sni_code=self.sni_code.data or "",
            sni_version=self.sni_version.data or "2007",
            size_class=self.size_class.data or "",
            visiting_address=self.visiting_address.data or "",
            postal_address=self.postal_address.data or "",
            postcode=self.postcode.data or "",
            city=self.city.data or "",
            area_id=self.area_id.data,
            website=self.website.data or "",
            phone=self.phone.data or "",
            email=self.email.data or "",
            status=self.status.data or ACTIVE,
            responsible_user_id=self.responsible_user_id.data,
            is_key_company=bool(self.is_key_company.data),
            contact_cadence_months=self.contact_cadence_months.data,
            notes=self.notes.data or "",
            tags=tuple(t.strip() for t in (self.tags.data or "").split(",") if t.strip()),
            keep_orgnr=keep_orgnr and not (self.orgnr.data or "").strip(),
        )


class ContactPersonForm(VersionedForm):
    name = StringField(_l("Namn"), validators=[DataRequired(message=_l("Ange namnet.")), Length(max=120)])
    title = StringField(_l("Roll eller titel"), validators=[Length(max=120)])
    phone = StringField(_l("Telefon"), validators=[Length(max=40)])
    email = StringField(_l("E-post"), validators=[Length(max=254)])
    informed_on = DateField(
        _l("Informerad om personuppgiftsbehandlingen"),
        description=_l("Datum då personen fick information enligt GDPR art. 13/14."),
        validators=[Optional()],
    )
    no_mailings = BooleanField(_l("Vill inte ha enkäter eller utskick"))

    def to_input(self) -> ContactPersonInput:
        return ContactPersonInput(
            name=self.name.data or "",
            title=self.title.data or "",
            phone=self.phone.data or "",
            email=self.email.data or "",
            informed_on=self.informed_on.data,
            no_mailings=bool(self.no_mailings.data),
        )


class MoveContactPersonForm(FlaskForm):
    to_orgnr = StringField(
        _l("Nytt företags organisationsnummer"),
        validators=[
            DataRequired(message=_l("Ange organisationsnumret för företaget personen flyttat till."))
        ],
    )


class ImportUploadForm(FlaskForm):
    file = FileField(
        _l("Fil (CSV eller Excel .xlsx)"),
        description=_l(
            "Första raden ska innehålla kolumnrubriker, t.ex. Namn; Organisationsnummer; Postnummer."
        ),
        validators=[FileRequired(message=_l("Välj en fil att importera."))],
    )


class CompanyFilterForm(FilterForm):
    """The list's GET form: only what the user submitted is validated (app.core.forms)."""

    q = SearchField(_l("Sök"), description=_l("Namn, organisationsnummer eller kontaktperson."))
    sni = StringField(_l("Bransch (SNI-kod)"), description=_l("Hela koden eller början, t.ex. 62."))
    sni_version = SelectField(
        _l("SNI-version"), choices=options([("", _l("Alla")), *[(v, f"SNI {v}") for v in SNI_VERSIONS]])
    )
    area = SelectField(_l("Område"), coerce=_int_or_none, validate_choice=False)
    # A bookmarked link may carry a Swedish code from before 0021 (?status=avvecklad).
    status = SelectField(
        _l("Status"),
        choices=options([("", _l("Alla")), *COMPANY_STATUSES.items()]),
        filters=[lambda code: LEGACY_COMPANY_STATUSES.get(code, code) if code else code],
    )
    responsible = UserField(_l("Ansvarig lots"), pool="lots", any_id=True)
    tag = SelectField(_l("Tagg"), coerce=_int_or_none, validate_choice=False)
    no_contact = SelectField(
        _l("Ingen kontakt på"),
        coerce=_int_or_none,
        choices=options([(None, _l("Alla")), *[(n, _l("%(n)s månader", n=n)) for n in NO_CONTACT_MONTHS]]),
        validate_choice=False,
    )
    key_only = BooleanField(_l("Bara nyckelföretag"))
    sort = SelectField(_l("Sortering"), choices=options(SORTS.items()), default="namn")

    def to_filter(self) -> CompanyFilter:
        sort = self.sort.data if self.sort.data in SORTS else "namn"
        return CompanyFilter(
            q=(self.q.data or "").strip()[:100],
            sni=(self.sni.data or "").strip()[:10],
            sni_version=self.sni_version.data if self.sni_version.data in SNI_VERSIONS else "",
            area_id=self.area.data,
            status=self.status.data or "",
            responsible_id=self.responsible.data,
            tag_id=self.tag.data,
            no_contact_months=self.no_contact.data if self.no_contact.data in NO_CONTACT_MONTHS else None,
            key_only=bool(self.key_only.data),
            sort=sort,
        )
