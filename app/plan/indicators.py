"""The strategy's indicators (§4.1) as data: each with a baseline, a target and yearly values.

* SKR Insikt NKI (index 0–100): the total and one indicator per area. An area can leave the
  total from a given year (`outside_total_from`): from 2024 SKR reports markupplåtelse (and
  brandskydd) outside the total NKI, so its yearly values from then on are shown as
  "redovisas utanför totalen".
* Svenskt Näringsliv's survey items (scale 1–6).
* New companies per year (count); the target (at least 300) is a TWO-YEAR moving average,
  computed here from the yearly values (`moving_average_years = 2`).
* A large industrial establishment landed (yes/no); a "yes" year may name the lots case.

Admin enters the values; `evaluate` turns an indicator and its values into target against
actual with a trend. Every target in the strategy is "at least", so "met" means ≥ target.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from app.audit import services as audit
from app.auth.models import User
from app.core.charts import line_chart
from app.core.db import TimestampMixin, VersionedMixin, check_version
from app.core.errors import Conflict, NotFound, ValidationError
from app.core.permissions import Perm, require
from app.extensions import db
from app.strategy.models import Strategy


class IndicatorKind(enum.StrEnum):
    INDEX = "index"  # 0–100 (NKI)
    SCALE = "scale"  # 1–6 (Svenskt Näringsliv)
    COUNT = "count"  # whole numbers (new companies)
    YESNO = "yesno"  # 1 = ja, 0 = nej (establishment landed)


KIND_LABELS = {
    IndicatorKind.INDEX: _l("Index 0–100"),
    IndicatorKind.SCALE: _l("Betyg 1–6"),
    IndicatorKind.COUNT: _l("Antal"),
    IndicatorKind.YESNO: _l("Ja/nej"),
}
KIND_RANGES: dict[IndicatorKind, tuple[float, float]] = {
    IndicatorKind.INDEX: (0, 100),
    IndicatorKind.SCALE: (1, 6),
    IndicatorKind.COUNT: (0, 10_000_000),
    IndicatorKind.YESNO: (0, 1),
}

GROUPS = {
    "nki": _l("SKR Insikt – Nöjd Kund Index (NKI)"),
    "sn": _l("Svenskt Näringslivs mätning av företagsklimatet"),
    "other": _l("Övriga indikatorer"),
}


class Indicator(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "indicators"
    __table_args__ = (sa.Index("ix_indicators_group_position", "group", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(sa.ForeignKey("strategies.id"), index=True)
    key: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    group: Mapped[str] = mapped_column(sa.String(20), default="other", server_default="other")
    kind: Mapped[str] = mapped_column(sa.String(20))
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    is_total: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # From this year on the area is reported outside the total NKI (markupplåtelse: 2024).
    outside_total_from: Mapped[int | None]
    baseline_value: Mapped[float | None]
    baseline_year: Mapped[int | None]
    target_value: Mapped[float | None]
    target_year: Mapped[int | None]
    # 1: the yearly value itself; 2: the mean of the year and the year before (nyföretagande).
    moving_average_years: Mapped[int] = mapped_column(default=1, server_default="1")
    source: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="indicator", lazy="raise", order_by="IndicatorValue.year", cascade="all, delete-orphan"
    )

    @property
    def kind_enum(self) -> IndicatorKind:
        return IndicatorKind(self.kind)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind_enum]

    @property
    def group_label(self) -> str:
        return GROUPS.get(self.group, self.group)

    def in_total(self, year: int) -> bool | None:
        """Whether this NKI area's value of `year` counts in the total NKI (None: not an area)."""
        if self.group != "nki" or self.is_total:
            return None
        return self.outside_total_from is None or year < self.outside_total_from

    def __repr__(self) -> str:
        return f"<Indicator {self.key}>"


