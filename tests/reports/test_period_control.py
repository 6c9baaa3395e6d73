"""The dashboard's period control without JavaScript (issue 15 §6), through the test client: the
form holds every kind's inputs, shown and enabled, and what a browser without JavaScript sends
for it – every input – gives the kind the user chose with the month, quarter or year the user
picked (not the current one); bookmarked URLs of the older form still work."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.pages import rendered
from tests.reports.dataset import build_dataset

MARCH = "period=month&month=2025-03"


@pytest.fixture
def chef(db, users, login_as):
    build_dataset(db, users)
    return login_as("chef")


class _PeriodForm(HTMLParser):
    """The period form's controls as a browser without JavaScript submits them:
    [(name, value)] of every enabled input and the selected option of every select."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.disabled: list[str] = []
        self.hidden_groups: list[str] = []
        self._select: str | None = None
        self._first: str | None = None
        self._chosen: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "data-period-form" in a:
            self.inside = True
        if not self.inside:
            return
        if "data-period-kind" in a and "hidden" in a:
            self.hidden_groups.append(a["data-period-kind"])
        if tag in ("input", "select") and "disabled" in a:
            self.disabled.append(a.get("name", ""))
            return
        if tag == "input" and a.get("name"):
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._first, self._chosen = a.get("name"), None, None
        elif tag == "option" and self._select:
            if self._first is None:
                self._first = a.get("value", "")
            if "selected" in a:
                self._chosen = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            value = self._chosen if self._chosen is not None else self._first
            self.fields.append((self._select, value or ""))
            self._select = None
        elif tag == "form" and self.inside:
            self.inside = False


def _form(page: str) -> _PeriodForm:
    parser = _PeriodForm()
    parser.feed(page)
    return parser


def _submit(client, fields: list[tuple[str, str]], **changed: str) -> str:
    """Submit the form as a browser without JavaScript: every field, some changed by the user."""
    sent = [(name, changed.get(name, value)) for name, value in fields]
    query = "&".join(f"{name}={value}" for name, value in sent)
    return client.get(f"/rapporter?{query}")


def test_every_kind_is_shown_and_sent_without_javascript(chef):
    page = rendered(chef.get(f"/rapporter?{MARCH}"), heading="Rapporter: mars 2025")
    form = _form(page)
    assert form.hidden_groups == []
    assert form.disabled == []
    fields = dict(form.fields)
    # Each kind's inputs start from the shown period: March 2025 is in quarter 1 of 2025.
    assert fields["month"] == "2025-03"
    assert (fields["quarter"], fields["quarter_year"], fields["year"]) == ("1", "2025", "2025")
    assert (fields["from"], fields["to"]) == ("2025-03-01", "2025-03-31")
    # Without JavaScript each kind's inputs stand under its name (reports.js hides the names).
    assert 'id="period-kind-quarter" data-period-nojs>Kvartal<' in page


def test_switching_kind_without_javascript_gives_the_chosen_period(chef):
    fields = _form(chef.get(f"/rapporter?{MARCH}").get_data(as_text=True)).fields
    # "Kvartal" alone: the quarter the shown month belongs to, not today's quarter.
    rendered(_submit(chef, fields, period="quarter"), heading="Rapporter: kvartal 1 2025")
    # Kvartal, then quarter 3 of 2024 picked in the quarter's inputs.
    rendered(
        _submit(chef, fields, period="quarter", quarter="3", quarter_year="2024"),
        heading="Rapporter: kvartal 3 2024",
    )
    # The year kind reads its own year, not the quarter's.
    rendered(
        _submit(chef, fields, period="year", year="2024", quarter_year="2023"), heading="Rapporter: 2024"
    )
    rendered(_submit(chef, fields, period="month", month="2025-01"), heading="Rapporter: januari 2025")
    rendered(
        _submit(chef, fields, period="custom", **{"from": "2025-02-03", "to": "2025-02-20"}),
        heading="Rapporter: 2025-02-03 – 2025-02-20",
    )
    # And the page shown next offers the chosen period in its inputs again.
    page = _submit(chef, fields, period="quarter", quarter="3", quarter_year="2024").get_data(as_text=True)
    again = dict(_form(page).fields)
    assert (again["period"], again["quarter"], again["quarter_year"]) == ("quarter", "3", "2024")


def test_bookmarked_urls_still_work(chef):
    cases = {
        "period=quarter&year=2025&quarter=2": "Rapporter: kvartal 2 2025",  # the older form, Period.to_args
        "period=quarter&quarter=4&quarter_year=2024": "Rapporter: kvartal 4 2024",  # the form with JavaScript
        "period=year&year=2024": "Rapporter: 2024",
        "period=month&month=2025-02": "Rapporter: februari 2025",
        "period=custom&from=2025-03-10&to=2025-03-20": "Rapporter: 2025-03-10 – 2025-03-20",
    }
    for query, heading in cases.items():
        rendered(chef.get(f"/rapporter?{query}"), heading=heading)
    # The export and drill-down links carry the canonical parameters of the chosen period.
    page = chef.get("/rapporter?period=quarter&quarter=4&quarter_year=2024").get_data(as_text=True)
    assert "/rapporter/export.csv?period=quarter&amp;year=2024&amp;quarter=4" in page
