"""The value types of the report figures: what a figure is computed for (`Scope`), where its
records are listed (`Drill`) and the figure itself (`Figure`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from app.core.permissions import Perm
from app.core.time import local_today
from app.reports.periods import Period


@dataclass(frozen=True)
class Scope:
    """What the figures are for: a period, and optionally one focus area and/or one user.
    (app.core.report_scope.ReportScope: how the features' report queries see it.)"""

    period: Period
    focus_area_id: int | None = None
    user_id: int | None = None

    def year_earlier(self) -> Scope:
        return replace(self, period=self.period.year_earlier())

    def args(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.period.to_args())
        if self.focus_area_id:
            out["focus"] = self.focus_area_id
        if self.user_id:
            out["user"] = self.user_id
        return out

    def as_of(self, now: datetime) -> tuple[datetime, date]:
        """What "at the period's end" means: (instant, first day not yet begun). The end of
        the period, or – for a period not over yet – now and today."""
        if now >= self.period.end_utc:
            return self.period.end_utc, self.period.end
        return now, local_today(now)


@dataclass(frozen=True)
class Drill:
    """Where the records behind a figure are listed: an endpoint with its query parameters,
    and the permission needed to see them."""

    endpoint: str
    args: dict[str, Any]
    perm: Perm


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: float | int | None
    previous: float | int | None = None
    drill: Drill | None = None
    unit: str = ""
    note: str = ""

    @property
    def change(self) -> float | int | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def change_percent(self) -> float | None:
        if self.value is None or not self.previous:
            return None
        return (self.value - self.previous) / self.previous * 100
