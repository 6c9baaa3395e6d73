"""Signing in and posting forms through gunicorn, with CSRF on: the real sign-in form, a post
without its token refused, and the referral flow from a contact (which answered 500 after
committing, so a retry made a duplicate)."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.interactions.models import Referral
from tests.builders.catalogues import partner
from tests.builders.companies import make_company
from tests.builders.interactions import make_interaction
from tests.builders.users import PASSWORD


def test_sign_in_through_the_real_form(db, users, http):
    client = http()
    page = client.get("/logga-in")
    assert page.status_code == 200
    assert "<h1>Logga in i Lotsbok</h1>" in page.text
    assert 'name="csrf_token"' in page.text
    client.sign_in(users["chef"].email, PASSWORD)
    start = client.get("/")
    assert start.status_code == 200
    assert f"Hej {users['chef'].name.split()[0]}" in start.text
    cookie = start.request.headers.get("Cookie", "")
    assert "session=" in cookie
    db.session.rollback()
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "sign_in", AuditEvent.actor_id == users["chef"].id)
        )
        == 1
    )


def test_wrong_password_is_refused_with_the_generic_message(users, http):
    client = http()
    response = client.submit(
        "/logga-in", {"email": users["lots"].email, "password": "fel"}, form_page="/logga-in"
    )
    assert response.status_code == 200
    assert "Fel e-postadress eller lösenord." in response.text
    assert client.get("/").status_code == 302


def test_a_post_without_its_csrf_token_is_refused(db, users, http):
    client = http(users["lots"])
    company = make_company("Tokenlösa Bolaget AB")
    db.session.commit()
    response = client.post(f"/foretag/{company.id}/ta-bort", data={})
    assert response.status_code == 400
    assert "säkerhetstoken" in response.text
    assert "<h1>Felaktig begäran" in response.text
    db.session.rollback()
    assert db.session.get(type(company), company.id).deleted_at is None
    # With the token of the page it came from, the same post goes through.
    response = client.submit(
        f"/foretag/{company.id}/ta-bort",
        {"version": str(company.version)},
        form_page=f"/foretag/{company.id}",
    )
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.get(type(company), company.id).deleted_at is not None


def test_referral_from_a_contact_is_saved_once_and_gets_its_outcome(db, users, http):
    company = make_company("Hänvisningsbolaget AB")
    contact = make_interaction(company, users["lots"], subject="Behöver lån")
    almi = partner("Almi")
    db.session.commit()
    client = http(users["lots"])

    detail = f"/kontakter/{contact.id}"
    assert client.get(detail).status_code == 200
    response = client.submit(
        f"{detail}/hanvisningar", {"partner_id": str(almi.id), "reason": "Finansiering av maskiner"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{detail}#hanvisningar")
    page = client.get(detail)
    assert f"Hänvisningen till {almi.name} är sparad." in page.text
    db.session.rollback()
    [referral] = db.session.scalars(sa.select(Referral).where(Referral.interaction_id == contact.id)).all()
    assert referral.reason == "Finansiering av maskiner"

    outcome_page = f"/kontakter/hanvisningar/{referral.id}/utfall"
    form = client.get(outcome_page)
    assert form.status_code == 200
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form.text).group(1)
    response = client.submit(outcome_page, {"outcome": "Fick lån på 400 000 kr", "version": version})
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.get(Referral, referral.id).outcome == "Fick lån på 400 000 kr"
