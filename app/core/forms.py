"""Form building blocks shared by every feature: the optimistic-locking version field, the list
filter form (validates only what the user submitted) and select options built the way WTForms
3.3+ wants them (SelectChoice, not tuples)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import flash
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.fields.choices import SelectChoice, SelectFieldBase


class VersionedForm(FlaskForm):
    """A form that edits a record under optimistic locking.

    It carries the record's version as shown to the user; the service refuses the save with
    `StaleEdit` when someone else saved in between (see `app.core.errors`).
    """

    version = HiddenField()

    @property
    def expected_version(self) -> int | None:
        """The version the user saw, or None when the form did not carry one (a new record)."""
        value = self.version.data
        return int(value) if value and str(value).isdigit() else None


class FilterForm(FlaskForm):
    """A list's filter form, read from the query string (GET: no CSRF, it changes nothing).

    `validate()` checks only the fields the user submitted with a value: a list opened without
    a query string, or a drill-down link that sets some filters, shows no error – an absent or
    empty parameter means "no filter", whatever the field's default or choices. A submitted
    value that cannot be used keeps a Swedish message on its field, its `data` becomes None
    (no filter) and the list is shown without it, so nothing the user typed is lost from sight.
    """

    class Meta:
        csrf = False

    def __init__(self, formdata=None, **kwargs):
        super().__init__(formdata, **kwargs)
        self._submitted = (
            {name for name in formdata if any(v.strip() for v in formdata.getlist(name))}
            if formdata is not None
            else set()
        )

    def submitted(self, field) -> bool:
        """Whether the query string carried a non-empty value for `field` (a user picker
        also counts its typed text, `<name>-text`)."""
        return field.name in self._submitted or f"{field.name}-text" in self._submitted

    def validate(self, extra_validators=None) -> bool:
        ok = True
        for field in self:
            if not self.submitted(field):
                field.errors = []
                continue
            if not field.validate(self, (extra_validators or {}).get(field.name, ())):
                ok = False
                if isinstance(field, SelectFieldBase):
                    field.errors = [
                        _("Välj ett av alternativen i listan. Listan visas utan det här filtret.")
                    ]
                field.data = None
        return ok


def options(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs: `field.choices = options(...)`.

    WTForms 3.3 deprecates tuples as choices (removed in 3.4); building every option here keeps
    that change in one place.
    """
    return [SelectChoice(value, label) for value, label in pairs]


def filter_arg(args: Mapping[str, str], name: str, allowed: Iterable[str], default: str, label: str) -> str:
    """The value of a hand-written GET filter (`?<name>=…`, a tab or a select of a list):
    absent or empty → `default`, as a list opened from a link must open clean; a submitted value
    not among `allowed` → `default` too, and the user is told on this page that the filter was
    left out (a warning flash, shown by the page being rendered)."""
    value = (args.get(name) or "").strip()
    if not value:
        return default
    if value in allowed:
        return value
    _left_out(label, value)
    return default


def filter_id(args: Mapping[str, str], name: str, label: str) -> int | None:
    """An id in a hand-written GET filter: absent or empty → None (no filter); not a number →
    None and a warning on this page, as `filter_arg`."""
    value = (args.get(name) or "").strip()
    if not value:
        return None
    if value.isdigit():
        return int(value)
    _left_out(label, value)
    return None


def _left_out(label: str, value: str) -> None:
    message = _(
        "%(label)s: ”%(value)s” finns inte bland valen. Listan visas utan det filtret.",
        label=label,
        value=value[:40],
    )
    flash(message, "warning")
