"""The route × role table: every endpoint in app.url_map with its expected outcome per role.

Feature tests add their own table in tests/<feature>/route_permissions.py as a dict named
ROUTES (and, if its routes need records, a `build_world(world)` function that adds them as
attributes of `world`, which already has `users` by role and `focus_area`);
test_route_permissions collects them all. An endpoint without an entry fails the suite.

Each entry: Route(method, allowed={roles…}, public=False, args=lambda world: {...}, api=False).
- anonymous: redirected to sign-in (unless public: then `public_status`); an `api` route is
  called with the role's API token instead of a session, and without one answers 401 with a
  problem document;
- a role in `allowed`: GET → 200 (or `ok`) with the page's own <h1> (not an error page's) and
  `marker` if given (a file response needs one); POST → a redirect to, or a page with, a Swedish
  flash message or form error – so the service ran, or the user is told why not. An `api` route
  answers JSON: a 2xx with a JSON body, or a Swedish problem document (400/409/412/422/428)
  explaining why not;
- any other role: 403 with the Swedish "Åtkomst nekad" page (for `api`: a problem document).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ALL = frozenset({"lots", "ledning", "chef", "admin"})


def _reloaded(obj):
    """`obj` read again from the database (after the request under test)."""
    from app.extensions import db

    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


@dataclass(frozen=True)
class Route:
    method: str = "GET"
    allowed: frozenset[str] = ALL
    public: bool = False
    public_status: int = 200
    args: Callable[[Any], dict[str, Any]] = lambda world: {}
    data: Callable[[Any], dict[str, Any]] = lambda world: {}
    ok: tuple[int, ...] = field(default=(200,))
    # Text the allowed response must contain: for a page, beyond its own <h1> (which is always
    # checked not to be an error page's); for a file (CSV, XLSX, ICS, JSON), required – a bit
    # of its first 4 KB, or its mimetype.
    marker: str = ""
    # For a POST whose page has no message: the service's effect, read from the database.
    effect: Callable[[Any], bool] | None = None
    api: bool = False  # JSON API: bearer token of the role (world.api_tokens), JSON body


def catalogue_routes(
    key: str,
    model: type,
    entry_id: Callable[[Any], int],
    *,
    retired: Callable[[Any], bool] | None = None,
) -> dict[str, Route]:
    """The routes of a catalogue screen (app.admin.catalogue, endpoints admin.<key>…): admin
    only. Retiring the world's entry (`entry_id(world)`) must retire it; reinstating it (in use:
    a no-op) must leave it in use."""
    admin = frozenset({"admin"})

    def args(w):
        return {"entry_id": entry_id(w)}

    def is_retired(w) -> bool:
        from app.extensions import db

        db.session.expire_all()
        entry = db.session.get(model, entry_id(w))
        return retired(entry) if retired else entry.retired_at is not None

    return {
        f"admin.{key}": Route(allowed=admin),
        f"admin.{key}_new": Route(allowed=admin),
        f"admin.{key}_edit": Route(allowed=admin, args=args),
        f"admin.{key}_retire": Route("POST", allowed=admin, args=args, effect=is_retired),
        f"admin.{key}_reinstate": Route("POST", allowed=admin, args=args, effect=lambda w: not is_retired(w)),
    }


def _focus_area_id(world) -> int:
    return world.focus_area.id


def _focus_area_model() -> type:
    from app.strategy.models import FocusArea

    return FocusArea


ROUTES: dict[str, Route] = {
    "static": Route(public=True, args=lambda w: {"filename": "css/lotsbok.css"}, marker="text/css"),
    "main.index": Route(),
    "main.set_language": Route(
        "POST", public=True, public_status=302, data=lambda w: {"lang": "en"}, marker='<html lang="en">'
    ),
    "main.health": Route(public=True, marker='"status"'),
    "auth.login": Route(public=True, ok=(302,)),  # signed in: redirected to the start page
    "auth.logout": Route("POST"),
    "auth.change_password": Route(),
    "admin.index": Route(allowed=frozenset({"admin"})),
    "admin.users_list": Route(allowed=frozenset({"admin"})),
    "admin.user_new": Route(allowed=frozenset({"admin"})),
    "admin.user_edit": Route(allowed=frozenset({"admin"}), args=lambda w: {"user_id": w.users["lots"].id}),
    "admin.user_set_active": Route(
        "POST",
        allowed=frozenset({"admin"}),
        args=lambda w: {"user_id": w.users["lots"].id},
        data=lambda w: {"active": "0"},
    ),
    "admin.user_set_password": Route(
        "POST",
        allowed=frozenset({"admin"}),
        args=lambda w: {"user_id": w.users["lots"].id},
        data=lambda w: {"password": "Ett-långt-engångslösenord"},
    ),
    **catalogue_routes("focus_areas", _focus_area_model(), _focus_area_id),
    "admin.audit_log": Route(allowed=frozenset({"admin"})),
}
