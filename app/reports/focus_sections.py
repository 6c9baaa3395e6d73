"""The dashboard's section per focus area: what the period's figures say about the area (its
row of app.reports.figures – contacts, companies reached, new and closed lots cases, visits), its
handlingsplan activities (status counts and the list) and the strategy's indicators linked to it
(app.plan.indicator_areas), side by side.

Composition only: the figures are those of `build_report`; the activities and indicators are
read once for the whole page (three queries, whatever the number of focus areas), then
grouped here in Python. The areas are the report's own focus rows: every area in use, and a
retired one while it has contacts in the period or the year before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.plan import action_plan as plan
from app.plan import indicators as ind
from app.plan.indicator_areas import focus_areas_by_indicator
from app.reports.figures import Figure, FocusRow, Report
from app.strategy.models import FocusArea


@dataclass
class FocusSection:
    area: FocusArea
    row: FocusRow
    activities: list[plan.ActionPlanActivity] = field(default_factory=list)
    indicators: list[ind.IndicatorStatus] = field(default_factory=list)

    @property
    def figures(self) -> list[Figure]:
        """The area's activity in the period, in the order shown."""
        r = self.row
        return [r.contacts, r.companies, r.cases_new, r.cases_closed, r.visits]

    @property
    def has_activity(self) -> bool:
        """Any figure (this period or the same period a year earlier) is not zero."""
        return any(f.value or f.previous for f in self.figures)

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status code, label, number of activities) for the statuses the area has, in plan order."""
        counts: dict[str, int] = {}
        for activity in self.activities:
            counts[activity.status] = counts.get(activity.status, 0) + 1
        return [
            (status.value, str(label), counts[status.value])
            for status, label in plan.STATUS_LABELS.items()
            if counts.get(status.value)
        ]

    @property
    def is_empty(self) -> bool:
        return not (self.has_activity or self.activities or self.indicators)


@dataclass
class FocusOverview:
    sections: list[FocusSection]
    other_indicators: list[ind.IndicatorStatus]  # linked to no area shown


def focus_overview(report: Report) -> FocusOverview:
    """One section per focus row of `report`, with its activities and linked indicators."""
    sections = {row.focus_area.id: FocusSection(row.focus_area, row) for row in report.focus_rows}
    for activity in plan.list_activities():
        if activity.focus_area_id in sections:
            sections[activity.focus_area_id].activities.append(activity)
    links = focus_areas_by_indicator()
    other: list[ind.IndicatorStatus] = []
    for status in ind.indicator_statuses():
        areas = [sections[a] for a in sorted(links.get(status.indicator.id, ())) if a in sections]
        for section in areas:
            section.indicators.append(status)
        if not areas and not report.scope.focus_area_id:
            other.append(status)
    return FocusOverview(list(sections.values()), other)
