"""The dashboard per focus area (issue 15 §6) through the test client: one section per focus
area with its activity, its handlingsplan activities and its linked indicators; the empty
state; the company figures' drill-down to companies under the restriction rule; the period
control's four kinds (and bookmarked URLs); a constant number of SQL statements."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from app.extensions import db as _db
from app.plan.action_plan import ActionPlanActivity, ActivityStatus
from app.plan.indicator_areas import link_indicator
from app.plan.indicators import Indicator, IndicatorValue
from app.strategy.models import FocusArea
from tests.builders.strategy import focus_areas
from tests.clock import utc
from tests.pages import rendered

MARCH = "period=month&month=2025-03"


def _section(page: str, area_id: int) -> str:
    match = re.search(
        rf'<section class="focus-section"[^>]*data-focus-area="{area_id}">(.*?)</section>', page, re.S
    )
    assert match, f"no section for focus area {area_id}"
    return match.group(1)


def _figure(html: str, key: str) -> str:
    match = re.search(rf'<a href="([^"]*)" class="drill" data-figure="{re.escape(key)}">([^<]*)<', html)
    assert match, f"no drill-down link for {key}"
    return match.group(2)


def _drill_href(html: str, key: str) -> str:
    match = re.search(rf'<a href="([^"]*)" class="drill" data-figure="{re.escape(key)}">', html)
    assert match, key
    return match.group(1).replace("&amp;", "&")


def _activity(db, area, title, status) -> ActionPlanActivity:
    activity = ActionPlanActivity(
        focus_area_id=area.id, title=title, responsible_name="Näringslivskontoret", status=status,
        due_on=date(2025, 6, 30),
    )  # fmt: skip
    db.session.add(activity)
    db.session.flush()
    return activity


def _indicator(db, key: str) -> Indicator:
    return db.session.scalar(sa.select(Indicator).where(Indicator.key == key))


def test_a_section_per_focus_area_with_its_activity_plan_and_indicators(db, dataset, login_as):
    fa1, fa2 = dataset.fa1, dataset.fa2
    ongoing = _activity(db, fa1, "Praktikplatsbank med skolorna", ActivityStatus.ONGOING)
    _activity(db, fa1, "Mässa för sommarjobb", ActivityStatus.DONE)
    other = _activity(db, fa2, "Trygghetsvandring", ActivityStatus.PLANNED)
    kompetens = _indicator(db, "sn_kompetens")  # linked to fa1 by migration 0025
    db.session.add(IndicatorValue(indicator_id=kompetens.id, year=2024, value=3.2))
    db.session.commit()

    page = rendered(login_as("chef").get(f"/rapporter?{MARCH}"), heading="Rapporter: mars 2025")
    one = _section(page, fa1.id)
    assert fa1.name in one
    # Activity: contacts 3 (the restricted contact i2 counts under its additional area fa1),
    # companies 2, new cases 2, closed 1, visits 1.
    assert _figure(one, f"contacts.focus:{fa1.id}") == "3"
    assert _figure(one, f"contacts.companies_focus:{fa1.id}") == "2"
    assert _figure(one, f"cases.new_focus:{fa1.id}") == "2"
    assert _figure(one, f"cases.closed_focus:{fa1.id}") == "1"
    # Handlingsplan: status counts and each activity linked to its page with its status.
    assert "Pågår: 1" in one
    assert "Klar: 1" in one
    assert f'href="/strategi/handlingsplan/{ongoing.id}">Praktikplatsbank med skolorna</a> – Pågår' in one
    assert "Trygghetsvandring" not in one
    assert f"/strategi/handlingsplan?focus={fa1.id}" in one
    # Indicators linked to the area: latest value against the target.
    assert "Tillgång till kompetens" in one
    assert re.search(
        r"Tillgång till kompetens</th>\s*<td class=\"num\">3,2 \(2024\)</td>\s*<td class=\"num\">3 \(2025\)",
        one,
    )
    assert "Uppnått" in one
    assert "Tillgång till kompetens" not in _section(page, fa2.id)

    two = _section(page, fa2.id)
    assert _figure(two, f"contacts.focus:{fa2.id}") == "1"
    assert f'href="/strategi/handlingsplan/{other.id}">Trygghetsvandring</a> – Planerad' in two
    assert "Påverkas ditt företag negativt av brottslighet" in two
    # The per-focus-area table the sections replace is gone.
    assert "Kontakter, företag, lotsärenden och besök per fokusområde" not in page


def test_a_focus_area_without_data_shows_an_empty_state(db, dataset, login_as):
    empty = focus_areas()[2]
    _db.session.execute(
        sa.text("DELETE FROM indicator_focus_areas WHERE focus_area_id = :id"), {"id": empty.id}
    )
    db.session.commit()
    page = rendered(login_as("chef").get(f"/rapporter?{MARCH}"), heading="Rapporter: mars 2025")
    section = _section(page, empty.id)
    assert "data-empty" in section
    assert "Inga kontakter, lotsärenden, besök, aktiviteter i handlingsplanen eller indikatorer" in section
    assert 'class="grid"' not in section
    # An area with data has no empty state.
    assert "data-empty" not in _section(page, dataset.fa1.id)
    # One part empty: the activity and plan of an area with only an indicator say so.
    link_indicator(_indicator(db, "nya_foretag").id, empty.id)
    db.session.commit()
    part = _section(login_as("chef").get(f"/rapporter?{MARCH}").get_data(as_text=True), empty.id)
    assert "Inga kontakter, lotsärenden eller besök under perioden" in part
    assert "Inga aktiviteter i handlingsplanen för fokusområdet." in part
    assert "Nya företag per år" in part


def test_a_retired_focus_area_with_data_in_the_period_still_shows(db, dataset, login_as):
    area = db.session.get(FocusArea, dataset.fa2.id)
    area.retired_at = utc(2025, 1, 1)
    db.session.commit()
    page = rendered(login_as("chef").get(f"/rapporter?{MARCH}"), heading="Rapporter: mars 2025")
    section = _section(page, area.id)
    assert "avslutat" in section
    assert _figure(section, f"contacts.focus:{area.id}") == "1"


def _company_rows(html: str) -> list[list[str]]:
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    cells = [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows
    ]
    return [c for c in cells if c and "Inga poster" not in c[0]]


def test_company_figures_drill_down_to_companies(app, dataset, login_as):
    lots = login_as("lots")
    page = lots.get(f"/rapporter?{MARCH}").get_data(as_text=True)
    href = _drill_href(page, "contacts.companies")
    assert href.startswith("/rapporter/underlag?figure=companies.reached")
    listing = rendered(lots.get(href), heading="Företag som fått kontakt")
    # Alfa AB: i1 and i3; Beta AB: the restricted i2 (lots may read it). Most contacted first.
    assert _company_rows(listing) == [["Alfa AB", "2", "2025-03-31"], ["Beta AB", "1", "2025-03-15"]]
    assert 'href="/foretag/' in listing
    # Per focus area: fa2 reached only Beta AB.
    fa2_href = _drill_href(_section(page, dataset.fa2.id), f"contacts.companies_focus:{dataset.fa2.id}")
    assert f"focus={dataset.fa2.id}" in fa2_href
    assert [r[0] for r in _company_rows(lots.get(fa2_href).get_data(as_text=True))] == ["Beta AB"]
    # Paginated.
    app.config["LOTSBOK_PAGE_SIZE"] = 1
    first = lots.get(href).get_data(as_text=True)
    assert [r[0] for r in _company_rows(first)] == ["Alfa AB"]
    assert 'rel="next"' in first
    assert [r[0] for r in _company_rows(lots.get(href + "&page=2").get_data(as_text=True))] == ["Beta AB"]


def test_company_drill_down_hides_what_the_viewer_may_not_read(dataset, login_as):
    chef = login_as("chef")
    page = chef.get(f"/rapporter?{MARCH}").get_data(as_text=True)
    assert _figure(page, "contacts.companies") == "2"  # the figure counts every contact
    listing = rendered(chef.get(_drill_href(page, "contacts.companies")), heading="Företag som fått kontakt")
    # Beta AB was reached only through the restricted contact i2, which the chef may not read.
    assert [r[0] for r in _company_rows(listing)] == ["Alfa AB"]
    assert "Beta AB" not in listing
    assert "Kontakter med begränsad åtkomst som du inte får läsa räknas inte här" in listing
    # The author of i2 (lots2) may read it.
    own = login_as(dataset.lots2).get(f"/rapporter/underlag?figure=companies.reached&{MARCH}")
    assert "Beta AB" in own.get_data(as_text=True)


def _kinds(page: str) -> dict[str, tuple[bool, bool]]:
    """{kind: (hidden, inputs disabled)} of the period control's groups."""
    out = {}
    for kind, attrs, body in re.findall(
        r'<div data-period-kind="(\w+)"([^>]*)>(.*?)</div>\s*</div>', page, re.S
    ):
        out[kind] = ("hidden" in attrs, " disabled" in body)
    return out


