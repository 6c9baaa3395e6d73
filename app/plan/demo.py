"""Demo data for the strategy: a few yearly indicator values (fictitious) and handlingsplan
activities. Loaded by `flask demo-data`; running it again adds nothing twice."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.plan.action_plan import ActionPlanActivity, ActivityStatus
from app.plan.indicators import Indicator, IndicatorValue
from app.strategy.queries import selectable_focus_areas

# key → {year: value}. Fictitious numbers for trying the dashboard, not Borlänge's results.
DEMO_VALUES: dict[str, dict[int, float]] = {
    "nki_total": {2023: 71, 2024: 74},
    "nki_bygglov": {2023: 64, 2024: 68},
    "nki_markupplatelse": {2023: 76, 2024: 80},
    "sn_sammanfattande": {2022: 3.1, 2023: 3.3, 2024: 3.4},
    "sn_kompetens": {2022: 2.9, 2023: 3.0},
    "nya_foretag": {2021: 301, 2022: 312, 2023: 295, 2024: 308},
    "stor_industrietablering": {2022: 0, 2023: 0, 2024: 1},
}

DEMO_ACTIVITIES = [
    (
        0,
        "Praktikplatsbank tillsammans med skolorna",
        "committee",
        "Barn- och bildningsnämnden",
        ActivityStatus.ONGOING,
        date(2025, 6, 30),
    ),
    (
        1,
        "Trygghetsvandring i industriområdena",
        "function",
        "Trygghetssamordnaren",
        ActivityStatus.PLANNED,
        date(2025, 9, 30),
    ),
    (
        2,
        "Samlad lotsfunktion för tillståndsfrågor",
        "function",
        "Näringslivskontoret",
        ActivityStatus.DONE,
        date(2024, 12, 31),
    ),
    (
        3,
        "Mark för etablering i Övermora",
        "company",
        "Borlänge Energi",
        ActivityStatus.ONGOING,
        date(2025, 12, 31),
    ),
]


def load_demo_strategy() -> tuple[int, int]:
    """Add the demo values and activities that are missing; returns (values, activities) added."""
    indicators = {i.key: i for i in db.session.scalars(sa.select(Indicator))}
    existing = {
        (i, y) for i, y in db.session.execute(sa.select(IndicatorValue.indicator_id, IndicatorValue.year))
    }
    values = 0
    for key, years in DEMO_VALUES.items():
        indicator = indicators.get(key)
        if indicator is None:
            continue
        for year, value in years.items():
            if (indicator.id, year) not in existing:
                db.session.add(
                    IndicatorValue(indicator_id=indicator.id, year=year, value=value, note="Demovärde")
                )
                values += 1
    areas = selectable_focus_areas()
    titles = set(db.session.scalars(sa.select(ActionPlanActivity.title)))
    activities = 0
    for index, title, kind, responsible, status, due_on in DEMO_ACTIVITIES:
        if title in titles or not areas:
            continue
        db.session.add(
            ActionPlanActivity(
                focus_area_id=areas[index % len(areas)].id,
                title=title,
                responsible_kind=kind,
                responsible_name=responsible,
                status=status,
                due_on=due_on,
            )  # fmt: skip
        )
        activities += 1
    db.session.flush()
    return values, activities
