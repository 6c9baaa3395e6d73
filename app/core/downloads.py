"""File downloads: the one way every view sends a CSV, XLSX or calendar file.

* One Content-Type per kind, written out in full (``text/csv; charset=utf-8`` once).
* ``Content-Disposition`` with the Swedish file name: an ASCII ``filename=`` for old clients and
  ``filename*=UTF-8''…`` (RFC 6266 / RFC 5987) that browsers prefer, so "lotsärenden-….csv"
  arrives as that name.
* A CSV is streamed row by row *inside the request's context* (``stream_with_context``): the
  rows are produced after the view has returned, and under a real WSGI server (gunicorn) the
  request and application contexts are gone by then unless the response keeps them – the
  queries, ``current_user`` and the lazy loads of every row need them. An XLSX is built
  completely before the response starts (openpyxl's write-only mode), so an error there is an
  ordinary error page instead of a file that breaks off.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from flask import Response, current_app, stream_with_context
from flask_login import current_user

from app.core.spreadsheet import iter_csv, write_xlsx
from app.extensions import db

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ICS_TYPE = "text/calendar; charset=utf-8"
SPREADSHEET_FORMATS = ("csv", "xlsx")

_NOT_ASCII_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """``attachment; filename="foretag.csv"; filename*=UTF-8''f%C3%B6retag.csv`` (RFC 6266)."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    fallback = _NOT_ASCII_SAFE.sub("-", fallback).strip("-") or "lotsbok"
    value = f'{"inline" if inline else "attachment"}; filename="{fallback}"'
    if fallback != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value


def file_response(body: Any, content_type: str, filename: str, *, inline: bool = False) -> Response:
    """A response carrying a file: `body` is bytes, str or an iterable of chunks."""
    response = current_app.response_class(body, content_type=content_type)
    response.headers["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response


def spreadsheet_response(
    fmt: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, name: str, sheet_title: str
) -> Response:
    """The export as ``name.csv`` (streamed in the request's context) or ``name.xlsx`` (built
    first). `rows` may be a generator: nothing of it runs before the response is produced."""
    if fmt == "csv":
        _load_signed_in_user()
        return file_response(stream_with_context(iter_csv(headers, rows)), CSV_TYPE, f"{name}.csv")
    if fmt == "xlsx":
        return file_response(write_xlsx(headers, rows, sheet_title=sheet_title), XLSX_TYPE, f"{name}.xlsx")
    raise ValueError(f"unknown spreadsheet format {fmt!r}")


def _load_signed_in_user() -> None:
    """Load the signed-in user's columns now, in the request's session.

    Flask 3.1's `stream_with_context` pushes the request's contexts again only when the body is
    iterated, after the request's teardown has removed its database session. The rows' queries
    then run in a new session, but the user object (the exports' `reader`) belongs to the old
    one: detached, and expired by the view's commit of its audit event, its first attribute read
    (`can()` reads `is_active` and `role`) raised DetachedInstanceError under gunicorn and the
    download stopped after its header row (tests/server/test_downloads.py).
    """
    user = current_user._get_current_object() if current_user else None
    if user is not None and not user.is_anonymous and sa.inspect(user).expired_attributes:
        db.session.refresh(user)
