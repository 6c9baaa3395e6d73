"""Who is calling: the bearer token of each API request, its scope and its rate limit.

The API is token-only. A browser's session cookie is ignored on API routes (Flask-Login's user
is set to anonymous before anything reads it), so a signed-in browser – or a page on another
site that makes the browser send its cookie – cannot use the API, let alone write through it;
that is why the API blueprints can be exempt from CSRF. Token auth is also never accepted by
the HTML pages (there is no Flask-Login request loader), so a token cannot bypass their CSRF
protection either.

Order within a request (Flask runs URL value preprocessors before before_request hooks):

1. `authenticate` (URL value preprocessor): session ignored, token checked and counted on its
   own short transaction (app.api.tokens.check_request_token), 401/403/429 raised here;
2. app.core.web's hooks: BEGIN IMMEDIATE for writes on SQLite; the idle-session hook leaves
   the browser's session alone (`g.session_ignored`): a signed-in browser calling the API with
   a token is answered, not signed out;
3. `load_actor` (before_request, registered after core's): the token's user in the request's
   session, for the services' `actor`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, request
from flask_login import AnonymousUserMixin

from app.api.problems import Problem
from app.api.tokens import TokenRefused, check_request_token
from app.auth.models import User
from app.core.db import BadEntityTag, VersionedMixin, version_from_if_match
from app.core.permissions import Perm, can
from app.extensions import db

READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def is_api_endpoint(endpoint: str | None) -> bool:
    """Endpoints that need a token: every API resource (not the spec or the reference page)."""
    return bool(endpoint) and endpoint.startswith("api_") and not endpoint.startswith("api_reference.")


def authenticate(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    if not is_api_endpoint(endpoint):
        return
    g._login_user = AnonymousUserMixin()  # the session cookie is no identity for the API
    g.session_ignored = True  # … and the session is left as it is (app.core.web's hooks)
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if not header:
        raise Problem(401, "API-nyckel saknas. Skicka Authorization: Bearer <nyckel>.")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Problem(401, "Authorization ska vara Bearer följt av API-nyckeln.")
    if db.session().in_transaction():
        # Only when several requests share one app context (tests): a read transaction left
        # open would hold an old snapshot and could not write after the token UPDATE below.
        db.session.rollback()
    try:
        check = check_request_token(secret.strip())
    except TokenRefused as exc:
        raise Problem(401, exc.message) from None
    if check.limited:
        raise Problem(
            429,
            f"Högst {check.limit} anrop per minut och nyckel. Försök igen om {check.retry_after} sekunder.",
            headers={"Retry-After": str(check.retry_after)},
        )
    if request.method not in READ_METHODS and not check.may_write:
        raise Problem(403, "API-nyckeln får bara läsa. Skapa en nyckel med behörigheten läsa och skriva.")
    g.api_check = check


def load_actor() -> None:
    check = getattr(g, "api_check", None)
    if check is None:
        return
    user = db.session.get(User, check.user_id)
    if user is None or not user.is_active:
        raise Problem(401, "Användaren som äger API-nyckeln är inaktiverad.")
    g.api_user = user


def actor() -> User:
    """The user the request acts as (the token's owner)."""
    return g.api_user


def requires(perm: Perm) -> Callable:
    """Gate an API view on a permission (the services check again)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not can(actor(), perm):
                raise Problem(403, "Din roll har inte behörighet till detta.")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def expected_version(record: VersionedMixin, *, required: bool = True) -> int | None:
    """The `expected_version` for a service from If-Match (see app.core.db.version_from_if_match).

    Missing and required: 428. Not one of our tags: 412. Stale: the service raises StaleEdit (409).
    """
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        if required:
            raise Problem(428)
        return None
    try:
        return version_from_if_match(header, record.version)
    except BadEntityTag:
        raise Problem(412) from None
