"""The admin's catalogue screens, declared by the features that own the catalogues.

A catalogue is reference data that admin maintains and never deletes (focus areas, areas,
permit types, partners, case types, the visit question bank): a list, a form for a new and an
existing entry, and two actions, retire (not offered for new records; old records keep the
entry) and reinstate. Each feature describes its screen with a `CatalogueScreen` (labels, form,
and its own services) and registers it here at start-up; `app.admin.catalogue` serves every
registered screen with one set of views and templates under `/admin/<slug>`. The services stay
in their feature, and the admin package imports no feature.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from app.core.navigation import register_admin_link
from app.core.permissions import Perm

Message = str | Callable[[Any], str]


@dataclass(frozen=True)
class Column:
    """A column of the list besides the entry's name and status. `value(entry)` is the cell's
    text; kind "yesno" shows Ja/Nej, "url" a link to the address."""

    label: str
    value: Callable[[Any], Any]
    kind: str = "text"
    before_name: bool = False


@dataclass(frozen=True)
class RowAction:
    """An extra POST action on a row (the question bank's reorder): one button per
    (value, label) of `buttons`, posted as `field`; `call(entry, value, actor)` is the service.
    Served at /admin/<slug>/<id>/<slug of the action>, endpoint admin.<key>_<key of the action>."""

    key: str
    slug: str
    label: str  # the column heading
    buttons: tuple[tuple[str, str], ...]
    field: str
    call: Callable[[Any, str, Any], Any]
    success: Message | None = None


@dataclass(frozen=True)
class CatalogueScreen:
    """One catalogue's admin screen. Endpoints: admin.<key> (list), admin.<key>_new,
    admin.<key>_edit, admin.<key>_retire, admin.<key>_reinstate (+ one per RowAction).

    The callables are the feature's own: `form(entry)` builds the form (entry None: a new one;
    a VersionedForm, choices filled in), `create(form, actor)`/`update(entry, form, actor)` call
    the feature's services with the form's input (update with `form.expected_version`),
    `retire(entry, actor)`/`reinstate(entry, actor)` are idempotent services.
    """

    key: str
    slug: str  # /admin/<slug>
    title: str  # the list's heading and the admin link
    new_label: str  # "Nytt fokusområde": the button and the new form's heading
    empty: str  # the list without entries
    form: Callable[[Any | None], FlaskForm]
    list: Callable[[], list[Any]]
    get: Callable[[int], Any]  # raises NotFound (a 404 page)
    create: Callable[[Any, Any], Any]
    update: Callable[[Any, Any, Any], Any]
    retire: Callable[[Any, Any], Any]
    reinstate: Callable[[Any, Any], Any]
    created: Message
    saved: Message
    retired: Message
    reinstated: Message
    fields: tuple[str | tuple[str, tuple[str, ...]], ...]  # field names in order; (legend, names) a fieldset
    permission: Perm = Perm.MANAGE_CATALOGUES
    heading: str = ""  # the list's <h1> when it differs from the title
    link_label: str = ""  # the admin start page's link ("" = the title)
    intro: str = ""
    caption: str = ""
    name: Callable[[Any], str] = lambda entry: entry.name
    name_label: str = _l("Namn")
    edit_heading: Callable[[Any], str] | None = None  # default: the entry's name
    columns: tuple[Column, ...] = ()
    actions: tuple[RowAction, ...] = ()
    is_retired: Callable[[Any], bool] = lambda entry: entry.is_retired
    retired_on: Callable[[Any], Any] = lambda entry: getattr(entry, "retired_at", None)
    status_label: str = _l("Status")
    active_text: str = _l("Aktiv")
    retired_text: str = _l("Avslutad")
    retire_label: str = _l("Avsluta")
    reinstate_label: str = _l("Återaktivera")
    retire_confirm: str = ""  # asked before retiring; %(name)s is the entry's name
    row_anchor: str = ""  # rows get id="<row_anchor>-<id>"; actions return to it
    cancel_label: str = _l("Avbryt")
    form_template: str = "admin/catalogue/form.html"
    # Old addresses of the screen (before it moved under /admin): they answer 308 with the new
    # one. `moved_from` is the old list's path; `moved_new` the old "new" segment;
    # `moved_retire`: the old screen had /<id>/avsluta (a toggle, now the retire action).
    moved_from: str = ""
    moved_new: str = "ny"
    moved_retire: bool = True

    def endpoint(self, action: str = "") -> str:
        return f"admin.{self.key}" + (f"_{action}" if action else "")


def register_catalogue(app: Flask, screen: CatalogueScreen, *, admin_link: bool = True) -> None:
    """Declare a feature's catalogue screen (from the feature's init_app); admin serves it."""
    screens = app.extensions.setdefault("lotsbok_catalogues", {})
    if screen.key in screens:
        raise RuntimeError(f"catalogue {screen.key} registered twice")
    screens[screen.key] = screen
    if admin_link:
        register_admin_link(app, screen.link_label or screen.title, screen.endpoint())


def catalogue_screens(app: Flask | None = None) -> dict[str, CatalogueScreen]:
    return dict((app or current_app).extensions.get("lotsbok_catalogues", {}))
