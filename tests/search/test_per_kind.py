"""One full-text table per kind (migration 0023, issue 18): each kind's table holds exactly its
live rows and follows every insert, edit and delete; a common word in one kind neither hides
nor slows another kind's hits; ranking, Swedish letters, prefixes and the restriction rule stay
as they were. On SQLite and PostgreSQL alike (the suite runs on both)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.fulltext import KINDS, SOURCE_TABLES, fts_table
from app.core.time import utcnow
from app.search import queries
from app.search.queries import search
from tests.builders import cases as cf
from tests.builders.companies import make_company, make_contact_person
from tests.builders.interactions import make_interaction
from tests.pages import rendered

pytestmark = pytest.mark.usefixtures("fixed_clock")


def _ids(results, kind):
    return [hit.id for hit in results.hits.get(kind, [])]


def _key(db) -> str:
    return "rowid" if db.engine.dialect.name == "sqlite" else "id"


def _indexed(db, kind: str) -> set[int]:
    return set(db.session.scalars(sa.text(f"SELECT {_key(db)} FROM {fts_table(kind)}")))  # noqa: S608


def _sources(db, kind: str) -> set[int]:
    return set(db.session.scalars(sa.text(f"SELECT id FROM {SOURCE_TABLES[kind]}")))  # noqa: S608


def test_each_kind_table_holds_its_own_rows_and_follows_edits_and_deletes(db, users):
    company = make_company("Indexbolaget Åre AB")
    person = make_contact_person(company, name="Örjan Indexsson")
    contact = make_interaction(company, users["lots"], subject="Indexsamtal", notes="Om bygglov")
    case = cf.make_case(users["lots"], company=company, title="Indexärende")
    db.session.commit()
    for kind in KINDS:
        assert _indexed(db, kind) == _sources(db, kind), kind
    assert {company.id, person.id, contact.id, case.id} <= set().union(*(_indexed(db, k) for k in KINDS))

    contact.subject = "Omdöpt samtal"
    person.name = "Örjan Nyström"
    db.session.commit()
    assert _ids(search("omdöpt", actor=users["lots"]), "interaction") == [contact.id]
    assert _ids(search("indexsamtal", actor=users["lots"]), "interaction") == []
    assert _ids(search("nyström", actor=users["lots"]), "person") == [person.id]

    person_id = person.id
    db.session.execute(sa.text("DELETE FROM contact_persons WHERE id = :i"), {"i": person_id})
    db.session.commit()
    assert person_id not in _indexed(db, "person")
    assert _indexed(db, "person") == _sources(db, "person")


def test_a_common_word_in_contacts_does_not_crowd_out_companies(db, users, monkeypatch):
    """Only the newest RANK_WINDOW matches of a kind are ranked – of that kind: contacts saying
    "bygglov" never use up the companies' window (nor the company list's matches)."""
    monkeypatch.setattr(queries, "RANK_WINDOW", 3)
    builders = [make_company(f"Byggfirma {n} AB") for n in range(3)]
    other = make_company("Annat Namn AB")
    for n in range(6):
        make_interaction(other, users["lots"], subject=f"Bygglov nummer {n}", notes="")
    db.session.commit()
    results = search("bygg", actor=users["lots"])
    assert sorted(_ids(results, "company")) == sorted(c.id for c in builders)
    assert len(_ids(results, "interaction")) == 3  # the window of the contacts' own kind


def test_the_window_is_the_newest_matches_ranked_title_before_body(db, users, monkeypatch):
    monkeypatch.setattr(queries, "RANK_WINDOW", 3)
    company = make_company("Fönsterputs AB")
    now = utcnow()
    oldest = make_interaction(
        company, users["lots"], subject="Serveringstillstånd", at=now - timedelta(days=9)
    )
    in_notes = make_interaction(
        company,
        users["lots"],
        subject="Samtal",
        notes="Nämnde serveringstillstånd.",
        at=now - timedelta(days=3),
    )
    in_subject = make_interaction(
        company, users["lots"], subject="Serveringstillstånd för uteserveringen", at=now - timedelta(days=2)
    )
    prefix_only = make_interaction(
        company, users["lots"], subject="Serveringstillståndet förnyat", at=now - timedelta(days=1)
    )
    db.session.commit()
    hits = _ids(search("serveringstillstånd", actor=users["lots"]), "interaction")
    # The newest three matches (ids ascend with time here); the oldest is outside the window.
    assert oldest.id not in hits
    assert set(hits) == {in_subject.id, in_notes.id, prefix_only.id}
    assert hits[-1] == in_notes.id  # the subject weighs more than the notes


def test_swedish_letters_and_prefixes_per_kind(db, users):
    company = make_company("Åkessons Bygg och Snickeri AB")
    person = make_contact_person(company, name="Märta Älvdalen")
    case = cf.make_case(users["lots"], company=company, title="Ändrad användning av lokal")
    db.session.commit()
    lots = users["lots"]
    assert _ids(search("åkes", actor=lots), "company") == [company.id]
    assert _ids(search("ÅKESSONS byg", actor=lots), "company") == [company.id]
    assert _ids(search("akes", actor=lots), "company") == []  # å is not a
    assert _ids(search("märta älvd", actor=lots), "person") == [person.id]
    assert _ids(search("marta", actor=lots), "person") == []
    assert _ids(search("ändrad anv", actor=lots), "case") == [case.id]


def test_restricted_contacts_and_cases_stay_hidden_in_the_per_kind_windows(db, users):
    company = make_company("Hemlighetsmakarna AB")
    contact = make_interaction(company, users["lots"], subject="Zqxsekret förhandling", is_restricted=True)
    case = cf.make_case(users["lots"], company=company, title="Zqxsekret etablering", is_restricted=True)
    open_contact = make_interaction(company, users["lots"], subject="Zqxsekret men öppen")
    db.session.commit()
    author = search("zqxsekret", actor=users["lots"])
    assert set(_ids(author, "interaction")) == {contact.id, open_contact.id}
    assert _ids(author, "case") == [case.id]
    chef = search("zqxsekret", actor=users["chef"])
    assert _ids(chef, "interaction") == [open_contact.id]
    assert _ids(chef, "case") == []


def test_one_statement_for_all_kinds_windows(app, db, users):
    company = make_company("Räknebolaget AB")
    make_interaction(company, users["lots"], subject="Räknesamtal")
    cf.make_case(users["lots"], company=company, title="Räkneärende")
    db.session.commit()
    statements: list[str] = []

    def _count(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", _count)
    try:
        results = search("räkne", actor=users["chef"])
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", _count)
    assert _ids(results, "company") == [company.id]
    assert len(_ids(results, "case")) == 1
    assert sum("search_fts_" in s for s in statements) == 1, statements


def test_company_list_search_reads_names_not_contact_subjects(lots_client, db, users):
    by_person = make_company("Firma Ett AB")
    make_contact_person(by_person, name="Zqvbyggare Persson")
    make_company("Zqvbyggarna AB")
    by_contact = make_company("Firma Tre AB")
    make_interaction(by_contact, users["lots"], subject="Zqvbyggnation diskuterad")
    db.session.commit()
    html = rendered(lots_client.get("/foretag", query_string={"q": "zqvbygg"}), heading="Företag")
    assert "Firma Ett AB" in html
    assert "Zqvbyggarna AB" in html
    assert "Firma Tre AB" not in html


def test_search_finds_the_company_and_starts_no_parallel_workers_on_postgresql(db, users):
    """The windowed statement finds its rows on both databases; on PostgreSQL it runs with
    parallel workers off for its transaction (SET LOCAL; they cost ~20–30 ms per search when the
    gate skipped the older matches anyway), and the setting ends with the transaction."""
    make_company("Parallellfria Bygg AB")
    db.session.commit()
    results = search("parallellfria", actor=users["lots"])
    assert _ids(results, "company")
    if db.engine.dialect.name == "postgresql":  # SQLite has no planner setting to check
        assert db.session.scalar(sa.text("SHOW max_parallel_workers_per_gather")) == "0"
        db.session.commit()
        assert db.session.scalar(sa.text("SHOW max_parallel_workers_per_gather")) != "0"
