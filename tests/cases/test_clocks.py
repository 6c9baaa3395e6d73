"""Statutory clocks in the database: the stored deadline is the day after the söndagsregel
(lists, flags and reports count from it), the three-week dates on permit rows, the one-time
recompute, and migration 0012 on rows written before it."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import upgrade

from app.cases import permits, queries
from app.cases.deadlines import DeadlineState
from app.cases.models import CasePermit
from app.cases.statutory import ClockRule
from app.extensions import db as _db
from tests.builders import cases as f


def test_a_deadline_on_a_saturday_is_stored_as_the_monday_and_flagged_from_it(db, users):
    lots = users["lots"]
    case = f.make_case(lots)
    row = f.make_permit(case, lots, "bygglov", submitted_on=date(2026, 1, 3))  # 10 weeks: Saturday 14 March
    assert row.expected_decision_on == date(2026, 3, 16)
    # Sunday the 15th: the nämnd still has Monday – near, not passed.
    assert queries.deadline_flags([case.id], today=date(2026, 3, 15), near_days=14) == {
        case.id: (date(2026, 3, 16), DeadlineState.NEAR)
    }
    assert (
        queries.deadline_flags([case.id], today=date(2026, 3, 17), near_days=0)[case.id][1]
        == DeadlineState.PASSED
    )
    [shown] = queries.permit_rows(case, today=date(2026, 3, 15), near_days=14)
    assert shown.clock.last_day.counted == date(2026, 3, 14)
    assert shown.clock.last_day.explanation == "lördag → måndag enligt lag (1930:173) 2 §"
    assert shown.clock.start.rule == ClockRule.SUBMITTED


def test_the_three_week_dates_are_stored_and_drive_the_clock(db, users):
    lots = users["lots"]
    case = f.make_case(lots)
    row = f.make_permit(
        case,
        lots,
        "bygglov",
        submitted_on=date(2026, 1, 5),
        completion_requested_on=date(2026, 1, 26),
        complete_on=date(2026, 2, 2),
    )
    assert row.expected_decision_on == date(2026, 4, 13)  # from the completion: day 21 was in time
    permits.update_permit(
        row,
        permits.PermitInput(
            permit_type_id=row.permit_type_id,
            submitted_on=date(2026, 1, 5),
            completion_requested_on=date(2026, 1, 27),
            complete_on=date(2026, 2, 2),
            own_initiative_on=(date(2026, 1, 15), date(2026, 1, 8)),
        ),
        actor=lots,
        now=f.NOW,
    )
    # Material on 15 January restarted the three weeks: a request on the 27th is day 12.
    assert row.own_initiative_on == ["2026-01-08", "2026-01-15"]
    assert row.expected_decision_on == date(2026, 4, 13)
    permits.update_permit(
        row,
        permits.PermitInput(
            permit_type_id=row.permit_type_id,
            submitted_on=date(2026, 1, 5),
            completion_requested_on=date(2026, 1, 27),
            complete_on=date(2026, 2, 2),
        ),
        actor=lots,
        now=f.NOW,
    )
    assert row.own_initiative_on is None
    assert row.expected_decision_on == date(2026, 3, 16)  # day 22 without the material: from submission


def test_the_legacy_mark_stays_until_the_request_date_is_known(db, users):
    lots = users["lots"]
    case = f.make_case(lots)
    row = f.make_permit(
        case,
        lots,
        "bygglov",
        submitted_on=date(2026, 1, 5),
        completion_requested_on=date(2026, 1, 12),
        complete_on=date(2026, 1, 20),
    )
    row.completion_requested_on, row.request_date_unknown = None, True  # as migration 0012 leaves old rows
    keep = permits.PermitInput(
        permit_type_id=row.permit_type_id,
        submitted_on=date(2026, 1, 5),
        complete_on=date(2026, 1, 20),
        note="Ringde nämnden",
    )
    permits.update_permit(row, keep, actor=lots, now=f.NOW)  # no request date: accepted, as before
    assert (row.request_date_unknown, row.expected_decision_on) == (True, date(2026, 3, 31))
    known = permits.PermitInput(
        permit_type_id=row.permit_type_id,
        submitted_on=date(2026, 1, 5),
        completion_requested_on=date(2026, 1, 30),
        complete_on=date(2026, 1, 30),
    )
    permits.update_permit(row, known, actor=lots, now=f.NOW)
    assert (row.request_date_unknown, row.expected_decision_on) == (
        False,
        date(2026, 3, 16),
    )  # day 25: too late


def test_recompute_clocks_can_include_decided_rows(db, users, runner):
    lots = users["lots"]
    row = f.make_permit(
        f.make_case(lots),
        lots,
        "bygglov",
        submitted_on=date(2026, 1, 3),
        decision_on=date(2026, 3, 2),
        outcome="granted",
    )
    open_row = f.make_permit(f.make_case(lots, title="Öppet"), lots, "bygglov", submitted_on=date(2026, 1, 3))
    _db.session.execute(sa.update(CasePermit).values(expected_decision_on=date(2026, 3, 14)))
    _db.session.commit()
    assert "1 tillståndsrader fick nya datum" in runner.invoke(args=["cases", "recompute-clocks"]).output
    _db.session.expire_all()
    assert (_db.session.get(CasePermit, row.id).expected_decision_on, open_row.expected_decision_on) == (
        date(2026, 3, 14),
        date(2026, 3, 16),
    )
    assert (
        "1 tillståndsrader fick nya datum"
        in runner.invoke(args=["cases", "recompute-clocks", "--alla"]).output
    )
    _db.session.expire_all()
    assert _db.session.get(CasePermit, row.id).expected_decision_on == date(2026, 3, 16)


def _down_revision(revision: str) -> str:
    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    return script.get_revision(revision).down_revision


def test_migration_0012_flags_types_marks_old_rows_and_moves_their_deadlines(app, db, users):
    from flask_migrate import downgrade

    lots = users["lots"]
    case = f.make_case(lots)
    _db.session.commit()
    case_id, user_id = case.id, lots.id
    _db.session.remove()
    downgrade(revision=_down_revision("0012_swedish_calendar"))

    types = dict(_db.session.execute(sa.text("SELECT code, id FROM permit_types")).all())
    rows = {
        # (permit type, submitted, complete, expected as Lotsbok stored it before, decided)
        "saturday": ("bygglov", "2026-01-03", "2026-01-03", "2026-03-14", None),
        "legacy": ("bygglov", "2026-01-05", "2026-01-20", "2026-03-31", None),
        "waiting": ("marklov", "2026-01-05", None, None, None),
        "decided_sunday": ("tobak", "2026-01-31", "2026-01-31", "2026-05-31", "2026-06-01"),
        "plain": ("tobak", "2026-02-02", "2026-02-02", "2026-06-02", None),
    }
    for key, (code, submitted, complete, expected, decided) in rows.items():
        _db.session.execute(
            sa.text(
                "INSERT INTO case_permits (case_id, permit_type_id, authority, submitted_on, complete_on, extended,"
                " decision_on, outcome, note, expected_decision_on, created_at, updated_at, version)"
                " VALUES (:case, :type, '', :submitted, :complete, false, :decided, :outcome, :note, :expected,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
            ),
            {
                "case": case_id,
                "type": types[code],
                "submitted": submitted,
                "complete": complete,
                "decided": decided,
                "outcome": "granted" if decided else None,
                "note": key,
                "expected": expected,
            },
        )
    _db.session.execute(
        sa.text(
            "INSERT INTO permit_types (code, name, law, deciding_body, statutory_time_value, statutory_time_unit,"
            " clock_starts, is_skr_insikt_area, handling_note, e_service_url, position, created_at, updated_at, version)"
            " VALUES ('schaktlov', 'Lov för schakt', 'Plan- och bygglagen (2010:900) 9 kap.', '', 10, 'weeks',"
            " 'complete', false, '', '', 99, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
        )
    )
    _db.session.commit()
    _db.session.remove()
    upgrade()

    flags = dict(_db.session.execute(sa.text("SELECT code, pbl_three_week_rule FROM permit_types")).all())
    assert {code for code, flag in flags.items() if flag} == {
        "bygglov",
        "marklov",
        "rivningslov",
        "forhandsbesked",
        "anmalan-pbl",
        "skyltlov",
        "schaktlov",
    }
    assert all(_db.session.execute(sa.text("SELECT time_is_statutory FROM permit_types")).scalars())
    stored = {
        r.note: r for r in _db.session.scalars(sa.select(CasePermit).where(CasePermit.case_id == case_id))
    }
    assert stored["saturday"].expected_decision_on == date(2026, 3, 16)
    assert not stored["saturday"].request_date_unknown  # complete at submission: nothing to ask
    assert stored["legacy"].request_date_unknown
    assert stored["legacy"].expected_decision_on == date(2026, 3, 31)  # its start is kept
    assert stored["waiting"].request_date_unknown
    assert stored["decided_sunday"].expected_decision_on == date(2026, 6, 1)  # decided on time after all
    assert stored["plain"].expected_decision_on == date(2026, 6, 2)
    assert user_id
    # The recompute after the migration agrees with it.
    assert permits.recompute_clocks(include_decided=True) == 0
