"""Server-side length limits on every free-text value, in two places that cannot be bypassed.

* **Forms**: :func:`limit_form_fields` gives every text field of every form (StringField,
  TextAreaField and their kinds, not hidden fields) a WTForms ``Length(max=…)`` validator with a
  Swedish message when the form does not set its own – a one-line field gets
  :data:`LINE_MAX_LENGTH`, a text area :data:`TEXT_MAX_LENGTH`.
* **Every write** (web, CLI, import, jobs – whatever skips the forms): :func:`check_lengths`
  runs before each flush and refuses a new or changed string longer than its column allows
  (``String(n)`` → n; ``Text`` → ``info["max_length"]`` or :data:`TEXT_MAX_LENGTH`) with a
  ValidationError naming the field, so the caller's form shows it, a CLI prints it, and neither
  database stores a 3 MB "note" (nor PostgreSQL answers 500 on a too long VARCHAR).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.validators import Length

from app.core.errors import ValidationError

TEXT_MAX_LENGTH = 20_000  # a note, description or minutes: some ten pages of text
LINE_MAX_LENGTH = 200


def too_long_message(limit: int) -> str:
    """Lazy: the form validators are built once at start-up and shown in each page's language."""
    return _l("Texten är för lång: högst %(limit)s tecken.", limit=f"{limit:,}".replace(",", " "))


def limit_form_fields() -> int:
    """Add a Length validator to every text field of every FlaskForm subclass that has none.
    Returns how many fields got one. Idempotent; called once by create_app."""
    added = 0
    pending = list(FlaskForm.__subclasses__())
    seen: set[type] = set()
    while pending:
        form = pending.pop()
        if form in seen:
            continue
        seen.add(form)
        pending.extend(form.__subclasses__())
        for value in vars(form).values():
            if isinstance(value, UnboundField) and _limit(value):
                added += 1
    return added


def _limit(field: UnboundField) -> bool:
    kind = field.field_class
    if not issubclass(kind, StringField) or issubclass(kind, HiddenField):
        return False
    validators = list(field.kwargs.get("validators") or ())
    if any(isinstance(v, Length) and v.max not in (None, -1) for v in validators):
        return False
    limit = TEXT_MAX_LENGTH if issubclass(kind, TextAreaField) else LINE_MAX_LENGTH
    validators.append(Length(max=limit, message=too_long_message(limit)))
    field.kwargs["validators"] = validators
    return True


def column_limit(column: sa.Column[Any]) -> int | None:
    """The most characters a string column may hold, or None for a non-text column."""
    if not isinstance(column.type, sa.String):
        return None
    return column.info.get("max_length") or column.type.length or TEXT_MAX_LENGTH


def check_lengths(session: sa.orm.Session, _flush_context: Any = None, _instances: Any = None) -> None:
    """before_flush: refuse a new or changed string value longer than its column allows."""
    for obj in (*session.new, *session.dirty):
        state = sa.inspect(obj)
        for attr in state.mapper.column_attrs:
            value = state.dict.get(attr.key)
            if not isinstance(value, str):
                continue
            if obj not in session.new and not state.attrs[attr.key].history.has_changes():
                continue  # an old value nobody touched
            limit = column_limit(attr.columns[0])
            if limit is not None and len(value) > limit:
                raise ValidationError(str(too_long_message(limit)), field=attr.key)


def init_limits() -> None:
    """Install both limits (forms, and before every flush of every session)."""
    limit_form_fields()
    if not sa.event.contains(sa.orm.Session, "before_flush", check_lengths):
        sa.event.listen(sa.orm.Session, "before_flush", check_lengths)
