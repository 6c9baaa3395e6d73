"""The open lots cases a form may link a record to (the contact form's "Lotsärende"). The cases
feature registers the provider; the contact log, a layer below it, asks without importing it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

# (company id, actor) -> [(case id, label)]: the company's open cases the actor may read.
OpenCases = Callable[[int, Any], list[tuple[int, str]]]

_KEY = "lotsbok_open_case_choices"


def register_open_cases(app: Flask, provider: OpenCases) -> None:
    app.extensions[_KEY] = provider


def open_cases(company_id: int, actor: Any) -> list[tuple[int, str]] | None:
    """The company's open cases as (id, label), or None when no cases feature is installed."""
    provider = current_app.extensions.get(_KEY)
    return None if provider is None else provider(company_id, actor)
