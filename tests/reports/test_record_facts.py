"""Record facts (app.reports.record_facts): after any sequence of writes to cases, follow-ups,
visits and referrals the facts give the same figures as the rows, for any range of Stockholm
days, with and without a focus-area filter and per user; a rebuild repairs nothing.

The oracle is the row queries (`counting.row_values`, `counting.user_row_values`: the SQL the
figures used before the facts), not the facts' own recomputation."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.cases.models import LotsCase
from app.catalogues.queries import list_partners
from app.companies.merge import merge_companies
from app.core.permissions import Role
from app.extensions import db as _db
from app.followups.models import FollowUp
from app.interactions.models import Referral
from app.reports import counting, facts, record_facts
from app.reports.base import Scope
from app.reports.figures import build_report
from app.reports.models import RecordMonthFact
from app.reports.periods import Period
from app.visits.models import LEDNING, OFFICE, CompanyVisit, VisitParticipant
from tests.builders.cases import case_type, make_case_row
from tests.builders.companies import make_company
from tests.builders.followups import make_followup
from tests.builders.interactions import make_referral_row
from tests.builders.strategy import focus_areas
from tests.builders.users import make_user
from tests.builders.visits import make_visit_row

NOW = datetime(2026, 3, 31, 12, tzinfo=UTC)
FIRST_DAY = date(2025, 12, 1)  # around a year edge and the DST change of 29 March 2026


def _day(rng: random.Random) -> date:
    return FIRST_DAY + timedelta(days=rng.randrange(0, 120))


def _moment(rng: random.Random) -> datetime:
    day = _day(rng)
    # 21:00–02:59 UTC is often another Stockholm day than the UTC one: the edges that matter.
    return datetime(day.year, day.month, day.day, rng.choice([0, 1, 2, 10, 21, 22, 23]), rng.randrange(60), tzinfo=UTC)  # fmt: skip


def _periods(rng: random.Random) -> list[Period]:
    out = [
        Period("custom", date(2021, 1, 1), date(2026, 12, 31)),  # five years and more
        Period("year", date(2026, 1, 1), date(2027, 1, 1)),
        Period("quarter", date(2025, 10, 1), date(2026, 1, 1)),
        Period("month", date(2026, 3, 1), date(2026, 4, 1)),
        # Whole months from report_record_months, the edge days from the day rows.
        Period("custom", date(2021, 6, 15), date(2026, 6, 14)),
        Period("custom", date(2025, 12, 17), date(2026, 3, 20)),
    ]
    for _ in range(5):
        start = FIRST_DAY + timedelta(days=rng.randrange(-5, 120))
        out.append(Period("custom", start, start + timedelta(days=rng.randrange(1, 90))))
    return out


def _no_none(values: dict) -> dict:
    return {k: v for k, v in values.items() if k is not None and v}


def _assert_facts_match_rows(rng: random.Random, area_ids: list[int]) -> None:
    _db.session.flush()
    for period in _periods(rng):
        for fa in (None, rng.choice(area_ids)):
            scope = Scope(period, focus_area_id=fa)
            got = counting.record_values(scope)
            rows = counting.row_values(scope, NOW)
            assert got, scope
            for key, value in got.items():
                expected = rows[key]
                if isinstance(expected, dict):
                    expected, value = _no_none(expected), _no_none(value)
                if key == "visits.focus" and fa:
                    expected = {fa: expected.get(fa, 0)} if expected.get(fa) else {}
                assert value == expected, (key, scope)
        scope = Scope(period)
        by_facts, by_rows = counting.user_values(scope, NOW), counting.user_row_values(scope, NOW)
        for key in by_rows:
            assert _no_none(by_facts[key]) == _no_none(by_rows[key]), (key, period)
    # Nothing has drifted: a rebuild from the rows repairs no row.
    assert record_facts.rebuild(_db.session.connection()) == 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_writes_keep_the_record_facts_equal_to_the_rows(db, users, seed):
    rng = random.Random(seed)
    people = [users["lots"], *(make_user(Role.LOTS) for _ in range(3))]
    areas = focus_areas()
    area_ids = [a.id for a in areas]
    companies = [make_company() for _ in range(5)]
    partners = list_partners()[:2]
    types = [case_type("etablering-expansion"), case_type()]
    cases: list[LotsCase] = []
    followups: list[FollowUp] = []
    visits: list[CompanyVisit] = []
    referrals: list[Referral] = []

    def close(case: LotsCase) -> None:
        case.status, case.outcome = "closed", "solved"
        case.closed_at = max(_moment(rng), datetime.combine(case.intake_on, datetime.min.time(), UTC))

    for step in range(80):
        action = rng.randrange(16)
        if action == 0 or not cases:
            case = make_case_row(rng.choice(companies), rng.choice(people), _day(rng), rng.choice(areas))
            case.case_type_id = rng.choice(types).id
            cases.append(case)
        elif action == 1:
            close(rng.choice(cases))
        elif action == 2:  # reopen
            case = rng.choice(cases)
            case.status, case.closed_at, case.outcome = "in_progress", None, None
        elif action == 3:  # move in time, focus area, responsible, type
            case = rng.choice(cases)
            case.intake_on = _day(rng)
            case.focus_area_id = rng.choice(area_ids)
            case.responsible_user_id = rng.choice(people).id
            case.case_type_id = rng.choice(types).id
        elif action == 4:  # the admin flags a case type as a large establishment (or not)
            kind = rng.choice(types)
            kind.is_large_establishment = not kind.is_large_establishment
        elif action == 5 or not followups:
            due = _day(rng)
            done = rng.choice([None, due - timedelta(days=2), due + timedelta(days=3)])
            followups.append(make_followup(rng.choice(people), due, done_on=done))
        elif action == 6:
            f = rng.choice(followups)
            if f.status == "done":
                f.status, f.done_on, f.closed_at = "open", None, None
            else:
                f.status, f.done_on = "done", _day(rng)
                f.closed_at = datetime.combine(f.done_on, datetime.min.time(), UTC) + timedelta(hours=10)
        elif action == 7:
            f = rng.choice(followups)
            f.due_on, f.assignee_id = _day(rng), rng.choice(people).id
        elif action == 8 and followups:  # the retention job's bulk DELETE
            gone = rng.choice(followups)
            db.session.execute(sa.delete(FollowUp).where(FollowUp.id == gone.id))
            db.session.expunge(gone)
            followups.remove(gone)
        elif action == 9 or not visits:
            ledning = rng.sample(people, rng.randrange(0, 2))
            office = [p for p in rng.sample(people, rng.randrange(0, 3)) if p not in ledning]
            visits.append(
                make_visit_row(rng.choice(companies), _moment(rng), rng.choice(areas),
                               status=rng.choice(["done", "done", "planned"]), ledning=ledning, office=office)
            )  # fmt: skip
        elif action == 10:
            v = rng.choice(visits)
            v.starts_at, v.status = _moment(rng), rng.choice(["done", "planned", "cancelled"])
            v.ends_at = v.starts_at + timedelta(hours=1)
            v.organizer_id = rng.choice([None, *(p.id for p in people)])
        elif action == 11:
            v = rng.choice(visits)
            db.session.refresh(v, ["focus_areas"])
            v.focus_areas = rng.sample(areas, rng.randrange(1, 3))
        elif action == 12:  # a participant joins or leaves
            v = rng.choice(visits)
            present = db.session.scalars(
                sa.select(VisitParticipant).where(VisitParticipant.visit_id == v.id)
            ).all()
            if present and rng.random() < 0.5:
                db.session.delete(rng.choice(present))
            else:
                taken = {p.user_id for p in present}
                free = [p for p in people if p.id not in taken]
                if free:
                    db.session.add(VisitParticipant(visit_id=v.id, user_id=rng.choice(free).id,
                                                    side=rng.choice([LEDNING, OFFICE])))  # fmt: skip
        elif action == 13:
            referrals.append(make_referral_row(rng.choice(companies), rng.choice(partners), _day(rng)))
        elif action == 14 and referrals:
            r = rng.choice(referrals)
            if rng.random() < 0.5:
                r.referred_on, r.partner_id = _day(rng), rng.choice(partners).id
            else:
                db.session.delete(r)
                referrals.remove(r)
        elif len(companies) > 2:  # a company merge moves cases, visits, follow-ups, referrals
            source, target = rng.sample(companies, 2)
            merge_companies(source, target, {}, actor=users["lots"], now=NOW)
            companies.remove(source)
        db.session.flush()
        if step % 20 == 19:
            _assert_facts_match_rows(rng, area_ids)
    _assert_facts_match_rows(rng, area_ids)


def test_rebuild_and_the_nightly_reconcile_repair_record_drift(db, users, monkeypatch):
    from app.reports import jobs

    make_case_row(make_company(), users["lots"], date(2026, 3, 2), focus_areas()[0])
    period = Period("month", date(2026, 3, 1), date(2026, 4, 1))
    assert counting.record_values(Scope(period))["cases.new"] == 1
    # A write around the ORM and the hooks: the facts (days and their month sums) no longer
    # know the case.
    db.session.connection().execute(sa.delete(record_facts.RecordDayFact.__table__))
    db.session.connection().execute(sa.delete(RecordMonthFact.__table__))
    assert counting.record_values(Scope(period))["cases.new"] == 0
    warnings: list[str] = []
    monkeypatch.setattr(jobs.log, "warning", lambda msg, *args: warnings.append(msg % args))
    assert jobs.reconcile_facts(NOW) > 0
    assert len(warnings) == 1
    assert "rader rättade" in warnings[0]
    assert counting.record_values(Scope(period))["cases.new"] == 1
    assert jobs.reconcile_facts(NOW) == 0
    assert len(warnings) == 1


def test_edge_scopes_five_years_empty_area_idle_user_empty_database(db, users):
    five_years = Period("custom", date(2021, 4, 1), date(2026, 4, 1))
    empty = build_report(Scope(five_years), now=NOW, per_user=True, user_page=1)
    assert empty.figure("cases.new").value == 0
    assert empty.figure("cases.days_median").value is None
    assert empty.user_rows == []
    assert empty.user_page.total == 0
    areas = focus_areas()
    make_case_row(make_company(), users["lots"], date(2025, 6, 2), areas[0],
                  closed_at=datetime(2025, 6, 12, 9, tzinfo=UTC))  # fmt: skip
    idle = make_user(Role.LOTS)
    report = build_report(Scope(five_years), now=NOW, per_user=True, user_page=1)
    assert report.figure("cases.new").value == 1
    assert report.figure("cases.days_median").value == 10.0
    assert [row.user.id for row in report.user_rows] == [users["lots"].id]
    assert report.user_rows_idle >= 1  # the idle colleague is counted, not listed
    assert idle.id not in {row.user.id for row in report.user_rows}
    no_data = build_report(Scope(five_years, focus_area_id=areas[-1].id), now=NOW)
    assert no_data.figure("cases.new").value == 0
    assert no_data.figure("visits.done").value == 0


def test_user_rows_page_by_name_and_count_the_rest(db, users):
    march = Period("month", date(2026, 3, 1), date(2026, 4, 1))
    people = [make_user(Role.LOTS, name=f"Person {n:02d}") for n in range(5)]
    for person in people:
        make_case_row(make_company(), person, date(2026, 3, 3), focus_areas()[0])
    first = build_report(Scope(march), now=NOW, per_user=True, user_page=1, users_per_page=2)
    second = build_report(Scope(march), now=NOW, per_user=True, user_page=3, users_per_page=2)
    assert [r.user.name for r in first.user_rows] == ["Person 00", "Person 01"]
    assert first.user_page.has_next
    assert first.user_page.total == 5
    assert [r.user.name for r in second.user_rows] == ["Person 04"]
    assert not second.user_page.has_next
    assert second.user_rows[0].figures["cases_new"].value == 1
    # Without a page (exports) every user is a row, as before.
    everyone = build_report(Scope(march), now=NOW, per_user=True)
    assert {p.id for p in people} <= {r.user.id for r in everyone.user_rows}
    assert facts.EVERY == record_facts.EVERY
