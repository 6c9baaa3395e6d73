"""The templates' `_()` looks the translations up once per request and locale
(app/core/template_i18n.py): a whole page of texts costs one lookup, and `force_locale()` inside
a request (e-mails in the recipient's language) and `refresh()` after it still switch language."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale, refresh

import app.core.template_i18n as template_i18n

PAGE = "{{ _('Klar') }}|{{ _('Avbryt') }}|{{ ngettext('%(num)d att göra', '%(num)d att göra', 2) }}"


def test_one_lookup_for_all_texts_of_a_request(app, monkeypatch):
    calls = []
    real = template_i18n.get_translations

    def counting():
        calls.append(1)
        return real()

    monkeypatch.setattr(template_i18n, "get_translations", counting)
    with app.test_request_context("/"), force_locale("en"):
        assert render_template_string(PAGE) == "Done|Cancel|2 to do"
        assert render_template_string(PAGE) == "Done|Cancel|2 to do"
    assert len(calls) == 1


def test_force_locale_and_refresh_switch_the_language(app):
    with app.test_request_context("/"):
        with force_locale("en"):
            assert render_template_string(PAGE) == "Done|Cancel|2 to do"
            with force_locale("sv"):
                assert render_template_string(PAGE) == "Klar|Avbryt|2 att göra"
            assert render_template_string(PAGE) == "Done|Cancel|2 to do"
        refresh()
        assert render_template_string(PAGE) == "Klar|Avbryt|2 att göra"  # the default: Swedish
