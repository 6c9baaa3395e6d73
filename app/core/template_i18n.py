"""The templates' `_()`, `ngettext()`, … with one translations lookup per request.

Flask-Babel installs Jinja callables that call its `get_translations()` for every `_()`: about a
dozen `g` look-ups each (its per-request context, the domain, the locale, the cache), and a list
page makes 200–300 of these calls. These callables remember the translations on Flask-Babel's own
per-request context next to the locale they belong to; `force_locale()` sets another locale
object and `refresh()` (after each request) removes it, so both make the next call look the
translations up again. What a text translates to does not change.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from flask_babel import get_translations

_CACHE = "lotsbok_translations"


def _translations() -> Any:
    ctx = g.get("_flask_babel") if g else None
    locale = getattr(ctx, "babel_locale", None)
    cached = getattr(ctx, _CACHE, None)
    if cached is not None and locale is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()  # creates the context and picks the locale if need be
    ctx = g.get("_flask_babel") if g else None
    if ctx is not None:
        setattr(ctx, _CACHE, (getattr(ctx, "babel_locale", None), translations))
    return translations


def install_template_gettext(app: Flask) -> None:
    """Replace Flask-Babel's Jinja callables (call after `babel.init_app`)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
