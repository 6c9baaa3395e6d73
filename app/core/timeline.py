"""The company timeline: a registry that features fill in, so `companies` imports none of them.

The company page shows contacts, case events, follow-ups and visits together, but those
features hang on a company (they import `companies`, not the other way round). Each feature
therefore registers a *timeline provider* at start-up in its `init_app`:

    from app.core.timeline import TimelineItem, register_timeline_provider

    def contact_items(company, actor, filters) -> list[TimelineItem]:
        if not can(actor, Perm.VIEW_CONTACTS):
            return []
        ...
    register_timeline_provider(app, contact_items)

A provider must check the actor's permissions itself (it knows what is restricted), return at
most `filters.limit` items (newest first is not required), and query with its own indexes
(company_id, at). The company page merges every provider's items newest first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from app.core.time import STOCKHOLM


@dataclass(frozen=True)
class TimelineItem:
    """One entry on a company's timeline.

    `at` is an aware UTC datetime, or a date (shown without time; sorts as Stockholm midnight).
    `kind` is a short machine name ("kontakt", "arende", "uppfoljning", "besok", "foretag");
    `title` and `summary` are Swedish text; `url` links to the record (or None);
    `focus_areas` names the strategy focus areas the record counts towards;
    `anchor` is the item's element id on the page ("kontakt-7": a form returns there after saving).
    """

    at: datetime | date
    kind: str
    title: str
    url: str | None = None
    focus_areas: Sequence[str] = ()
    summary: str = ""
    anchor: str = ""

    @property
    def sort_key(self) -> datetime:
        if isinstance(self.at, datetime):
            return self.at
        return datetime.combine(self.at, time.min, tzinfo=STOCKHOLM)

    @property
    def has_time(self) -> bool:
        return isinstance(self.at, datetime)


@dataclass(frozen=True)
class TimelineFilter:
    """What the company page asks for: optionally only some kinds, and at most `limit` items."""

    kinds: frozenset[str] | None = None
    limit: int = 50
    extra: dict[str, Any] = field(default_factory=dict)


TimelineProvider = Callable[[Any, Any, TimelineFilter], list[TimelineItem]]

# The kinds the company page can filter on (providers' `kind` values).
TIMELINE_KINDS: dict[str, str] = {
    "kontakt": _l("Kontakter"),
    "arende": _l("Lotsärenden"),
    "uppfoljning": _l("Uppföljningar"),
    "besok": _l("Företagsbesök"),
}

_KEY = "lotsbok_timeline_providers"


def register_timeline_provider(app: Flask, provider: TimelineProvider) -> None:
    """Add a provider `(company, actor, filters) -> list[TimelineItem]` for the company page."""
    app.extensions.setdefault(_KEY, []).append(provider)


def timeline_for(company: Any, actor: Any, filters: TimelineFilter | None = None) -> list[TimelineItem]:
    """Every registered provider's items for `company`, newest first, cut to `filters.limit`."""
    filters = filters or TimelineFilter()
    # A focus-area filter keeps what counts towards that area (providers that can filter in
    # SQL, like contacts, get "focus_area_id" in `extra` as well).
    area_label = (filters.extra or {}).get("focus_area_label")
    items: list[TimelineItem] = []
    for provider in current_app.extensions.get(_KEY, []):
        for item in provider(company, actor, filters):
            if filters.kinds is not None and item.kind not in filters.kinds:
                continue
            if area_label and area_label not in item.focus_areas:
                continue
            items.append(item)
    items.sort(key=lambda item: item.sort_key, reverse=True)
    return items[: filters.limit]
