"""Editing which focus areas an indicator follows up (issue 15 §6): the service (permission,
audit event, idempotent, retired areas, stale form), the indicator page's checkbox group, and
the dashboard's section per focus area showing the changed link."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.core.errors import PermissionDenied, StaleEdit, ValidationError
from app.plan.indicator_areas import focus_area_ids_of, set_indicator_focus_areas
from app.plan.indicators import Indicator
from tests.builders.strategy import focus_areas
from tests.clock import utc
from tests.pages import rendered

MARCH = "period=month&month=2025-03"


def _indicator(db, key: str) -> Indicator:
    return db.session.scalar(sa.select(Indicator).where(Indicator.key == key))


def _events(db, indicator: Indicator) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.entity_type == "indicators", AuditEvent.entity_id == indicator.id)
            .order_by(AuditEvent.id)
        )
    )


def _section(page: str, area_id: int) -> str:
    match = re.search(
        rf'<section class="focus-section"[^>]*data-focus-area="{area_id}">(.*?)</section>', page, re.S
    )
    assert match, f"no section for focus area {area_id}"
    return match.group(1)


def test_admin_relinks_an_indicator_audited_and_idempotent(db, users):
    fa1, fa2 = focus_areas()[:2]
    nya = _indicator(db, "nya_foretag")  # linked by migration 0025 to "Hållbar företags- …" only
    before = focus_area_ids_of(nya.id)
    version = nya.version
    now = utc(2025, 4, 2, 8)

    changed = set_indicator_focus_areas(
        nya, [fa1.id, fa2.id], actor=users["admin"], now=now, expected_version=version
    )
    db.session.commit()
    assert changed is True
    assert focus_area_ids_of(nya.id) == {fa1.id, fa2.id}
    assert nya.version == version + 1  # a form loaded before this change is now stale
    (event,) = _events(db, nya)
    assert (event.action, event.actor_id, event.at) == ("update", users["admin"].id, now)
    assert event.summary.startswith("Indikator Nya företag per år: fokusområden ")
    assert fa1.name in event.summary
    assert fa2.name in event.summary
    areas = {a.id: a.name for a in focus_areas()}
    assert event.changes == {"focus_areas": [sorted(areas[i] for i in before), sorted([fa1.name, fa2.name])]}

    # The same choice again: nothing changes, no second audit event, no new version.
    assert set_indicator_focus_areas(nya, [fa2.id, fa1.id], actor=users["admin"], now=now) is False
    db.session.commit()
    assert len(_events(db, nya)) == 1
    assert nya.version == version + 1
    # Unlinking everything is allowed.
    assert set_indicator_focus_areas(nya, [], actor=users["admin"], now=now) is True
    assert focus_area_ids_of(nya.id) == set()
    assert "fokusområden inga" in _events(db, nya)[-1].summary


@pytest.mark.parametrize("role", ["lots", "ledning", "chef"])
def test_only_who_maintains_the_indicators_may_change_the_links(db, users, role):
    nya = _indicator(db, "nya_foretag")
    before = focus_area_ids_of(nya.id)
    with pytest.raises(PermissionDenied):
        set_indicator_focus_areas(nya, [focus_areas()[0].id], actor=users[role])
    assert focus_area_ids_of(nya.id) == before
    assert _events(db, nya) == []


def test_a_retired_area_stays_or_goes_but_is_never_newly_linked(db, users):
    fa1, fa2 = focus_areas()[:2]
    kompetens = _indicator(db, "sn_kompetens")  # linked to fa1 by migration 0025
    assert fa1.id in focus_area_ids_of(kompetens.id)
    fa1.retired_at = fa2.retired_at = utc(2025, 1, 1)
    db.session.flush()
    # Keeping the retired fa1 while adding another is fine.
    assert set_indicator_focus_areas(kompetens, [fa1.id, focus_areas()[2].id], actor=users["admin"])
    # Newly linking the retired fa2 is refused, and nothing changes.
    before = focus_area_ids_of(kompetens.id)
    with pytest.raises(ValidationError, match=re.escape(fa2.name)):
        set_indicator_focus_areas(kompetens, [fa1.id, fa2.id], actor=users["admin"])
    assert focus_area_ids_of(kompetens.id) == before
    # An unknown area is refused too; unlinking the retired fa1 works.
    with pytest.raises(ValidationError):
        set_indicator_focus_areas(kompetens, [999_999], actor=users["admin"])
    assert set_indicator_focus_areas(kompetens, [], actor=users["admin"])
    assert focus_area_ids_of(kompetens.id) == set()


def test_a_stale_form_is_refused(db, users):
    nya = _indicator(db, "nya_foretag")
    old = nya.version
    nya.name = "Nya företag (per år)"  # a colleague saved the indicator meanwhile
    db.session.flush()
    with pytest.raises(StaleEdit):
        set_indicator_focus_areas(nya, [focus_areas()[0].id], actor=users["admin"], expected_version=old)


def test_the_indicator_page_changes_the_links_and_the_dashboard_follows(db, dataset, login_as):
    fa1, fa2 = dataset.fa1, dataset.fa2
    kompetens = _indicator(db, "sn_kompetens")  # in fa1's section, not fa2's (migration 0025)
    chef = login_as("chef")
    dashboard = rendered(chef.get(f"/rapporter?{MARCH}"), heading="Rapporter: mars 2025")
    assert "Tillgång till kompetens" in _section(dashboard, fa1.id)
    assert "Tillgång till kompetens" not in _section(dashboard, fa2.id)

    admin = login_as("admin")
    page = rendered(admin.get(f"/strategi/indikatorer/{kompetens.id}"), heading=kompetens.name)
    form = re.search(
        r'<form method="post" action="/strategi/indikatorer/\d+/fokusomraden".*?</form>', page, re.S
    )
    assert form, "no focus-area form on the indicator page"
    boxes = {
        int(re.search(r'value="(\d+)"', tag).group(1)): " checked" in tag
        for tag in re.findall(r'<input[^>]*name="fa-focus_area_ids"[^>]*>', form.group(0))
    }
    assert boxes[fa1.id] is True
    assert boxes[fa2.id] is False
    assert "<legend" in form.group(0)
    version = re.search(r'name="fa-version"[^>]*value="(\d+)"', form.group(0)).group(1)

    response = admin.post(
        f"/strategi/indikatorer/{kompetens.id}/fokusomraden",
        data={"fa-focus_area_ids": [str(fa2.id)], "fa-version": version},
        follow_redirects=True,
    )
    assert "Indikatorns fokusområden är sparade." in response.get_data(as_text=True)
    assert focus_area_ids_of(kompetens.id) == {fa2.id}

    dashboard = rendered(chef.get(f"/rapporter?{MARCH}"), heading="Rapporter: mars 2025")
    assert "Tillgång till kompetens" not in _section(dashboard, fa1.id)
    assert "Tillgång till kompetens" in _section(dashboard, fa2.id)

    # The same form again (its version is now stale): refused with the stale-edit message.
    again = admin.post(
        f"/strategi/indikatorer/{kompetens.id}/fokusomraden",
        data={"fa-focus_area_ids": [str(fa1.id)], "fa-version": version},
    )
    assert again.status_code == 400
    assert "Någon annan har ändrat uppgifterna" in again.get_data(as_text=True)
    assert focus_area_ids_of(kompetens.id) == {fa2.id}


@pytest.mark.parametrize("role", ["lots", "chef"])
def test_a_role_that_may_not_edit_is_refused_and_nothing_changes(db, dataset, login_as, role):
    kompetens = _indicator(db, "sn_kompetens")
    before = focus_area_ids_of(kompetens.id)
    response = login_as(role).post(
        f"/strategi/indikatorer/{kompetens.id}/fokusomraden",
        data={"fa-focus_area_ids": [str(dataset.fa2.id)]},
    )
    assert response.status_code == 403
    assert "Åtkomst nekad" in response.get_data(as_text=True)
    db.session.expire_all()
    assert focus_area_ids_of(kompetens.id) == before
    assert _events(db, kompetens) == []


def test_the_checkboxes_offer_a_retired_area_only_while_it_is_linked(db, users, login_as):
    fa1, fa2 = focus_areas()[:2]
    kompetens = _indicator(db, "sn_kompetens")  # linked to fa1 (migration 0025), not to fa2
    assert focus_area_ids_of(kompetens.id) == {fa1.id}
    fa1.retired_at = fa2.retired_at = utc(2025, 1, 1)
    db.session.commit()
    page = rendered(login_as("admin").get(f"/strategi/indikatorer/{kompetens.id}"), heading=kompetens.name)
    form = re.search(r'action="/strategi/indikatorer/\d+/fokusomraden".*?</form>', page, re.S).group(0)
    assert f"{fa1.name} (avslutat)" in form  # linked: shown, so it can be unlinked
    assert f'value="{fa1.id}"' in form
    assert f'value="{fa2.id}"' not in form  # retired and not linked: not offered
    assert fa2.name not in form
    assert f'value="{focus_areas()[2].id}"' in form  # an active area
