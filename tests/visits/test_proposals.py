"""The visit proposals: each reason, and what is left out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.companies.models import Company
from app.visits import queries
from tests.builders.cases import make_case
from tests.builders.companies import make_company
from tests.builders.visits import make_visit, record_visit

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
LONG_AGO = datetime(2024, 1, 10, 10, 0, tzinfo=UTC)


def _old(**overrides) -> Company:
    """A company registered long ago (so it is not "new")."""
    return make_company(created_at=LONG_AGO, **overrides)


def _reasons(actor, name: str) -> list[str]:
    for p in queries.proposals(actor, NOW):
        if p.company.name == name:
            return p.reasons
    return []


def test_key_company_not_visited_within_its_cadence(db, users):
    never = _old(name="Aldrig Besökt AB", is_key_company=True, contact_cadence_months=6)
    lapsed = _old(name="Länge Sedan AB", is_key_company=True, contact_cadence_months=6)
    recent = _old(name="Nyss Besökt AB", is_key_company=True, contact_cadence_months=6)
    no_cadence = _old(name="Utan Intervall AB", is_key_company=True)
    for company, at in (
        (lapsed, datetime(2025, 11, 1, 9, tzinfo=UTC)),
        (recent, datetime(2026, 4, 1, 9, tzinfo=UTC)),
        (no_cadence, datetime(2025, 9, 1, 9, tzinfo=UTC)),
    ):
        visit = make_visit(
            company, users["lots"], ledning=[users["ledning"]], starts_at=at, now=at - timedelta(days=7)
        )
        record_visit(visit, users["lots"], now=at + timedelta(hours=2))
    actor = users["ledning"]
    assert _reasons(actor, never.name) == ["Nyckelföretag som aldrig har besökts (kontaktintervall 6 mån)"]
    assert _reasons(actor, lapsed.name) == [
        "Nyckelföretag, senast besökt 2025-11-01 – mer än 6 mån sedan (kontaktintervall 6 mån)"
    ]
    assert _reasons(actor, recent.name) == []
    assert _reasons(actor, no_cadence.name) == []  # 12 months by default: visited 9.5 months ago
    names = [c.name for c, _ in queries.key_companies_due(NOW)]
    assert names.index(never.name) < names.index(lapsed.name)  # never visited first


def test_company_with_open_lots_cases(db, users):
    company = _old(name="Ärende AB")
    make_case(
        users["lots"],
        company=company,
        contact_person_id=None,
        now=None,
        title="Serveringstillstånd",
        intake_on=datetime(2026, 5, 4).date(),
    )
    make_case(
        users["lots"],
        company=company,
        contact_person_id=None,
        now=None,
        title="Bygglov",
        intake_on=datetime(2026, 5, 20).date(),
    )
    secret = _old(name="Hemlig Etablering AB")
    make_case(
        users["lots"],
        company=secret,
        contact_person_id=None,
        now=None,
        title="Markförfrågan",
        is_restricted=True,
        intake_on=datetime(2026, 5, 1).date(),
    )
    assert _reasons(users["ledning"], company.name) == ["2 öppna lotsärenden (inkommet 2026-05-04)"]
    # A restricted case is no reason for a reader who may not see it – the reason would reveal it.
    assert _reasons(users["ledning"], secret.name) == []
    assert _reasons(users["lots"], secret.name) == ["1 öppet lotsärende (inkommet 2026-05-01)"]


def test_large_employer_without_contact_for_a_year(db, users):
    silent = _old(
        name="Stor Tyst AB", size_class="100-249", last_contact_at=datetime(2025, 3, 1, 9, tzinfo=UTC)
    )
    never = _old(name="Stor Okänd AB", size_class="500+")
    talked = _old(
        name="Stor Pratsam AB", size_class="50-99", last_contact_at=datetime(2026, 2, 1, 9, tzinfo=UTC)
    )
    small = _old(
        name="Liten Tyst AB", size_class="20-49", last_contact_at=datetime(2024, 3, 1, 9, tzinfo=UTC)
    )
    actor = users["ledning"]
    assert _reasons(actor, silent.name) == [
        "Stor arbetsgivare (100–249 anställda), ingen kontakt sedan 2025-03-01"
    ]
    assert _reasons(actor, never.name) == ["Stor arbetsgivare (500 eller fler anställda) utan loggad kontakt"]
    assert _reasons(actor, talked.name) == []
    assert _reasons(actor, small.name) == []


def test_newly_established_companies(db, users):
    prospect = _old(name="Prospekt AB", status="establishing")
    new = make_company(name="Nystartat AB", created_at=datetime(2026, 2, 3, 9, tzinfo=UTC))
    old = _old(name="Gammalt AB")
    actor = users["ledning"]
    assert _reasons(actor, prospect.name) == ["Nyetablering/prospekt (status etablering)"]
    assert _reasons(actor, new.name) == ["Nytt företag, registrerat 2026-02-03"]
    assert _reasons(actor, old.name) == []


def test_reasons_are_combined_and_planned_or_dead_companies_left_out(db, users):
    both = _old(name="Dubbel AB", is_key_company=True, contact_cadence_months=3, size_class="250-499")
    planned = _old(name="Redan Planerat AB", status="establishing")
    make_visit(
        planned, users["lots"], ledning=[users["ledning"]], starts_at=NOW + timedelta(days=10), now=NOW
    )
    gone = _old(name="Avvecklat AB", size_class="500+", status="wound_up")
    deleted = _old(name="Borttaget AB", size_class="500+", deleted_at=NOW)
    actor = users["ledning"]
    assert len(_reasons(actor, both.name)) == 2
    for company in (planned, gone, deleted):
        assert _reasons(actor, company.name) == []


def test_each_reason_is_bounded(db, users):
    for i in range(4):
        _old(name=f"Stor {i} AB", size_class="500+")
    found = [
        p
        for p in queries.proposals(users["ledning"], NOW, per_reason=2)
        if p.company.name.startswith("Stor ")
    ]
    assert len(found) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Company)) == 4
