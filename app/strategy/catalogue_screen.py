"""The focus areas' admin screen (/admin/fokusomraden), served by app.admin.catalogue."""

from __future__ import annotations

from app.core.catalogue import CatalogueScreen, Column
from app.core.forms import options
from app.strategy import queries, services
from app.strategy.forms import FocusAreaForm


def _form(area) -> FocusAreaForm:
    form = FocusAreaForm(obj=area)
    form.strategy_id.choices = options((s.id, s.name) for s in queries.list_strategies())
    return form


FOCUS_AREAS = CatalogueScreen(
    key="focus_areas",
    slug="fokusomraden",
    title="Fokusområden",
    new_label="Nytt fokusområde",
    empty="Inga fokusområden ännu.",
    intro="Avslutade fokusområden finns kvar på gamla poster och i historiken men kan inte väljas för nya.",
    caption="Fokusområden per strategi",
    form=_form,
    fields=("strategy_id", "name", "short_name", "description"),
    list=queries.list_focus_areas,
    get=queries.get_focus_area_or_404,
    create=lambda form, actor: services.create_focus_area(form.to_input(), actor=actor),
    update=lambda area, form, actor: services.update_focus_area(
        area, form.to_input(), actor=actor, expected_version=form.expected_version
    ),
    retire=lambda area, actor: services.retire_focus_area(area, actor=actor),
    reinstate=lambda area, actor: services.reinstate_focus_area(area, actor=actor),
    created="Fokusområdet är skapat.",
    saved="Fokusområdet är sparat.",
    retired=lambda area: f"”{area.name}” är avslutat. Befintliga poster behåller det.",
    reinstated=lambda area: f"”{area.name}” kan väljas igen.",
    columns=(Column("Strategi", lambda area: area.strategy.name),),
    active_text="Aktivt",
    retired_text="Avslutat",
    retire_confirm="Avsluta ”%(name)s”? Det kan då inte väljas för nya poster.",
    moved_from="/admin/fokusomraden",
    moved_new="nytt",
)
