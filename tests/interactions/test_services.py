"""Contact-log services: every kind, focus-area rules, permit guidance, referrals, restriction
and its audited reads, last_contact_at, one-time form tokens, follow-ups, merge, timeline."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.companies.models import Company
from app.core import restriction
from app.core.calendar import working_day_on_or_after
from app.core.errors import NotFound, PermissionDenied, StaleEdit, ValidationError
from app.core.time import local_today, utcnow
from app.core.timeline import TimelineFilter, TimelineItem, register_timeline_provider, timeline_for
from app.followups.cadence import ensure_cadence_items
from app.followups.models import FollowUp
from app.interactions import queries, services
from app.interactions.models import Interaction, InteractionKind, PermitGuidance
from app.strategy.services import retire_focus_area
from tests.builders.catalogues import partner, permit_type
from tests.builders.companies import make_company, make_contact_person
from tests.builders.interactions import interaction_input, make_interaction
from tests.builders.strategy import focus_areas
from tests.builders.users import make_user

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the results depend on today's date


def _views(db, interaction_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.entity_type == "interactions",
                AuditEvent.entity_id == interaction_id,
                AuditEvent.action == "view",
            )
        )
    )


# --------------------------------------------------------------------------- kinds and rules


@pytest.mark.parametrize("kind", list(InteractionKind))
def test_each_kind_can_be_logged(db, users, kind):
    company = make_company()
    interaction = make_interaction(company, users["lots"], kind=kind.value, inbound_channel="phone")
    db.session.commit()
    stored = db.session.get(Interaction, interaction.id)
    assert stored.kind == kind
    assert (
        stored.kind_label
        == {
            "phone_call": "Telefonsamtal",
            "visit": "Besök hos företaget",
            "meeting": "Möte",
            "email": "E-post",
            "digital": "Digitalt möte",
            "permit_guidance": "Tillståndsvägledning",
            "event": "Arrangörskontakt/evenemang",
            "other": "Övrigt",
        }[kind.value]
    )
    assert stored.channel_label == "Telefon"
    assert stored.author_id == users["lots"].id


def test_an_unknown_kind_is_refused(db, users):
    with pytest.raises(ValidationError) as exc:
        make_interaction(make_company(), users["lots"], kind="brevduva")
    assert exc.value.field == "kind"


def test_the_focus_area_is_required_with_a_clear_swedish_error(db, users):
    with pytest.raises(ValidationError) as exc:
        make_interaction(make_company(), users["lots"], focus_area_id=None)
    assert exc.value.field == "focus_area_id"
    assert exc.value.message.startswith("Välj ett fokusområde.")


def test_a_retired_focus_area_is_refused_for_new_contacts_but_kept_on_old_ones(db, users):
    lots = users["lots"]
    area, other = focus_areas()[0], focus_areas()[1]
    company = make_company()
    old = make_interaction(company, lots, focus_area_id=area.id, other_focus_area_ids=(other.id,))
    retire_focus_area(area, actor=users["admin"])
    retire_focus_area(other, actor=users["admin"])
    db.session.commit()

    with pytest.raises(ValidationError) as exc:
        make_interaction(company, lots, focus_area_id=area.id)
    assert exc.value.field == "focus_area_id"
    assert "avslutat" in exc.value.message

    # Editing the old contact without touching its focus areas works and keeps them.
    data = interaction_input(
        company, focus_area_id=area.id, other_focus_area_ids=(other.id,), subject="Nytt ämne"
    )
    services.update_contact(old, data, actor=lots)
    db.session.commit()
    stored = queries.get_contact_or_404(old.id)
    assert (stored.subject, stored.focus_area_id) == ("Nytt ämne", area.id)
    assert [a.id for a in stored.other_focus_areas] == [other.id]

    # ...but switching an old contact TO a retired area is refused.
    fresh = make_interaction(company, lots, focus_area_id=focus_areas()[0].id)
    with pytest.raises(ValidationError):
        services.update_contact(fresh, replace(data, focus_area_id=area.id), actor=lots)


def test_contacts_in_the_future_are_refused(db, users):
    with pytest.raises(ValidationError) as exc:
        make_interaction(make_company(), users["lots"], at=utcnow() + timedelta(days=1))
    assert exc.value.field == "occurred_on"


def test_contact_persons_must_belong_to_the_company(db, users):
    company, elsewhere = make_company(), make_company()
    mine, theirs = make_contact_person(company, "Lisa Ek"), make_contact_person(elsewhere, "Per Ås")
    interaction = make_interaction(
        company,
        users["lots"],
        contact_person_ids=(mine.id,),
        participant_ids=(users["lots"].id, users["ledning"].id),
    )
    assert [p.id for p in interaction.contact_persons] == [mine.id]
    assert {u.id for u in interaction.participants} == {users["lots"].id, users["ledning"].id}
    with pytest.raises(ValidationError) as exc:
        make_interaction(company, users["lots"], contact_person_ids=(theirs.id,))
    assert exc.value.field == "contact_person_ids"


def test_only_lots_log_contacts(db, users):
    for role in ("ledning", "chef", "admin"):
        with pytest.raises(PermissionDenied):
            make_interaction(make_company(), users[role])


def test_a_merged_or_deleted_company_is_refused(db, users):
    target = make_company()
    merged = make_company(merged_into_id=target.id)
    deleted = make_company(deleted_at=utcnow())
    for company in (merged, deleted):
        with pytest.raises(ValidationError) as exc:
            make_interaction(company, users["lots"])
        assert exc.value.field == "company_id"


# --------------------------------------------------------------------------- permit guidance


def test_permit_guidance_with_two_permit_types(db, users):
    bygglov, servering = permit_type("bygglov"), permit_type("servering")
    interaction = make_interaction(
        make_company(),
        users["lots"],
        kind=InteractionKind.PERMIT_GUIDANCE.value,
        permit_guidance=(
            services.PermitGuidanceInput(
                bygglov.id,
                "Ändrad användning kräver bygglov; 10 veckor från komplett ansökan.",
                "Byggnadsnämnden",
            ),
            services.PermitGuidanceInput(
                servering.id, "Kunskapsprov först.", "Socialförvaltningen, alkoholhandläggare"
            ),
        ),
    )
    db.session.commit()
    stored = queries.get_contact_or_404(interaction.id)
    rows = {g.permit_type.code: g for g in stored.permit_guidance}
    assert set(rows) == {"bygglov", "servering"}
    assert rows["servering"].handed_to == "Socialförvaltningen, alkoholhandläggare"
    assert (
        bygglov.statutory_time_text
        == "10 veckor enligt PBL:s treveckorsregel, kan förlängas med högst 10 veckor"
    )
    # The list filter by permit type finds it.
    found = queries.list_contacts(
        queries.ContactFilter(permit_type_id=servering.id), 1, reader=users["lots"]
    ).items
    assert [i.id for i in found] == [interaction.id]

    # Editing replaces the rows: drop servering, keep bygglov's text changed.
    services.update_contact(
        stored,
        interaction_input(
            stored.company,
            kind=InteractionKind.PERMIT_GUIDANCE.value,
            permit_guidance=(
                services.PermitGuidanceInput(bygglov.id, "Uppdaterad vägledning", "Byggnadsnämnden"),
            ),
        ),
        actor=users["lots"],
    )
    db.session.commit()
    left = list(
        db.session.scalars(sa.select(PermitGuidance).where(PermitGuidance.interaction_id == interaction.id))
    )
    assert [(g.permit_type_id, g.guidance_given) for g in left] == [(bygglov.id, "Uppdaterad vägledning")]


def test_permit_guidance_needs_a_permit_type_and_no_duplicates(db, users):
    company = make_company()
    with pytest.raises(ValidationError) as exc:
        make_interaction(
            company, users["lots"], kind=InteractionKind.PERMIT_GUIDANCE.value, permit_guidance=()
        )
    assert exc.value.message == "Ange minst en tillståndstyp för tillståndsvägledning."
    row = services.PermitGuidanceInput(permit_type("tobak").id)
    with pytest.raises(ValidationError):
        make_interaction(
            company, users["lots"], kind=InteractionKind.PERMIT_GUIDANCE.value, permit_guidance=(row, row)
        )


# --------------------------------------------------------------------------- referrals


def test_a_referral_and_its_outcome_later(db, users):
    lots = users["lots"]
    company = make_company()
    interaction = make_interaction(company, lots, subject="Vill expandera")
    almi = partner("Almi")
    referral = services.add_referral(
        services.ReferralInput(
            partner_id=almi.id, reason="Behöver lån för maskiner", interaction_id=interaction.id
        ),
        actor=lots,
    )
    db.session.commit()
    assert (referral.company_id, referral.referred_on, referral.outcome) == (company.id, local_today(), None)
    assert [r.id for r in queries.referrals_awaiting_outcome(lots)] == [referral.id]
    assert [
        i.id for i in queries.list_contacts(queries.ContactFilter(partner_id=almi.id), 1, reader=lots).items
    ] == [interaction.id]

    with pytest.raises(ValidationError) as exc:
        services.record_referral_outcome(referral, "  ", actor=lots)
    assert exc.value.field == "outcome"
    services.record_referral_outcome(
        referral, "Fick lån beviljat", actor=lots, expected_version=referral.version
    )
    db.session.commit()
    assert (referral.outcome, referral.outcome_on) == ("Fick lån beviljat", local_today())
    assert queries.referrals_awaiting_outcome(lots) == []
    with pytest.raises(StaleEdit):
        services.record_referral_outcome(referral, "Annat", actor=lots, expected_version=1)


def test_a_retired_partner_cannot_get_new_referrals(db, users):
    from app.catalogues.services import retire_partner

    almi = partner("Almi")
    retire_partner(almi, actor=users["admin"])
    with pytest.raises(ValidationError) as exc:
        services.add_referral(
            services.ReferralInput(partner_id=almi.id, reason="x", company_id=make_company().id),
            actor=users["lots"],
        )
    assert exc.value.field == "partner_id"


# --------------------------------------------------------------------------- edit and delete


def test_edit_by_the_author_or_any_lots_but_not_chef(db, users):
    company = make_company()
    interaction = make_interaction(company, users["lots"])
    colleague = make_user("lots")
    db.session.commit()
    services.update_contact(interaction, interaction_input(company, subject="Rättat"), actor=colleague)
    assert interaction.subject == "Rättat"
    with pytest.raises(PermissionDenied):
        services.update_contact(interaction, interaction_input(company), actor=users["chef"])
    with pytest.raises(StaleEdit):
        services.update_contact(
            interaction,
            interaction_input(company),
            actor=users["lots"],
            expected_version=interaction.version - 1,
        )


def test_delete_is_soft_and_audited(db, users):
    company = make_company()
    interaction = make_interaction(company, users["lots"])
    db.session.commit()
    services.delete_contact(interaction, actor=users["lots"], expected_version=interaction.version)
    db.session.commit()
    assert db.session.get(Interaction, interaction.id).deleted_at is not None
    assert (
        queries.list_contacts(queries.ContactFilter(company_id=company.id), 1, reader=users["lots"]).items
        == []
    )
    with pytest.raises(NotFound):
        queries.get_contact_or_404(interaction.id)
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.entity_id == interaction.id, AuditEvent.action == "delete")
    )
    assert event.entity_type == "interactions"
    assert event.changes["subject"] == "Frågor om lokal"


# --------------------------------------------------------------------------- last_contact_at


def test_last_contact_at_follows_log_edit_and_delete(db, users):
    lots = users["lots"]
    company = make_company()
    t1 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    t2 = datetime(2025, 6, 9, 13, 30, tzinfo=UTC)
    first = make_interaction(company, lots, at=t1)
    db.session.commit()
    assert db.session.get(Company, company.id).last_contact_at == t1
    second = make_interaction(company, lots, at=t2)
    db.session.commit()
    assert db.session.get(Company, company.id).last_contact_at == t2
    # Logging an older contact does not move it back.
    make_interaction(company, lots, at=t1 - timedelta(days=30))
    db.session.commit()
    assert db.session.get(Company, company.id).last_contact_at == t2
    # Editing the newest contact to an earlier time lowers it to the real maximum.
    services.update_contact(
        second, interaction_input(company, occurred_at=t1 + timedelta(days=1)), actor=lots
    )
    db.session.commit()
    assert db.session.get(Company, company.id).last_contact_at == t1 + timedelta(days=1)
    # Deleting recomputes from the remaining contacts.
    services.delete_contact(second, actor=lots)
    db.session.commit()
    assert db.session.get(Company, company.id).last_contact_at == t1
    company_version = db.session.get(Company, company.id).version
    services.delete_contact(first, actor=lots)
    db.session.commit()
    stored = db.session.get(Company, company.id)
    assert stored.last_contact_at == t1 - timedelta(days=30)
    # The denormalised column never bumps the company's version (no stale company edits).
    assert stored.version == company_version


def test_a_new_contact_closes_the_key_company_cadence_item(db, users):
    company = make_company(
        is_key_company=True, contact_cadence_months=3, responsible_user_id=users["lots"].id
    )
    company.created_at = utcnow() - timedelta(days=200)
    db.session.commit()
    assert ensure_cadence_items() == 1
    db.session.commit()
    make_interaction(company, users["lots"])
    db.session.commit()
    item = db.session.scalar(
        sa.select(FollowUp).where(FollowUp.company_id == company.id, FollowUp.source == "cadence")
    )
    assert item.status == "done"


# --------------------------------------------------------------------------- form token, follow-up


def test_the_same_form_token_logs_one_contact(db, users):
    company = make_company()
    first = make_interaction(company, users["lots"], token="abc123")
    db.session.commit()
    again = make_interaction(company, users["lots"], token="abc123", subject="Dubbelklick")
    db.session.commit()
    assert again.id == first.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Interaction)) == 1


def test_follow_up_from_the_contact_form(db, users):
    company = make_company()
    interaction = make_interaction(company, users["lots"], follow_up=services.FollowUpRequest("2w"))
    db.session.commit()
    followup = db.session.scalar(sa.select(FollowUp).where(FollowUp.interaction_id == interaction.id))
    assert followup.company_id == company.id
    assert followup.assignee_id == users["lots"].id
    assert followup.source == "contact"
    assert followup.title == "Följ upp: Frågor om lokal"
    assert followup.due_on == working_day_on_or_after(local_today() + timedelta(days=14))
    assert db.session.get(Company, company.id).next_followup_on == followup.due_on

    on = local_today() + timedelta(days=40)
    other = make_interaction(company, users["lots"], follow_up=services.FollowUpRequest("date", on))
    assert db.session.scalar(sa.select(FollowUp.due_on).where(FollowUp.interaction_id == other.id)) == on
    with pytest.raises(ValidationError) as exc:
        make_interaction(company, users["lots"], follow_up=services.FollowUpRequest("date", date(2020, 1, 1)))
    assert exc.value.field == "followup_on"


# --------------------------------------------------------------------------- restriction


def test_a_restricted_contact_is_hidden_from_ledning_and_chef(app, db, users):
    company = make_company()
    interaction = make_interaction(
        company,
        users["lots"],
        is_restricted=True,
        subject="Hemlig etablering",
        notes="Planerad investering 400 Mkr",
    )
    db.session.commit()
    for role in ("ledning", "chef"):
        assert services.can_read(users[role], interaction) is False
        assert services.read_contact(interaction, actor=users[role]) is False
        assert restriction.readable_ids(users[role], "interaction", [interaction.id]) == set()
    assert _views(db, interaction.id) == []  # nothing was read, nothing recorded
    # The timeline summarises it for those who may not read it.
    with app.test_request_context():
        [item] = queries.contact_timeline_items(company, users["chef"], TimelineFilter())
    assert item.title == "Telefonsamtal: Kontakt med begränsad åtkomst"
    assert "400" not in item.summary
    assert "Hemlig" not in item.title


def test_reads_of_a_restricted_contact_are_recorded_for_those_who_may_see_it(db, users):
    author = users["lots"]
    company = make_company()
    participant = make_user("ledning")
    other_lots = make_user("lots")
    interaction = make_interaction(company, author, is_restricted=True, participant_ids=(participant.id,))
    db.session.commit()
    for reader in (author, participant, other_lots):
        assert services.read_contact(interaction, actor=reader) is True
    db.session.commit()
    assert [e.actor_id for e in _views(db, interaction.id)] == [author.id, participant.id, other_lots.id]
    assert restriction.readable_ids(participant, "interaction", [interaction.id]) == {interaction.id}
    assert services.can_read(users["admin"], interaction) is False  # admin has no contact log access
    # An ordinary contact's read is not recorded.
    plain = make_interaction(company, author)
    assert services.read_contact(plain, actor=users["chef"]) is True
    assert _views(db, plain.id) == []


# --------------------------------------------------------------------------- lists, defaults


def test_filters_and_my_contacts(db, users):
    lots, ledning = users["lots"], users["ledning"]
    company = make_company()
    areas = focus_areas()
    a = make_interaction(
        company, lots, kind="meeting", focus_area_id=areas[0].id, at=datetime(2025, 1, 10, 9, tzinfo=UTC)
    )
    b = make_interaction(
        company,
        lots,
        kind="email",
        focus_area_id=areas[1].id,
        other_focus_area_ids=(areas[2].id,),
        participant_ids=(ledning.id,),
        at=datetime(2025, 2, 10, 9, tzinfo=UTC),
    )
    db.session.commit()

    def ids(**kw):
        return [i.id for i in queries.list_contacts(queries.ContactFilter(**kw), 1, reader=lots).items]

    assert ids() == [b.id, a.id]
    assert ids(kind="meeting") == [a.id]
    assert ids(focus_area_id=areas[2].id) == [b.id]  # other focus areas count too
    assert ids(user_id=ledning.id) == [b.id]  # participant
    assert ids(user_id=lots.id) == [b.id, a.id]  # author
    assert ids(date_from=date(2025, 2, 1)) == [b.id]
    assert ids(date_to=date(2025, 1, 10)) == [a.id]
    assert queries.last_focus_area_id(company.id) == areas[1].id
    assert queries.last_focus_area_id(make_company().id) is None


# --------------------------------------------------------------------------- timeline, merge


def test_the_timeline_orders_contacts_of_every_kind_newest_first(app, db, users):
    company = make_company()
    base = datetime(2025, 5, 1, 8, tzinfo=UTC)
    kinds = list(InteractionKind)
    for n, kind in enumerate(kinds):
        make_interaction(
            company, users["lots"], kind=kind.value, subject=f"Kontakt {n}", at=base + timedelta(days=n * 3)
        )
    db.session.commit()

    # Another feature's items interleave by time.
    def case_events(company, actor, filters):
        return [TimelineItem(at=date(2025, 5, 5), kind="arende", title="Ärende öppnat")]

    register_timeline_provider(app, case_events)
    with app.test_request_context():
        items = timeline_for(company, users["chef"])
        contact_items = [i for i in items if i.kind == "kontakt"]
        assert [i.title for i in contact_items] == [
            f"{k.label}: Kontakt {n}" for n, k in reversed(list(enumerate(kinds)))
        ]
        positions = [i.title for i in items]
        assert positions.index("Ärende öppnat") == positions.index("Besök hos företaget: Kontakt 1") - 1
        assert all(x.sort_key >= y.sort_key for x, y in zip(items, items[1:], strict=False))
        # Filters by contact kind and by focus area.
        only_calls = timeline_for(
            company, users["chef"], TimelineFilter(extra={"contact_kind": "phone_call"})
        )
        assert [i.title for i in only_calls if i.kind == "kontakt"] == ["Telefonsamtal: Kontakt 0"]
        other_area = focus_areas()[3].id
        assert [
            i
            for i in timeline_for(company, users["chef"], TimelineFilter(extra={"focus_area_id": other_area}))
            if i.kind == "kontakt"
        ] == []
        assert timeline_for(company, users["admin"], TimelineFilter(kinds=frozenset({"kontakt"}))) == []


def test_merge_moves_contacts_and_referrals_to_the_surviving_company(db, users):
    source, target = make_company(), make_company()
    interaction = make_interaction(source, users["lots"])
    services.add_referral(
        services.ReferralInput(partner_id=partner().id, reason="Rådgivning", interaction_id=interaction.id),
        actor=users["lots"],
    )
    moved = services.move_contacts_on_merge(source, target, users["lots"])
    db.session.commit()
    assert moved == 2
    assert [
        i.id
        for i in queries.list_contacts(
            queries.ContactFilter(company_id=target.id), 1, reader=users["lots"]
        ).items
    ] == [interaction.id]


@pytest.mark.parametrize(
    ("today", "when", "due"),
    [
        (date(2026, 3, 27), "1w", date(2026, 4, 7)),  # a week later is långfredagen
        (date(2026, 12, 10), "2w", date(2026, 12, 28)),  # two weeks later is julafton
        (date(2026, 5, 19), "1m", date(2026, 6, 22)),  # a month later is midsommarafton
        (date(2026, 11, 30), "1m", date(2026, 12, 30)),  # an ordinary Wednesday: not moved
    ],
)
def test_follow_up_choices_land_on_working_days(db, users, today, when, due):
    import time_machine

    from app.core.time import local_datetime

    company = make_company()
    with time_machine.travel(local_datetime(today, time(10, 0)), tick=False):
        interaction = make_interaction(company, users["lots"], follow_up=services.FollowUpRequest(when))
    assert (
        db.session.scalar(sa.select(FollowUp.due_on).where(FollowUp.interaction_id == interaction.id)) == due
    )


# --------------------------------------------------------------------------- issue 15: how and what


def test_a_phone_call_that_concerned_permits_keeps_how_and_what_apart(db, users):
    company = make_company()
    bygglov = permit_type("bygglov")
    with pytest.raises(ValidationError) as exc:
        make_interaction(company, users["lots"], kind=InteractionKind.PHONE.value, concerns_permits=True)
    assert exc.value.message == (
        "Välj vilket tillstånd kontakten gällde, eller ta bort bocken i ”Gällde tillstånd”."
    )
    assert exc.value.field == "permit_guidance"
    interaction = make_interaction(
        company,
        users["lots"],
        kind=InteractionKind.PHONE.value,
        concerns_permits=True,
        permit_guidance=(services.PermitGuidanceInput(bygglov.id, "Förhandsbesked först."),),
    )
    db.session.commit()
    stored = queries.get_contact_or_404(interaction.id)
    assert stored.kind is InteractionKind.PHONE  # how
    assert [g.permit_type_id for g in stored.permit_guidance] == [bygglov.id]  # what
    # The permit-type filter (and so the reports' permit figures) finds it as before.
    found = queries.list_contacts(queries.ContactFilter(permit_type_id=bygglov.id), 1, reader=users["lots"])
    assert [i.id for i in found.items] == [interaction.id]


def test_a_digital_meeting_is_a_kind_of_its_own(db, users):
    interaction = make_interaction(make_company(), users["lots"], kind="digital")
    db.session.commit()
    assert queries.get_contact_or_404(interaction.id).kind_label == "Digitalt möte"


@pytest.mark.parametrize(
    ("today", "labels"),
    [
        (
            date(2026, 11, 18),
            ["Om 1 vecka – ons 25 nov", "Om 2 veckor – ons 2 dec", "Om 1 månad – fre 18 dec"],
        ),
        # Two weeks after 10 December is julafton: the label says the working day it sets.
        (
            date(2026, 12, 10),
            ["Om 1 vecka – tors 17 dec", "Om 2 veckor – mån 28 dec", "Om 1 månad – mån 11 jan"],
        ),
    ],
)
def test_the_follow_up_choices_name_the_date_they_set(app, db, users, today, labels):
    from app.core.time import local_datetime
    from app.interactions.follow_up import follow_up_choices

    with app.test_request_context():
        choices = dict(follow_up_choices(local_datetime(today, time(10, 0))))
    assert [choices["1w"], choices["2w"], choices["1m"]] == labels
    assert choices[""] == "Ingen uppföljning"
    assert choices["date"] == "Välj datum"
