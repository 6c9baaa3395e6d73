"""Report facts (app.reports.facts): after any sequence of writes the facts give the same
figures as the rows, for any range of Stockholm days, and a rebuild finds nothing to repair.

The oracle is the row queries of app.reports.figures (`contacts_and_companies`,
`contacts_by_kind`, `focus_counts`, `contacts_concerning_permits`) – the SQL the figures used
before the facts existed – and, per user, the contact list's own filter; not the facts' own
recomputation. The periods include five-year ones and ones starting and ending mid-month (the
companies reached of a long custom period combine report_company_months with edge markers)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.companies.merge import merge_companies
from app.core.permissions import Role
from app.interactions import services
from app.interactions.inputs import PermitGuidanceInput
from app.interactions.models import Interaction, InteractionKind
from app.interactions.queries import COUNTING, contact_select
from app.interactions.report_queries import contacts_concerning_permits
from app.reports import facts
from app.reports.figures import (
    Scope,
    _count,
    build_report,
    contact_filter,
    contacts_and_companies,
    contacts_by_kind,
    focus_counts,
)
from app.reports.periods import Period
from tests.builders.catalogues import permit_type
from tests.builders.companies import make_company
from tests.builders.interactions import interaction_input
from tests.builders.strategy import focus_areas
from tests.builders.users import make_user

NOW = datetime(2026, 3, 31, 12, tzinfo=UTC)
# Around the DST change (29 March 2026) and a year edge, so local days and UTC days differ.
FIRST_DAY = date(2025, 12, 1)


def _moment(rng: random.Random) -> datetime:
    day = FIRST_DAY + timedelta(days=rng.randrange(0, 120))
    # 21:00–02:59 UTC is often the next or the same Stockholm day: the edges that matter.
    return datetime(
        day.year, day.month, day.day, rng.choice([0, 1, 2, 10, 21, 22, 23]), rng.randrange(60), tzinfo=UTC
    )


def _periods(rng: random.Random) -> list[Period]:
    out = [
        Period("custom", date(2025, 1, 1), date(2027, 1, 1)),
        Period("year", date(2026, 1, 1), date(2027, 1, 1)),
        Period("quarter", date(2025, 10, 1), date(2026, 1, 1)),
        Period("month", date(2026, 3, 1), date(2026, 4, 1)),
        # Five years: whole years, and from mid-month to mid-month around all the data.
        Period("custom", date(2021, 4, 1), date(2026, 4, 1)),
        Period("custom", date(2021, 6, 15), date(2026, 6, 14)),
        # Whole months inside with a start mid-month: the markers whose previous day lies in
        # the start's month before the start.
        Period("custom", date(2026, 1, 17), date(2026, 3, 20)),
        Period("custom", date(2025, 12, 2), date(2026, 3, 1)),
    ]
    for _ in range(6):
        start = FIRST_DAY + timedelta(days=rng.randrange(-5, 120))
        out.append(Period("custom", start, start + timedelta(days=rng.randrange(1, 90))))
    for _ in range(2):
        start = FIRST_DAY + timedelta(days=rng.randrange(-1700, 120))
        out.append(Period("custom", start, start + timedelta(days=rng.randrange(200, 5 * 366))))
    return out


def _row_user_contacts(period: Period, user_ids: list[int]) -> dict[int, int]:
    """Per user from the contact list's own filter (author OR participant) – and the report's
    user scope, which reads the same set through the two user indexes, must agree with it."""
    out = {}
    for uid in user_ids:
        scope = Scope(period, user_id=uid)
        n = _count(contact_select(contact_filter(scope), reader=COUNTING))
        assert contacts_and_companies(scope)[0] == n
        if n:
            out[uid] = n
    return out


def _assert_facts_match_rows(db, rng: random.Random, area_ids: list[int], user_ids: list[int]) -> None:
    db.session.flush()
    for period in _periods(rng):
        scope = Scope(period)
        total, companies = contacts_and_companies(scope)
        by_focus, companies_by_focus = focus_counts(scope)
        assert facts.contacts_by_kind(period) == contacts_by_kind(scope), period
        reached = facts.companies_reached(period, [facts.EVERY, *area_ids])
        assert reached.pop(facts.EVERY, 0) == companies, period
        assert reached == companies_by_focus, period
        assert facts.contacts_by_focus(period, area_ids) == by_focus, period
        assert sum(facts.contacts_by_kind(period).values()) == total
        assert facts.contacts_by_user(period) == _row_user_contacts(period, user_ids), period
        assert facts.contacts_concerning_permits(period) == contacts_concerning_permits(scope), period
        fa = rng.choice(area_ids)
        focus_scope = replace(scope, focus_area_id=fa)
        assert facts.contacts_by_kind(period, fa) == contacts_by_kind(focus_scope), (period, fa)
        assert facts.contacts_concerning_permits(period, fa) == contacts_concerning_permits(focus_scope)
        assert facts.companies_reached(period, [fa]).get(fa, 0) == contacts_and_companies(focus_scope)[1]
    # Nothing has drifted: a rebuild from the rows repairs no row.
    assert facts.rebuild(db.session.connection()) == 0


@pytest.mark.parametrize("seed", [1, 2])
def test_random_writes_keep_the_facts_equal_to_the_rows(db, users, seed):
    rng = random.Random(seed)
    admin_lots = users["lots"]
    people = [admin_lots, *(make_user(Role.LOTS) for _ in range(3))]
    user_ids = [u.id for u in people]
    areas = focus_areas()
    area_ids = [a.id for a in areas]
    companies = [make_company() for _ in range(6)]
    contacts: list[Interaction] = []

    permits = [permit_type("bygglov").id]

    def random_input(**over):
        others = tuple(a.id for a in rng.sample(areas, rng.randrange(0, 3)))
        # A third of the contacts concerned permits (rows added, kept or removed by an edit).
        guidance = (PermitGuidanceInput(permits[0], "Skicka ansökan", ""),) if rng.random() < 0.33 else ()
        return interaction_input(
            rng.choice(companies),
            kind=rng.choice(list(InteractionKind)).value if not over.get("kind") else over["kind"],
            occurred_at=_moment(rng),
            focus_area_id=rng.choice(area_ids),
            other_focus_area_ids=others,
            participant_ids=tuple(u.id for u in rng.sample(people, rng.randrange(0, 3))),
            permit_guidance=guidance,
        )

    def kind_ok(data):
        # The old kind permit guidance needs a permit row; the test varies everything else.
        return (
            replace(data, kind=InteractionKind.PHONE.value)
            if data.kind == InteractionKind.PERMIT_GUIDANCE.value and not data.permit_guidance
            else data
        )

    for step in range(60):
        action = rng.random()
        live = [c for c in contacts if c.deleted_at is None]
        if action < 0.45 or not live:
            actor = rng.choice(people)
            contacts.append(services.log_contact(kind_ok(random_input()), actor=actor, now=NOW))
        elif action < 0.7:
            target = rng.choice(live)
            services.update_contact(target, kind_ok(random_input()), actor=admin_lots, now=NOW)
        elif action < 0.8:
            services.delete_contact(rng.choice(live), actor=admin_lots, now=NOW)
        elif action < 0.88:
            gone = [c for c in contacts if c.deleted_at is not None]
            if gone:  # no restore service: a restore is a plain ORM change, which the hook sees too
                rng.choice(gone).deleted_at = None
        elif action < 0.94 and len(companies) > 2:
            source, target = rng.sample(companies, 2)
            merge_companies(source, target, {}, actor=admin_lots, now=NOW)
            companies.remove(source)
        else:  # a direct ORM edit of the time only (imports and the API end in the same flush)
            rng.choice(live).occurred_at = _moment(rng)
        if step % 10 == 9:
            _assert_facts_match_rows(db, rng, area_ids, user_ids)
    _assert_facts_match_rows(db, rng, area_ids, user_ids)


def test_rebuild_repairs_drift_and_reports_it(db, users):
    company = make_company()
    services.log_contact(interaction_input(company, occurred_at=datetime(2026, 1, 10, 9, tzinfo=UTC)), actor=users["lots"],
                         now=NOW)  # fmt: skip
    conn = db.session.connection()
    conn.execute(sa.delete(facts.ContactDayFact.__table__))
    conn.execute(sa.update(facts.CompanyDayFact.__table__).values(prev_day=date(2000, 1, 1)))
    conn.execute(sa.update(facts.CompanyPeriodFact.__table__).values(companies=7))
    repaired = facts.rebuild(conn, since=date(2026, 1, 1))
    assert repaired > 0
    assert facts.rebuild(conn) == 0
    period = Period("month", date(2026, 1, 1), date(2026, 2, 1))
    assert facts.contacts_by_kind(period) == {InteractionKind.PHONE.value: 1}


def test_empty_database_and_empty_focus_area_are_zero(db, users):
    period = Period("custom", date(2021, 1, 1), date(2026, 1, 1))
    report = build_report(Scope(period), now=NOW, per_user=True)
    assert report.figure("contacts.total").value == 0
    assert report.figure("contacts.companies").value == 0
    area = focus_areas()[-1]
    focus_report = build_report(Scope(period, focus_area_id=area.id), now=NOW)
    assert focus_report.figure("contacts.total").value == 0
    assert all(f.value == 0 for f in focus_report.contacts_by_focus)


def test_nightly_reconcile_repairs_recent_drift_logs_it_and_is_idempotent(db, users, monkeypatch):
    from app.reports import jobs
    from app.reports.jobs import reconcile_facts

    company = make_company()
    services.log_contact(interaction_input(company, occurred_at=datetime(2026, 3, 2, 9, tzinfo=UTC)), actor=users["lots"],
                         now=NOW)  # fmt: skip
    period = Period("month", date(2026, 3, 1), date(2026, 4, 1))
    # A write around the ORM: the facts no longer know the contact.
    db.session.connection().execute(sa.delete(facts.ContactDayFact.__table__))
    assert facts.contacts_by_kind(period) == {}
    warnings: list[str] = []
    monkeypatch.setattr(jobs.log, "warning", lambda msg, *args: warnings.append(msg % args))
    assert reconcile_facts(NOW) > 0
    assert len(warnings) == 1
    assert "rader rättade" in warnings[0]
    assert facts.contacts_by_kind(period) == {InteractionKind.PHONE.value: 1}
    assert reconcile_facts(NOW) == 0
    assert len(warnings) == 1


def test_rebuild_facts_cli(app, db, users):
    company = make_company()
    services.log_contact(interaction_input(company, occurred_at=datetime(2026, 3, 2, 9, tzinfo=UTC)), actor=users["lots"],
                         now=NOW)  # fmt: skip
    db.session.connection().execute(sa.delete(facts.CompanyDayFact.__table__))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["reports", "rebuild-facts", "--since", "2026-01-01"])
    assert result.exit_code == 0, result.output
    assert "rader rättade" in result.output
    assert "0 rader" not in result.output
    period = Period("month", date(2026, 3, 1), date(2026, 4, 1))
    assert facts.companies_reached(period, [facts.EVERY]) == {facts.EVERY: 1}
    bad = app.test_cli_runner().invoke(args=["reports", "rebuild-facts", "--since", "mars"])
    assert bad.exit_code != 0
    assert "ÅÅÅÅ-MM-DD" in bad.output
