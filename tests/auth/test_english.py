"""Sign-in and the user's own account pages reach an English reader in English (issue 16):
form labels, validation and sign-in errors, flashes, computed labels and the refusals of the
services; the same actions in Swedish are unchanged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale

from app.auth import oidc, throttle
from tests.builders.users import PASSWORD


def _english(client):
    client.post("/sprak", data={"lang": "en", "next": "/"})
    return client


def _page(response) -> str:
    return response.get_data(as_text=True)


def test_the_sign_in_page_and_its_errors_are_in_english(client, users):
    _english(client)
    page = _page(client.get("/logga-in"))
    assert "E-mail address" in page
    assert "Password" in page
    assert "E-postadress" not in page
    assert "Lösenord" not in page

    empty = _page(client.post("/logga-in", data={"email": "", "password": ""}))
    assert "Enter your e-mail address." in empty
    assert "Enter your password." in empty
    assert "Ange din e-postadress." not in empty

    wrong = _page(client.post("/logga-in", data={"email": users["lots"].email, "password": "fel-lösenord-x"}))
    assert "Wrong e-mail address or password." in wrong
    assert "Fel e-postadress eller lösenord." not in wrong


def test_the_sign_in_error_stays_swedish_in_swedish(client, users):
    page = _page(client.get("/logga-in"))
    assert "E-postadress" in page
    assert "Lösenord" in page
    wrong = _page(client.post("/logga-in", data={"email": users["lots"].email, "password": "fel-lösenord-x"}))
    assert "Fel e-postadress eller lösenord." in wrong
    assert "Wrong e-mail address" not in wrong


def test_sign_out_says_so_in_the_language_being_read(client, users):
    client.post("/logga-in", data={"email": users["lots"].email, "password": PASSWORD})
    _english(client)
    page = _page(client.post("/logga-ut", follow_redirects=True))
    assert "You are signed out." in page
    assert "Du är utloggad." not in page
    assert 'lang="en"' in page  # the sign-in page that follows is English too


def test_sign_out_in_swedish(client, users):
    client.post("/logga-in", data={"email": users["lots"].email, "password": PASSWORD})
    page = _page(client.post("/logga-ut", follow_redirects=True))
    assert "Du är utloggad." in page


def test_a_service_error_and_a_flash_on_the_password_page_in_english(login_as):
    client = _english(login_as("lots"))
    page = _page(client.get("/konto/losenord"))
    assert "Current password" in page
    assert "Repeat the new password" in page
    assert "Nuvarande lösenord" not in page

    refused = _page(
        client.post(
            "/konto/losenord",
            data={"current_password": "inte-rätt-alls", "new_password": "x" * 20, "confirm": "x" * 20},
        )
    )
    assert "The current password is not correct." in refused
    assert "Nuvarande lösenord stämmer inte." not in refused

    new = "Grön-cykel-under-syrenen-vid-sjön"
    changed = _page(
        client.post(
            "/konto/losenord",
            data={"current_password": PASSWORD, "new_password": new, "confirm": new},
            follow_redirects=True,
        )
    )
    assert "Your password has been changed. Other sign-ins have been ended." in changed
    assert "Ditt lösenord är bytt." not in changed


def test_the_password_change_flash_in_swedish(login_as):
    client = login_as("lots")
    new = "Grön-cykel-under-syrenen-vid-sjön"
    changed = _page(
        client.post(
            "/konto/losenord",
            data={"current_password": PASSWORD, "new_password": new, "confirm": new},
            follow_redirects=True,
        )
    )
    assert "Ditt lösenord är bytt. Andra inloggningar har avslutats." in changed


def test_my_sign_ins_show_computed_labels_in_english(login_as):
    client = _english(login_as("lots"))
    page = _page(client.get("/konto/inloggningar"))
    assert "Unknown browser" in page  # describe_device("pytest")
    assert "Okänd webbläsare" not in page
    flashed = _page(client.post("/konto/inloggningar/logga-ut-andra", follow_redirects=True))
    assert "You had no other sign-ins." in flashed


def test_my_sign_ins_in_swedish(login_as):
    page = _page(login_as("lots").get("/konto/inloggningar"))
    assert "Okänd webbläsare" in page


@pytest.mark.parametrize(
    ("wait", "english", "swedish"),
    [
        (timedelta(seconds=1), "Wait 1 second and try again", "Vänta 1 sekunder och försök igen"),
        (timedelta(seconds=20), "Wait 20 seconds and try again", "Vänta 20 sekunder och försök igen"),
        (timedelta(minutes=1), "Wait 1 minute and try again", "Vänta 1 minut och försök igen"),
        (timedelta(minutes=5), "Wait 5 minutes and try again", "Vänta 5 minuter och försök igen"),
    ],
)
def test_the_throttle_message_in_both_languages(app, wait, english, swedish):
    with app.test_request_context():
        with force_locale("en"):
            assert english in throttle.wait_message(wait)
        with force_locale("sv"):
            assert swedish in throttle.wait_message(wait)  # unchanged by the wrapping


def test_a_single_sign_on_refusal_in_english(app):
    cfg = oidc.OidcSettings.from_config(app.config)
    with app.test_request_context(), force_locale("en"), pytest.raises(oidc.OidcRefused) as refused:
        oidc.resolve_user({"sub": ""}, cfg)
    assert refused.value.message.startswith("The municipality's sign-in service sent no user ID. Contact ")
    swedish = "Kommunens inloggningstjänst skickade inget användar-id"
    with app.test_request_context(), pytest.raises(oidc.OidcRefused, match=swedish):
        oidc.resolve_user({"sub": ""}, cfg)
