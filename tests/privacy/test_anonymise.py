"""Anonymisation: identifying values leave every table (searched in the database itself) while
the report figures stay the same; refused without a decision and for an open case."""

from __future__ import annotations

import base64
import json

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.companies.models import ContactPerson
from app.core.errors import Conflict, ValidationError
from app.core.fulltext import KINDS, fts_table
from app.core.time import utcnow
from app.extensions import db as _db
from app.privacy import services
from app.privacy.models import PersonRightsEvent
from app.privacy.retention import get_run
from app.reports.figures import Scope, build_report
from app.reports.periods import year_period
from tests.builders import cases as cf
from tests.builders.companies import SOLE_TRADER
from tests.privacy.world import EMAIL, NAME, OTHER_EMAIL, PHONE, TRADER_NAME, person_everywhere, picked

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the results depend on today's date

DECISION = "KS 2026/123, § 45"


def _forbidden() -> list[str]:
    return [NAME, EMAIL, OTHER_EMAIL, PHONE, SOLE_TRADER, f"{SOLE_TRADER[:6]}-{SOLE_TRADER[6:]}", TRADER_NAME]


def _texts(value) -> list[str]:
    """A stored value as the strings it holds (JSON in both spellings, base64 attachments decoded)."""
    if value is None:
        return []
    if isinstance(value, list | dict):
        texts = [json.dumps(value), json.dumps(value, ensure_ascii=False)]
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and "data" in item:
                    texts.append(base64.b64decode(item["data"]).decode("utf-8", errors="replace"))
        return texts
    return [str(value)]


def occurrences(values: list[str]) -> list[tuple[str, str, object]]:
    """Every (table, column, id) in the whole database that still holds one of the values."""
    hits = []
    for table in _db.metadata.sorted_tables:
        for row in _db.session.execute(sa.select(table)).mappings():
            for column, value in row.items():
                for text in _texts(value):
                    if any(v in text for v in values):
                        hits.append((table.name, column, row.get("id")))
                        break
    if _db.engine.dialect.name == "sqlite":
        for kind in KINDS:
            table = fts_table(kind)
            for rowid, title, body in _db.session.execute(sa.text(f"SELECT rowid, title, body FROM {table}")):
                if any(v in f"{title} {body}" for v in values):
                    hits.append(("search_fts", "title/body", rowid))
    return hits


def _figures():
    report = build_report(Scope(year_period(2026)), now=utcnow())
    values = [
        (section, f.key, f.value, f.previous) for section, figures in report.sections() for f in figures
    ]
    values += [
        (row.focus_area.id, row.contacts.value, row.cases_new.value, row.cases_closed.value, row.visits.value)
        for row in report.focus_rows
    ]
    return values


def test_anonymisation_removes_the_person_from_every_table_and_keeps_the_figures(db, users):
    w = person_everywhere(users)
    db.session.commit()
    before = _figures()
    assert occurrences(_forbidden())  # the sweep sees her before

    subject = services.subject_for(picked(w))
    preview = services.anonymisation_preview(subject, actor=users["admin"])
    assert preview.allowed
    assert preview.record_count > 10
    assert any("Kontaktperson" in line for line in preview.changes)
    run = services.anonymise(subject, DECISION, actor=users["admin"])
    db.session.commit()

    hits = occurrences(_forbidden())
    # Only the namesake (another person) keeps the name: her row and its search index entry.
    assert {(t, c) for t, c, _ in hits} <= {("contact_persons", "name"), ("search_fts", "title/body")}, hits
    assert [i for t, c, i in hits if t == "contact_persons"] == [w.namesake.id]
    assert _figures() == before
    # Logged: person-rights log with the decision, audit trail, gallringsprotokoll.
    protocol, items = get_run(run.id)
    assert protocol.trigger == "anonymisering"
    assert protocol.total > 0
    assert [(i.record_type, i.decision_reference) for i in items] == [("person", DECISION)]
    logged = db.session.scalars(
        sa.select(PersonRightsEvent).where(PersonRightsEvent.kind == "anonymisering")
    ).all()
    assert {e.decision_reference for e in logged} == {DECISION}
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "anonymise")
        )
        == 4
    )
    person = db.session.get(ContactPerson, w.person.id)
    assert person.name == "[anonymiserad]"
    assert not person.accepts_mailings


def test_anonymisation_needs_a_decision_and_no_open_case(db, users):
    w = person_everywhere(users)
    subject = services.subject_for(picked(w))
    with pytest.raises(ValidationError, match="gallringsbeslutet"):
        services.anonymise(subject, "  ", actor=users["admin"])
    open_case = cf.make_case(
        users["lots"], company=w.company, contact=w.person, title="Nytt bageri", diarienummer="KS 2026/77"
    )
    db.session.flush()
    preview = services.anonymisation_preview(subject, actor=users["admin"])
    assert not preview.allowed
    assert any("KS 2026/77" in reason for reason in preview.refusals)
    with pytest.raises(Conflict, match="öppna lotsärendet KS 2026/77"):
        services.anonymise(subject, DECISION, actor=users["admin"])
    assert open_case.is_open
    assert db.session.get(ContactPerson, w.person.id).name == NAME


def test_anonymise_page_refuses_without_decision_and_shows_reason(db, users, admin_client):
    w = person_everywhere(users)
    db.session.commit()
    query = "&".join(f"p={k}" for k in picked(w))
    page = admin_client.get(f"/personuppgifter/anonymisera?{query}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Det här ändras" in html
    assert "kan inte ångras" in html
    refused = admin_client.post(
        f"/personuppgifter/anonymisera?{query}", data={"decision_reference": "", "confirm": "y"}
    )
    assert refused.status_code == 400
    assert "ange gallringsbeslutet" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ContactPerson, w.person.id).name == NAME
    done = admin_client.post(
        f"/personuppgifter/anonymisera?{query}", data={"decision_reference": DECISION, "confirm": "y"}
    )
    assert done.status_code == 302
    assert "/gallringsprotokoll/" in done.location
    db.session.expire_all()
    assert db.session.get(ContactPerson, w.person.id).name == "[anonymiserad]"