class IndicatorValue(TimestampMixin, VersionedMixin, db.Model):
    """One year's value of an indicator, with the national and county averages if known."""

    __tablename__ = "indicator_values"
    __table_args__ = (sa.UniqueConstraint("indicator_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    value: Mapped[float]
    national_value: Mapped[float | None]
    county_value: Mapped[float | None]
    # The lots case that landed a large establishment .
    case_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lots_cases.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    indicator: Mapped[Indicator] = relationship(back_populates="values", lazy="raise")


# --------------------------------------------------------------------------- evaluation


def moving_average(values: dict[int, float], year: int, window: int) -> float | None:
    """The mean of the `window` years ending with `year`; None unless every one has a value.

    window=1 is the value itself. The strategy's new-company target (footnote 7) is window=2:
    the value of 2023 is (v2022 + v2023) / 2.
    """
    if window < 1:
        raise ValueError("window must be at least 1")
    years = range(year - window + 1, year + 1)
    if any(y not in values for y in years):
        return None
    return sum(values[y] for y in years) / window


@dataclass(frozen=True)
class YearPoint:
    year: int
    value: float  # as entered
    effective: float | None  # what the target is compared with (moving average where set)
    is_baseline: bool = False
    in_total: bool | None = None  # NKI areas: counts in the total NKI this year
    case_id: int | None = None


@dataclass(frozen=True)
class IndicatorStatus:
    indicator: Indicator
    points: list[YearPoint]
    latest: YearPoint | None  # the newest point that has an effective value
    previous: YearPoint | None
    trend: str | None  # "up", "down", "flat" or None (fewer than two points)
    met: bool | None  # None: no value or no target yet

    @property
    def trend_label(self) -> str:
        labels = {"up": _("Förbättring"), "down": _("Försämring"), "flat": _("Oförändrat")}
        return labels.get(self.trend or "", "–")

    @property
    def trend_symbol(self) -> str:
        return {"up": "↑", "down": "↓", "flat": "→"}.get(self.trend or "", "")


def evaluate(
    indicator: Indicator, values: Sequence[IndicatorValue], *, first_year: int | None = None
) -> IndicatorStatus:
    """Target against actual with the trend, from the indicator's yearly values.

    The baseline counts as a point of its year when no value was entered for that year (so
    286 new companies in 2020 makes a moving average for 2021 possible). For yes/no the
    target is met when any year from `first_year` (the strategy's first year) up to the
    target year is "ja".
    """
    by_year = {v.year: float(v.value) for v in values}
    case_by_year = {v.year: v.case_id for v in values}
    baseline_year = indicator.baseline_year
    if indicator.baseline_value is not None and baseline_year is not None and baseline_year not in by_year:
        series = {**by_year, baseline_year: float(indicator.baseline_value)}
    else:
        series = dict(by_year)
    window = max(1, indicator.moving_average_years or 1)
    points = [
        YearPoint(
            year=year,
            value=series[year],
            effective=moving_average(series, year, window),
            is_baseline=year not in by_year,
            in_total=indicator.in_total(year),
            case_id=case_by_year.get(year),
        )
        for year in sorted(series)
    ]
    with_effective = [(p, p.effective) for p in points if p.effective is not None]
    latest, latest_value = with_effective[-1] if with_effective else (None, None)
    previous, previous_value = with_effective[-2] if len(with_effective) > 1 else (None, None)
    trend = None
    if latest_value is not None and previous_value is not None:
        diff = latest_value - previous_value
        trend = "flat" if abs(diff) < 1e-9 else ("up" if diff > 0 else "down")
    met: bool | None = None
    if indicator.kind_enum is IndicatorKind.YESNO:
        last = indicator.target_year
        landed = [
            p for p in points
            if not p.is_baseline and p.value >= 1
            and (first_year is None or p.year >= first_year) and (last is None or p.year <= last)
        ]  # fmt: skip
        met = True if landed else (False if points else None)
    elif latest_value is not None and indicator.target_value is not None:
        met = latest_value >= indicator.target_value - 1e-9
    return IndicatorStatus(indicator, points, latest, previous, trend, met)


def indicator_statuses(strategy_id: int | None = None) -> list[IndicatorStatus]:
    """Every indicator (of one strategy, or all) evaluated, in group and position order."""
    stmt = (
        sa.select(Indicator, Strategy.valid_from)
        .join(Strategy)
        .options(selectinload(Indicator.values))
        .order_by(
            sa.case({"nki": 0, "sn": 1}, value=Indicator.group, else_=2), Indicator.position, Indicator.id
        )
    )
    if strategy_id is not None:
        stmt = stmt.where(Indicator.strategy_id == strategy_id)
    return [evaluate(i, i.values, first_year=valid_from.year) for i, valid_from in db.session.execute(stmt)]


def trend_chart(status: IndicatorStatus):
    """The SVG trend of one indicator (effective values per year, target line)."""
    kind = status.indicator.kind_enum
    low, high = {IndicatorKind.SCALE: (1, 6), IndicatorKind.YESNO: (0, 1)}.get(kind, (None, None))
    return line_chart(
        [(str(p.year), p.effective) for p in status.points],
        title=_("Utveckling för %(name)s", name=status.indicator.name),
        target=status.indicator.target_value,
        low=low,
        high=high,
    )


def nki_total_areas(year: int, indicators: Iterable[Indicator]) -> list[Indicator]:
    """The NKI area indicators that count in the total NKI of `year`."""
    return [i for i in indicators if i.in_total(year)]


# --------------------------------------------------------------------------- reading


def list_indicators() -> list[Indicator]:
    return list(
        db.session.scalars(sa.select(Indicator).order_by(Indicator.group, Indicator.position, Indicator.id))
    )


def get_indicator_or_404(indicator_id: int) -> Indicator:
    indicator = db.session.scalar(
        sa.select(Indicator).options(selectinload(Indicator.values)).where(Indicator.id == indicator_id)
    )
    if indicator is None:
        raise NotFound(_("Indikatorn finns inte."))
    return indicator


# --------------------------------------------------------------------------- maintaining (admin)


@dataclass(frozen=True)
class IndicatorInput:
    strategy_id: int
    key: str
    name: str
    group: str
    kind: str
    baseline_value: float | None = None
    baseline_year: int | None = None
    target_value: float | None = None
    target_year: int | None = None
    moving_average_years: int = 1
    outside_total_from: int | None = None
    is_total: bool = False
    source: str = ""
    description: str = ""


@dataclass(frozen=True)
class IndicatorValueInput:
    year: int
    value: float
    national_value: float | None = None
    county_value: float | None = None
    case_id: int | None = None
    note: str = ""


def _check_value(kind: IndicatorKind, value: float | None, field: str) -> None:
    if value is None:
        return
    low, high = KIND_RANGES[kind]
    if not low <= value <= high:
        raise ValidationError(
            _("Värdet måste ligga mellan %(low)s och %(high)s.", low=f"{low:g}", high=f"{high:g}"),
            field=field,
        )
    if kind in (IndicatorKind.COUNT, IndicatorKind.YESNO) and value != int(value):
        raise ValidationError(_("Värdet måste vara ett heltal."), field=field)


def _check_year(year: int | None, field: str) -> None:
    if year is not None and not 1990 <= year <= 2100:
        raise ValidationError(_("Ange ett årtal mellan 1990 och 2100."), field=field)


def _validate_indicator(data: IndicatorInput, existing: Indicator | None) -> IndicatorKind:
    if not data.name.strip():
        raise ValidationError(_("Ange ett namn."), field="name")
    if not data.key.strip():
        raise ValidationError(_("Ange en kod (används i exporter)."), field="key")
    if data.group not in GROUPS:
        raise ValidationError(_("Välj en grupp."), field="group")
    try:
        kind = IndicatorKind(data.kind)
    except ValueError:
        raise ValidationError(_("Välj en typ av värde."), field="kind") from None
    if data.moving_average_years not in (1, 2, 3):
        raise ValidationError(_("Glidande medelvärde kan vara 1–3 år."), field="moving_average_years")
    _check_value(kind, data.baseline_value, "baseline_value")
    _check_value(kind, data.target_value, "target_value")
    for name in ("baseline_year", "target_year", "outside_total_from"):
        _check_year(getattr(data, name), name)
    clash = db.session.scalar(sa.select(Indicator).where(Indicator.key == data.key.strip()))
    if clash is not None and clash is not existing:
        raise Conflict(_("Det finns redan en indikator med den koden."), field="key")
    return kind


def _apply(indicator: Indicator, data: IndicatorInput) -> None:
    indicator.strategy_id = data.strategy_id
    indicator.key = data.key.strip()
    indicator.name = data.name.strip()
    indicator.group = data.group
    indicator.kind = data.kind
    indicator.baseline_value = data.baseline_value
    indicator.baseline_year = data.baseline_year
    indicator.target_value = data.target_value
    indicator.target_year = data.target_year
    indicator.moving_average_years = data.moving_average_years
    indicator.outside_total_from = data.outside_total_from
    indicator.is_total = data.is_total
    indicator.source = data.source.strip()
    indicator.description = data.description.strip()


def create_indicator(data: IndicatorInput, *, actor: User) -> Indicator:
    """Add an indicator (admin), last in its group."""
    require(actor, Perm.MANAGE_CATALOGUES)
    _validate_indicator(data, None)
    last = db.session.scalar(sa.select(sa.func.max(Indicator.position)).where(Indicator.group == data.group))
    indicator = Indicator(position=(last or 0) + 1)
    _apply(indicator, data)
    db.session.add(indicator)
    audit.record_create(actor, indicator, summary=f"Indikator {indicator.name} skapad")
    return indicator


def update_indicator(
    indicator: Indicator, data: IndicatorInput, *, actor: User, expected_version: int | None = None
) -> Indicator:
    """Change an indicator's name, baseline, target or rules (admin)."""
    require(actor, Perm.MANAGE_CATALOGUES)
    check_version(indicator, expected_version)
    _validate_indicator(data, indicator)
    _apply(indicator, data)
    audit.record_update(actor, indicator)
    db.session.flush()
    return indicator


def _case_exists(case_id: int) -> bool:
    table = db.metadata.tables.get("lots_cases")
    if table is None:  # the cases feature is not installed: keep the number as given
        return True
    return db.session.scalar(sa.select(table.c.id).where(table.c.id == case_id)) is not None


def set_indicator_value(indicator: Indicator, data: IndicatorValueInput, *, actor: User) -> IndicatorValue:
    """Enter or replace the value of one year (admin). One value per indicator and year."""
    require(actor, Perm.MANAGE_CATALOGUES)
    _check_year(data.year, "year")
    _check_value(indicator.kind_enum, data.value, "value")
    if data.case_id is not None and not _case_exists(data.case_id):
        raise ValidationError(
            _("Det finns inget lotsärende med nummer %(number)s.", number=data.case_id), field="case_id"
        )
    existing = db.session.scalar(
        sa.select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator.id, IndicatorValue.year == data.year
        )
    )
    row = existing or IndicatorValue(indicator_id=indicator.id, year=data.year)
    row.value = data.value
    row.national_value = data.national_value
    row.county_value = data.county_value
    row.case_id = data.case_id
    row.note = data.note.strip()
    if existing is None:
        db.session.add(row)
        audit.record_create(actor, row, summary=f"{indicator.name} {data.year}: {data.value:g}")
    else:
        audit.record_update(actor, row, summary=f"{indicator.name} {data.year}: {data.value:g}")
        db.session.flush()
    return row


def delete_indicator_value(indicator: Indicator, year: int, *, actor: User) -> None:
    """Remove the value of one year (admin)."""
    require(actor, Perm.MANAGE_CATALOGUES)
    row = db.session.scalar(
        sa.select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator.id, IndicatorValue.year == year
        )
    )
    if row is None:
        raise NotFound(_("%(name)s har inget värde för %(year)s.", name=indicator.name, year=year))
    audit.record_delete(actor, row, summary=f"{indicator.name} {year} borttaget")
    db.session.delete(row)
    db.session.flush()
