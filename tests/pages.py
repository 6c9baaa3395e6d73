"""Proof that a response rendered what it should, before a test looks for what must be absent.

`assert "Hemlig" not in html` passes on an error page, a sign-in redirect or an empty body.
Every such check first goes through one of these helpers, which assert the status, the kind of
body and the page's own heading (or, for a file or JSON, a marker that only the right answer
has), and return the text to search:

    html = rendered(client.get("/foretag"), heading="Företag")
    assert "Hemlig" not in html

They take a Flask test response or a `requests` response (tests/server). A JSON body is
returned with its \\u escapes undone: searched as Flask sends it, `"Nedläggning" not in body`
would pass whatever the body held.
"""

from __future__ import annotations

import json
import re

from app.core.web import ERROR_TITLES

_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_TAGS = re.compile(r"<[^>]+>")


def heading_of(html: str) -> str:
    """The text of the page's first <h1>, tags removed and spaces collapsed ("" without one)."""
    match = _H1.search(html)
    return " ".join(_TAGS.sub(" ", match.group(1)).split()) if match else ""


def _parts(response) -> tuple[int, str, bytes]:
    if hasattr(response, "get_data"):  # Flask/Werkzeug test response
        return response.status_code, response.mimetype, response.get_data()
    content_type = response.headers.get("Content-Type", "")  # requests.Response
    return response.status_code, content_type.split(";")[0].strip(), response.content


def rendered(response, *, heading: str, status: int = 200, marker: str = "") -> str:
    """The response is an HTML page with `status` whose <h1> starts with `heading` (and which
    contains `marker`, if given); returns its text."""
    code, mimetype, body = _parts(response)
    text = body.decode()
    shown = heading_of(text)
    assert code == status, f"status {code}, not {status} (page {shown!r})"
    assert mimetype == "text/html", f"{mimetype}, not an HTML page"
    assert not shown.startswith(tuple(ERROR_TITLES.values())), f"an error page: {shown!r}"
    assert shown.startswith(heading), f"heading {shown!r}, not {heading!r}"
    assert marker in text, f"{marker!r} not on the page {shown!r}"
    return text


def served(response, *, mimetype: str, marker: str, status: int = 200) -> str:
    """The response is a `mimetype` body (a CSV, ICS or JSON file, an HTML fragment) with
    `status` that contains `marker` (e.g. the CSV header row, a row only the right answer has);
    returns its text (a UTF-8 byte-order mark dropped; JSON with its \\u escapes undone)."""
    code, shown, body = _parts(response)
    assert code == status, f"status {code}, not {status}"
    assert shown == mimetype, f"{shown}, not {mimetype}"
    text = body.decode("utf-8-sig")
    if mimetype.endswith("json"):
        # Flask writes non-ASCII as \u escapes: "Nedläggning" would never be found, present
        # or not. Searched as the characters they stand for.
        text = json.dumps(json.loads(text), ensure_ascii=False)
    assert marker in text, f"{marker!r} not in the {mimetype} body"
    return text
