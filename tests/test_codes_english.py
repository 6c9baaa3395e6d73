"""The stored codes' labels reach the user in English (issue 16), stay Swedish in Swedish and in
stored texts, and a bookmarked link with an old Swedish code still filters."""

from __future__ import annotations

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.cases import services
from app.cases.workflow import CaseStatus
from app.companies.models import ESTABLISHING, WOUND_UP
from app.extensions import db as _db
from app.interactions.models import InteractionKind
from tests.builders import cases as f
from tests.builders.companies import make_company
from tests.builders.interactions import make_interaction


def _english(client):
    client.post("/sprak", data={"lang": "en", "next": "/"})
    return client


def _html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_code_labels_are_english_on_english_pages_and_swedish_on_swedish_ones(db, users, login_as):
    lots = users["lots"]
    company = make_company("Etikett AB", status=ESTABLISHING)
    case = f.make_case(
        lots, company=company, title="Etikettärende", priority="high", intake_channel="walk_in"
    )
    services.change_status(case, services.StatusChange(CaseStatus.IN_PROGRESS), actor=lots, now=f.NOW)
    make_interaction(company, lots, kind=InteractionKind.PERMIT_GUIDANCE.value, subject="Uteservering")
    _db.session.commit()

    english = _english(login_as("lots"))
    page = _html(english, f"/arenden/{case.id}")
    # The case's status tag, its intake channel, and the status form's choices (label dicts).
    assert "In progress" in page
    assert "Pågående" not in page
    assert "walk-in visit" in page
    assert "(besök)" not in page
    assert "Waiting for the company" in page
    assert "Väntar på företaget" not in page
    contacts = _html(english, "/kontakter")
    assert "Permit guidance" in contacts
    assert "Tillståndsvägledning" not in contacts
    companies = _html(english, "/foretag")
    assert "Establishing/prospect" in companies
    assert "Etablering/prospekt" not in companies
    assert "Wound up" in companies
    assert "Avvecklad" not in companies

    swedish = login_as("lots")
    page = _html(swedish, f"/arenden/{case.id}")
    assert "Pågående" in page
    assert "In progress" not in page
    assert "(besök)" in page
    assert "Väntar på företaget" in page
    assert "Tillståndsvägledning" in _html(swedish, "/kontakter")
    assert "Etablering/prospekt" in _html(swedish, "/foretag")


def test_a_status_change_in_english_is_recorded_in_swedish(db, users, login_as):
    """The audit summary is a record: the status label in it is Swedish whatever the language."""
    lots = users["lots"]
    case = f.make_case(lots, title="Loggärende")
    _db.session.commit()
    english = _english(login_as("lots"))
    response = english.post(
        f"/arenden/{case.id}/status",
        data={"status": CaseStatus.WAITING_ON_COMPANY.value, "outcome": "", "version": case.version},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Waiting for the company" in response.get_data(as_text=True)
    summary = _db.session.scalar(
        sa.select(AuditEvent.summary)
        .where(AuditEvent.entity_type == "lots_cases", AuditEvent.entity_id == case.id)
        .order_by(AuditEvent.id.desc())
    )
    assert summary == "Lotsärende ”Loggärende”: väntar på företaget"


def test_a_bookmarked_link_with_an_old_swedish_code_still_filters(db, users, lots_client):
    lots = users["lots"]
    working = f.make_case(lots, title="Ärende som pågår")
    services.change_status(working, services.StatusChange(CaseStatus.IN_PROGRESS), actor=lots, now=f.NOW)
    f.make_case(lots, title="Ärende som just kom in")
    make_company("Nedlagda Bruket AB", status=WOUND_UP)
    make_company("Levande Bruket AB")
    _db.session.commit()

    for code in (CaseStatus.IN_PROGRESS.value, "pagaende"):
        html = _html(lots_client, f"/arenden?vy=alla&status={code}")
        assert "Ärende som pågår" in html, code
        assert "Ärende som just kom in" not in html, code
    for code in (WOUND_UP, "avvecklad"):
        html = _html(lots_client, f"/foretag?status={code}")
        assert "Nedlagda Bruket AB" in html, code
        assert "Levande Bruket AB" not in html, code
