"""The admin's pages reach an English reader in English (issue 16): user forms, flashes after a
change, service refusals, the labels of the sign-in security page and the scheduled jobs; the
same actions in Swedish are unchanged."""

from __future__ import annotations

from app.auth.throttle import record_attempt
from app.core.time import utcnow
from app.extensions import db


def _english(client):
    client.post("/sprak", data={"lang": "en", "next": "/"})
    return client


def _page(response) -> str:
    return response.get_data(as_text=True)


def test_the_new_user_form_and_its_refusal_in_english(admin_client, users):
    client = _english(admin_client)
    page = _page(client.get("/admin/anvandare/ny"))
    assert "One-time password" in page
    assert "Department/unit" in page
    assert "Engångslösenord" not in page
    assert "Förvaltning/avdelning" not in page

    taken = _page(
        client.post(
            "/admin/anvandare/ny",
            data={
                "name": "Ny Person",
                "email": users["lots"].email,
                "role": "lots",
                "department": "",
                "password": "Blå-kaffekopp-på-bryggan-1",
            },
        )
    )
    assert "There is already a user with that e-mail address." in taken  # the service's refusal
    assert "Det finns redan en användare" not in taken


def test_a_flash_after_a_change_in_admin_in_english(admin_client, users):
    client = _english(admin_client)
    name = users["lots"].name
    page = _page(
        client.post(f"/admin/anvandare/{users['lots'].id}/aktiv", data={"active": "0"}, follow_redirects=True)
    )
    assert f"{name} has been deactivated." in page
    assert "är inaktiverad" not in page


def test_the_same_flash_in_swedish(admin_client, users):
    name = users["lots"].name
    page = _page(
        admin_client.post(
            f"/admin/anvandare/{users['lots'].id}/aktiv", data={"active": "0"}, follow_redirects=True
        )
    )
    assert f"{name} är inaktiverad." in page


def test_the_mfa_policy_flash_in_english(admin_client):
    client = _english(admin_client)
    page = _page(client.post("/admin/inloggning/tvastegs", data={"lots": "y"}, follow_redirects=True))
    assert "Changed for: " in page
    assert "Ändrat för" not in page
    again = _page(client.post("/admin/inloggning/tvastegs", data={"lots": "y"}, follow_redirects=True))
    assert "Nothing was changed." in again


def test_the_reasons_of_failed_sign_ins_in_english(admin_client, users):
    record_attempt(users["lots"].email, "10.0.0.9", user=users["lots"], reason="wrong", now=utcnow())
    db.session.commit()
    english = _page(_english(admin_client).get("/admin/inloggning"))
    assert "wrong e-mail or password" in english  # REASON_LABELS
    assert "fel e-post eller lösenord" not in english


def test_the_reasons_of_failed_sign_ins_in_swedish(admin_client, users):
    record_attempt(users["lots"].email, "10.0.0.9", user=users["lots"], reason="wrong", now=utcnow())
    db.session.commit()
    assert "fel e-post eller lösenord" in _page(admin_client.get("/admin/inloggning"))


def test_the_scheduled_jobs_are_described_in_english(admin_client):
    english = _page(_english(admin_client).get("/admin/utkorg/"))
    assert "Send the e-mail in the outbox" in english
    assert "every minute" in english
    assert "Skicka e-posten i utkorgen" not in english


def test_the_audit_log_filter_label_in_english(login_as):
    english = _page(_english(login_as("admin")).get("/admin/logg"))
    assert ">User<" in english
    assert ">Användare<" not in english
    swedish = _page(login_as("admin").get("/admin/logg"))
    assert ">Användare<" in swedish
