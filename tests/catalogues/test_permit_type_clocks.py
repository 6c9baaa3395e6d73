"""Editing a permit type's clock: the admin sees how many open cases it moves before saving,
and the undecided rows are recomputed in the same transaction."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.cases.models import CasePermit
from app.catalogues.models import PermitType
from app.catalogues.services import ClockImpactUnconfirmed, PermitTypeInput, update_permit_type
from app.core.errors import ValidationError
from tests.builders import cases as f
from tests.builders.catalogues import permit_type

LATER = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def _input(permit: PermitType, **changes) -> PermitTypeInput:
    values = {name: getattr(permit, name) for name in PermitTypeInput.__dataclass_fields__}
    values.update(changes)
    return PermitTypeInput(**values)


def _form(permit: PermitType, **changes) -> dict[str, str]:
    data = {
        "code": permit.code,
        "name": permit.name,
        "law": permit.law,
        "deciding_body": permit.deciding_body,
        "statutory_time_value": str(permit.statutory_time_value),
        "statutory_time_unit": permit.statutory_time_unit,
        "extension_value": str(permit.extension_value),
        "extension_unit": permit.extension_unit,
        "clock_starts": permit.clock_starts,
        "pbl_three_week_rule": "y",
        "version": str(permit.version),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _world(users):
    lots = users["lots"]
    # 10 weeks from 2026-01-03 end on Saturday 2026-03-14: the deadline is Monday 16th.
    open_case = f.make_case(lots)
    moved = f.make_permit(open_case, lots, "bygglov", submitted_on=date(2026, 1, 3))
    plain = f.make_permit(open_case, lots, "bygglov", submitted_on=date(2026, 1, 5))  # ends on a Monday
    closed_case = f.make_case(lots, title="Avslutat ärende")
    on_closed = f.make_permit(closed_case, lots, "bygglov", submitted_on=date(2026, 1, 3))
    f.close_case(closed_case, lots)
    decided = f.make_permit(
        f.make_case(lots, title="Beslutat"),
        lots,
        "bygglov",
        submitted_on=date(2026, 1, 3),
        decision_on=date(2026, 3, 16),
        outcome="granted",
        now=LATER,
    )
    return moved, plain, on_closed, decided


def test_admin_is_told_how_many_open_cases_move_and_saving_recomputes_them(db, users, admin_client):
    lots = users["lots"]
    # Tobak: 4 months from a complete application on 2026-01-31 end on Sunday 31 May → 1 June.
    kw = {"submitted_on": date(2026, 1, 31), "complete_on": date(2026, 1, 31)}
    open_case = f.make_case(lots)
    moved = f.make_permit(open_case, lots, "tobak", **kw)
    plain = f.make_permit(
        open_case, lots, "tobak", submitted_on=date(2026, 2, 2), complete_on=date(2026, 2, 2)
    )
    closed_case = f.make_case(lots, title="Avslutat ärende")
    on_closed = f.make_permit(closed_case, lots, "tobak", **kw)
    f.close_case(closed_case, lots)
    decided = f.make_permit(
        f.make_case(lots, title="Beslutat"),
        lots,
        "tobak",
        decision_on=date(2026, 6, 1),
        outcome="granted",
        now=datetime(2026, 7, 1, tzinfo=UTC),
        **kw,
    )
    tobak = permit_type("tobak")
    db.session.commit()
    assert moved.expected_decision_on == date(2026, 6, 1)
    rows = {r: r.id for r in (moved, plain, on_closed, decided)}

    # Marking the time as guidance only: the Sunday is no longer moved.
    form = _form(tobak, pbl_three_week_rule=None, guidance_only="y")
    response = admin_client.post(f"/admin/tillstandstyper/{tobak.id}", data=form)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Ändringen flyttar datum i öppna ärenden" in html
    assert (
        "Ändringen ger 2 tillståndsrader utan beslut nya datum för beslut eller ansökan, i ett öppet ärende."
        in html
    )
    assert 'name="confirmed_rows" type="hidden" value="2"' in html
    db.session.expire_all()
    assert db.session.get(PermitType, tobak.id).time_is_statutory  # nothing saved yet

    response = admin_client.post(f"/admin/tillstandstyper/{tobak.id}", data={**form, "confirmed_rows": "2"})
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(PermitType, tobak.id).time_is_statutory
    expected = {r: db.session.get(CasePermit, rows[r]).expected_decision_on for r in rows}
    assert expected[moved] == expected[on_closed] == date(2026, 5, 31)
    assert expected[plain] == date(2026, 6, 2)
    assert expected[decided] == date(2026, 6, 1)  # decided rows keep the deadline they had
    summary = db.session.scalar(
        sa.select(AuditEvent.summary)
        .where(AuditEvent.entity_type == "permit_types")
        .order_by(AuditEvent.id.desc())
    )
    assert summary == "Tillståndstyp Tillstånd för tobaksförsäljning ändrad; 2 tillståndsrader fick nya datum"


def test_an_edit_that_moves_nothing_saves_at_once(db, users, admin_client):
    _world(users)
    bygglov = permit_type("bygglov")
    db.session.commit()
    response = admin_client.post(
        f"/admin/tillstandstyper/{bygglov.id}", data=_form(bygglov, handling_note="Ny kommentar")
    )
    assert response.status_code == 302


def test_a_confirmation_for_another_count_asks_again(db, users):
    _world(users)
    bygglov = permit_type("bygglov")
    with pytest.raises(ClockImpactUnconfirmed) as exc:
        update_permit_type(
            bygglov, _input(bygglov, statutory_time_value=8), actor=users["admin"], confirmed_rows=1
        )
    assert (exc.value.impact.rows, exc.value.impact.open_cases) == (3, 1)
    db.session.rollback()
    bygglov = permit_type("bygglov")
    update_permit_type(
        bygglov, _input(bygglov, statutory_time_value=8), actor=users["admin"], confirmed_rows=3
    )


def test_the_three_week_rule_needs_a_statutory_time_in_weeks(db, users):
    tobak = permit_type("tobak")
    with pytest.raises(ValidationError, match="treveckorsregel") as exc:
        update_permit_type(tobak, _input(tobak, pbl_three_week_rule=True), actor=users["admin"])
    assert exc.value.field == "pbl_three_week_rule"
    bygglov = permit_type("bygglov")
    with pytest.raises(ValidationError, match="lagstadgad") as exc:
        update_permit_type(bygglov, _input(bygglov, time_is_statutory=False), actor=users["admin"])
    assert exc.value.field == "guidance_only"
