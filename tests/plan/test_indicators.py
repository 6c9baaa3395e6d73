"""Strategy indicators: the two-year moving average, target against actual, trend, the NKI
total rule for markupplåtelse from 2024, and the admin services."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app.core.errors import PermissionDenied, ValidationError
from app.plan.indicators import (
    Indicator,
    IndicatorValueInput,
    delete_indicator_value,
    evaluate,
    indicator_statuses,
    moving_average,
    set_indicator_value,
)


def by_key(db, key: str) -> Indicator:
    return db.session.scalar(sa.select(Indicator).where(Indicator.key == key))


def values(**years: float):
    return [SimpleNamespace(year=int(y[1:]), value=v, case_id=None) for y, v in years.items()]


def test_moving_average():
    data = {2020: 286.0, 2021: 320.0, 2022: 290.0, 2024: 400.0}
    assert moving_average(data, 2021, 2) == 303.0
    assert moving_average(data, 2022, 2) == 305.0
    assert moving_average(data, 2020, 2) is None  # 2019 missing
    assert moving_average(data, 2024, 2) is None  # 2023 missing
    assert moving_average(data, 2024, 1) == 400.0
    with pytest.raises(ValueError, match="window"):
        moving_average(data, 2024, 0)


def test_new_companies_target_uses_the_two_year_average(db):
    indicator = by_key(db, "nya_foretag")
    assert (indicator.baseline_value, indicator.baseline_year, indicator.target_value) == (286, 2020, 300)
    # 2021: (286 + 320) / 2 = 303 ≥ 300; 2022: (320 + 270) / 2 = 295 < 300 although 2021 alone was 320.
    status = evaluate(indicator, values(y2021=320, y2022=270))
    assert [(p.year, p.effective) for p in status.points] == [(2020, None), (2021, 303.0), (2022, 295.0)]
    assert status.points[0].is_baseline
    assert status.latest.year == 2022
    assert status.met is False
    assert status.trend == "down"
    status = evaluate(indicator, values(y2021=320, y2022=330))
    assert status.latest.effective == 325.0
    assert status.met is True
    assert status.trend == "up"


def test_scale_and_index_targets_and_trend(db):
    sn = by_key(db, "sn_sammanfattande")  # 3.04 (2021) → at least 3.5
    status = evaluate(sn, values(y2022=3.2, y2023=3.5))
    assert status.met is True
    assert status.trend == "up"
    assert evaluate(sn, values(y2022=3.49)).met is False
    assert evaluate(sn, []).latest.year == 2021  # the baseline alone
    nki = by_key(db, "nki_total")
    assert evaluate(nki, values(y2024=79, y2025=79)).trend == "flat"


def test_markupplatelse_is_outside_the_total_from_2024(db):
    mark = by_key(db, "nki_markupplatelse")
    status = evaluate(mark, values(y2023=77, y2024=81))
    assert {p.year: p.in_total for p in status.points} == {2017: True, 2023: True, 2024: False}
    assert by_key(db, "nki_bygglov").in_total(2024) is True
    assert by_key(db, "nki_total").in_total(2024) is None


def test_large_establishment_yes_no(db):
    indicator = by_key(db, "stor_industrietablering")
    assert evaluate(indicator, [], first_year=2022).met is None
    assert evaluate(indicator, values(y2022=0, y2023=0), first_year=2022).met is False
    assert evaluate(indicator, values(y2022=0, y2024=1), first_year=2022).met is True
    assert evaluate(indicator, values(y2021=1), first_year=2022).met is False  # before the strategy


def test_admin_enters_and_replaces_values(db, users):
    admin = users["admin"]
    indicator = by_key(db, "sn_kompetens")
    set_indicator_value(indicator, IndicatorValueInput(year=2023, value=2.9, national_value=3.1), actor=admin)
    set_indicator_value(indicator, IndicatorValueInput(year=2023, value=3.1), actor=admin)  # replaces
    db.session.commit()
    statuses = {s.indicator.key: s for s in indicator_statuses()}
    kompetens = statuses["sn_kompetens"]
    assert [(p.year, p.value) for p in kompetens.points] == [(2021, 2.87), (2023, 3.1)]
    assert kompetens.met is True
    with pytest.raises(ValidationError):
        set_indicator_value(indicator, IndicatorValueInput(year=2024, value=7), actor=admin)  # scale 1–6
    with pytest.raises(ValidationError):
        set_indicator_value(
            by_key(db, "nya_foretag"), IndicatorValueInput(year=2024, value=12.5), actor=admin
        )
    with pytest.raises(PermissionDenied):
        set_indicator_value(indicator, IndicatorValueInput(year=2024, value=3), actor=users["lots"])
    delete_indicator_value(indicator, 2023, actor=admin)
    db.session.commit()
    assert [p.year for p in evaluate(indicator, []).points] == [2021]


def test_establishment_value_links_its_case(db, users, dataset):
    indicator = by_key(db, "stor_industrietablering")
    row = set_indicator_value(indicator, IndicatorValueInput(year=2025, value=1, case_id=dataset.rec.c5.id),
                              actor=users["admin"])  # fmt: skip
    assert row.case_id == dataset.rec.c5.id
    with pytest.raises(ValidationError):
        set_indicator_value(
            indicator, IndicatorValueInput(year=2024, value=1, case_id=999999), actor=users["admin"]
        )
