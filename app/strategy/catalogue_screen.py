"""The focus areas' admin screen (/admin/fokusomraden), served by app.admin.catalogue."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

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
    title=_l("Fokusområden"),
    new_label=_l("Nytt fokusområde"),
    empty=_l("Inga fokusområden ännu."),
    intro=_l(
        "Avslutade fokusområden finns kvar på gamla poster och i historiken men kan inte väljas för nya."
    ),
    caption=_l("Fokusområden per strategi"),
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
    created=_l("Fokusområdet är skapat."),
    saved=_l("Fokusområdet är sparat."),
    retired=lambda area: _("”%(name)s” är avslutat. Befintliga poster behåller det.", name=area.name),
    reinstated=lambda area: _("”%(name)s” kan väljas igen.", name=area.name),
    columns=(Column(_l("Strategi"), lambda area: area.strategy.name),),
    active_text=_l("Aktivt"),
    retired_text=_l("Avslutat"),
    retire_confirm=_l("Avsluta ”%(name)s”? Det kan då inte väljas för nya poster."),
    moved_from="/admin/fokusomraden",
    moved_new="nytt",
)
