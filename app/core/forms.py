"""Form building blocks shared by every feature: the optimistic-locking version field and
select options built the way WTForms 3.3+ wants them (SelectChoice, not tuples)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.fields.choices import SelectChoice


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


def options(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs: `field.choices = options(...)`.

    WTForms 3.3 deprecates tuples as choices (removed in 3.4); building every option here keeps
    that change in one place.
    """
    return [SelectChoice(value, label) for value, label in pairs]
