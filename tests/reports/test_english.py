"""The report screens in English ("In English": `/sprak` lang=en): figure labels, period names,
drill-down lists, a period error and the CSV/XLSX export follow the reader's language – while
the monthly summary e-mail stays Swedish, also when someone who reads Lotsbok in English
previews or queues it. The same pages in Swedish are unchanged."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import session

from app.core.spreadsheet import read_table
from app.mail.models import OutboxMessage
from app.reports.periods import month_period
from app.reports.summary import queue_monthly_summaries
from tests.clock import utc
from tests.pages import rendered, served

MARCH = "period=month&month=2025-03"


def _english(client):
    client.post("/sprak", data={"lang": "en", "next": "/"})
    return client


def test_the_dashboard_is_in_english(dataset, login_as):
    page = rendered(_english(login_as("chef")).get(f"/rapporter?{MARCH}"), heading="Reports: March 2025")
    # Figure labels (app.reports.specs), the period kinds (periods.KINDS) and a chart's title.
    for english, swedish in [
        ("New business cases", "Nya lotsärenden"),
        ("Overdue follow-ups at the end of the period", "Försenade uppföljningar vid periodens slut"),
        ("Days to closure, 90th percentile", "Dagar till avslut, 90:e percentilen"),
        ("Open longer than 90 days", "Öppna längre än 90 dagar"),
        ("Custom period", "Valfri period"),
        ('aria-label="Contacts by type"', 'aria-label="Kontakter per typ"'),
        ("Compared with the same period the year before: March 2024", "mars 2024"),
    ]:
        assert english in page
        assert swedish not in page


def test_the_dashboard_in_swedish_is_unchanged(dataset, login_as):
    page = rendered(login_as("chef").get(f"/rapporter?{MARCH}"), heading="Rapporter: mars 2025")
    for swedish in ["Nya lotsärenden", "Öppna längre än 90 dagar", "Valfri period", "mars 2024"]:
        assert swedish in page
    assert "New business cases" not in page
    assert "March" not in page


def test_a_period_error_is_in_the_readers_language(dataset, login_as):
    bad = "/rapporter?period=custom&from=2025-03-10&to=2025-03-01"
    english = _english(login_as("chef")).get(bad).get_data(as_text=True)
    assert "The end date must be the same day as or after the start date." in english
    assert "Slutdatum måste vara" not in english
    swedish = login_as("chef").get(bad).get_data(as_text=True)
    assert "Slutdatum måste vara samma dag som eller efter startdatum." in swedish
    assert "The end date" not in swedish


def test_drill_down_lists_are_in_english(dataset, login_as):
    chef = _english(login_as("chef"))
    cases = rendered(
        chef.get(f"/rapporter/underlag?figure=cases.over90&{MARCH}"),
        heading="Business cases open longer than 90 days",
    )
    assert ">Case type<" in cases
    assert ">Closed<" in cases  # pgettext("ärende", "Avslutat"): the date a case was closed
    assert "Ärendetyp" not in cases
    permits = rendered(
        chef.get(f"/rapporter/underlag?figure=permits.passed&{MARCH}"),
        heading="Statutory processing times passed",
    )
    assert "Records in contacts and business cases with restricted access" in permits
    assert ">Authority<" in permits
    assert "Myndighet" not in permits
    swedish = rendered(
        login_as("chef").get(f"/rapporter/underlag?figure=permits.passed&{MARCH}"),
        heading="Passerade lagstadgade handläggningstider",
    )
    assert "Poster i kontakter och lotsärenden med begränsad åtkomst" in swedish
    assert ">Myndighet<" in swedish


def test_the_export_is_in_english(dataset, login_as):
    chef = _english(login_as("chef"))
    csv = chef.get(f"/rapporter/export.csv?{MARCH}")
    text = served(csv, mimetype="text/csv", marker="Section;Key figures;Value;Same period the year before")
    table = read_table(csv.data, "r.csv")
    rows = {(r[0], r[1]): r for r in table.rows}
    assert rows[("Key figures", "Contacts")][2:4] == ["3", "1"]
    assert rows[("Business cases", "Days to closure, median")][2] == "48,5"
    assert any(r[0].startswith("User: ") for r in table.rows)
    assert any(r[0] == f"Focus area: {dataset.fa1.name}" for r in table.rows)
    assert "Nyckeltal" not in text
    assert "Användare:" not in text
    xlsx = read_table(chef.get(f"/rapporter/export.xlsx?{MARCH}").data, "r.xlsx")
    assert xlsx.headers[:3] == ["Section", "Key figures", "Value"]
    assert ["Key figures", "Contacts", "3", "1", "2"] in xlsx.rows


def test_the_monthly_summary_stays_swedish_for_an_english_reader(db, dataset, login_as):
    chef = _english(login_as("chef"))
    # The dashboard is in English for this reader …
    dashboard = chef.get(f"/rapporter?{MARCH}").get_data(as_text=True)
    assert "New business cases" in dashboard
    # … the preview page around the mail too, but the mail itself is the Swedish one that is sent.
    page = rendered(
        chef.get("/rapporter/manadssammanfattning?month=2025-03"), heading="Monthly summary: March 2025"
    )
    mail = page.split("<h2>Subject</h2>")[1]
    assert "Lotsbok: månadssammanfattning för mars 2025" in mail
    assert "- Nya lotsärenden: 2" in mail  # a figure label of app.reports.specs
    assert "Lotsärende med begränsad åtkomst – öppna i Lotsbok" in mail
    assert "New business cases" not in mail
    assert "March" not in mail
    html = chef.get("/rapporter/manadssammanfattning.html?month=2025-03").get_data(as_text=True)
    assert "Nya lotsärenden" in html
    assert "New business cases" not in html


def test_a_summary_queued_in_an_english_request_is_swedish(app, db, dataset):
    with app.test_request_context("/"):
        session["lang"] = "en"  # e.g. an admin who reads Lotsbok in English runs the job by hand
        assert queue_monthly_summaries(month_period(date(2025, 3, 1)), now=utc(2025, 4, 1, 5)) == 1
    db.session.commit()
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.template == "monthly_summary"))
    assert mail.subject == "Lotsbok: månadssammanfattning för mars 2025"
    assert "- Nya lotsärenden: 2" in mail.body_text
    assert "Nya lotsärenden" in mail.body_html
    for english in ("March", "New business cases", "Business case with restricted access"):
        assert english not in mail.subject + mail.body_text + mail.body_html
