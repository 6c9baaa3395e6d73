"""The synthetic data generator: deterministic, realistic proportions, consistent denormalised
columns, and searchable (FTS triggers fire on bulk inserts)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.companies.orgnr import parse_orgnr
from app.scale import generate_cases_visits  # noqa: F401 - registers cases and visits
from app.scale.generate import generate

ANCHOR = date(2026, 11, 27)


def _snapshot(db) -> list:
    rows = []
    for sql in (
        "SELECT id, name, orgnr, size_class, last_contact_at, next_followup_on FROM companies ORDER BY id",
        "SELECT id, company_id, kind, occurred_at, focus_area_id, subject FROM interactions ORDER BY id",
        "SELECT id, company_id, status, intake_on FROM lots_cases ORDER BY id",
        "SELECT id, company_id, starts_at, status FROM company_visits ORDER BY id",
    ):
        rows.append([tuple(r) for r in db.session.execute(sa.text(sql))])
    return rows


def test_same_seed_same_data_and_another_seed_other_data(db):
    counts = generate(60, seed=7, anchor=ANCHOR, echo=lambda _m: None)
    first = _snapshot(db)
    db.session.rollback()
    generate(60, seed=7, anchor=ANCHOR, echo=lambda _m: None)
    assert _snapshot(db) == first
    db.session.rollback()
    generate(60, seed=8, anchor=ANCHOR, echo=lambda _m: None)
    assert _snapshot(db) != first
    assert counts["companies"] == 60


def test_proportions_and_consistency(db):
    counts = generate(400, seed=1, anchor=ANCHOR, echo=lambda _m: None)
    db.session.commit()
    assert 2.0 <= counts["contact_persons"] / counts["companies"] <= 3.0
    assert 8 <= counts["interactions"] / counts["companies"] <= 12
    assert counts["lots_cases"] > 0
    assert counts["case_permits"] > 0
    assert counts["followups"] > 0
    assert counts["company_visits"] > 0
    for (orgnr,) in db.session.execute(sa.text("SELECT orgnr FROM companies")):
        parse_orgnr(orgnr)  # raises if invalid
    mismatched = (
        db.session.scalar(
            sa.text(
                "SELECT count(*) FROM companies c WHERE c.last_contact_at IS NOT "
                "(SELECT max(i.occurred_at) FROM interactions i WHERE i.company_id = c.id)"
            )
        )
        if db.engine.dialect.name == "sqlite"
        else db.session.scalar(
            sa.text(
                "SELECT count(*) FROM companies c WHERE c.last_contact_at IS DISTINCT FROM "
                "(SELECT max(i.occurred_at) FROM interactions i WHERE i.company_id = c.id)"
            )
        )
    )
    assert mismatched == 0


def test_generated_data_is_searchable(db, users):
    from app.search.queries import search

    generate(50, seed=3, anchor=ANCHOR, echo=lambda _m: None)
    db.session.commit()
    name = db.session.scalar(sa.text("SELECT name FROM companies ORDER BY id DESC LIMIT 1"))
    hits = search(name.split()[0], actor=users["lots"]).hits["company"]
    assert hits


def test_cli(runner, db):
    result = runner.invoke(
        args=["generate-data", "--companies", "30", "--seed", "2", "--anchor", "2026-11-27"]
    )
    assert result.exit_code == 0, result.output
    assert "companies 30" in result.output
