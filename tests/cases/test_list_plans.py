"""The deadline list's count (issue 18, migration 0028): the cases with a permit deadline near
or passed are found through the two permit indexes, which hold `case_id` – so SQLite reads no
permit row for its case (docs/ARCHITECTURE.md, "Plans at 100 000 companies")."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.cases import queries
from tests.builders import cases as f
from tests.plans import plan_of

INDEXES = {
    "ix_case_permits_decision_on_expected_case": ["decision_on", "expected_decision_on", "case_id"],
    "ix_case_permits_submitted_on_apply_by_case": ["submitted_on", "apply_by", "case_id"],
}


def test_the_deadline_count_reads_the_cases_from_the_permit_indexes(db, users):
    lots = users["lots"]
    case = f.make_case(lots, title="Sent tillstånd")
    f.make_permit(case, lots, "bygglov", submitted_on=date(2025, 10, 1), complete_on=date(2025, 10, 1))
    db.session.flush()
    declared = {
        ix["name"]: ix["column_names"]
        for ix in sa.inspect(db.session.connection()).get_indexes("case_permits")
    }

    plan = plan_of(queries.warning_case_ids(f.NOW.date(), 14))

    for index, columns in INDEXES.items():
        assert declared.get(index) == columns, declared
        assert index in plan, plan
    assert db.session.scalars(queries.warning_case_ids(f.NOW.date(), 14)).all() == [case.id]
