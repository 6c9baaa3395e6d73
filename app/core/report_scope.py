"""What a report figure is computed for, as the features' report queries see it.

The figures (app.reports) pass a `Scope` – a period of Stockholm days, optionally one focus
area and/or one user – to the predicates that live with each feature
(app/<feature>/report_queries.py). Those modules sit below app.reports and may not import it,
so they are typed with these protocols; app.reports.periods.Period and app.reports.figures.Scope
satisfy them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol


class ReportPeriod(Protocol):
    """[start, end) in Stockholm calendar days and the UTC instants those days begin."""

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...  # exclusive

    @property
    def last_day(self) -> date: ...

    @property
    def start_utc(self) -> datetime: ...

    @property
    def end_utc(self) -> datetime: ...


class ReportScope(Protocol):
    @property
    def period(self) -> ReportPeriod: ...

    @property
    def focus_area_id(self) -> int | None: ...

    @property
    def user_id(self) -> int | None: ...

    def as_of(self, now: datetime) -> tuple[datetime, date]:
        """(instant, first day not yet begun) of "at the period's end"."""
        ...
