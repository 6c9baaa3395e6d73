"""View decorators. They only gate the page; services check permissions again."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required

from app.core.permissions import Perm, can


def permission_required(perm: Perm) -> Callable:
    """Sign-in required (redirect), then `perm` required (403)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not can(current_user, perm):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
