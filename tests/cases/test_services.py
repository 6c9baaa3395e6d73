"""Lots-case services: intake, edits, status changes with history and audit, restriction,
permit rows and their clocks, actions, referrals, merge, timeline and lists."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.cases import actions, permits, queries, rules, services
from app.cases.models import CaseEvent, CasePermit, LotsCase
from app.companies.models import Company
from app.core import restriction
from app.core.errors import Conflict, PermissionDenied, StaleEdit, ValidationError
from app.core.timeline import timeline_for
from tests.builders import cases as f
from tests.builders.catalogues import permit_type
from tests.builders.companies import make_company, make_contact_person
from tests.builders.users import make_user


def _events(case) -> list[CaseEvent]:
    return list(
        f.db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))
    )


@pytest.fixture(autouse=True)
def _db(db):
    f.db = db  # tiny helper access for _events


def test_create_case_sets_defaults_history_and_audit(db, users):
    lots = users["lots"]
    case = f.make_case(lots, participant_ids=(users["chef"].id,))
    assert case.status == "received"
    assert case.responsible_user_id == lots.id
    assert case.intake_on == f.NOW.date()
    assert [p.id for p in queries.participants(case.id)] == [users["chef"].id]
    assert [e.kind for e in _events(case)] == ["created"]
    audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.entity_type == "lots_cases"))
    assert audit.action == "create"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"case_type_id": None}, "case_type_id"),
        ({"focus_area_id": None}, "focus_area_id"),
        ({"priority": "akut"}, "priority"),
        ({"intake_channel": "brevduva"}, "intake_channel"),
        ({"intake_on": date(2030, 1, 1)}, "intake_on"),
        ({"diarienummer": "KS " + "1" * 40}, "diarienummer"),
    ],
)
def test_create_case_validation(users, overrides, field):
    company = make_company()
    with pytest.raises(ValidationError) as exc:
        services.create_case(f.case_input(company, **overrides), actor=users["lots"], now=f.NOW)
    assert exc.value.field == field


def test_only_lots_may_create(users):
    company = make_company()
    for role in ("chef", "ledning", "admin"):
        with pytest.raises(PermissionDenied):
            services.create_case(f.case_input(company), actor=users[role], now=f.NOW)


def test_contact_person_must_belong_to_the_company(users):
    other = make_contact_person(make_company())
    with pytest.raises(ValidationError) as exc:
        f.make_case(users["lots"], contact_person_id=other.id)
    assert exc.value.field == "contact_person_id"


def test_event_fields_only_kept_for_evenemang(users):
    lots = users["lots"]
    event = f.make_case(
        lots,
        case_type_id=f.case_type("evenemang").id,
        event_date=date(2026, 8, 15),
        event_place="Sportfältet",
        organizer="Peace & Love-föreningen",
        expected_visitors=5000,
    )
    assert (event.event_date, event.expected_visitors) == (date(2026, 8, 15), 5000)
    other = f.make_case(lots, event_date=date(2026, 8, 15), expected_visitors=10)
    assert other.event_date is None
    assert other.expected_visitors is None


def test_update_case_checks_version_and_records_changes(db, users):
    lots = users["lots"]
    case = f.make_case(lots)
    db.session.commit()
    data = f.case_input(
        db.session.get(Company, case.company_id), title="Café och bageri", participant_ids=(users["chef"].id,)
    )
    services.update_case(case, data, actor=lots, expected_version=case.version, now=f.NOW)
    assert case.title == "Café och bageri"
    assert [u.id for u in queries.participants(case.id)] == [users["chef"].id]
    assert _events(case)[-1].kind == "edited"
    with pytest.raises(StaleEdit):
        services.update_case(case, data, actor=lots, expected_version=1, now=f.NOW)


def test_status_changes_write_history_and_closing_needs_outcome(db, users):
    lots = users["lots"]
    case = f.make_case(lots)
    services.change_status(case, services.StatusChange("waiting_on_authority"), actor=lots, now=f.NOW)
    with pytest.raises(ValidationError, match="utfall"):
        services.change_status(case, services.StatusChange("closed"), actor=lots, now=f.NOW)
    services.change_status(
        case, services.StatusChange("closed", outcome="referred", note="Till Almi"), actor=lots, now=f.NOW
    )
    assert case.status == "closed"
    assert case.outcome == "referred"
    assert case.closed_at == f.NOW
    status_events = [e for e in _events(case) if e.kind == "status"]
    assert [(e.from_status, e.to_status, e.outcome) for e in status_events] == [
        ("received", "waiting_on_authority", None),
        ("waiting_on_authority", "closed", "referred"),
    ]
    assert status_events[-1].text == "Till Almi"
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity_type == "lots_cases", AuditEvent.action == "update")
        )
        == 2
    )


def test_invalid_transition_from_the_service(users):
    lots = users["lots"]
    case = f.make_case(lots)
    services.change_status(case, services.StatusChange("in_progress"), actor=lots, now=f.NOW)
    with pytest.raises(ValidationError, match="kan inte få status"):
        services.change_status(case, services.StatusChange("received"), actor=lots, now=f.NOW)
    with pytest.raises(Conflict):
        services.change_status(case, services.StatusChange("in_progress"), actor=lots, now=f.NOW)


def test_reopening_needs_a_reason_and_clears_the_outcome(users):
    lots = users["lots"]
    case = f.make_case(lots)
    f.close_case(case, lots)
    with pytest.raises(ValidationError, match="varför"):
        services.change_status(case, services.StatusChange("in_progress"), actor=lots, now=f.NOW)
    services.change_status(
        case,
        services.StatusChange("in_progress", note="Nytt besked från Länsstyrelsen"),
        actor=lots,
        now=f.NOW,
    )
    assert case.status == "in_progress"
    assert case.outcome is None
    assert case.closed_at is None


def test_a_closed_case_cannot_get_new_permits(users):
    lots = users["lots"]
    case = f.make_case(lots)
    f.close_case(case, lots)
    with pytest.raises(Conflict, match="avslutat"):
        f.make_permit(case, lots)


# --------------------------------------------------------------------------- restriction


def test_restricted_case_visible_to_participants_lots_and_audited(db, users):
    lots = users["lots"]
    chef_participant = make_user("chef")
    case = f.make_case(lots, is_restricted=True, participant_ids=(chef_participant.id,))
    db.session.commit()
    assert services.read_case(case, actor=users["chef"]) is False  # summarised only
    assert services.read_case(case, actor=chef_participant) is True
    other_lots = make_user("lots")
    assert services.read_case(case, actor=other_lots) is True  # lots may read restricted
    views = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "view", AuditEvent.entity_type == "lots_cases")
    ).all()
    assert sorted(v.actor_id for v in views) == sorted([chef_participant.id, other_lots.id])
    with pytest.raises(PermissionDenied):
        services.read_case(case, actor=users["ledning"])
    assert restriction.readable_ids(users["chef"], "case", [case.id]) == set()
    assert restriction.readable_ids(chef_participant, "case", [case.id]) == {case.id}


def test_unrestricted_read_is_not_audited(db, users):
    case = f.make_case(users["lots"])
    assert services.read_case(case, actor=users["chef"]) is True
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "view")
        )
        == 0
    )


def test_restricted_case_on_the_company_timeline_is_summarised(app, db, users):
    lots = users["lots"]
    case = f.make_case(lots, is_restricted=True, title="Hemlig etablering")
    db.session.commit()
    company = db.session.get(Company, case.company_id)
    with app.test_request_context():
        lots_items = [i for i in timeline_for(company, lots) if i.kind == "arende"]
        chef_items = [i for i in timeline_for(company, users["chef"]) if i.kind == "arende"]
        ledning_items = [i for i in timeline_for(company, users["ledning"]) if i.kind == "arende"]
    assert "Hemlig etablering" in lots_items[0].title
    assert "Hemlig etablering" not in chef_items[0].title
    assert rules.RESTRICTED_TITLE in chef_items[0].title
    assert chef_items[0].summary == ""
    assert ledning_items == []


# --------------------------------------------------------------------------- permit rows


def test_permit_row_stores_its_clock_and_default_authority(users):
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
    assert row.expected_decision_on == date(2026, 3, 31)  # 20 Jan + 10 weeks
    assert row.authority  # the catalogue's deciding body
    permits.update_permit(
        row,
        permits.PermitInput(
            permit_type_id=row.permit_type_id,
            authority=row.authority,
            submitted_on=date(2026, 1, 5),
            completion_requested_on=date(2026, 1, 12),
            complete_on=date(2026, 1, 20),
            extended=True,
        ),
        actor=lots,
        now=f.NOW,
    )
    assert row.expected_decision_on == date(2026, 6, 9)  # + 10 more weeks


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"submitted_on": date(2026, 2, 10), "complete_on": date(2026, 2, 1)}, "complete_on"),
        ({"complete_on": date(2026, 2, 1)}, "submitted_on"),
        ({"submitted_on": date(2030, 1, 1)}, "submitted_on"),
        ({"submitted_on": date(2026, 2, 1), "decision_on": date(2026, 2, 20)}, "outcome"),
        ({"submitted_on": date(2026, 2, 1), "outcome": "granted"}, "decision_on"),
        # A timely föreläggande and no completion yet: the clock has not started.
        (
            {
                "submitted_on": date(2026, 2, 2),
                "completion_requested_on": date(2026, 2, 10),
                "extended": True,
            },
            "extended",
        ),
        # PBL's three-week rule: dates in an order that cannot have happened.
        (
            {"submitted_on": date(2026, 2, 10), "completion_requested_on": date(2026, 2, 9)},
            "completion_requested_on",
        ),
        (
            {
                "submitted_on": date(2026, 2, 2),
                "completion_requested_on": date(2026, 2, 10),
                "complete_on": date(2026, 2, 9),
            },
            "complete_on",
        ),
        ({"submitted_on": date(2026, 2, 2), "complete_on": date(2026, 2, 20)}, "completion_requested_on"),
        ({"submitted_on": date(2026, 2, 2), "own_initiative_on": (date(2026, 2, 1),)}, "own_initiative_on"),
        ({"submitted_on": date(2026, 2, 2), "own_initiative_on": (date(2030, 2, 1),)}, "own_initiative_on"),
        ({"completion_requested_on": date(2026, 2, 10)}, "submitted_on"),
    ],
)
def test_permit_validation(users, values, field):
    lots = users["lots"]
    case = f.make_case(lots)
    with pytest.raises(ValidationError) as exc:
        f.make_permit(case, lots, "bygglov", **values)
    assert exc.value.field == field


def test_extension_refused_when_the_law_has_none(users):
    lots = users["lots"]
    case = f.make_case(lots)
    with pytest.raises(ValidationError, match="kan inte förlängas"):
        f.make_permit(
            case,
            lots,
            "livsmedel",
            submitted_on=date(2026, 2, 1),
            complete_on=date(2026, 2, 1),
            extended=True,
        )


def test_event_case_permits_get_apply_by_and_follow_the_event_date(db, users):
    lots = users["lots"]
    case = f.make_case(lots, case_type_id=f.case_type("evenemang").id, event_date=date(2026, 8, 15))
    row = f.make_permit(case, lots, "offentlig-tillstallning")
    lead = permit_type("offentlig-tillstallning").lead_time_weeks
    assert lead
    assert row.apply_by == date(2026, 8, 15) - timedelta(weeks=lead)
    data = f.case_input(
        db.session.get(Company, case.company_id), case_type_id=case.case_type_id, event_date=date(2026, 9, 15)
    )
    services.update_case(case, data, actor=lots, now=f.NOW)
    db.session.refresh(row)
    assert row.apply_by == date(2026, 9, 15) - timedelta(weeks=lead)


def test_deadline_list_and_flags(db, users):
    lots = users["lots"]
    late = f.make_case(lots, title="Sent bygglov")
    f.make_permit(late, lots, "bygglov", submitted_on=date(2025, 10, 1), complete_on=date(2025, 10, 1))
    calm = f.make_case(lots, title="Lugnt")
    f.make_permit(calm, lots, "bygglov", submitted_on=date(2026, 3, 1), complete_on=date(2026, 3, 1))
    decided = f.make_case(lots, title="Beslutat")
    f.make_permit(
        decided,
        lots,
        "bygglov",
        submitted_on=date(2025, 10, 1),
        complete_on=date(2025, 10, 1),
        decision_on=date(2025, 12, 1),
        outcome="granted",
    )
    db.session.commit()
    today = f.NOW.date()
    page = queries.list_cases(
        queries.CaseFilter(view="frister"), user=lots, today=today, near_days=14, page=1
    )
    assert [c.title for c in page.items] == ["Sent bygglov"]
    flags = queries.deadline_flags([late.id, calm.id, decided.id], today=today, near_days=14)
    assert flags[late.id] == (date(2025, 12, 10), "passed")
    assert flags[calm.id][1] == "ok"
    assert decided.id not in flags


def test_deadline_list_count_is_the_rows_counted_from_the_permit_side(db, users):
    """The deadline list's count reads the permit rows first (`warning_case_ids`): a case with
    two late permit rows counts once, a closed case with a late row not at all, and the count
    equals the rows listed."""
    lots = users["lots"]
    late = f.make_case(lots, title="Två sena tillstånd")
    for _ in range(2):
        f.make_permit(late, lots, "bygglov", submitted_on=date(2025, 10, 1), complete_on=date(2025, 10, 1))
    other = f.make_case(lots, title="Ett sent tillstånd")
    f.make_permit(other, lots, "bygglov", submitted_on=date(2025, 10, 1), complete_on=date(2025, 10, 1))
    closed = f.make_case(lots, title="Stängt med sent tillstånd")
    f.make_permit(closed, lots, "bygglov", submitted_on=date(2025, 10, 1), complete_on=date(2025, 10, 1))
    f.close_case(closed, lots)
    db.session.commit()
    page = queries.list_cases(
        queries.CaseFilter(view="frister"), user=lots, today=f.NOW.date(), near_days=14, page=1
    )
    assert sorted(c.title for c in page.items) == ["Ett sent tillstånd", "Två sena tillstånd"]
    assert (page.total, page.total_capped) == (2, False)


def test_permit_rows_on_the_case_page_show_fee_reduction(users):
    lots = users["lots"]
    case = f.make_case(lots)
    f.make_permit(case, lots, "bygglov", submitted_on=date(2025, 10, 1), complete_on=date(2025, 10, 1))
    rows = queries.permit_rows(case, today=date(2025, 12, 19), near_days=14)
    assert rows[0].clock.expected_decision_on == date(2025, 12, 10)
    assert rows[0].clock.fee_reduction_percent == 40  # 9 days late: two started weeks


def test_lists_mine_waiting_and_closed(db, users):
    lots, other = users["lots"], make_user("lots")
    mine = f.make_case(lots, title="Mitt")
    theirs = f.make_case(other, title="Deras", participant_ids=(lots.id,))
    waiting = f.make_case(other, title="Väntar", responsible_user_id=other.id)
    services.change_status(waiting, services.StatusChange("waiting_on_authority"), actor=other, now=f.NOW)
    closed = f.make_case(other, title="Klart", responsible_user_id=other.id)
    f.close_case(closed, other)
    db.session.commit()

    def titles(view):
        page = queries.list_cases(
            queries.CaseFilter(view=view), user=lots, today=f.NOW.date(), near_days=14, page=1
        )
        return sorted(c.title for c in page.items)

    assert titles("mina") == sorted([mine.title, theirs.title])
    assert titles("vantar") == ["Väntar"]
    assert titles("avslutade") == ["Klart"]
    assert mine.title in titles("oppna")
    assert "Klart" not in titles("oppna")
    assert mine.age_days(f.NOW.date() + timedelta(days=5)) == 5


# --------------------------------------------------------------------------- actions, referrals, merge


def test_action_is_a_followup_and_what_came_back_is_recorded(db, users):
    from app.followups.models import DONE

    lots = users["lots"]
    case = f.make_case(lots)
    followup = actions.add_action(
        case,
        actions.ActionInput(
            title="Yttrande om brandskydd",
            due_on=date(2026, 3, 20),
            assignee_id=lots.id,
            handed_to="Räddningstjänsten",
        ),
        actor=lots,
        now=f.NOW,
    )
    assert followup.case_id == case.id
    assert followup.source == "case"
    assert followup.company_id == case.company_id
    assert "Räddningstjänsten" in followup.note
    actions.record_action_result(
        case, followup.id, "Inga hinder, kräver utrymningsplan.", actor=lots, now=f.NOW
    )
    assert followup.status == DONE
    assert followup.done_note == "Inga hinder, kräver utrymningsplan."
    returned = [e for e in _events(case) if e.kind == "returned"]
    assert returned[0].text.endswith("kräver utrymningsplan.")
    assert [a.id for a in queries.actions(case.id)] == [followup.id]


def test_referral_from_a_case(users):
    from app.catalogues.queries import list_partners

    lots = users["lots"]
    case = f.make_case(lots)
    partner = list_partners()[0]
    referral = actions.add_referral(
        case, partner_id=partner.id, reason="Lån till maskiner", referred_on=None, actor=lots, now=f.NOW
    )
    assert (referral.case_id, referral.company_id) == (case.id, case.company_id)
    actions.record_referral_outcome(case, referral.id, "Beviljat lån", actor=lots, now=f.NOW)
    assert referral.outcome == "Beviljat lån"
    assert [r.id for r in queries.referrals(case.id)] == [referral.id]


def test_merge_moves_cases_to_the_surviving_company(db, users):
    lots = users["lots"]
    source, target = make_company("Dubblett AB"), make_company("Original AB")
    case = f.make_case(lots, company=source)
    moved = services.move_cases_on_merge(source, target, lots)
    assert moved == 1
    assert db.session.get(LotsCase, case.id).company_id == target.id


def test_merge_handler_is_registered(app):
    from app.core.merge import merge_handlers

    assert "lotsärenden" in [h.label for h in merge_handlers()]


def test_recompute_clocks_after_a_catalogue_change(db, users):
    lots = users["lots"]
    case = f.make_case(lots)
    row = f.make_permit(case, lots, "bygglov", submitted_on=date(2026, 1, 5), complete_on=date(2026, 1, 5))
    permit_type("bygglov").statutory_time_value = 12
    assert permits.recompute_clocks() == 1
    assert db.session.get(CasePermit, row.id).expected_decision_on == date(2026, 3, 30)
