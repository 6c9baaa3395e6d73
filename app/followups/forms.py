"""Follow-up forms: create/edit, done with a note, snooze, and the user's own settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, Optional

from app.auth.userpick import UserField
from app.core.forms import VersionedForm
from app.followups.services import FollowUpInput


class FollowUpForm(VersionedForm):
    title = StringField(
        _l("Vad ska göras?"),
        validators=[DataRequired(message=_l("Skriv vad som ska göras.")), Length(max=200)],
    )
    due_on = DateField(_l("Datum"), validators=[DataRequired(message=_l("Ange ett datum (ÅÅÅÅ-MM-DD)."))])
    due_time = TimeField(_l("Tid (valfri)"), validators=[Optional()])
    assignee_id = UserField(_l("Ansvarig"), pool="uppfoljning")
    company = StringField(
        _l("Företag (valfritt)"),
        description=_l("Namn eller organisationsnummer. Lämna tomt för en fristående uppföljning."),
        validators=[Length(max=200)],
    )
    company_id = HiddenField()
    note = TextAreaField(_l("Anteckning (valfri)"))

    def to_input(self, company_id: int | None) -> FollowUpInput:
        return FollowUpInput(
            title=self.title.data or "",
            due_on=self.due_on.data,
            due_time=self.due_time.data,
            note=self.note.data or "",
            assignee_id=self.assignee_id.data,
            company_id=company_id,
        )


class ActionForm(VersionedForm):
    """A one-click button of the list (done, snooze, cancel): it posts the version the row
    showed; the rest (`note`, `until`, `days`, `next`) is read by the view."""


class SettingsForm(FlaskForm):
    digest_enabled = BooleanField(
        _l("Skicka mig en sammanfattning av dagens uppföljningar kl. 07 på arbetsdagar"),
        description=_l("Bara de dagar du har försenade uppföljningar eller uppföljningar idag."),
    )
    monthly_summary_enabled = BooleanField(_l("Skicka mig månadssammanfattningen per e-post"))
