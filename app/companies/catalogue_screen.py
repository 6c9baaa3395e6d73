"""The areas' admin screen (/admin/omraden), served by app.admin.catalogue."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.companies import queries, services
from app.core.catalogue import CatalogueScreen
from app.core.forms import VersionedForm


class AreaForm(VersionedForm):
    name = StringField(_l("Namn"), validators=[DataRequired(message=_l("Ange ett namn.")), Length(max=100)])

    def to_input(self) -> services.AreaInput:
        return services.AreaInput(name=self.name.data or "")


AREAS = CatalogueScreen(
    key="areas",
    slug="omraden",
    title=_l("Områden"),
    link_label=_l("Områden (för företag)"),
    new_label=_l("Nytt område"),
    empty=_l("Inga områden ännu."),
    intro=_l(
        "Områden som företag kan kopplas till. Avslutade områden finns kvar på företag men kan inte väljas för nya."
    ),
    form=lambda area: AreaForm(obj=area),
    fields=("name",),
    list=queries.areas,
    get=queries.get_area_or_404,
    create=lambda form, actor: services.create_area(form.to_input(), actor=actor),
    update=lambda area, form, actor: services.rename_area(
        area, form.to_input(), actor=actor, expected_version=form.expected_version
    ),
    # set_area_retired is idempotent: retiring a retired area writes nothing.
    retire=lambda area, actor: services.set_area_retired(area, True, actor=actor),
    reinstate=lambda area, actor: services.set_area_retired(area, False, actor=actor),
    created=lambda _area: _("Området är tillagt."),
    saved=lambda _area: _("Området är sparat."),
    retired=lambda area: _("Området %(name)s är avslutat.", name=area.name),
    reinstated=lambda area: _("Området %(name)s är återaktiverat.", name=area.name),
    edit_heading=lambda area: _("Byt namn på %(name)s", name=area.name),
    active_text=_l("Aktivt"),
    retired_text=_l("Avslutat"),
    retire_confirm=_l("Avsluta ”%(name)s”? Det kan då inte väljas för nya företag."),
    moved_from="/foretag/omraden",
    moved_new="nytt",
)
