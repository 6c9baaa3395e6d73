"""The areas' admin screen (/admin/omraden), served by app.admin.catalogue."""

from __future__ import annotations

from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.companies import queries, services
from app.core.catalogue import CatalogueScreen
from app.core.forms import VersionedForm


class AreaForm(VersionedForm):
    name = StringField("Namn", validators=[DataRequired(message="Ange ett namn."), Length(max=100)])

    def to_input(self) -> services.AreaInput:
        return services.AreaInput(name=self.name.data or "")


AREAS = CatalogueScreen(
    key="areas",
    slug="omraden",
    title="Områden",
    link_label="Områden (för företag)",
    new_label="Nytt område",
    empty="Inga områden ännu.",
    intro="Områden som företag kan kopplas till. Avslutade områden finns kvar på företag men kan inte väljas för nya.",
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
    created="Området är tillagt.",
    saved="Området är sparat.",
    retired=lambda area: f"Området {area.name} är avslutat.",
    reinstated=lambda area: f"Området {area.name} är återaktiverat.",
    edit_heading=lambda area: f"Byt namn på {area.name}",
    active_text="Aktivt",
    retired_text="Avslutat",
    retire_confirm="Avsluta ”%(name)s”? Det kan då inte väljas för nya företag.",
    moved_from="/foretag/omraden",
    moved_new="nytt",
)
