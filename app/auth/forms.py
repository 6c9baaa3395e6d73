"""Sign-in and password forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.auth.passwords import MAX_LENGTH, MIN_LENGTH, POLICY_HINT
from app.auth.services import UserInput
from app.core.forms import VersionedForm, options
from app.core.permissions import ROLE_LABELS, Role


class LoginForm(FlaskForm):
    email = EmailField("E-postadress", validators=[DataRequired(message="Ange din e-postadress.")])
    password = PasswordField("Lösenord", validators=[DataRequired(message="Ange ditt lösenord.")])
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Nuvarande lösenord", validators=[DataRequired(message="Ange ditt nuvarande lösenord.")]
    )
    new_password = PasswordField(
        "Nytt lösenord",
        description=POLICY_HINT + " En lång fras är lättare att minnas än krångliga tecken.",
        validators=[
            DataRequired(message="Ange ett nytt lösenord."),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=f"Lösenordet måste ha {MIN_LENGTH}–{MAX_LENGTH} tecken.",
            ),
        ],
    )
    confirm = PasswordField(
        "Upprepa nytt lösenord",
        validators=[EqualTo("new_password", message="Lösenorden är inte lika.")],
    )


ROLE_CHOICES = options((role.value, label) for role, label in ROLE_LABELS.items())


class UserForm(VersionedForm):
    name = StringField("Namn", validators=[DataRequired(message="Ange ett namn."), Length(max=120)])
    email = EmailField(
        "E-postadress",
        validators=[
            DataRequired(message="Ange en e-postadress."),
            Email(message="Ange en giltig e-postadress."),
            Length(max=254),
        ],
    )
    role = SelectField("Roll", choices=ROLE_CHOICES)
    department = StringField("Förvaltning/avdelning", validators=[Length(max=120)])

    def to_input(self) -> UserInput:
        return UserInput(
            email=self.email.data or "",
            name=self.name.data or "",
            role=self.role.data or "",
            department=self.department.data or "",
        )


class NewUserForm(UserForm):
    password = PasswordField(
        "Engångslösenord",
        description=f"Minst {MIN_LENGTH} tecken. Gäller i 72 timmar; användaren måste byta det vid första inloggningen.",
        validators=[
            DataRequired(message="Ange ett engångslösenord."),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=f"Lösenordet måste ha {MIN_LENGTH}–{MAX_LENGTH} tecken.",
            ),
        ],
    )


class OneTimePasswordForm(FlaskForm):
    password = PasswordField(
        "Nytt engångslösenord",
        validators=[
            DataRequired(message="Ange ett lösenord."),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=f"Lösenordet måste ha {MIN_LENGTH}–{MAX_LENGTH} tecken.",
            ),
        ],
    )


class TwoStepForm(FlaskForm):
    code = StringField(
        "Kod",
        description="Sexsiffrig kod från autentiseringsappen, eller en av dina reservkoder.",
        validators=[DataRequired(message="Ange koden."), Length(max=40)],
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "text",
            "autocapitalize": "off",
            "spellcheck": "false",
        },
    )


class EnableTotpForm(FlaskForm):
    code = StringField(
        "Kod från appen",
        validators=[DataRequired(message="Ange koden som appen visar."), Length(max=12)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    password = PasswordField(
        "Ditt lösenord",
        validators=[DataRequired(message="Ange ditt lösenord.")],
        render_kw={"autocomplete": "current-password"},
    )


class PasswordConfirmForm(FlaskForm):
    password = PasswordField(
        "Ditt lösenord",
        validators=[DataRequired(message="Ange ditt lösenord.")],
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
