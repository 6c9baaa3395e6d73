"""The role → permission check (app.core.permissions.can / require)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.core.errors import PermissionDenied
from app.core.permissions import ROLE_PERMISSIONS, Perm, Role, can, require


def _user(role: str = "lots", *, active: bool = True) -> SimpleNamespace:
    return SimpleNamespace(id=1, role=role, is_active=active)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_exactly_its_permissions(role):
    assert {perm for perm in Perm if can(_user(role.value), perm)} == set(ROLE_PERMISSIONS[role])


def test_nobody_without_an_active_known_role_may_do_anything():
    for actor in (None, _user(active=False), _user("okänd"), SimpleNamespace(id=1, role="admin")):
        assert not any(can(actor, perm) for perm in Perm)
        with pytest.raises(PermissionDenied) as exc:
            require(actor, Perm.VIEW_REPORTS)
        assert exc.value.message == "Du har inte behörighet att göra detta."


def test_require_lets_a_permitted_actor_through_and_stops_others():
    assert require(_user("lots"), Perm.IMPORT_COMPANIES) is None
    assert can(_user("admin"), Perm.VIEW_AUDIT)
    assert not can(_user("lots"), Perm.VIEW_AUDIT)
    with pytest.raises(PermissionDenied, match="^Du har inte behörighet att göra detta.$"):
        require(_user("chef"), Perm.IMPORT_COMPANIES)
