"""Rendering mail templates and building absolute links without a request.

The scheduler process has no request (and so no Host header), so links are built from the
BASE_URL setting: `external_url("followups.list")` → "https://lotsbok.example/uppfoljningar".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from jinja2 import TemplateNotFound
from werkzeug.routing import BuildError


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL for `endpoint` under BASE_URL; works with or without a request."""
    anchor = values.pop("_anchor", None)
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{anchor}" if anchor else url


def external_url_or_none(endpoint: str, **values: Any) -> str | None:
    """Like external_url, but None when the endpoint does not exist (yet)."""
    try:
        return external_url(endpoint, **values)
    except BuildError:
        return None


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str | None


def render_mail(template: str, *, language: str = "sv", **ctx: Any) -> RenderedMail:
    """Render app/templates/mail/<template>.subject.txt, .txt and (if present) .html.

    The context gets `external_url`, `base_url`, `app_name` and `lang` on top of `ctx`.

    Mail is rendered in `language` (Swedish), not in the language of whoever's request
    queues it: a colleague who reads Lotsbok in English must not send a company or another
    colleague an English invitation. The texts are wrapped for translation all the same, so
    a recipient's language can be passed here once recipients have one.
    """
    ctx = {
        "external_url": external_url,
        "external_url_or_none": external_url_or_none,
        "base_url": current_app.config["BASE_URL"],
        "app_name": "Lotsbok",
        "lang": language,
        **ctx,
    }
    with force_locale(language):
        subject = " ".join(render_template(f"mail/{template}.subject.txt", **ctx).split())
        text = render_template(f"mail/{template}.txt", **ctx)
        html: str | None
        try:
            current_app.jinja_env.get_template(f"mail/{template}.html")
        except TemplateNotFound:
            html = None  # plain-text-only mail
        else:
            html = render_template(f"mail/{template}.html", **ctx)
    return RenderedMail(subject=subject, text=text.strip() + "\n", html=html)
