"""Focus area form (admin)."""

from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.forms import VersionedForm
from app.strategy.services import FocusAreaInput


class FocusAreaForm(VersionedForm):
    strategy_id = SelectField("Strategi", coerce=int)
    name = StringField("Namn", validators=[DataRequired(message="Ange ett namn."), Length(max=200)])
    short_name = StringField(
        "Kortnamn", description="Visas i listor och diagram.", validators=[Length(max=60)]
    )
    description = TextAreaField("Beskrivning")

    def to_input(self) -> FocusAreaInput:
        return FocusAreaInput(
            strategy_id=self.strategy_id.data,
            name=self.name.data or "",
            short_name=self.short_name.data or "",
            description=self.description.data or "",
        )
