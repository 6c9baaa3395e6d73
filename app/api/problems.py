"""Errors of the JSON API as RFC 9457 problem details (`application/problem+json`), in Swedish.

Every error under /api/ – a service's DomainError, a schema error, a routing 404/405, an auth
failure, even an unexpected exception – is answered here (registered with
app.core.web.register_error_responder), so a client never gets an HTML page:

    400 the request could not be read (JSON, types, unknown fields, bad cursor)
    401 no usable API key            403 the role or the key's scope does not allow it
    404 no such record               405 method not allowed (with Allow)
    409 conflict, or a stale If-Match (someone else saved in between)
    412 If-Match names no version of ours   428 If-Match missing where it is required
    422 the service refused the data (field errors)   429 too many requests (Retry-After)
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, json, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.api.fields import OUT_OF_RANGE
from app.core.errors import DomainError, NotFound, PermissionDenied, StaleEdit, ValidationError

PROBLEM_JSON = "application/problem+json"

# status → (anchor on the reference page, Swedish title, default detail)
PROBLEMS: dict[int, tuple[str, str, str]] = {
    400: ("felaktig-begaran", "Felaktig begäran", "Begäran kunde inte läsas. Se fälten i errors."),
    401: ("ej-autentiserad", "API-nyckel saknas eller är ogiltig",
          "Skicka en giltig API-nyckel i huvudet Authorization: Bearer <nyckel>."),
    403: ("atkomst-nekad", "Åtkomst nekad", "Din roll eller nyckelns behörighet tillåter inte detta."),
    404: ("finns-inte", "Finns inte", "Posten eller adressen finns inte."),
    405: ("metoden-ar-inte-tillaten", "Metoden är inte tillåten", "Adressen stöder inte den HTTP-metoden."),
    406: ("kan-inte-leverera", "Kan inte leverera formatet", "API:t svarar bara med JSON."),
    409: ("konflikt", "Konflikt", "Åtgärden krockar med postens nuvarande läge."),
    412: ("villkoret-uppfylls-inte", "Villkoret uppfylls inte",
          "If-Match ska vara en ETag som API:t har lämnat ut, t.ex. \"3\", eller *."),
    413: ("for-stor", "För stor begäran", "Begäran är större än vad som tas emot."),
    415: ("fel-innehallstyp", "Fel innehållstyp", "Skicka JSON med Content-Type: application/json."),
    422: ("ogiltiga-uppgifter", "Uppgifterna kunde inte sparas", "Uppgifterna bryter mot en regel. Se errors."),
    428: ("if-match-kravs", "If-Match krävs",
          "Ange postens ETag i huvudet If-Match (hämta posten först), så skrivs ingen annans ändring över."),
    429: ("for-manga-anrop", "För många anrop", "Nyckeln har gjort för många anrop. Vänta och försök igen."),
    500: ("serverfel", "Något gick fel", "Ett oväntat fel inträffade. Felet är loggat."),
}  # fmt: skip

STALE_ANCHOR = "inaktuell-version"


class Problem(HTTPException):
    """Raise inside the API to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        anchor: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.code = status
        self.detail = detail
        self.errors = errors
        self.extra_headers = headers or {}
        self.anchor = anchor


def problem_type(anchor: str) -> str:
    return f"{current_app.config['BASE_URL']}/api/v1/dokumentation#problem-{anchor}"


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    anchor: str | None = None,
) -> Response:
    slug, title, default_detail = PROBLEMS.get(status, PROBLEMS[500 if status >= 500 else 400])
    body: dict[str, Any] = {
        "type": problem_type(anchor or slug),
        "title": title,
        "status": status,
        "detail": detail or default_detail,
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON
    )
    response.headers["Cache-Control"] = "no-store"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    if status == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="Lotsbok", error="invalid_token"')
    return response


def _flatten(messages: Any, path: str = "") -> list[tuple[str, str]]:
    """webargs/marshmallow's nested {"json": {"field": ["msg"]}} as (field path, message)."""
    out: list[tuple[str, str]] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            key = str(key)
            sub = path if key == "_schema" else f"{path}.{key}" if path else key
            out.extend(_flatten(value, sub))
    elif isinstance(messages, list | tuple):
        for item in messages:
            out.extend(_flatten(item, path))
    else:
        out.append((path, str(messages)))
    return out


LOCATIONS = {
    "json": "body",
    "query": "query",
    "querystring": "query",
    "headers": "header",
    "view_args": "path",
}


def schema_errors(messages: Any) -> list[dict[str, str]]:
    """Field errors from webargs messages, as [{"field", "in", "message"}]."""
    errors = []
    if isinstance(messages, dict):
        for location, inner in messages.items():
            for field, message in _flatten(inner):
                errors.append(
                    {"field": field or "", "in": LOCATIONS.get(location, location), "message": message}
                )
    return errors


def respond(exc: Exception) -> Response:
    """The error responder for /api/ (see module docstring)."""
    if isinstance(exc, Problem):
        return problem_response(
            exc.code, exc.detail, errors=exc.errors, headers=exc.extra_headers, anchor=exc.anchor
        )
    if isinstance(exc, DomainError):
        errors = [{"field": exc.field, "in": "body", "message": exc.message}] if exc.field else None
        if isinstance(exc, StaleEdit):
            return problem_response(409, exc.message, anchor=STALE_ANCHOR)
        if isinstance(exc, ValidationError):
            return problem_response(422, exc.message, errors=errors)
        if isinstance(exc, PermissionDenied):
            return problem_response(403, exc.message)
        if isinstance(exc, NotFound):
            return problem_response(404, exc.message)
        return problem_response(
            exc.status_code if 400 <= exc.status_code < 500 else 409, exc.message, errors=errors
        )
    if isinstance(exc, CSRFError):
        return problem_response(400)
    if isinstance(exc, HTTPException):
        status = exc.code or 500
        data = getattr(exc, "data", None) or {}
        headers = {}
        if status == 405:
            headers = {k: v for k, v in exc.get_headers() if k.lower() == "allow"}
        messages = data.get("messages") if isinstance(data, dict) else None
        if messages is not None:
            errors = schema_errors(messages)
            if status == 415:
                pass
            elif errors and all(e["message"] in OUT_OF_RANGE for e in errors):
                status = 422
            else:
                status = 400
            return problem_response(status, PROBLEMS[status][2], errors=errors or None)
        return problem_response(
            status if status in PROBLEMS else (500 if status >= 500 else 400), headers=headers
        )
    return problem_response(500)
