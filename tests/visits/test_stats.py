"""Visit statistics: per quarter and focus area against the target, and promises kept on time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from app.followups import services as followups
from app.followups.models import FollowUp
from app.visits import queries, services
from tests.builders.companies import make_company
from tests.builders.strategy import focus_areas
from tests.builders.visits import make_visit, promise_input, record_visit

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _done(users, at: datetime, promises=(), **overrides):
    visit = make_visit(
        make_company(),
        users["lots"],
        ledning=[users["ledning"]],
        starts_at=at,
        now=at - timedelta(days=3),
        **overrides,
    )
    return record_visit(visit, users["lots"], now=at + timedelta(hours=2), promises=promises)


def test_visits_per_quarter_focus_area_target_and_kept_promises(db, users):
    lots = users["lots"]
    services.set_target(2026, 8, actor=users["admin"])
    # 31 March 23:30 UTC is 1 April in Stockholm: Q2.
    _done(users, datetime(2026, 3, 31, 22, 30, tzinfo=UTC), focus_area_ids=(focus_areas()[2].id,))
    kept = _done(
        users,
        datetime(2026, 2, 10, 9, tzinfo=UTC),
        promises=[promise_input("Hållet", lots, date(2026, 3, 1))],
    )
    late = _done(
        users, datetime(2026, 5, 10, 9, tzinfo=UTC), promises=[promise_input("Sent", lots, date(2026, 6, 1))]
    )
    pending = _done(
        users,
        datetime(2026, 11, 2, 9, tzinfo=UTC),
        promises=[promise_input("Inte än", lots, date(2026, 12, 1))],
    )
    _done(users, datetime(2025, 12, 30, 9, tzinfo=UTC))  # last year
    rows = {f.title: f for f in db.session.scalars(sa.select(FollowUp).where(FollowUp.source == "visit"))}
    followups.complete_followup(rows["Hållet"], actor=lots, done_on=date(2026, 2, 20))
    followups.complete_followup(rows["Sent"], actor=lots, done_on=date(2026, 6, 10))
    make_visit(make_company(), lots, ledning=[users["ledning"]], starts_at=NOW + timedelta(days=5), now=NOW)

    stats = queries.visit_stats(2026, NOW)
    assert stats.per_quarter == [1, 2, 0, 1]
    assert stats.total == 4
    assert stats.target == 8
    assert stats.target_share == 0.5
    by_area = {a.label: n for a, n in stats.per_focus_area}
    assert by_area["Möjliggörare"] == 1
    assert by_area["Kompetensförsörjning"] == 4  # recorded with it: the Q2 visit counts too
    assert (stats.with_promises, stats.promises_kept, stats.promises_broken, stats.promises_pending) == (
        3,
        1,
        1,
        1,
    )
    assert stats.kept_share == 0.5
    assert stats.planned_rest_of_year == 1
    assert {kept.id, late.id, pending.id}
