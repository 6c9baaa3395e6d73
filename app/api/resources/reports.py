"""/api/v1/reports/figures: the report figures of a period (app.reports.figures.build_report,
the same numbers as the dashboard, its export and the monthly summary)."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import fields, validate

from app.api.auth import requires
from app.api.fields import Day, Id, Int, Moment, Nested, NestedList, OneOf, Schema, Str
from app.api.problems import Problem
from app.api.spec import Blueprint, problems
from app.core.permissions import Perm
from app.core.time import local_today
from app.reports.figures import Scope, build_report
from app.reports.periods import (
    CUSTOM,
    MONTH,
    QUARTER,
    YEAR,
    Period,
    custom_period,
    month_period,
    previous_month,
    quarter_period,
    year_period,
)

blp = Blueprint("api_reports", __name__, url_prefix="/api/v1", description="Rapporter: nyckeltal per period.")


class FigureArgs(Schema):
    period = OneOf(
        [MONTH, QUARTER, YEAR, CUSTOM],
        load_default=MONTH,
        metadata={"description": "month, quarter, year eller custom (from–to)."},
    )
    month = Str(
        validate=[
            validate.Regexp(r"^(19|2[0-1])[0-9]{2}-(0[1-9]|1[0-2])$", error="Ange månaden som ÅÅÅÅ-MM.")
        ],
        metadata={
            "description": "Månaden (ÅÅÅÅ-MM) för period=month; standard förra månaden.",
            "example": "2026-03",
        },
    )
    year = Int(
        minimum=1900, maximum=2199, query=True, metadata={"description": "År för period=quarter eller year."}
    )
    quarter = Int(
        minimum=1, maximum=4, query=True, metadata={"description": "Kvartal 1–4 för period=quarter."}
    )
    from_ = Day(data_key="from", metadata={"description": "Första dagen för period=custom."})
    to = Day(metadata={"description": "Sista dagen för period=custom (högst tre år)."})
    focus_area_id = Id(query=True, metadata={"description": "Bara ett fokusområde."})


class FigureSchema(Schema):
    key = Str(
        metadata={
            "description": "Nyckeltalets stabila nyckel, t.ex. contacts.total.",
            "example": "contacts.total",
        }
    )
    label = Str(metadata={"description": "Namn på svenska.", "example": "Kontakter"})
    value = fields.Float(
        allow_none=True, metadata={"description": "Värdet för perioden (null när det inte kan visas)."}
    )
    previous = fields.Float(allow_none=True, metadata={"description": "Samma period året innan."})
    change = fields.Float(allow_none=True, metadata={"description": "Förändring mot året innan."})
    unit = Str(metadata={"description": "Enhet, t.ex. dagar."})
    note = Str(metadata={"description": "Förklaring, t.ex. varför ett värde saknas."})


class SectionSchema(Schema):
    title = Str(metadata={"description": "Avsnitt, t.ex. Lotsärenden."})
    figures = NestedList(Nested(FigureSchema), metadata={"description": "Nyckeltalen."})


class PeriodSchema(Schema):
    kind = Str(metadata={"description": "month, quarter, year eller custom."})
    label = Str(metadata={"description": "Perioden i klartext.", "example": "mars 2026"})
    first_day = Day(metadata={"description": "Första dagen."})
    last_day = Day(metadata={"description": "Sista dagen."})


class ReportSchema(Schema):
    period = Nested(PeriodSchema, metadata={"description": "Perioden (dagar i svensk tid)."})
    previous_period = Nested(PeriodSchema, metadata={"description": "Jämförelseperioden året innan."})
    focus_area_id = Int(allow_none=True, metadata={"description": "Fokusområdet, om rapporten gäller ett."})
    generated_at = Moment(metadata={"description": "När siffrorna togs fram (UTC)."})
    sections = NestedList(Nested(SectionSchema), metadata={"description": "Nyckeltalen per avsnitt."})


def _period(args: dict[str, Any]) -> Period:
    kind = args.get("period", MONTH)
    today = local_today()
    if kind == MONTH:
        if "month" not in args:
            return previous_month()
        year, month = (int(x) for x in args["month"].split("-"))
        return month_period(date(year, month, 1))
    if kind == QUARTER:
        return quarter_period(args.get("year", today.year), args.get("quarter", (today.month - 1) // 3 + 1))
    if kind == YEAR:
        return year_period(args.get("year", today.year))
    if "from_" not in args or "to" not in args:
        raise Problem(
            422,
            "Ange from och to för en valfri period.",
            errors=[
                {"field": "from" if "from_" not in args else "to", "in": "query", "message": "Fältet krävs."}
            ],
        )
    return custom_period(args["from_"], args["to"])


def _period_body(period: Period) -> dict[str, Any]:
    return {
        "kind": period.kind,
        "label": period.label,
        "first_day": period.start,
        "last_day": period.last_day,
    }


@blp.route("/reports/figures", methods=["GET"])
@requires(Perm.VIEW_REPORTS)
@blp.arguments(FigureArgs, location="query")
@blp.response(200, ReportSchema)
@problems(blp, 403, 422)
def figures(args: dict[str, Any]):
    """Nyckeltal för en period jämförda med samma period året innan – samma siffror som
    rapportsidan, dess export och månadssammanfattningen."""
    report = build_report(Scope(_period(args), focus_area_id=args.get("focus_area_id")))
    return {
        "period": _period_body(report.scope.period),
        "previous_period": _period_body(report.previous_scope.period),
        "focus_area_id": report.scope.focus_area_id,
        "generated_at": report.generated_at,
        "sections": [
            {"title": title, "figures": [
                {"key": f.key, "label": f.label, "value": f.value, "previous": f.previous, "change": f.change,
                 "unit": f.unit, "note": f.note} for f in figs]}
            for title, figs in report.sections()
        ],
    }  # fmt: skip
