"""Merging two companies: a registry of handlers that move each feature's records.

`companies` sits below contacts, cases, follow-ups and visits, so its merge service cannot
import them. Each feature that stores a `company_id` registers a handler in its `init_app`:

    from app.core.merge import register_merge_handler

    def move_cases(source, target, actor) -> int:
        n = db.session.execute(
            sa.update(Case).where(Case.company_id == source.id).values(company_id=target.id)
        ).rowcount
        return n
    register_merge_handler(app, move_cases, label="lotsärenden")

Handlers run inside the merge's transaction (they must flush, never commit), after the
surviving values are chosen and before the source is marked as merged. They return how many
records they moved (for the audit summary) and may raise app.core.errors.DomainError to stop
the merge. Denormalised company columns (last_contact_at, next_followup_on) are recomputed by
the merge service itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

MergeHandler = Callable[[Any, Any, Any], int | None]

_KEY = "lotsbok_merge_handlers"


@dataclass(frozen=True)
class RegisteredMergeHandler:
    label: str
    handler: MergeHandler


def register_merge_handler(app: Flask, handler: MergeHandler, *, label: str = "") -> None:
    """Add `handler(source, target, actor) -> moved count` to every company merge."""
    app.extensions.setdefault(_KEY, []).append(RegisteredMergeHandler(label or handler.__name__, handler))


def merge_handlers() -> list[RegisteredMergeHandler]:
    return list(current_app.extensions.get(_KEY, []))
