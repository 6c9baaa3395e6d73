"""The business strategy's floor: strategies and their focus areas (models, queries, services,
the focus-area form and its admin screen). Every feature may import it; it imports no feature
but audit and auth. The handlingsplan and the indicators, which read contacts and cases, live in
the high package app.plan."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from app.core.catalogue import register_catalogue
    from app.strategy.catalogue_screen import FOCUS_AREAS

    # The admin start page links the focus areas itself (first among the catalogues).
    register_catalogue(app, FOCUS_AREAS, admin_link=False)
