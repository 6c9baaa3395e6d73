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
