"""Report and strategy screens through the test client: filters, drill-down lists that hold
exactly the counted records, exports, indicator and handlingsplan forms."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.core.spreadsheet import read_table
from app.plan.action_plan import ActionPlanActivity
from app.plan.indicators import Indicator
from tests.pages import rendered, served

MARCH = "period=month&month=2025-03"


def test_dashboard_filters_and_per_user_only_for_chef(dataset, login_as):
    chef = login_as("chef")
    page = chef.get(f"/rapporter?{MARCH}").get_data(as_text=True)
    assert "Rapporter: mars 2025" in page
    assert "Per medarbetare" in page
    assert 'data-figure="cases.new"' in page
    lots_page = rendered(login_as("lots").get(f"/rapporter?{MARCH}"), heading="Rapporter: mars 2025")
    assert "Per medarbetare" not in lots_page
    year = chef.get("/rapporter?period=year&year=2025").get_data(as_text=True)
    assert "Rapporter: 2025" in year
    focus = chef.get(f"/rapporter?{MARCH}&focus={dataset.fa2.id}").get_data(as_text=True)
    assert f'<option value="{dataset.fa2.id}" selected>' in focus
    bad = chef.get("/rapporter?period=custom&from=2025-03-10&to=2025-03-01")
    assert bad.status_code == 200
    assert "Slutdatum" in bad.get_data(as_text=True)
    # Admin sees the figures but no links to contacts or cases it may not read.
    admin_page = rendered(login_as("admin").get(f"/rapporter?{MARCH}"), heading="Rapporter: mars 2025")
    assert 'data-figure="cases.new"' not in admin_page
    assert "Strategins indikatorer" in admin_page


def _rows(html: str) -> int:
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return body.count("<tr>") - body.count('class="empty"')


def test_drill_down_lists_hold_exactly_the_counted_records(dataset, login_as):
    chef = login_as("chef")
    expected = {"cases.new": 2, "cases.closed": 2, "cases.open": 3, "cases.over90": 1, "cases.large_new": 1,
                "permits.passed": 1, "followups.on_time": 1, "followups.late": 1, "followups.overdue": 2,
                "visits.done": 2, "visits.ledning": 1, "referrals.total": 2, "survey.answers": 5}  # fmt: skip
    for key, n in expected.items():
        page = chef.get(f"/rapporter/underlag?figure={key}&{MARCH}")
        assert page.status_code == 200, key
        assert _rows(page.get_data(as_text=True)) == n, key
    focus = chef.get(f"/rapporter/underlag?figure=cases.closed&{MARCH}&focus={dataset.fa2.id}").get_data(
        as_text=True
    )
    assert _rows(focus) == 1
    restricted = rendered(
        chef.get(f"/rapporter/underlag?figure=cases.over90&{MARCH}"),
        heading="Lotsärenden öppna längre än 90 dagar",
    )
    assert "Hemligt ärende" not in restricted
    assert "Lotsärende med begränsad åtkomst" in restricted
    # A passed deadline is content of its case: the restricted case's row is left out for the
    # chef (the figure still counts it); a företagslots sees both, and the read is logged.
    lots = login_as("lots").get(f"/rapporter/underlag?figure=permits.passed&{MARCH}").get_data(as_text=True)
    assert _rows(lots) == 2
    assert "Hemligt ärende" in lots
    assert chef.get("/rapporter/underlag?figure=nonsense").status_code == 404
    assert login_as("admin").get(f"/rapporter/underlag?figure=cases.new&{MARCH}").status_code == 403


def test_export_csv_and_xlsx(dataset, login_as):
    chef = login_as("chef")
    csv = chef.get(f"/rapporter/export.csv?{MARCH}")
    text = served(csv, mimetype="text/csv", marker="Avsnitt;Nyckeltal;Värde")
    table = read_table(csv.data, "r.csv")
    rows = {(r[0], r[1]): r for r in table.rows}
    assert rows[("Nyckeltal", "Kontakter")][2:4] == ["3", "1"]
    assert rows[("Lotsärenden", "Dagar till avslut, median")][2] == "48,5"
    assert any(r[0].startswith("Användare:") for r in table.rows)  # chef's export has per-user rows
    xlsx = chef.get(f"/rapporter/export.xlsx?{MARCH}")
    table = read_table(xlsx.data, "r.xlsx")
    assert table.headers[:3] == ["Avsnitt", "Nyckeltal", "Värde"]
    assert ["Nyckeltal", "Kontakter", "3", "1", "2"] in table.rows
    assert "HEMLIG" not in text


def test_indicator_screens(db, login_as):
    admin = login_as("admin")
    indicator = db.session.scalar(sa.select(Indicator).where(Indicator.key == "nya_foretag"))
    page = admin.get(f"/strategi/indikatorer/{indicator.id}")
    assert page.status_code == 200
    assert "Årsvärden" in page.get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True))
    data = {"year": "2021", "value": "320", **({"csrf_token": token.group(1)} if token else {})}
    saved = admin.post(f"/strategi/indikatorer/{indicator.id}/varden", data=data)
    assert saved.status_code == 302
    overview = login_as("chef").get("/strategi/indikatorer").get_data(as_text=True)
    assert "Nya företag per år" in overview
    assert "303" in overview
    assert "<svg" in overview
    bad = admin.post(f"/strategi/indikatorer/{indicator.id}/varden", data={"year": "2022", "value": "1.5"})
    assert bad.status_code == 400
    assert "heltal" in bad.get_data(as_text=True)


def test_action_plan_screens(db, dataset, login_as):
    lots = login_as("lots")
    created = lots.post("/strategi/handlingsplan/ny", data={
        "focus_area_id": dataset.fa1.id, "title": "Företagsfrukost", "responsible_kind": "function",
        "responsible_name": "Näringslivskontoret", "status": "ongoing", "due_on": "2025-06-30",
    })  # fmt: skip
    assert created.status_code == 302
    activity = db.session.scalar(sa.select(ActionPlanActivity))
    linked = lots.post(f"/strategi/handlingsplan/{activity.id}/kopplingar",
                       data={"kind": "case", "record_id": dataset.rec.c1.id})  # fmt: skip
    assert linked.status_code == 302
    detail = login_as("chef").get(f"/strategi/handlingsplan/{activity.id}").get_data(as_text=True)
    assert "Företagsfrukost" in detail
    assert f"Lotsärende {dataset.rec.c1.id}" in detail
    listing = login_as("chef").get(f"/strategi/handlingsplan?focus={dataset.fa1.id}").get_data(as_text=True)
    assert "Företagsfrukost" in listing
    assert "Pågår" in listing
    dashboard = login_as("chef").get(f"/rapporter?{MARCH}").get_data(as_text=True)
    assert f"/strategi/handlingsplan?focus={dataset.fa1.id}" in dashboard


def test_settings_show_the_chef_default(users, login_as):
    page = login_as("chef").get("/mina-installningar").get_data(as_text=True)
    box = re.search(r'<input[^>]*id="monthly_summary_enabled"[^>]*>', page).group(0)
    assert "checked" in box
    lots_page = rendered(login_as("lots").get("/mina-installningar"), heading="Mina inställningar")
    lots_box = re.search(r'<input[^>]*id="monthly_summary_enabled"[^>]*>', lots_page).group(0)
    assert "checked" not in lots_box


def test_drill_links_are_the_links_url_for_builds(app, dataset, users):
    """The dashboard's per-page link builder (DrillLinks: the path looked up once per endpoint,
    the query string built beside it) gives every figure the same href as url_for, or none
    where the viewer lacks the permission – for the chef's per-user table too."""
    from flask_login import login_user

    from app.reports.figures import Scope, build_report
    from app.reports.periods import parse_month
    from app.reports.views import DrillLinks, drill_url
    from tests.reports.dataset import NOW

    report = build_report(Scope(parse_month("2025-03")), now=NOW, per_user=True, user_page=1)
    figures = [f for _section, figs in report.sections() for f in figs]
    figures += [getattr(row, col) for row in report.focus_rows for col in ("contacts", "companies", "cases_new", "cases_closed", "visits")]  # fmt: skip
    figures += [f for row in report.user_rows for f in row.figures.values()]
    assert len(figures) > 40
    for role, linked in (("chef", True), ("admin", False)):
        with app.test_request_context("/rapporter"):
            login_user(users[role])
            links = DrillLinks(users[role])
            hrefs = [links(f.drill) for f in figures]
            assert hrefs == [drill_url(f.drill) for f in figures]
        if linked:
            assert all(hrefs)
            assert any("figure=" in h for h in hrefs)
            assert any(h.startswith("/kontakter") for h in hrefs)
        else:
            assert not any(h and h.startswith("/kontakter") for h in hrefs)
