"""The chef opens the dashboard, changes the period to March 2025 and follows a drill-down from
a number to the records behind it; axe finds no serious violations on either page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import describe
from tests.reports.dataset import build_dataset

pytestmark = pytest.mark.browser


@pytest.fixture
def dataset(db, users):
    return build_dataset(db, users)


def test_dashboard_period_change_and_drill_down(page, dataset, browser_login, axe_check):
    browser_login(dataset.chef)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Rapporter").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Rapporter:")

    page.get_by_label("Period", exact=True).select_option("month")
    page.get_by_label("Månad", exact=True).fill("2025-03")
    page.get_by_role("button", name="Visa").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Rapporter: mars 2025"
    contacts = page.locator('.report-cards a[data-figure="contacts.total"]')
    assert contacts.inner_text().startswith("3")
    violations = axe_check(page)
    assert violations == [], describe(violations)

    closed = page.get_by_role("table", name="Lotsärenden").locator('a[data-figure="cases.closed"]')
    assert closed.inner_text().startswith("2")
    closed.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Avslutade lotsärenden"
    rows = page.locator("table.records tbody tr")
    assert rows.count() == 2
    listed = page.locator("table.records tbody").inner_text()
    assert "Alfa AB" in listed
    assert "Beta AB" in listed
    violations = axe_check(page)
    assert violations == [], describe(violations)

    page.get_by_role("link", name="Rapporter: mars 2025").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Rapporter: mars 2025"
    page.locator('.report-cards a[data-figure="contacts.total"]').click()
    assert "date_from=2025-03-01" in page.url
    assert "date_to=2025-03-31" in page.url


def test_the_period_control_shows_one_kind_at_a_time(page, dataset, browser_login):
    browser_login(dataset.chef)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/rapporter?period=month&month=2025-03")
    month, quarter, quarter_year = (
        page.locator("#month"),
        page.locator("#quarter"),
        page.locator("#quarter-year"),
    )
    year, date_from, date_to = page.locator("#year"), page.locator("#from"), page.locator("#to")
    assert month.is_visible()
    assert not any(x.is_visible() for x in (quarter, quarter_year, year, date_from, date_to))

    assert not page.locator("[data-period-nojs]").first.is_visible()  # the no-JS captions
    page.get_by_label("Period", exact=True).select_option("quarter")
    assert quarter.is_visible()
    assert quarter_year.is_visible()
    assert not any(x.is_visible() for x in (month, year, date_from, date_to))
    # The quarter starts as the one the shown month belongs to.
    assert quarter.input_value() == "1"
    assert quarter_year.input_value() == "2025"
    quarter.select_option("2")
    page.get_by_role("button", name="Visa").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Rapporter: kvartal 2 2025"
    # Only the chosen kind's inputs were submitted.
    assert "month=" not in page.url
    assert "from=" not in page.url
    assert "period=quarter" in page.url
    assert "quarter=2" in page.url

    page.get_by_label("Period", exact=True).select_option("custom")
    assert date_from.is_visible()
    assert date_to.is_visible()
    assert not quarter.is_visible()
    date_from.fill("2025-03-01")
    date_to.fill("2025-03-31")
    page.get_by_role("button", name="Visa").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Rapporter: 2025-03-01 – 2025-03-31"


def test_focus_area_sections_at_desktop_and_phone_width(page, dataset, browser_login, axe_check):
    browser_login(dataset.chef)
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/rapporter?period=month&month=2025-03")
        section = page.locator(f'section[data-focus-area="{dataset.fa1.id}"]')
        assert section.get_by_role("heading", level=3).inner_text() == dataset.fa1.name
        parts = [section.locator(f'[data-part="{p}"]') for p in ("activity", "plan", "indicators")]
        boxes = [p.bounding_box() for p in parts]
        if width == 1366:  # side by side
            assert len({round(b["y"]) for b in boxes}) == 1, boxes
        else:  # stacked, each the full width, nothing wider than the screen
            assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"], boxes
            assert all(b["x"] + b["width"] <= width for b in boxes), boxes
        assert section.locator(f'a[data-figure="contacts.focus:{dataset.fa1.id}"]').is_visible()
        violations = axe_check(page)
        assert violations == [], describe(violations)
    # The company figure opens the companies.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator('.report-cards a[data-figure="contacts.companies"]').click()
    assert page.get_by_role("heading", level=1).inner_text() == "Företag som fått kontakt"
    assert page.locator("table.records tbody").inner_text().startswith("Alfa AB")
    violations = axe_check(page)
    assert violations == [], describe(violations)


def test_the_monthly_mail_bars_at_600_px(page, db, dataset):
    from datetime import date

    import sqlalchemy as sa

    from app.mail.models import OutboxMessage
    from app.reports.periods import month_period
    from app.reports.summary import BAR_PX, queue_monthly_summaries
    from tests.builders.companies import make_company
    from tests.builders.interactions import make_interaction_row
    from tests.builders.strategy import focus_areas
    from tests.clock import utc

    # A third focus area far ahead (60 contacts), so the others' bars are short (3 → 15 px, 1 →
    # 5 px of 300 when this test runs alone).
    big = focus_areas()[2]
    company = make_company("Storkund AB")
    for n in range(60):
        make_interaction_row(company, dataset.lots1, utc(2025, 3, 3 + n % 20, 9, n % 50), big)
    # As the monthly job does it: queued for the chef, rendered by the mail templates.
    assert queue_monthly_summaries(month_period(date(2025, 3, 1)), now=utc(2025, 4, 1, 5)) >= 1
    html = db.session.scalar(
        sa.select(OutboxMessage.body_html).where(
            OutboxMessage.key.like(f"monthly-summary:{dataset.chef.id}:%")
        )
    )
    assert "<img" not in html
    assert "background-image" not in html
    assert "display:flex" not in html.replace(" ", "")

    page.set_viewport_size({"width": 600, "height": 900})
    page.set_content(html)
    assert page.evaluate("document.documentElement.scrollWidth") <= 600
    rows = page.locator("tr.focus-row")
    assert rows.count() == len(focus_areas())
    # The server's database is shared by the browser tests: the values are read from the mail
    # (the figures themselves are tested in tests/reports); the big area has the widest bar.
    values = [int(rows.nth(i).locator("td.focus-value b").inner_text()) for i in range(rows.count())]
    widest = max(values)
    assert widest >= 60, values
    assert 0 in values, values
    assert any(0 < v <= widest / 10 for v in values), values
    for i in range(rows.count()):
        row = rows.nth(i)
        label = row.locator("td.focus-label")
        name = label.inner_text().strip()
        value = values[i]
        assert row.locator("td.focus-value").inner_text() == f"{value} kontakter"
        # The label is readable: whole, on the page, at least 12 px text.
        box = label.bounding_box()
        assert box["width"] >= 120, (name, box)
        assert 0 <= box["x"] <= box["x"] + box["width"] <= 600, (name, box)
        assert label.evaluate("e => e.scrollWidth <= e.clientWidth")
        assert float(label.locator("font").evaluate("e => getComputedStyle(e).fontSize")[:-2]) >= 12
        fill = row.locator("td.bar-fill")
        if value == 0:
            assert fill.count() == 0
            continue
        width = fill.bounding_box()["width"]
        assert width >= 4, (name, width)
        assert abs(width - BAR_PX * value / widest) <= 2, (name, width)
        total = row.locator("td.bar-fill, td.bar-rest").evaluate_all(
            "cells => cells.map(c => c.getBoundingClientRect().width)"
        )
        assert abs(sum(total) - BAR_PX) <= 2, (name, total)


def test_the_period_control_without_javascript(signed_in_without_js, dataset):
    """Without JavaScript every kind's inputs are shown under its name; choosing "Kvartal" and
    a quarter gives that quarter (not the current one)."""
    page = signed_in_without_js(dataset.chef)
    page.set_default_timeout(10_000)
    page.goto("/rapporter?period=month&month=2025-03")
    for field in ("#month", "#quarter", "#quarter-year", "#year", "#from", "#to"):
        assert page.locator(field).is_visible(), field
    assert page.locator("#period-kind-quarter").is_visible()
    page.get_by_label("Period", exact=True).select_option("quarter")
    assert page.locator("#quarter").input_value() == "1"  # the shown month's quarter
    page.locator("#quarter").select_option("2")
    page.locator("#quarter-year").select_option("2024")
    page.get_by_role("button", name="Visa").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Rapporter: kvartal 2 2024"
    # The year kind reads its own year.
    page.get_by_label("Period", exact=True).select_option("year")
    page.locator("#year").select_option("2023")
    page.get_by_role("button", name="Visa").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Rapporter: 2023"


def test_the_period_control_without_its_script_passes_axe(page, dataset, browser_login, axe_check):
    """The no-JavaScript layout (every kind's inputs, each under its name) checked by axe: the
    page with reports.js blocked (axe itself needs JavaScript), desktop and phone."""
    page.route("**/static/js/reports.js*", lambda route: route.abort())
    browser_login(dataset.chef)
    page.goto("/rapporter?period=quarter&year=2025&quarter=1")
    assert page.locator("#period-kind-month").is_visible()
    assert page.locator("#from").is_visible()
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        violations = axe_check(page)
        assert violations == [], describe(violations)
