"""The start page's "Logga kontakt" and the header's menu button (issue 15 §4)."""

from __future__ import annotations

import re


def test_the_start_page_offers_logga_kontakt_to_whoever_may_log_contacts(login_as):
    html = login_as("lots").get("/").get_data(as_text=True)
    main = html.split('<main id="main"', 1)[1]
    assert re.search(
        r'<p class="start-actions"><a class="button" href="/kontakter/ny">Logga kontakt</a></p>', main
    )


def test_the_start_page_has_no_logga_kontakt_for_a_role_that_may_not_log(login_as):
    for role in ("ledning", "chef", "admin"):
        html = login_as(role).get("/").get_data(as_text=True)
        assert "start-actions" not in html, role
        assert 'href="/kontakter/ny"' not in html.split('<main id="main"', 1)[1], role


def test_the_header_has_a_hidden_menu_button_that_controls_the_menu(login_as):
    html = login_as("chef").get("/").get_data(as_text=True)
    button = re.search(r"<button [^>]*data-menu-toggle[^>]*>Meny</button>", html)
    assert button, "no Meny button"
    assert 'aria-controls="header-menu"' in button.group(0)
    assert " hidden" in button.group(0)  # shown by lotsbok.js only
    menu = html.split('id="header-menu"', 1)[1].split("</header>", 1)[0]
    assert 'id="main-nav"' in menu
    assert 'id="header-q"' in menu
    assert "Logga ut" in menu
