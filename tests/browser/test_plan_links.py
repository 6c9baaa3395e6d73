"""Issue 15 §6 in a real browser: the admin changes an indicator's focus areas on its page (with
the CSRF token and gunicorn) and the dashboard's section follows; the handlingsplan activity
pages its company's contacts to link (contact 21+ reachable) and its linked records. axe at
desktop and phone width on both pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.plan import action_plan as plan
from app.plan.indicator_areas import focus_area_ids_of
from app.plan.indicators import Indicator
from tests.browser.conftest import describe
from tests.builders.companies import make_company
from tests.builders.interactions import make_interaction_row
from tests.builders.strategy import focus_areas
from tests.clock import utc

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def test_admin_changes_an_indicators_focus_areas(page, users, browser_login, axe_check):
    fa1, fa2 = focus_areas()[:2]
    indicator = db.session.scalar(sa.select(Indicator).where(Indicator.key == "sn_kompetens"))
    indicator_id = indicator.id
    db.session.commit()
    browser_login(users["admin"])
    page.goto(f"/strategi/indikatorer/{indicator_id}")
    group = page.get_by_role("group", name="Fokusområden som indikatorn följer upp")
    assert group.get_by_role("checkbox", name=fa1.name, exact=True).is_checked()
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        violations = axe_check(page)
        assert violations == [], describe(violations)
    page.set_viewport_size(DESKTOP)
    group.get_by_role("checkbox", name=fa1.name, exact=True).uncheck()
    group.get_by_role("checkbox", name=fa2.name, exact=True).check()
    page.get_by_role("button", name="Spara fokusområdena").click()
    assert "Indikatorns fokusområden är sparade." in page.locator("main").inner_text()
    assert page.get_by_role("checkbox", name=fa2.name, exact=True).is_checked()
    db.session.rollback()
    assert fa2.id in focus_area_ids_of(indicator_id)
    assert fa1.id not in focus_area_ids_of(indicator_id)
    # The dashboard's section of fa2 now holds the indicator.
    page.goto("/rapporter?period=month&month=2025-03")
    section = page.locator(f'section[data-focus-area="{fa2.id}"] [data-part="indicators"]')
    assert "Tillgång till kompetens" in section.inner_text()


def test_the_activity_pages_its_candidates_and_links(page, users, browser_login, axe_check):
    company = make_company("Zqsida Verkstad AB")
    area = focus_areas()[0]
    for i in range(1, 24):
        make_interaction_row(company, users["lots"], utc(2025, 1, 1, 8) + timedelta(days=i), area,
                             subject=f"Zqsida samtal {i:02d}")  # fmt: skip
    activity = plan.create_activity(
        plan.ActivityInput(focus_area_id=area.id, title="Zqsida aktivitet", responsible_name="Lotsen"),
        actor=users["lots"],
    )
    db.session.commit()
    activity_id = activity.id
    browser_login(users["lots"])
    page.goto(f"/strategi/handlingsplan/{activity_id}?company_id={company.id}")
    candidates = page.get_by_role("table", name="Senaste kontakter och ärenden med Zqsida Verkstad AB")
    assert candidates.locator("tbody tr").count() == 20
    assert "Zqsida samtal 03" not in candidates.inner_text()
    page.get_by_role("link", name="Nästa →").click()
    assert candidates.locator("tbody tr").count() == 3
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        violations = axe_check(page)
        assert violations == [], describe(violations)
    page.set_viewport_size(DESKTOP)
    candidates.get_by_role("button", name="Koppla Telefonsamtal: Zqsida samtal 01").click()
    assert "Kopplingen är sparad." in page.locator("main").inner_text()
    linked = page.get_by_role("table", name="Kopplade kontakter och ärenden")
    assert "Zqsida samtal 01" in linked.inner_text()
