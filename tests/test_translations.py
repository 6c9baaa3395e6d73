"""The English catalogue is complete, and choosing English gives English pages.

Swedish is the source language (the msgids are the Swedish texts); app/translations/en is
the only translation. A text wrapped in a template or in Python but missing from the
catalogue, left untranslated or marked fuzzy would show up in Swedish on an English page:
these tests fail instead (`make translations-update` re-extracts; see README, "Languages").
"""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.util import pathmatch

ROOT = Path(__file__).resolve().parent.parent
PO_FILE = ROOT / "app" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None}  # as `make translations-update` (-k _l)


@cache
def english() -> Catalog:
    with PO_FILE.open("rb") as fh:
        return read_po(fh, locale="en")


@cache
def extracted() -> dict[tuple[str | None, str], str]:
    """(context, msgid) → first place, for every text wrapped in app/ (babel.cfg's mapping)."""
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found: dict[tuple[str | None, str], str] = {}
    for path in sorted((ROOT / "app").rglob("*")):
        rel = path.relative_to(ROOT).as_posix()
        if not path.is_file() or "__pycache__" in rel:
            continue
        for pattern, method in method_map:
            if pathmatch(pattern, rel):
                if method != "ignore":
                    for lineno, msgid, _comments, context in extract_from_file(
                        method, str(path), keywords=KEYWORDS, options=options_map.get(pattern, {})
                    ):
                        key = msgid if isinstance(msgid, str) else msgid[0]
                        found.setdefault((context, key), f"{rel}:{lineno}")
                break
    return found


def _id(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def test_every_wrapped_text_is_in_the_english_catalogue():
    catalog = english()
    known = {(m.context, _id(m)) for m in catalog if m.id}
    missing = {key: where for key, where in extracted().items() if key not in known}
    assert not missing, (
        f"{len(missing)} wrapped texts are not in the English catalogue (run `make translations-update` "
        f"and translate them): "
        + "; ".join(f"{msgid!r} ({where})" for (_ctx, msgid), where in list(missing.items())[:20])
    )


def test_the_english_catalogue_has_no_untranslated_or_fuzzy_entries():
    untranslated = []
    fuzzy = []
    for message in english():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s and s.strip() for s in strings):
            untranslated.append(_id(message))
        if message.fuzzy:
            fuzzy.append(_id(message))
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy (check the translation, then remove the flag): {fuzzy[:20]}"


def test_translations_keep_placeholders_and_compile():
    catalog = english()
    problems = [f"{_id(m)!r}: {errors}" for m, errors in catalog.check()]
    # Babel checks %-placeholders only for python-format entries; check every entry, and that
    # HTML and leading/trailing spaces (texts joined with a value) survive the translation.
    for message in catalog:
        if not message.id:
            continue
        pairs = (
            zip(message.id, message.string, strict=True)
            if isinstance(message.id, tuple)
            else [(message.id, message.string)]
        )
        for source, target in pairs:
            placeholders = sorted(re.findall(r"%\(\w+\)[sd]|%[sd]", source))
            if placeholders != sorted(re.findall(r"%\(\w+\)[sd]|%[sd]", target)):
                problems.append(f"{source!r}: placeholders differ in {target!r}")
            if sorted(re.findall(r"</?\w+>", source)) != sorted(re.findall(r"</?\w+>", target)):
                problems.append(f"{source!r}: HTML differs in {target!r}")
            if source[:1].isspace() != target[:1].isspace() or source[-1:].isspace() != target[-1:].isspace():
                problems.append(f"{source!r}: surrounding space differs in {target!r}")
    assert not problems, problems[:20]
    write_mo(io.BytesIO(), catalog)  # what `make translations` does; must not raise


def _english(client):
    client.post("/sprak", data={"lang": "en", "next": "/"})
    return client


@pytest.mark.parametrize(
    ("path", "english_texts", "swedish_texts"),
    [
        ("/", ["Main menu", "Sign out"], ["Huvudmeny", "Logga ut"]),
        ("/arenden", ["Business cases", "Filter cases"], ["Lotsärenden", "Filtrera ärenden"]),
        (
            "/kontakter",
            ["Filter contacts", "No contacts yet."],
            ["Filtrera kontakter", "Inga kontakter ännu."],
        ),
        ("/uppfoljningar", ["Filter follow-ups"], ["Filtrera uppföljningar"]),
        ("/sok?q=zzzz", ["No results for “zzzz”."], ["Inga träffar"]),
    ],
)
def test_pages_are_in_english_when_english_is_chosen(login_as, path, english_texts, swedish_texts):
    client = _english(login_as("lots"))
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'lang="en"' in html
    for text in english_texts:
        assert text in html
    for text in swedish_texts:
        assert text not in html


def test_mail_is_swedish_even_when_the_sender_reads_english(app):
    """A mail goes out in Swedish whoever queues it (render_mail's language); its texts are
    translated all the same, ready for a recipient's own language."""
    from flask import session

    from app.mail.render import render_mail

    with app.test_request_context("/"):
        session["lang"] = "en"  # the request of someone who reads Lotsbok in English
        swedish = render_mail("cases/survey", person_name="Ada", token="t0ken")
        english = render_mail("cases/survey", language="en", person_name="Ada", token="t0ken")
    assert swedish.subject == "Vad tyckte du om vår service? En kort enkät från Borlänge kommun"
    assert swedish.text.startswith("Hej Ada!\n")
    assert english.subject == "What did you think of our service? A short survey from Borlänge Municipality"
    assert english.text.startswith("Hello Ada!\n")


def test_texts_built_outside_a_request_are_swedish(app):
    """A job or CLI command has no session to choose a language from: it gets Swedish, not an error."""
    from flask_babel import gettext

    with app.app_context():
        assert gettext("Spara") == "Spara"
    with app.test_request_context():
        from flask import session

        session["lang"] = "en"
        assert gettext("Spara") == "Save"