def test_the_period_control_gives_the_right_period_for_each_kind(dataset, login_as):
    chef = login_as("chef")
    cases = {
        MARCH: ("Rapporter: mars 2025", "month"),
        "period=quarter&year=2025&quarter=1": ("Rapporter: kvartal 1 2025", "quarter"),
        "period=year&year=2025": ("Rapporter: 2025", "year"),
        "period=custom&from=2025-03-10&to=2025-03-20": ("Rapporter: 2025-03-10 – 2025-03-20", "custom"),
        # A bookmark from the old form, which sent every input: the kind decides.
        "period=quarter&month=2025-03&quarter=2&year=2025&from=2025-03-01&to=2025-03-31": (
            "Rapporter: kvartal 2 2025",
            "quarter",
        ),
    }
    for query, (heading, kind) in cases.items():
        page = rendered(chef.get(f"/rapporter?{query}"), heading=heading)
        groups = _kinds(page)
        assert set(groups) == {"month", "quarter", "year", "custom"}, query
        # Every kind's inputs are shown and submitted in the HTML (without JavaScript the kind
        # decides which count: tests/reports/test_period_control.py); reports.js hides and
        # disables the other kinds' (tests/browser/test_dashboard.py).
        assert all(groups[k] == (False, False) for k in groups), query
        assert f'<option value="{kind}" selected>' in page, query  # the kind shown
    # The quarter's inputs carry the shown quarter; an old year from a bookmark is offered.
    old = chef.get("/rapporter?period=year&year=2015").get_data(as_text=True)
    assert '<option value="2015" selected>' in old
    # The figures follow the period: the first quarter's contacts include March's three.
    q1 = chef.get("/rapporter?period=quarter&year=2025&quarter=1").get_data(as_text=True)
    assert int(_figure(q1, "contacts.total")) >= 3


def test_the_dashboard_runs_a_constant_number_of_statements(app, db, dataset, login_as):
    chef = login_as("chef")
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    def count() -> int:
        chef.get(f"/rapporter?{MARCH}")
        _db.session.remove()
        statements.clear()
        assert chef.get(f"/rapporter?{MARCH}").status_code == 200
        return len(statements)

    engine = _db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        before = count()
        for area in focus_areas():
            for n in range(3):
                _activity(db, area, f"Aktivitet {area.id}-{n}", ActivityStatus.ONGOING)
        for indicator in db.session.scalars(sa.select(Indicator)):
            db.session.add(IndicatorValue(indicator_id=indicator.id, year=2024, value=1))
            for area in focus_areas():
                link_indicator(indicator.id, area.id)
        db.session.commit()
        after = count()
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert after == before
