"""Report screens (blueprint "reports", /rapporter): the dashboard, the drill-down lists, the
CSV/XLSX export and the monthly summary preview. All numbers come from app.reports.figures."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from werkzeug.datastructures import iter_multi_items
from werkzeug.routing import BuildError

from app.auth.decorators import permission_required
from app.core.charts import bar_chart, bar_width
from app.core.downloads import spreadsheet_response
from app.core.errors import ValidationError
from app.core.permissions import Perm, Role, can
from app.core.time import local_today, utcnow
from app.core.web import page_arg
from app.reports import drilldown
from app.reports.figures import Drill, Figure, Scope, build_report, export_headers, export_rows, notable_for
from app.reports.focus_sections import focus_overview
from app.reports.periods import KINDS, MONTH_NAMES, Period, parse_month, period_from_args, previous_month
from app.reports.summary import render_summary
from app.strategy.queries import list_focus_areas

bp = Blueprint("reports", __name__, url_prefix="/rapporter")


def sees_per_user(user: Any) -> bool:
    """Per-user figures are for the manager (chef)."""
    return getattr(user, "role", None) == Role.CHEF.value


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def _period_args() -> dict[str, str]:
    """The period's query parameters. The dashboard's form names the quarter's year
    "quarter_year": without JavaScript it sends every kind's inputs, and the year kind has its
    own "year"; the kind chosen decides which count. A bookmarked ?period=quarter&year=…
    (the form's older name, and `Period.to_args`) still works."""
    args = request.args.to_dict()
    if args.get("period") == "quarter" and args.get("quarter_year"):
        args["year"] = args["quarter_year"]
    return args


def _scope() -> tuple[Scope, str | None]:
    """The scope of the query string, and an error message if the period could not be used."""
    error = None
    try:
        period = period_from_args(_period_args())
    except ValidationError as exc:
        period, error = previous_month(), exc.message
    user_id = _int_arg("user") if sees_per_user(current_user) else None
    return Scope(period, _int_arg("focus"), user_id), error


def drill_url(drill: Drill | None) -> str | None:
    """The drill-down link of a figure, if the viewer may see those records and the list exists."""
    if drill is None or not can(current_user, drill.perm) or drill.endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(drill.endpoint, **drill.args)
    except BuildError:
        return None


# werkzeug.routing.Rule's query string: the same characters left unquoted (werkzeug.urls._urlencode).
_QUERY_SAFE = "!$'()*,/:;?@"


class DrillLinks:
    """`drill_url` for the many figures of one page: the permission and each endpoint's path are
    looked up once, and a figure's link is that path with its query string – the same text
    `url_for` builds (tests/reports/test_views.py compares every figure's), without the route
    lookup per cell (a chef's year dashboard has ~250 linked figures). An endpoint whose rule
    takes arguments or has URL defaults goes through `url_for`."""

    def __init__(self, user: Any) -> None:
        self._user = user
        self._allowed: dict[Perm, bool] = {}
        self._paths: dict[str, str | None] = {}
        self._pairs: dict[tuple[str, Any], str] = {}

    def _path(self, endpoint: str) -> str | None:
        if endpoint not in self._paths:
            rules = current_app.url_map._rules_by_endpoint.get(endpoint, [])
            plain = (
                len(rules) == 1
                and not rules[0].arguments
                and not rules[0].defaults
                and not current_app.url_default_functions
            )
            self._paths[endpoint] = url_for(endpoint) if plain else None
        return self._paths[endpoint]

    def __call__(self, drill: Drill | None) -> str | None:
        if drill is None:
            return None
        allowed = self._allowed.get(drill.perm)
        if allowed is None:
            allowed = self._allowed[drill.perm] = can(self._user, drill.perm)
        if not allowed or drill.endpoint not in current_app.view_functions:
            return None
        path = self._path(drill.endpoint)
        if path is None:
            return drill_url(drill)
        query = "&".join(self._pair(k, v) for k, v in iter_multi_items(drill.args) if v is not None)
        return f"{path}?{query}" if query else path

    def _pair(self, key: str, value: Any) -> str:
        """`key=value` as urllib's urlencode (werkzeug's query string) writes it; the figures
        of a page share most pairs (the period), so each is quoted once."""
        pair = self._pairs.get((key, value))
        if pair is None:
            pair = self._pairs[(key, value)] = urlencode([(key, value)], safe=_QUERY_SAFE)
        return pair

    def num(self, fig: Figure, hidden: str) -> Markup:
        """A figure as a number linked to the records behind it (reports/_macros.html `num`)."""
        url = self(fig.drill)
        text = escape(fmt(fig.value))
        if url:
            text = (
                f'<a href="{escape(url)}" class="drill" data-figure="{escape(fig.key)}">{text}'
                f'<span class="visually-hidden"> – {escape(hidden)}</span></a>'
            )
        if fig.unit and fig.value is not None:
            text = f"{text} {escape(fig.unit)}"
        return Markup(text)  # noqa: S704 - every text and attribute above is escaped


def fmt(value: Any) -> str:
    """A figure as Swedish text: 1 234, 12,5 or – for no value."""
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}".replace(".", ",")
    return f"{int(value):,}".replace(",", "\u00a0")


