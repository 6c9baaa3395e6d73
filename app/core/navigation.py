"""The main navigation and the start page's panels, filled in by the features that exist.

Features sit below the layout, so the layout must not import them. Instead the navigation
lists endpoints (an entry whose endpoint is not registered yet is simply not shown), and
features register start-page panels and navigation counts here at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.core.permissions import Perm, can


@dataclass(frozen=True)
class NavEntry:
    label: str  # lazily translated (shown in the user's language)
    endpoint: str
    perm: Perm
    section: str  # blueprint name that marks the entry as current


NAV: list[NavEntry] = [
    NavEntry(_l("Start"), "main.index", Perm.VIEW_START, "main"),
    NavEntry(_l("Företag"), "companies.list", Perm.VIEW_COMPANIES, "companies"),
    NavEntry(_l("Kontakter"), "interactions.list", Perm.VIEW_CONTACTS, "interactions"),
    NavEntry(_l("Lotsärenden"), "cases.list", Perm.VIEW_CASES, "cases"),
    NavEntry(_l("Uppföljningar"), "followups.list", Perm.VIEW_FOLLOWUPS, "followups"),
    NavEntry(_l("Besök"), "visits.list", Perm.VIEW_VISITS, "visits"),
    NavEntry(_l("Rapporter"), "reports.dashboard", Perm.VIEW_REPORTS, "reports"),
    NavEntry(_l("Personuppgifter"), "privacy.index", Perm.PRIVACY_MANAGE, "privacy"),
    NavEntry(_l("Admin"), "admin.index", Perm.MANAGE_USERS, "admin"),
]


@dataclass(frozen=True)
class StartPanel:
    title: str
    template: str
    perm: Perm
    position: int = 100


def register_nav_count(app: Flask, endpoint: str, counter: Callable[[Any], int]) -> None:
    """Show `counter(user)` as a badge on the nav entry for `endpoint`."""
    app.extensions.setdefault("lotsbok_nav_counts", {})[endpoint] = counter


def nav_items(user: Any) -> list[dict[str, Any]]:
    endpoints = current_app.view_functions
    counters = current_app.extensions.get("lotsbok_nav_counts", {})
    current_section = (request.blueprint or "") if request else ""
    items = []
    for entry in NAV:
        if entry.endpoint not in endpoints or not can(user, entry.perm):
            continue
        count = counters[entry.endpoint](user) if entry.endpoint in counters else 0
        items.append(
            {
                "label": entry.label,
                "url": url_for(entry.endpoint),
                "active": current_section == entry.section,
                "count": count,
                "count_label": ngettext("%(num)d att göra", "%(num)d att göra", count),
            }
        )
    return items


def start_panels(user: Any) -> list[StartPanel]:
    panels: list[StartPanel] = current_app.extensions.get("lotsbok_start_panels", [])
    return sorted((p for p in panels if can(user, p.perm)), key=lambda p: p.position)


def register_start_panel(app: Flask, panel: StartPanel) -> None:
    app.extensions.setdefault("lotsbok_start_panels", []).append(panel)


def init_navigation(app: Flask) -> None:
    app.jinja_env.globals.update(
        nav_items=nav_items,
        start_panels=start_panels,
        admin_links=admin_links,
        settings_sections=settings_sections,
    )


def register_admin_link(app: Flask, label: str, endpoint: str) -> None:
    """Add a link to the admin start page (features own their catalogue screens)."""
    app.extensions.setdefault("lotsbok_admin_links", []).append((label, endpoint))


def admin_links() -> list[dict[str, str]]:
    links = current_app.extensions.get("lotsbok_admin_links", [])
    return [{"label": label, "url": url_for(endpoint)} for label, endpoint in links]


def register_settings_section(app: Flask, template: str) -> None:
    """Add a section (a template included with `current_user`) to "Mina inställningar"."""
    app.extensions.setdefault("lotsbok_settings_sections", []).append(template)


def settings_sections() -> list[str]:
    return list(current_app.extensions.get("lotsbok_settings_sections", []))
