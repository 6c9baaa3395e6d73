"""The tel:/mailto: macros (app/templates/_macros/contact_links.html)."""

from __future__ import annotations

from flask import render_template_string

_IMPORT = '{% from "_macros/contact_links.html" import tel_link, mail_link %}'


def _render(call: str, **values) -> str:
    return render_template_string(_IMPORT + call, **values).strip()


def test_tel_link_strips_spaces_and_dashes_from_the_href_and_keeps_the_text(app):
    with app.test_request_context():
        html = _render("{{ tel_link(n) }}", n="016-710 20 00")
    assert 'href="tel:0167102000"' in html
    assert ">016-710 20 00</a>" in html


def test_tel_link_keeps_a_plus_and_drops_brackets_and_en_dashes(app):
    with app.test_request_context():
        assert 'href="tel:+46167102000"' in _render("{{ tel_link(n) }}", n="+46 16-710 20 00")
        assert 'href="tel:016710200"' in _render("{{ tel_link(n) }}", n="(016) 710–200")


def test_mail_link_is_a_mailto_link_with_the_address_as_text(app):
    with app.test_request_context():
        html = _render("{{ mail_link(a) }}", a=" anna@example.se ")
    assert (
        html == '<a href="mailto:anna@example.se" class="contact-link contact-link--mail">anna@example.se</a>'
    )


def test_empty_values_render_nothing_so_callers_can_fall_back(app):
    with app.test_request_context():
        assert _render("{{ tel_link(n) or '–' }}|{{ mail_link(a) or '–' }}", n=None, a="  ") == "–|–"


def test_markup_in_a_value_is_escaped(app):
    with app.test_request_context():
        html = _render("{{ tel_link(n) }}{{ mail_link(a) }}", n='1"><b>x', a='a"@b.se')
    assert "<b>" not in html
    assert 'href="mailto:a&#34;@b.se"' in html
