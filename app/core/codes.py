"""Stored codes and their labels (issue 16).

Every code stored in the database is English (`in_progress`, `phone_call`, `active`); the
label dicts next to them hold Swedish labels wrapped in `lazy_gettext`, so the interface shows
them in the user's language. Codes stored before migration 0021 were Swedish: each label dict
has a `LEGACY_…` map (old code → today's code) for old audit rows, bookmarked links and API
input.

A label that goes into a text stored in the database (an audit summary, a case event) is a
record and stays Swedish whatever the user's language: take it through `swedish()`.
"""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale


def swedish(label: Any) -> str:
    """`label` (a lazy string, or a function returning the label) as Swedish text. Pass a
    function when the label is computed (a property, `status_label(code)`): called outside,
    it would already be in the reader's language."""
    with force_locale("sv"):
        return str(label() if callable(label) else label)
