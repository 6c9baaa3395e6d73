"""Follow-up forms: create/edit, done with a note, snooze, and the user's own settings."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, Optional

from app.auth.userpick import UserField
from app.core.forms import VersionedForm
from app.followups.services import FollowUpInput


class FollowUpForm(VersionedForm):
    title = StringField(
        "Vad ska göras?",
        validators=[DataRequired(message="Skriv vad som ska göras."), Length(max=200)],
    )
    due_on = DateField("Datum", validators=[DataRequired(message="Ange ett datum (ÅÅÅÅ-MM-DD).")])
    due_time = TimeField("Tid (valfri)", validators=[Optional()])
    assignee_id = UserField("Ansvarig", pool="uppfoljning")
    company = StringField(
        "Företag (valfritt)",
        description="Namn eller organisationsnummer. Lämna tomt för en fristående uppföljning.",
        validators=[Length(max=200)],
    )
    company_id = HiddenField()
    note = TextAreaField("Anteckning (valfri)")

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
        "Skicka mig en sammanfattning av dagens uppföljningar kl. 07 på arbetsdagar",
        description="Bara de dagar du har försenade uppföljningar eller uppföljningar idag.",
    )
    monthly_summary_enabled = BooleanField("Skicka mig månadssammanfattningen per e-post")