def fmt_change(fig: Figure) -> str:
    change = fig.change
    if change is None:
        return "–"
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    return f"{sign}{fmt(abs(change))}"


@bp.app_template_global()
def report_helpers() -> dict[str, Any]:
    links = DrillLinks(current_user)
    hidden = _("visa underlaget")
    return {
        "num": lambda fig: links.num(fig, hidden),
        "fmt": fmt,
        "fmt_change": fmt_change,
        "bar_width": bar_width,
    }


@bp.route("")
@permission_required(Perm.VIEW_REPORTS)
def dashboard():
    scope, error = _scope()
    report = build_report(scope, per_user=sees_per_user(current_user), user_page=page_arg())
    today = local_today()
    return render_template(
        "reports/dashboard.html",
        report=report,
        notable=notable_for(report, current_user),
        scope=scope,
        error=error,
        kinds=KINDS,
        month_names=MONTH_NAMES,
        years=_years(scope.period.start.year, today.year),
        areas=list_focus_areas(),
        kind_chart=bar_chart(
            [(str(f.label), f.value or 0) for f in report.contacts_by_kind[1:]], title=_("Kontakter per typ")
        ),
        overview=focus_overview(report),
        can_manage=can(current_user, Perm.MANAGE_CATALOGUES),
        export_args=scope.args(),
        h=report_helpers(),
    )


def _years(shown: int, this_year: int) -> list[int]:
    """The years offered: this one and seven back, and the shown one (a bookmarked older year)."""
    years = set(range(this_year, this_year - 8, -1)) | {shown}
    return sorted(years, reverse=True)


@bp.route("/underlag")
@permission_required(Perm.VIEW_REPORTS)
def records():
    key = request.args.get("figure", "")
    found = drilldown.spec_for(key)
    if found is None:
        abort(404)
    spec, _arg = found
    if not can(current_user, spec.perm):
        abort(403)
    scope, _error = _scope()
    result = drilldown.record_list(
        key,
        scope,
        viewer=current_user,
        page=page_arg(),
        per_page=current_app.config.get("LOTSBOK_PAGE_SIZE", 25),
        now=utcnow(),
    )
    if result is None:
        abort(404)
    focus = next((a for a in list_focus_areas() if a.id == scope.focus_area_id), None)
    return render_template("reports/records.html", result=result, scope=scope, focus=focus, figure=key)


@bp.route("/export.<any(csv, xlsx):fmt>")
@permission_required(Perm.VIEW_REPORTS)
def export(fmt: str):
    scope, _error = _scope()
    report = build_report(scope, per_user=sees_per_user(current_user))
    name = f"lotsbok-rapport-{scope.period.start.isoformat()}-{scope.period.last_day.isoformat()}"
    return spreadsheet_response(
        fmt, export_headers(), export_rows(report), name=name, sheet_title=_("Rapport")
    )


def _preview_period() -> Period:
    try:
        return parse_month(request.args.get("month", ""))
    except ValidationError:
        return previous_month()


@bp.route("/manadssammanfattning")
@permission_required(Perm.VIEW_REPORTS)
def summary_preview():
    period = _preview_period()
    mail = render_summary(build_report(Scope(period)), current_user)
    return render_template("reports/summary_preview.html", mail=mail, period=period)


@bp.route("/manadssammanfattning.html")
@permission_required(Perm.VIEW_REPORTS)
def summary_preview_html():
    period = _preview_period()
    mail = render_summary(build_report(Scope(period)), current_user)
    return Response(mail.html or "", mimetype="text/html")
