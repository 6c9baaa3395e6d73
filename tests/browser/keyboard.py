"""Keyboard helpers shared by the browser tests: signing in and moving the focus with Tab only."""

from __future__ import annotations

from tests.builders.users import PASSWORD


def keyboard_login(page, user) -> None:
    """Sign in through the form with the keyboard alone."""
    page.goto("/logga-in")
    page.get_by_label("E-postadress").focus()
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/")


def tab_to(page, predicate_js: str, limit: int = 60) -> int:
    """Press Tab until document.activeElement satisfies `predicate_js` (a JS expression on `el`);
    return how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(
            f"(() => {{ const el = document.activeElement; return !!(el && ({predicate_js})); }})()"
        ):
            return presses
    raise AssertionError(f"Tab never reached an element where {predicate_js}")
