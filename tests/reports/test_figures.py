"""Each figure against the hand-built dataset (tests/reports/conftest.py), March 2025."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa

from app.reports.figures import Scope, build_report, median, percentile
from app.reports.periods import month_period
from tests.builders.cases import make_case_row
from tests.builders.companies import make_company
from tests.builders.interactions import make_interaction_row
from tests.clock import utc
from tests.pages import rendered
from tests.reports.dataset import NOW

MARCH = month_period(date(2025, 3, 1))


@pytest.fixture
def report(dataset):
    return build_report(Scope(MARCH), now=NOW, per_user=True)


def value(report, key):
    return report.figure(key).value


def test_contacts_respect_stockholm_edges(report):
    assert value(report, "contacts.total") == 3  # i1 (00:30 on 1 March), i2, i3 (23:59 on 31 March)
    assert report.figure("contacts.total").previous == 1
    assert value(report, "contacts.companies") == 2
    kinds = {f.key: f.value for f in report.contacts_by_kind}
    assert kinds["contacts.kind:phone_call"] == 2
    assert kinds["contacts.kind:meeting"] == 1
    assert kinds["contacts.kind:visit"] == 0
    assert report.figure("contacts.kind:visit").previous == 1


def test_contacts_per_focus_area_count_additional_areas(report, dataset):
    rows = {r.focus_area.id: r for r in report.focus_rows}
    assert rows[dataset.fa1.id].contacts.value == 3  # i1, i3 and i2 (additional area)
    assert rows[dataset.fa2.id].contacts.value == 1
    assert rows[dataset.fa2.id].contacts.previous == 1
    assert rows[dataset.fa1.id].companies.value == 2


def test_visits(report, dataset):
    assert value(report, "visits.done") == 2
    assert value(report, "visits.ledning") == 1
    rows = {r.focus_area.id: r for r in report.focus_rows}
    assert (rows[dataset.fa1.id].visits.value, rows[dataset.fa2.id].visits.value) == (1, 1)


def test_cases(report, dataset):
    assert value(report, "cases.new") == 2  # c1, c5
    assert value(report, "cases.closed") == 2  # c1, c2 (23:30 CEST on 31 March); not c6 (00:30 on 1 April)
    assert value(report, "cases.open") == 3  # c3, c5, c6
    assert value(report, "cases.days_median") == 48.5  # 17 and 80 days
    assert value(report, "cases.days_p90") == 80
    assert value(report, "cases.over90") == 1  # c3
    assert value(report, "cases.large_new") == 1
    assert report.figure("cases.closed").previous == 1
    assert value(report, "permits.passed") == 2
    assert [c.title for c in report.large_establishments] == ["Fabriken"]
    assert [c.id for c in report.long_open_cases] == [dataset.rec.c3.id]
    assert report.long_open_cases[0].days_open == (date(2025, 4, 1) - date(2024, 11, 1)).days
    assert len(report.passed_permits) == 2
    rows = {r.focus_area.id: r for r in report.focus_rows}
    assert (rows[dataset.fa1.id].cases_new.value, rows[dataset.fa1.id].cases_closed.value) == (2, 1)
    assert rows[dataset.fa2.id].cases_closed.value == 1


def test_large_establishment_is_the_case_types_flag_not_its_name(db, dataset):
    """CaseType.is_large_establishment decides, whatever the type is called: a flagged type with
    another name counts, the seeded "Stor etablering" no longer does once it is not flagged."""
    from app.cases.models import CaseType
    from tests.builders.cases import case_type, make_case_row
    from tests.builders.companies import make_company

    seeded = case_type("stor-etablering")
    flagged = sa.select(CaseType.code).where(CaseType.is_large_establishment.is_(True))
    assert db.session.scalars(flagged).all() == ["stor-etablering"]  # migration 0020's one-time guess
    assert seeded.name == "Stor etablering"
    seeded.is_large_establishment = False
    db.session.add(CaseType(code="kvarnen", name="Kvarnprojektet", is_large_establishment=True, position=99))
    db.session.flush()
    make_case_row(
        make_company("Kvarn AB"),
        dataset.lots1,
        date(2025, 3, 7),
        dataset.fa1,
        code="kvarnen",
        title="Kvarnen",
    )
    report = build_report(Scope(MARCH), now=NOW)
    assert value(report, "cases.large_new") == 1
    assert [c.title for c in report.large_establishments] == ["Kvarnen"]
    assert value(report, "cases.new") == 3


def test_followups(report, dataset):
    assert value(report, "followups.on_time") == 1
    assert value(report, "followups.late") == 1
    assert value(report, "followups.overdue") == 2  # f3 (still open), f4 (done after the end)
    assert {x.id for x in report.overdue_followups} == {dataset.rec.f3.id, dataset.rec.f4.id}


def test_referrals_per_partner(report):
    assert value(report, "referrals.total") == 2
    almi = next(f for f in report.referrals if f.label.startswith("Almi"))
    assert almi.value == 2
    iuc = [f for f in report.referrals if f.label.startswith("IUC")]
    assert iuc == [] or iuc[0].value == 0


def test_survey_nki_only_with_five_answers(report):
    assert value(report, "survey.answers") == 5
    assert value(report, "survey.nki") == 80.0
    assert report.figure("survey.answers").previous == 2
    assert report.figure("survey.nki").previous is None  # 2 answers: not shown


def test_focus_area_filter(dataset):
    r = build_report(Scope(MARCH, focus_area_id=dataset.fa2.id), now=NOW)
    assert value(r, "contacts.total") == 1  # i2 (primary fa2)
    assert value(r, "cases.new") == 0
    assert value(r, "cases.closed") == 1  # c2
    assert value(r, "visits.done") == 1  # v2
    assert value(r, "referrals.total") == 1  # via c2
    assert value(r, "followups.on_time") == 0  # f1 belongs to c1 (fa1)
    r1 = build_report(Scope(MARCH, focus_area_id=dataset.fa1.id), now=NOW)
    assert value(r1, "followups.on_time") == 1
    assert [row.focus_area.id for row in r1.focus_rows] == [dataset.fa1.id]


def test_per_user_rows(report, dataset):
    rows = {row.user.id: row.figures for row in report.user_rows}
    assert rows[dataset.lots1.id]["contacts"].value == 3  # i1, i3 authored; i2 as participant
    assert rows[dataset.lots2.id]["contacts"].value == 1
    assert rows[dataset.lots1.id]["cases_new"].value == 2
    assert rows[dataset.lots2.id]["cases_closed"].value == 1
    assert rows[dataset.lots1.id]["followups_overdue"].value == 1
    assert rows[dataset.lots2.id]["followups_overdue"].value == 1
    assert rows[dataset.ledning.id]["visits"].value == 1
    user_scope = build_report(Scope(MARCH, user_id=dataset.lots2.id), now=NOW)
    assert value(user_scope, "contacts.total") == 1


def test_october_dst_edges(db, dataset):
    a = make_company("Oktober AB")
    make_interaction_row(a, dataset.lots1, utc(2025, 10, 31, 22, 30), dataset.fa1)  # 23:30 CET on 31 Oct: in
    make_interaction_row(a, dataset.lots1, utc(2025, 10, 31, 23, 0), dataset.fa1)  # 00:00 on 1 Nov: out
    make_interaction_row(a, dataset.lots1, utc(2025, 9, 30, 22, 0), dataset.fa1)  # 00:00 CEST on 1 Oct: in
    make_interaction_row(a, dataset.lots1, utc(2025, 9, 30, 21, 59), dataset.fa1)  # out
    db.session.commit()
    r = build_report(Scope(month_period(date(2025, 10, 1))), now=utc(2025, 12, 1))
    assert value(r, "contacts.total") == 2


def test_percentiles():
    assert median([]) is None
    assert percentile([], 90) is None
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == 9
    assert percentile([5], 90) == 5
    assert median([1, 2, 3, 10]) == 2.5


def test_query_count_does_not_grow_with_records(db, dataset):
    """Aggregates run in SQL: adding records adds no queries (no per-row loading)."""

    def count_queries() -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            build_report(Scope(MARCH), now=NOW, per_user=True)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    before = count_queries()
    company = make_company("Många AB")
    for day in range(1, 29):
        make_interaction_row(company, dataset.lots1, utc(2025, 3, day, 12), dataset.fa1)
        make_case_row(company, dataset.lots1, date(2025, 3, day), dataset.fa1, closed_at=utc(2025, 3, 29, 12))
    db.session.commit()
    assert count_queries() == before


def test_restricted_records_count_but_their_notes_and_titles_stay_hidden(dataset, login_as):
    page = rendered(
        login_as("chef").get("/rapporter?period=month&month=2025-03"), heading="Rapporter: mars 2025"
    )
    assert "HEMLIG ANTECKNING" not in page
    assert "Hemligt ärende" not in page  # chef may not read restricted records
    assert "Lotsärende med begränsad åtkomst" in page  # … but the case is listed (open > 90 days)
    lots_page = rendered(
        login_as("lots").get("/rapporter?period=month&month=2025-03"), heading="Rapporter: mars 2025"
    )
    assert "Hemligt ärende" in lots_page
    assert "HEMLIG ANTECKNING" not in lots_page


def test_drill_downs_point_at_the_counted_records(report, dataset):
    contacts = report.figure("contacts.total").drill
    assert contacts.endpoint == "interactions.list"
    assert contacts.args == {"date_from": "2025-03-01", "date_to": "2025-03-31"}
    cases = report.figure("cases.new").drill
    assert cases.endpoint == "reports.records"
    assert cases.args["figure"] == "cases.new"
    assert cases.args["month"] == "2025-03"
    scoped = replace(Scope(MARCH), focus_area_id=dataset.fa1.id)
    assert report.focus_rows[0].cases_new.drill.args == {"figure": "cases.new", **scoped.args()}


@pytest.mark.parametrize("per_page", [2, 25])
def test_the_dashboards_user_page_equals_the_full_per_user_table(db, dataset, per_page):
    """The dashboard shows one page of the chef's table (the users with a figure in either
    year, by name). Every page holds the rows of the full table (the export's, every user's
    values) for those users, in name order, and the pager and the idle count are the ones the
    full values give. A colleague with only a contact, an ex-colleague
    (inactive) with only a case closed the year before."""
    from tests.builders.users import make_user

    only_contact = make_user("chef", name="Åsa Bara Kontakt")
    make_interaction_row(make_company("Sida AB"), only_contact, utc(2025, 3, 12, 9), dataset.fa1)
    gone = make_user("lots", name="Bo Slutat", is_active=False)
    make_case_row(
        make_company("Förra AB"), gone, date(2024, 2, 1), dataset.fa1, closed_at=utc(2024, 3, 5, 10)
    )
    db.session.commit()
    report = build_report(Scope(MARCH), now=NOW, per_user=True)
    full = {row.user.id: row for row in report.user_rows}
    assert {only_contact.id, gone.id} <= set(full)
    with_figure = sorted(
        (row.user.name, uid)
        for uid, row in full.items()
        if any(f.value or f.previous for f in row.figures.values())
    )
    assert len(with_figure) >= 3
    seen: list[int] = []
    for page in range(1, len(with_figure) // per_page + 2):
        paged = build_report(Scope(MARCH), now=NOW, per_user=True, user_page=page, users_per_page=per_page)
        assert paged.user_page.total == len(with_figure)
        assert paged.user_rows_idle == len(full) - len(with_figure)
        for row in paged.user_rows:
            assert row.figures == full[row.user.id].figures, row.user.name
            seen.append(row.user.id)
    assert seen == [uid for _name, uid in with_figure]


def test_notable_passed_permits_are_the_first_by_deadline_in_scope(db, dataset):
    """The notable passed permits (limit first by themselves, then their cases) are the rows the
    one joined query gives: the first `limit` by deadline and id, in the scope's focus area."""
    from app.cases.models import CasePermit, LotsCase
    from app.catalogues.models import PermitType
    from app.reports import predicates as P

    def joined(scope, limit):
        stmt = (
            sa.select(CasePermit.id, LotsCase.id, LotsCase.title, PermitType.name)
            .join(LotsCase, LotsCase.id == CasePermit.case_id)
            .join(PermitType, PermitType.id == CasePermit.permit_type_id)
            .where(*P.permits_passed_where(scope, NOW))
            .order_by(CasePermit.expected_decision_on, CasePermit.id)
            .limit(limit)
        )
        return [tuple(row) for row in db.session.execute(stmt)]

    scopes = [
        Scope(MARCH),
        Scope(MARCH, focus_area_id=dataset.fa1.id),
        Scope(MARCH, focus_area_id=dataset.fa2.id),
    ]
    sizes = set()
    for scope in scopes:
        for limit in (1, 20):
            report = build_report(scope, now=NOW, notable_limit=limit)
            got = [(p.id, p.case_id, p.case_title, p.permit_type) for p in report.passed_permits]
            assert got == joined(scope, limit), (scope, limit)
            sizes.add(len(got))
    assert sizes >= {1, 2}
