"""Focus area form (admin)."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.forms import VersionedForm
from app.strategy.services import FocusAreaInput


class FocusAreaForm(VersionedForm):
    strategy_id = SelectField(_l("Strategi"), coerce=int)
    name = StringField(_l("Namn"), validators=[DataRequired(message=_l("Ange ett namn.")), Length(max=200)])
    short_name = StringField(
        _l("Kortnamn"), description=_l("Visas i listor och diagram."), validators=[Length(max=60)]
    )
    description = TextAreaField(_l("Beskrivning"))

    def to_input(self) -> FocusAreaInput:
        return FocusAreaInput(
            strategy_id=self.strategy_id.data,
            name=self.name.data or "",
            short_name=self.short_name.data or "",
            description=self.description.data or "",
        )
