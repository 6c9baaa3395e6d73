"""The six catalogue screens through the one pattern (app.admin.catalogue): list, new, edit,
retire and reinstate, each under /admin/<slug>; retire and reinstate are idempotent; the old
addresses answer 308 with the new ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.cases.models import CaseType
from app.catalogues.models import PermitType, ReferralPartner
from app.companies.models import Area
from app.extensions import db
from app.strategy.models import FocusArea
from app.visits.models import VisitQuestion


@dataclass(frozen=True)
class Screen:
    slug: str
    model: type
    new_data: Callable[[], dict[str, Any]]
    edit_data: Callable[[Any], dict[str, Any]]  # renames the entry to "<name> ändrad"
    name: Callable[[Any], str] = lambda entry: entry.name
    retired: Callable[[Any], bool] = lambda entry: entry.retired_at is not None


def _first_focus_area_id() -> int:
    return db.session.scalar(sa.select(FocusArea.id).order_by(FocusArea.id).limit(1))


def _permit_data(code: str, name: str) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "statutory_time_value": "3",
        "statutory_time_unit": "weeks",
        "clock_starts": "submitted",
        "extension_unit": "",
    }


SCREENS = {
    "fokusomraden": Screen(
        "fokusomraden",
        FocusArea,
        new_data=lambda: {"strategy_id": "1", "name": "Nytt testområde", "short_name": "Test"},
        edit_data=lambda e: {
            "strategy_id": str(e.strategy_id),
            "name": f"{e.name} ändrad",
            "short_name": e.short_name,
            "description": e.description,
        },
    ),
    "omraden": Screen(
        "omraden",
        Area,
        new_data=lambda: {"name": "Testområdet"},
        edit_data=lambda e: {"name": f"{e.name} ändrad"},
    ),
    "tillstandstyper": Screen(
        "tillstandstyper",
        PermitType,
        new_data=lambda: _permit_data("testlov", "Testlov"),
        # Only a name with no permit rows: nothing to recompute, saved at once.
        edit_data=lambda e: {
            **_permit_data(e.code, f"{e.name} ändrad"),
            "statutory_time_value": "",
            "statutory_time_unit": "",
            "clock_starts": e.clock_starts,
        },
    ),
    "partner": Screen(
        "partner",
        ReferralPartner,
        new_data=lambda: {"name": "Testpartnern", "website": "https://example.se"},
        edit_data=lambda e: {"name": f"{e.name} ändrad", "description": e.description, "website": e.website},
    ),
    "arendetyper": Screen(
        "arendetyper",
        CaseType,
        new_data=lambda: {"code": "testtyp", "name": "Testtyp"},
        edit_data=lambda e: {"code": e.code, "name": f"{e.name} ändrad"},
    ),
    "besoksfragor": Screen(
        "besoksfragor",
        VisitQuestion,
        new_data=lambda: {
            "text": "Vad är er största utmaning?",
            "focus_area_id": str(_first_focus_area_id()),
            "is_active": "y",
        },
        edit_data=lambda e: {
            "text": f"{e.text} ändrad",
            "focus_area_id": str(e.focus_area_id or ""),
            "is_active": "y",
        },
        name=lambda entry: entry.text,
        retired=lambda entry: not entry.is_active,
    ),
}


def _entry(screen: Screen):
    """The newest entry in use (the seeded catalogues have some; the newest permit type has no
    permit rows). A seed without one fails here rather than skipping the screen."""
    entries = db.session.scalars(sa.select(screen.model).order_by(screen.model.id.desc()))
    entry = next((e for e in entries if not screen.retired(e)), None)
    assert entry is not None, f"{screen.slug}: no entry in use to test with"
    return entry


def _audit_rows(entry) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.entity_type == entry.__tablename__, AuditEvent.entity_id == entry.id)
    )


def _reload(entry):
    db.session.expire_all()
    return db.session.get(type(entry), entry.id)


@pytest.mark.parametrize("slug", sorted(SCREENS))
def test_list_new_and_edit(db, admin_client, slug):
    screen = SCREENS[slug]
    entry = _entry(screen)
    listing = admin_client.get(f"/admin/{slug}").get_data(as_text=True)
    assert screen.name(entry) in listing
    assert f'href="/admin/{slug}/{entry.id}"' in listing
    assert f'href="/admin/{slug}/ny"' in listing

    assert admin_client.get(f"/admin/{slug}/ny").status_code == 200
    before = db.session.scalar(sa.select(sa.func.count()).select_from(screen.model))
    created = admin_client.post(f"/admin/{slug}/ny", data=screen.new_data())
    assert created.status_code == 302, created.get_data(as_text=True)
    assert created.location.endswith(f"/admin/{slug}")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(screen.model)) == before + 1
    page = admin_client.get(created.location).get_data(as_text=True)
    assert 'class="flash flash--success"' in page

    form = admin_client.get(f"/admin/{slug}/{entry.id}").get_data(as_text=True)
    assert f'name="version" type="hidden" value="{entry.version}"' in form
    saved = admin_client.post(
        f"/admin/{slug}/{entry.id}", data={**screen.edit_data(entry), "version": str(entry.version)}
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert screen.name(_reload(entry)).endswith("ändrad")


@pytest.mark.parametrize("slug", sorted(SCREENS))
def test_an_edit_of_a_stale_form_is_refused(db, admin_client, slug):
    screen = SCREENS[slug]
    entry = _entry(screen)
    name = screen.name(entry)
    stale = admin_client.post(
        f"/admin/{slug}/{entry.id}", data={**screen.edit_data(entry), "version": str(entry.version - 1)}
    )
    assert stale.status_code == 200
    assert "error-summary" in stale.get_data(as_text=True)
    assert screen.name(_reload(entry)) == name


@pytest.mark.parametrize("slug", sorted(SCREENS))
def test_retire_and_reinstate_are_idempotent(db, admin_client, slug):
    screen = SCREENS[slug]
    entry = _entry(screen)
    rows = _audit_rows(entry)

    first = admin_client.post(f"/admin/{slug}/{entry.id}/avsluta")
    assert first.status_code == 302
    assert first.location.endswith(f"/admin/{slug}")
    assert screen.retired(_reload(entry))
    assert _audit_rows(entry) == rows + 1
    # A double submit (or the old toggle's second click) leaves it retired, with no second row.
    admin_client.post(f"/admin/{slug}/{entry.id}/avsluta")
    assert screen.retired(_reload(entry))
    assert _audit_rows(entry) == rows + 1
    listing = admin_client.get(f"/admin/{slug}").get_data(as_text=True)
    assert f'action="/admin/{slug}/{entry.id}/ateraktivera"' in listing
    assert f'action="/admin/{slug}/{entry.id}/avsluta"' not in listing

    admin_client.post(f"/admin/{slug}/{entry.id}/ateraktivera")
    assert not screen.retired(_reload(entry))
    assert _audit_rows(entry) == rows + 2
    admin_client.post(f"/admin/{slug}/{entry.id}/ateraktivera")
    assert not screen.retired(_reload(entry))
    assert _audit_rows(entry) == rows + 2


@pytest.mark.parametrize("slug", sorted(SCREENS))
def test_only_admin_maintains_a_catalogue(db, lots_client, slug):
    entry = _entry(SCREENS[slug])
    assert "Åtkomst nekad" in lots_client.get(f"/admin/{slug}").get_data(as_text=True)
    assert lots_client.post(f"/admin/{slug}/{entry.id}/avsluta").status_code == 403
    assert not SCREENS[slug].retired(_reload(entry))


def test_a_missing_entry_is_a_404(db, admin_client):
    assert admin_client.get("/admin/arendetyper/999999").status_code == 404
    assert admin_client.post("/admin/partner/999999/avsluta").status_code == 404


# The old addresses (before the screens moved under /admin): (old, new).
MOVED = [
    ("/admin/fokusomraden/nytt", "/admin/fokusomraden/ny"),
    ("/foretag/omraden", "/admin/omraden"),
    ("/foretag/omraden/nytt", "/admin/omraden/ny"),
    ("/foretag/omraden/7", "/admin/omraden/7"),
    ("/admin/kataloger/tillstandstyper", "/admin/tillstandstyper"),
    ("/admin/kataloger/tillstandstyper/ny", "/admin/tillstandstyper/ny"),
    ("/admin/kataloger/tillstandstyper/7", "/admin/tillstandstyper/7"),
    ("/admin/kataloger/partner", "/admin/partner"),
    ("/admin/kataloger/partner/ny", "/admin/partner/ny"),
    ("/admin/kataloger/partner/7", "/admin/partner/7"),
    ("/arenden/admin/typer", "/admin/arendetyper"),
    ("/arenden/admin/typer/ny", "/admin/arendetyper/ny"),
    ("/arenden/admin/typer/7", "/admin/arendetyper/7"),
    ("/admin/besok/fragor", "/admin/besoksfragor"),
    ("/admin/besok/fragor/ny", "/admin/besoksfragor/ny"),
    ("/admin/besok/fragor/7", "/admin/besoksfragor/7"),
]
MOVED_POSTS = [
    ("/foretag/omraden/7/avsluta", "/admin/omraden/7/avsluta"),
    ("/admin/kataloger/tillstandstyper/7/avsluta", "/admin/tillstandstyper/7/avsluta"),
    ("/admin/kataloger/partner/7/avsluta", "/admin/partner/7/avsluta"),
    ("/arenden/admin/typer/7/avsluta", "/admin/arendetyper/7/avsluta"),
    ("/admin/besok/fragor/7/flytta", "/admin/besoksfragor/7/flytta"),
    ("/admin/kataloger/partner/ny", "/admin/partner/ny"),
]


@pytest.mark.parametrize(("old", "new"), MOVED)
def test_an_old_address_redirects_permanently(admin_client, old, new):
    response = admin_client.get(old)
    assert response.status_code == 308
    assert response.location.endswith(new)
    assert admin_client.get(f"{old}?tab=2").location.endswith(f"{new}?tab=2")


@pytest.mark.parametrize(("old", "new"), MOVED_POSTS)
def test_a_post_to_an_old_address_is_redirected_with_its_method(admin_client, old, new):
    response = admin_client.post(old, data={"direction": "up"})
    assert response.status_code == 308
    assert response.location.endswith(new)


def test_a_form_posted_to_an_old_address_still_does_its_work(db, admin_client):
    case_type = _entry(SCREENS["arendetyper"])
    done = admin_client.post(f"/arenden/admin/typer/{case_type.id}/avsluta", follow_redirects=True)
    assert done.status_code == 200
    assert "Ärendetypen är uppdaterad." in done.get_data(as_text=True)
    assert _reload(case_type).is_retired


def test_the_redirect_table_lists_every_old_address(app):
    from app.admin.catalogue import moved_urls

    old_rules = {old for old, _endpoint in moved_urls(app)}
    assert {
        "/foretag/omraden",
        "/arenden/admin/typer/<int:entry_id>/avsluta",
        "/admin/besok/fragor/<int:entry_id>/flytta",
        "/admin/fokusomraden/nytt",
    } <= old_rules
    # The focus areas' list, form and retire kept their addresses: no alias of themselves; the
    # question bank had no retire.
    assert "/admin/fokusomraden" not in old_rules
    assert "/admin/besok/fragor/<int:entry_id>/avsluta" not in old_rules


def test_the_case_type_screen_marks_which_types_are_large_establishments(db, admin_client):
    """The flag the report's "stora etableringar" counts by (not the type's name)."""
    created = admin_client.post(
        "/admin/arendetyper/ny",
        data={"code": "kvarn", "name": "Kvarnprojektet", "is_large_establishment": "y"},
    )
    assert created.status_code == 302, created.get_data(as_text=True)
    kvarn = db.session.scalar(sa.select(CaseType).where(CaseType.code == "kvarn"))
    assert kvarn.is_large_establishment is True
    listing = admin_client.get("/admin/arendetyper").get_data(as_text=True)
    assert "<th" in listing
    assert "Stor etablering" in listing
    form = admin_client.get(f"/admin/arendetyper/{kvarn.id}").get_data(as_text=True)
    assert 'name="is_large_establishment"' in form

    edited = admin_client.post(
        f"/admin/arendetyper/{kvarn.id}",
        data={"code": "kvarn", "name": "Kvarnprojektet", "version": kvarn.version},
    )
    assert edited.status_code == 302, edited.get_data(as_text=True)
    assert _reload(kvarn).is_large_establishment is False
