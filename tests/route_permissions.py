"""The route × role table: every endpoint in app.url_map with its expected outcome per role.

Feature tests add their own table in tests/<feature>/route_permissions.py as a dict named
ROUTES (and, if its routes need records, a `build_world(world)` function that adds them as
attributes of `world`, which already has `users` by role and `focus_area`);
test_route_permissions collects them all. An endpoint without an entry fails the suite.

Each entry: Route(method, allowed={roles…}, public=False, args=lambda world: {...}, api=False).
- anonymous: redirected to sign-in (unless public: then `public_status`); an `api` route is
  called with the role's API token instead of a session, and without one answers 401;
- a role in `allowed`: 200 for GET (or `ok` if given), anything but 401/403/404/405/500 for POST;
- any other role: 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ALL = frozenset({"lots", "ledning", "chef", "admin"})


@dataclass(frozen=True)
class Route:
    method: str = "GET"
    allowed: frozenset[str] = ALL
    public: bool = False
    public_status: int = 200
    args: Callable[[Any], dict[str, Any]] = lambda world: {}
    data: Callable[[Any], dict[str, Any]] = lambda world: {}
    ok: tuple[int, ...] = field(default=(200,))
    api: bool = False  # JSON API: bearer token of the role (world.api_tokens), JSON body


ROUTES: dict[str, Route] = {
    "static": Route(public=True, args=lambda w: {"filename": "css/lotsbok.css"}),
    "main.index": Route(),
    "main.set_language": Route("POST", public=True, public_status=302, data=lambda w: {"lang": "en"}),
    "main.health": Route(public=True),
    "auth.login": Route(public=True, ok=(302,)),  # signed in: redirected to the start page
    "auth.logout": Route("POST"),
    "auth.change_password": Route(),
    "admin.index": Route(allowed=frozenset({"admin"})),
    "admin.users_list": Route(allowed=frozenset({"admin"})),
    "admin.user_new": Route(allowed=frozenset({"admin"})),
    "admin.user_edit": Route(allowed=frozenset({"admin"}), args=lambda w: {"user_id": w.users["lots"].id}),
    "admin.user_set_active": Route(
        "POST", allowed=frozenset({"admin"}), args=lambda w: {"user_id": w.users["lots"].id}, data=lambda w: {"active": "0"}
    ),
    "admin.user_set_password": Route(
        "POST", allowed=frozenset({"admin"}), args=lambda w: {"user_id": w.users["lots"].id},
        data=lambda w: {"password": "Ett-långt-engångslösenord"},
    ),
    "admin.focus_areas": Route(allowed=frozenset({"admin"})),
    "admin.focus_area_new": Route(allowed=frozenset({"admin"})),
    "admin.focus_area_edit": Route(allowed=frozenset({"admin"}), args=lambda w: {"area_id": w.focus_area.id}),
    "admin.focus_area_retire": Route("POST", allowed=frozenset({"admin"}), args=lambda w: {"area_id": w.focus_area.id}),
    "admin.audit_log": Route(allowed=frozenset({"admin"})),
}
