"""Marshmallow fields and a schema base with Swedish messages, and input hygiene.

The API's schemas check *shape* only (types, formats, lengths that the database columns set);
every business rule stays in the services, so the API and the HTML forms cannot drift apart.
Strings refuse NUL characters and lone surrogates (PostgreSQL cannot store them), integers stay
within 32 bits and dates within 1900–2200, so no input can reach the database in a form it
would reject with a server error.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import marshmallow as ma
from marshmallow import fields, validate

INT_MAX = 2**31 - 1
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2200, 12, 31)
STOCKHOLM = ZoneInfo("Europe/Stockholm")

COMMON = {
    "required": "Fältet krävs.",
    "null": "Fältet får inte vara null.",
    "validator_failed": "Ogiltigt värde.",
}


class Schema(ma.Schema):
    """Base schema: unknown fields are an error (a misspelt field must not be silently lost)."""

    error_messages = {"unknown": "Okänt fält.", "type": "Ogiltig data: ett JSON-objekt väntades."}

    class Meta:
        unknown = ma.RAISE
        ordered = True


class Str(fields.String):
    default_error_messages = {**COMMON, "invalid": "Ange text.", "invalid_utf8": "Ogiltiga tecken."}

    def __init__(
        self, *, max_length: int | None = None, min_length: int | None = None, **kwargs: Any
    ) -> None:
        validators = list(kwargs.pop("validate", []) or [])
        if max_length is not None or min_length is not None:
            validators.append(
                validate.Length(
                    min=min_length, max=max_length,
                    error=_length_message(min_length, max_length),
                )
            )  # fmt: skip
        super().__init__(validate=validators, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise self.make_error("invalid_utf8")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise self.make_error("invalid_utf8") from None
        return text


def _length_message(min_length: int | None, max_length: int | None) -> str:
    if min_length and max_length:
        return f"Ange {min_length}–{max_length} tecken."
    if max_length is not None:
        return f"Högst {max_length} tecken."
    return f"Minst {min_length} tecken."


class Int(fields.Integer):
    """An integer within 32 bits. In a JSON body a string or boolean is refused (1.0 is an
    integer in JSON Schema, so it is accepted); in a query string digits are read."""

    default_error_messages = {**COMMON, "invalid": "Ange ett heltal.", "too_large": "Talet är för stort."}

    def __init__(
        self, *, minimum: int = 0, maximum: int = INT_MAX, query: bool = False, **kwargs: Any
    ) -> None:
        validators = list(kwargs.pop("validate", []) or [])
        validators.append(
            validate.Range(min=minimum, max=maximum, error=f"Ange ett heltal {minimum}–{maximum}.")
        )
        self.query = query
        super().__init__(validate=validators, **kwargs)

    def _validated(self, value: Any) -> int:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, str):
            if (
                not self.query
                or not value.strip().lstrip("-").isascii()
                or not value.strip().lstrip("-").isdigit()
            ):
                raise self.make_error("invalid")
            if len(value.strip()) > 12:
                raise self.make_error("too_large")
            return int(value)
        if isinstance(value, float):
            if not value.is_integer() or abs(value) > 2**53:
                raise self.make_error("invalid")
            return int(value)
        if not isinstance(value, int):
            raise self.make_error("invalid")
        return value


def Id(**kwargs: Any) -> Int:  # noqa: N802 - a field factory reads like a field class
    return Int(minimum=1, **kwargs)


class Bool(fields.Boolean):
    """true/false; a query string may also say 1/0."""

    default_error_messages = {**COMMON, "invalid": "Ange true eller false."}

    def __init__(self, *, query: bool = False, **kwargs: Any) -> None:
        if query:
            super().__init__(truthy={"true", "1"}, falsy={"false", "0"}, **kwargs)
        else:
            super().__init__(truthy={True}, falsy={False}, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


# Well-formed values the API cannot process (a date in year 249): answered 422, not 400.
OUT_OF_RANGE = {
    "Datumet ska ligga mellan 1900-01-01 och 2200-12-31.",
    "Tidpunkten ska ligga mellan år 1900 och 2200.",
}


class Day(fields.Date):
    default_error_messages = {
        **COMMON,
        "invalid": "Ange ett datum som ÅÅÅÅ-MM-DD.",
        "format": "Ange ett datum som ÅÅÅÅ-MM-DD.",
        "range": "Datumet ska ligga mellan 1900-01-01 och 2200-12-31.",
    }

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> date:
        day = super()._deserialize(value, attr, data, **kwargs)
        if not MIN_DATE <= day <= MAX_DATE:
            raise self.make_error("range")
        return day


class Moment(fields.DateTime):
    """An RFC 3339 date-time; without an offset it is read as Swedish local time."""

    default_error_messages = {
        **COMMON,
        "invalid": "Ange tidpunkten som ÅÅÅÅ-MM-DDTTT:MM:SS+01:00 (RFC 3339).",
        "format": "Ange tidpunkten som ÅÅÅÅ-MM-DDTTT:MM:SS+01:00 (RFC 3339).",
        "range": "Tidpunkten ska ligga mellan år 1900 och 2200.",
    }

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        if not MIN_DATE <= moment.date() <= MAX_DATE:
            raise self.make_error("range")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=STOCKHOLM)
        return moment.astimezone(UTC)

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class Clock(fields.Time):
    default_error_messages = {**COMMON, "invalid": "Ange ett klockslag som TT:MM.", "format": "Ange TT:MM."}

    def _serialize(self, value: time | None, attr: Any, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else value.strftime("%H:%M")


class OneOf(Str):
    """A string from a fixed list (documented as an enum).

    `legacy` maps codes an older version accepted (the Swedish codes before migration 0021) to
    today's code, so an integration that still sends them keeps working."""

    def __init__(
        self, choices: list[str] | tuple[str, ...], legacy: Mapping[str, str] | None = None, **kwargs: Any
    ) -> None:
        choices = list(choices)
        self.legacy = dict(legacy or {})
        super().__init__(
            validate=[validate.OneOf(choices, error="Välj ett av: " + ", ".join(choices) + ".")], **kwargs
        )

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        value = super()._deserialize(value, attr, data, **kwargs)
        return self.legacy.get(value, value) if isinstance(value, str) else value


class IdList(fields.List):
    default_error_messages = {**COMMON, "invalid": "Ange en lista med id-nummer."}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validate", [validate.Length(max=50, error="Högst 50 id-nummer.")])
        super().__init__(Id(), **kwargs)


class NestedList(fields.List):
    default_error_messages = {**COMMON, "invalid": "Ange en lista."}


class Nested(fields.Nested):
    default_error_messages = {**COMMON, "type": "Ange ett JSON-objekt."}
