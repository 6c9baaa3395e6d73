"""Sign-in and password forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.auth.passwords import MAX_LENGTH, MIN_LENGTH
from app.auth.services import UserInput
from app.core.permissions import ROLE_LABELS


class LoginForm(FlaskForm):
    email = EmailField("E-postadress", validators=[DataRequired(message="Ange din e-postadress.")])
    password = PasswordField("Lösenord", validators=[DataRequired(message="Ange ditt lösenord.")])
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Nuvarande lösenord", validators=[DataRequired(message="Ange ditt nuvarande lösenord.")])
    new_password = PasswordField(
        "Nytt lösenord",
        description=f"Minst {MIN_LENGTH} tecken. En lång fras är lättare att minnas än krångliga tecken.",
        validators=[
            DataRequired(message="Ange ett nytt lösenord."),
            Length(min=MIN_LENGTH, max=MAX_LENGTH, message=f"Lösenordet måste ha {MIN_LENGTH}–{MAX_LENGTH} tecken."),
        ],
    )
    confirm = PasswordField(
        "Upprepa nytt lösenord",
        validators=[EqualTo("new_password", message="Lösenorden är inte lika.")],
    )


ROLE_CHOICES = [(role.value, label) for role, label in ROLE_LABELS.items()]


class UserForm(FlaskForm):
    name = StringField("Namn", validators=[DataRequired(message="Ange ett namn."), Length(max=120)])
    email = EmailField(
        "E-postadress",
        validators=[DataRequired(message="Ange en e-postadress."), Email(message="Ange en giltig e-postadress."), Length(max=254)],
    )
    role = SelectField("Roll", choices=ROLE_CHOICES)
    department = StringField("Förvaltning/avdelning", validators=[Length(max=120)])
    version = HiddenField()

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
        description=f"Minst {MIN_LENGTH} tecken. Användaren måste byta det vid första inloggningen.",
        validators=[DataRequired(message="Ange ett engångslösenord."), Length(min=MIN_LENGTH, max=MAX_LENGTH, message=f"Lösenordet måste ha {MIN_LENGTH}–{MAX_LENGTH} tecken.")],
    )


class OneTimePasswordForm(FlaskForm):
    password = PasswordField(
        "Nytt engångslösenord",
        validators=[DataRequired(message="Ange ett lösenord."), Length(min=MIN_LENGTH, max=MAX_LENGTH, message=f"Lösenordet måste ha {MIN_LENGTH}–{MAX_LENGTH} tecken.")],
    )
