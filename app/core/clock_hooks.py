"""Who depends on the permit catalogue's clocks: a registry, so saving a permit type can
recompute the deadlines that hang on it without the catalogue importing lots cases.

`catalogues` sits below `cases` (a permit row names a permit type). The cases feature
registers two functions in its `init_app`:

* `preview(permit_type) -> ClockImpact`: how many undecided permit rows, and how many open
  cases, would get another deadline if the type were saved as it now stands in the session
  (the catalogue service has applied the edit to the object but not flushed it);
* `recompute(permit_type) -> int`: refresh those rows (flush, never commit), returning how many
  changed.

`update_permit_type` shows the preview before saving and recomputes in the same transaction,
so no one has to remember `flask cases recompute-clocks`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

_KEY = "lotsbok_permit_clock_hooks"


@dataclass(frozen=True)
class ClockImpact:
    rows: int = 0
    open_cases: int = 0

    def __add__(self, other: ClockImpact) -> ClockImpact:
        return ClockImpact(self.rows + other.rows, self.open_cases + other.open_cases)


@dataclass(frozen=True)
class PermitClockHooks:
    preview: Callable[[Any], ClockImpact]
    recompute: Callable[[Any], int]


def register_permit_clock_hooks(
    app: Flask, *, preview: Callable[[Any], ClockImpact], recompute: Callable[[Any], int]
) -> None:
    app.extensions.setdefault(_KEY, []).append(PermitClockHooks(preview, recompute))


def _hooks() -> list[PermitClockHooks]:
    return list(current_app.extensions.get(_KEY, []))


def permit_clock_impact(permit_type: Any) -> ClockImpact:
    """What saving `permit_type` as it stands would change (see the module docstring)."""
    total = ClockImpact()
    for hooks in _hooks():
        total = total + hooks.preview(permit_type)
    return total


def recompute_permit_clocks(permit_type: Any) -> int:
    """Refresh every deadline that depends on `permit_type`; returns how many changed."""
    return sum(hooks.recompute(permit_type) for hooks in _hooks())
