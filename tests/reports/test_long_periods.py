"""The dashboard over long periods (issue 18: any period up to five years): the same number of
SQL statements for a month as for five years, the five-year figures equal a recomputation from
the rows, and the permits figure (read from the contact facts) follows an edit of only the
permit guidance rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import sqlalchemy as sa

from app.extensions import db as _db
from app.interactions import services
from app.interactions.inputs import PermitGuidanceInput
from app.interactions.report_queries import contacts_and_companies, contacts_concerning_permits, focus_counts
from app.reports import counting, facts
from app.reports.base import Scope
from app.reports.figures import build_report
from app.reports.periods import custom_period
from tests.builders.catalogues import permit_type
from tests.builders.companies import make_company
from tests.builders.interactions import interaction_input
from tests.reports.conftest import NOW

PERIODS = [
    "period=month&month=2025-03",
    "period=quarter&year=2025&quarter=1",
    "period=year&year=2025",
    "period=custom&from=2025-03-03&to=2025-03-12",  # ten days: no whole month inside
    "period=custom&from=2021-01-01&to=2025-12-31",  # five whole years
    "period=custom&from=2021-03-15&to=2026-03-14",  # five years from mid-month to mid-month
]


def test_the_dashboard_runs_as_many_statements_for_five_years_as_for_a_month(app, db, dataset, login_as):
    chef = login_as("chef")
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(" ".join(statement.split())[:100])

    def count(query: str) -> list[str]:
        chef.get(f"/rapporter?{query}")
        _db.session.remove()
        statements.clear()
        response = chef.get(f"/rapporter?{query}")
        assert response.status_code == 200
        assert "En valfri period får vara högst" not in response.get_data(as_text=True), query
        return list(statements)

    sa.event.listen(_db.engine, "before_cursor_execute", record)
    try:
        counted = {query: count(query) for query in PERIODS}
    finally:
        sa.event.remove(_db.engine, "before_cursor_execute", record)
    month = counted[PERIODS[0]]
    for query, stmts in counted.items():
        assert len(stmts) == len(month), "\n".join([query, *stmts, "MONTH:", *month])


def test_five_year_figures_equal_a_recomputation_from_the_rows(db, dataset):
    for first, last in ((date(2021, 1, 1), date(2025, 12, 31)), (date(2021, 3, 15), date(2026, 3, 14))):
        scope = Scope(custom_period(first, last))
        report = build_report(scope, now=NOW, per_user=True)
        total, companies = contacts_and_companies(scope)
        by_focus, companies_by_focus = focus_counts(scope)
        assert total > 0
        assert report.figure("contacts.total").value == total
        assert report.figure("contacts.companies").value == companies
        assert report.figure("contacts.permits").value == contacts_concerning_permits(scope)
        for row in report.focus_rows:
            area = row.focus_area.id
            assert row.contacts.value == by_focus.get(area, 0)
            assert row.companies.value == companies_by_focus.get(area, 0)
        rows = counting.row_values(scope, NOW)
        for key in ("cases.new", "cases.closed", "visits.done", "followups.on_time", "followups.late"):
            assert report.figure(key).value == rows[key], key
        # The year before (the comparison column) as well.
        earlier = scope.year_earlier()
        assert report.figure("contacts.companies").previous == contacts_and_companies(earlier)[1]


def test_an_edit_of_only_the_permit_rows_moves_the_permits_figure(db, users):
    at = datetime(2026, 2, 20, 9, tzinfo=UTC)
    company = make_company()
    plain = interaction_input(company, occurred_at=at, permit_guidance=())
    contact = services.log_contact(plain, actor=users["lots"], now=at)
    period = custom_period(date(2021, 3, 15), date(2026, 3, 14))
    fa = plain.focus_area_id
    assert facts.contacts_concerning_permits(period) == 0
    row = PermitGuidanceInput(permit_type("bygglov").id, "Skicka ansökan", "")
    services.update_contact(contact, replace(plain, permit_guidance=(row,)), actor=users["lots"], now=at)
    db.session.flush()
    assert facts.contacts_concerning_permits(period) == 1
    assert facts.contacts_concerning_permits(period, fa) == 1
    assert facts.contacts_concerning_permits(period) == contacts_concerning_permits(Scope(period))
    services.update_contact(contact, plain, actor=users["lots"], now=at)
    db.session.flush()
    assert facts.contacts_concerning_permits(period) == 0
    assert facts.rebuild(db.session.connection()) == 0
