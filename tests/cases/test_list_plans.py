"""The deadline list's count (issue 18, migration 0028): the cases with a permit deadline near
or passed are found in the two permit indexes alone, which hold `case_id` – no permit row is read
(docs/ARCHITECTURE.md, "Plans at 100 000 companies")."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.cases import queries
from tests.builders import cases as f
from tests.plans import plan_of

INDEXES = ("ix_case_permits_decision_on_expected_case", "ix_case_permits_submitted_on_apply_by_case")


def test_the_deadline_count_reads_the_permit_indexes_only(db, users):
    lots = users["lots"]
    case = f.make_case(lots, title="Sent tillstånd")
    f.make_permit(case, lots, "bygglov", submitted_on=date(2025, 10, 1), complete_on=date(2025, 10, 1))
    db.session.flush()

    plan = plan_of(sa.select(queries.warning_case_ids(f.NOW.date(), 14).subquery()))

    for index in INDEXES:
        if db.session.get_bind().dialect.name == "sqlite":
            assert f"COVERING INDEX {index}" in plan, plan
        else:
            assert f"Index Only Scan using {index}" in plan, plan
    assert db.session.scalars(queries.warning_case_ids(f.NOW.date(), 14)).all() == [case.id]
