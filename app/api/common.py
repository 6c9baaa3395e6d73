"""Pieces every API resource uses: paging arguments and page schemas, the If-Match parameter,
id path segments, and turning a service's ValidationError on a cursor into a 400."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import url_for
from marshmallow.validate import Regexp
from werkzeug.routing import BaseConverter

from app.api.fields import INT_MAX, Int, Nested, NestedList, Schema, Str
from app.api.problems import Problem
from app.core.pagination import InvalidCursor, KeysetPage

ID = "id"
MAX_LIMIT = 100

IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "description": 'Postens ETag från senaste läsningen, t.ex. "3" (eller * för att skriva över oavsett).',
    "schema": {"type": "string", "example": '"1"'},
}
IF_MATCH_OPTIONAL = {
    **IF_MATCH,
    "required": False,
    "description": "Valfritt: postens ETag; skickas den kontrolleras att ingen annan har ändrat posten.",
}
IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": "Valfri engångsnyckel (1–40 tecken A–Z, a–z, 0–9, - och _). Skickas samma begäran igen "
                   "med samma nyckel skapas inget nytt: svaret gäller posten som den första skapade.",
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,40}$"},
}  # fmt: skip


class PageArgs(Schema):
    cursor = Str(
        max_length=500,
        validate=[Regexp(r"^[A-Za-z0-9_-]*$", error="Ogiltig markör.")],
        metadata={"description": "Markören next_cursor från föregående sida."},
    )
    limit = Int(
        minimum=1,
        maximum=MAX_LIMIT,
        query=True,
        load_default=25,
        metadata={"description": "Antal poster per sida (1–100).", "example": 25},
    )


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """A page of `item`: {"items": [...], "next_cursor": "…" | null}."""
    return type(
        name,
        (Schema,),
        {
            "items": NestedList(Nested(item), required=True, metadata={"description": "Posterna på sidan."}),
            "next_cursor": Str(
                allow_none=True, required=True,
                metadata={"description": "Skicka som cursor för nästa sida; null när det inte finns fler."},
            ),
        },
    )  # fmt: skip


def paged(
    load: Callable[[], KeysetPage], present: Callable[[Iterable[Any]], list[dict[str, Any]]]
) -> dict[str, Any]:
    try:
        page = load()
    except InvalidCursor:
        raise Problem(
            422,
            "Markören är ogiltig eller hör till en annan sortering. Börja om från första sidan.",
            errors=[{"field": "cursor", "in": "query", "message": "Ogiltig markör."}],
        ) from None
    return {"items": present(page.items), "next_cursor": page.next_cursor}


def etag_headers(record: Any, location: tuple[str, dict[str, Any]] | None = None) -> dict[str, str]:
    headers = {"ETag": f'"{record.version}"'}
    if location is not None:
        headers["Location"] = url_for(location[0], **location[1])
    return headers


def idempotency_key(headers: Any, user_id: int) -> str:
    """The one-time token for a create (form_token of the services), or "" if none was sent."""
    import re

    raw = headers.get("Idempotency-Key")
    if raw is None:
        return ""
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", raw):
        raise Problem(
            400,
            "Idempotency-Key ska vara 1–40 tecken A–Z, a–z, 0–9, - och _.",
            errors=[{"field": "Idempotency-Key", "in": "header", "message": "Ogiltig nyckel."}],
        )
    return f"api-{user_id}-{raw}"


class IdConverter(BaseConverter):
    """A record id in a path: digits only. Ids outside 1–2147483647 cannot exist and become 0,
    which no record has (a 404) – the database is never asked about a number it cannot hold,
    and routing never turns a bad id into a 405."""

    regex = r"[0-9]{1,30}"
    weight = 50

    def to_python(self, value: str) -> int:
        number = int(value)
        return number if 1 <= number <= INT_MAX else 0

    def to_url(self, value: Any) -> str:
        return str(int(value))


def id_param_schema(_converter: IdConverter) -> dict[str, Any]:
    return {"type": "integer", "minimum": 1, "maximum": INT_MAX, "description": "Postens id (heltal)."}
