"""Sign-in and password forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.auth.passwords import MAX_LENGTH, MIN_LENGTH
from app.auth.services import UserInput
from app.core.forms import VersionedForm, options
from app.core.permissions import ROLE_LABELS, Role


class LoginForm(FlaskForm):
    email = EmailField(_l("E-postadress"), validators=[DataRequired(message=_l("Ange din e-postadress."))])
    password = PasswordField(_l("Lösenord"), validators=[DataRequired(message=_l("Ange ditt lösenord."))])
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Nuvarande lösenord"), validators=[DataRequired(message=_l("Ange ditt nuvarande lösenord."))]
    )
    new_password = PasswordField(
        _l("Nytt lösenord"),
        description=_l(
            "Minst %(min)s tecken. Välj en fras med flera ord som inte är vanlig och inte innehåller ditt namn "
            "eller din e-postadress. En lång fras är lättare att minnas än krångliga tecken.",
            min=MIN_LENGTH,
        ),
        validators=[
            DataRequired(message=_l("Ange ett nytt lösenord.")),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l("Lösenordet måste ha %(min)s–%(max)s tecken.", min=MIN_LENGTH, max=MAX_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Upprepa nytt lösenord"),
        validators=[EqualTo("new_password", message=_l("Lösenorden är inte lika."))],
    )


ROLE_CHOICES = options((role.value, label) for role, label in ROLE_LABELS.items())


class UserForm(VersionedForm):
    name = StringField(_l("Namn"), validators=[DataRequired(message=_l("Ange ett namn.")), Length(max=120)])
    email = EmailField(
        _l("E-postadress"),
        validators=[
            DataRequired(message=_l("Ange en e-postadress.")),
            Email(message=_l("Ange en giltig e-postadress.")),
            Length(max=254),
        ],
    )
    role = SelectField(_l("Roll"), choices=ROLE_CHOICES)
    department = StringField(_l("Förvaltning/avdelning"), validators=[Length(max=120)])

    def to_input(self) -> UserInput:
        return UserInput(
            email=self.email.data or "",
            name=self.name.data or "",
            role=self.role.data or "",
            department=self.department.data or "",
        )


class NewUserForm(UserForm):
    password = PasswordField(
        _l("Engångslösenord"),
        description=_l(
            "Minst %(min)s tecken. Gäller i 72 timmar; användaren måste byta det vid första inloggningen.",
            min=MIN_LENGTH,
        ),
        validators=[
            DataRequired(message=_l("Ange ett engångslösenord.")),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l("Lösenordet måste ha %(min)s–%(max)s tecken.", min=MIN_LENGTH, max=MAX_LENGTH),
            ),
        ],
    )


class OneTimePasswordForm(FlaskForm):
    password = PasswordField(
        _l("Nytt engångslösenord"),
        validators=[
            DataRequired(message=_l("Ange ett lösenord.")),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l("Lösenordet måste ha %(min)s–%(max)s tecken.", min=MIN_LENGTH, max=MAX_LENGTH),
            ),
        ],
    )


class TwoStepForm(FlaskForm):
    code = StringField(
        _l("Kod"),
        description=_l("Sexsiffrig kod från autentiseringsappen, eller en av dina reservkoder."),
        validators=[DataRequired(message=_l("Ange koden.")), Length(max=40)],
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "text",
            "autocapitalize": "off",
            "spellcheck": "false",
        },
    )


class EnableTotpForm(FlaskForm):
    code = StringField(
        _l("Kod från appen"),
        validators=[DataRequired(message=_l("Ange koden som appen visar.")), Length(max=12)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    password = PasswordField(
        _l("Ditt lösenord"),
        validators=[DataRequired(message=_l("Ange ditt lösenord."))],
        render_kw={"autocomplete": "current-password"},
    )


class PasswordConfirmForm(FlaskForm):
    password = PasswordField(
        _l("Ditt lösenord"),
        validators=[DataRequired(message=_l("Ange ditt lösenord."))],
        render_kw={"autocomplete": "current-password"},
    )


class MfaPolicyForm(FlaskForm):
    """One checkbox per role: must the role use two-step verification?"""

    lots = BooleanField(ROLE_LABELS[Role.LOTS])
    ledning = BooleanField(ROLE_LABELS[Role.LEDNING])
    chef = BooleanField(ROLE_LABELS[Role.CHEF])
    admin = BooleanField(ROLE_LABELS[Role.ADMIN])

    def to_dict(self) -> dict[str, bool]:
        return {role.value: bool(getattr(self, role.value).data) for role in Role}
