"""The visit brief: its content for a demo-like company, what ledning may not see, and a fixed
number of queries however much the company has."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.cases import permits as case_permits
from app.catalogues.queries import get_permit_type_by_code
from app.core.time import local_today, utcnow
from app.extensions import db as _db
from app.followups import services as followups
from app.followups.models import FollowUp
from app.interactions import services as contacts
from app.visits.brief import build_brief
from app.visits.services import load_visit
from tests.builders.cases import make_case
from tests.builders.catalogues import partner
from tests.builders.companies import make_company, make_contact_person
from tests.builders.interactions import make_interaction
from tests.builders.strategy import focus_areas
from tests.builders.visits import make_visit, promise_input, record_visit

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the results depend on today's date


@pytest.fixture
def world(db, users):
    """A company like the demo's: a past visit with one kept and one unkept promise, an open
    case with a bygglov row, a follow-up, a referral, and restricted records."""
    lots, ledning = users["lots"], users["ledning"]
    now = utcnow()
    today = local_today(now)
    company = make_company(
        "Dala Verkstad AB",
        sni_code="25620",
        sni_version="2007",
        size_class="50-99",
        visiting_address="Verkstadsgatan 4",
        responsible_user_id=lots.id,
    )
    host = make_contact_person(company, "Eva Ek", title="vd")
    make_contact_person(company, "Per Persson", title="produktionschef")

    past = make_visit(
        company,
        lots,
        ledning=[ledning],
        office=[lots],
        starts_at=now - timedelta(days=60),
        now=now - timedelta(days=70),
    )
    record_visit(
        past,
        lots,
        now=now - timedelta(days=60) + timedelta(hours=3),
        promises=[
            promise_input("Skicka information om feriearbetare", lots, today - timedelta(days=40)),
            promise_input("Återkomma om detaljplanen", ledning, today + timedelta(days=20)),
        ],
    )
    kept = _db.session.scalar(
        sa.select(FollowUp).where(FollowUp.title == "Skicka information om feriearbetare")
    )
    followups.complete_followup(kept, actor=lots, done_on=today - timedelta(days=45), now=now)

    case = make_case(
        lots, company=company, contact_person_id=None, now=None, title="Bygglov för ny lagerhall"
    )
    case_permits.add_permit(
        case,
        case_permits.PermitInput(
            permit_type_id=get_permit_type_by_code("bygglov").id,
            submitted_on=today - timedelta(days=20),
            completion_requested_on=today - timedelta(days=18),
            complete_on=today - timedelta(days=15),
        ),
        actor=lots,
    )
    followups.create_followup(
        followups.FollowUpInput(
            title="Skicka ritningarna till bygglovshandläggaren",
            due_on=today + timedelta(days=2),
            company_id=company.id,
            case_id=case.id,
            source="case",
        ),
        actor=lots,
    )
    make_case(
        lots, company=company, contact_person_id=None, now=None, title="Hemlig markaffär", is_restricted=True
    )

    make_interaction(company, lots, at=now - timedelta(days=10), focus_area_id=focus_areas()[0].id)
    secret = make_interaction(
        company,
        lots,
        at=now - timedelta(days=5),
        focus_area_id=focus_areas()[3].id,
        subject="Konfidentiell lokalsökning",
        is_restricted=True,
    )
    make_interaction(
        company, lots, at=now - timedelta(days=800), focus_area_id=focus_areas()[0].id
    )  # older than 24 months
    followups.create_followup(
        followups.FollowUpInput(
            title="Ringa om rekryteringsmässan", due_on=today + timedelta(days=3), company_id=company.id
        ),
        actor=lots,
    )
    contacts.add_referral(
        contacts.ReferralInput(partner_id=partner("Almi").id, reason="Finansiering", company_id=company.id),
        actor=lots,
    )
    contacts.add_referral(
        contacts.ReferralInput(partner_id=partner("IUC").id, reason="Hemligt", interaction_id=secret.id),
        actor=lots,
    )
    upcoming = make_visit(
        company,
        ledning,
        ledning=[ledning],
        office=[lots],
        starts_at=now + timedelta(days=14),
        host_contact_person_id=host.id,
        focus_area_ids=(focus_areas()[0].id, focus_areas()[2].id),
    )
    _db.session.commit()
    return {"company": company, "visit": upcoming, "lots": lots, "ledning": ledning}


def test_brief_content(world):
    brief = build_brief(world["company"].id, actor=world["lots"], visit=load_visit(world["visit"].id))
    assert brief.industry.startswith("25620")
    assert "(SNI 2007)" in brief.industry
    assert brief.size == "50–99 anställda"
    assert brief.address == "Verkstadsgatan 4, 784 33 Borlänge"
    assert brief.company.responsible.id == world["lots"].id
    assert brief.host == "Eva Ek, vd"
    assert [p.name for p in brief.contact_persons] == ["Eva Ek", "Per Persson"]
    counts = {area.label: n for area, n in brief.contacts_per_area}
    # The visit's own contact (focus area 1) and the call count; the 800-day-old one does not.
    assert counts["Kompetensförsörjning"] == 2
    assert counts["Etableringar"] == 1
    assert brief.contacts_total == 3

    [past] = brief.past_visits
    states = {p.followup.title: (p.kept, p.state_label(brief.today)) for p in past.promises}
    assert states["Skicka information om feriearbetare"][0] is True
    assert states["Skicka information om feriearbetare"][1].startswith("Hållet")
    assert states["Återkomma om detaljplanen"][0] is False
    assert states["Återkomma om detaljplanen"][1].startswith("Inte hållet än")

    titles = [c.title for c in brief.cases]
    assert titles == ["Bygglov för ny lagerhall", "Hemlig markaffär"]
    [permit] = brief.cases[0].permits
    assert permit.name == "Bygglov"
    assert permit.expected_decision_on is not None
    assert permit.clock_text.startswith("Beslut väntas senast")

    assert [f.title for f in brief.followups] == ["Ringa om rekryteringsmässan"]  # promises not repeated
    assert sorted(r.partner.name.split()[0] for r in brief.referrals) == ["Almi", "IUC"]
    groups = dict(brief.questions)
    assert set(groups) == {"Kompetensförsörjning", "Möjliggörare", "Alltid"}
    assert "Hur vill ni att vi återkopplar?" in [q.text for q in groups["Alltid"]]


def test_restricted_items_are_left_out_for_ledning(world):
    brief = build_brief(world["company"].id, actor=world["ledning"], visit=load_visit(world["visit"].id))
    assert [c.title for c in brief.cases] == ["Bygglov för ny lagerhall"]
    counts = {area.label: n for area, n in brief.contacts_per_area}
    assert counts["Etableringar"] == 0
    assert brief.contacts_total == 2
    assert [r.partner.name.split()[0] for r in brief.referrals] == ["Almi"]
    # The open case is still there for ledning: the brief is how kommunledning learns of it.
    assert brief.cases[0].permits[0].name == "Bygglov"


def test_brief_runs_a_fixed_number_of_queries(world, users):
    from sqlalchemy import event

    def count_queries(company_id) -> int:
        statements: list[str] = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        engine = _db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            _db.session.expire_all()
            build_brief(company_id, actor=world["ledning"])
        finally:
            event.remove(engine, "before_cursor_execute", before)
        return len(statements)

    company = world["company"]
    rich = count_queries(company.id)
    # More of everything: another recorded visit with promises, another case with a permit
    # row, more contacts and follow-ups. The number of queries must not grow.
    lots, ledning = users["lots"], users["ledning"]
    now = utcnow()
    today = local_today(now)
    company = _db.session.get(type(company), company.id)
    more = make_visit(
        company, lots, ledning=[ledning], starts_at=now - timedelta(days=20), now=now - timedelta(days=30)
    )
    record_visit(
        more,
        lots,
        now=now - timedelta(days=19),
        promises=[promise_input("Ett löfte till", lots, today + timedelta(days=9))],
    )
    case = make_case(lots, company=company, contact_person_id=None, now=None, title="Miljötillstånd")
    case_permits.add_permit(
        case, case_permits.PermitInput(permit_type_id=get_permit_type_by_code("bygglov").id), actor=lots
    )
    for days in (2, 3, 4):
        make_interaction(company, lots, at=now - timedelta(days=days))
    _db.session.commit()
    assert count_queries(company.id) == rich
    bare = make_company("Tomt AB")
    _db.session.commit()
    bare_count = count_queries(bare.id)
    assert bare_count <= rich <= 25, (bare_count, rich)


def test_brief_last_contacts_newest_first_with_one_line_each(world):
    from tests.builders.interactions import make_interaction as log

    lots = world["lots"]
    now = utcnow()
    log(
        world["company"],
        lots,
        at=now - timedelta(days=1),
        subject="Ringde om elnätet",
        notes="\nKapaciteten räcker inte för den nya linjen\nMer i nästa samtal",
    )
    _db.session.commit()
    brief = build_brief(world["company"].id, actor=lots, visit=load_visit(world["visit"].id))
    texts = [c.text for c in brief.last_contacts]
    assert texts[0] == "Ringde om elnätet: Kapaciteten räcker inte för den nya linjen"  # first line only
    assert texts[1].startswith("Konfidentiell lokalsökning")  # lots may read the restricted one
    assert [c.occurred_at for c in brief.last_contacts] == sorted(
        (c.occurred_at for c in brief.last_contacts), reverse=True
    )
    assert len(brief.last_contacts) == 5  # six contacts: the last five
    assert {c.who for c in brief.last_contacts} == {lots.name}
    assert brief.last_contacts[0].kind_label == "Telefonsamtal"


def test_restricted_contacts_are_left_out_of_ledning_brief(world, login_as):
    brief = build_brief(world["company"].id, actor=world["ledning"], visit=load_visit(world["visit"].id))
    assert "Konfidentiell lokalsökning" not in [c.subject for c in brief.last_contacts]
    assert len(brief.last_contacts) == 3  # the call, the visit's contact and the old one
    html = login_as("ledning").get(f"/besok/{world['visit'].id}/underlag").get_data(as_text=True)
    assert "Konfidentiell" not in html
    assert "Hemlig markaffär" not in html
    assert html.count('<li><span class="brief__date">') == 3
    # lots reads it, and the page says so in the audit trail as a read.
    assert "Konfidentiell lokalsökning" in login_as("lots").get(
        f"/besok/{world['visit'].id}/underlag"
    ).get_data(as_text=True)


def test_brief_permit_clock_asks_and_promises(world):
    brief = build_brief(world["company"].id, actor=world["ledning"], visit=load_visit(world["visit"].id))
    [(case, permit)] = brief.open_permits
    assert case.title == "Bygglov för ny lagerhall"
    left = (permit.expected_decision_on - brief.today).days
    # Bygglov: ten weeks from the complete application (15 days ago), söndagsregel aside.
    assert permit.countdown.startswith(f"{left} dagar kvar av ")
    total = int(permit.countdown.rsplit(" ", 1)[1])
    assert 70 <= total <= 72
    assert left == total - 15
    # Asks: the open case and its next step; promises: the open one of the last visit and the
    # follow-up, but not the case action (it is the next step) nor the kept promise.
    assert case.next_step.title == "Skicka ritningarna till bygglovshandläggaren"
    assert [p.followup.title for _pv, p in brief.open_promises] == ["Återkomma om detaljplanen"]
    assert [f.title for f in brief.followups] == ["Ringa om rekryteringsmässan"]


def test_countdown_text(app):
    from datetime import date

    from app.visits.brief_parts import countdown

    today = date(2026, 3, 10)
    assert countdown(date(2026, 3, 20), date(2026, 1, 9), today) == "10 dagar kvar av 70"
    assert countdown(date(2026, 3, 10), date(2026, 1, 9), today) == "0 dagar kvar av 60"
    assert countdown(date(2026, 3, 9), date(2026, 1, 9), today) == "passerad"
    assert countdown(None, None, today) == ""


def test_key_messages_one_point_per_line(world):
    visit = load_visit(world["visit"].id)
    visit.key_messages = "- Industrimarken vid Tuna\n\n• Hur ser rekryteringen ut?\n"
    brief = build_brief(world["company"].id, actor=world["ledning"], visit=visit)
    assert brief.key_messages == ["Industrimarken vid Tuna", "Hur ser rekryteringen ut?"]
    _db.session.rollback()


def test_phone_numbers_and_e_mail_addresses_are_links_in_the_brief_and_on_the_visit_page(world, login_as):
    """Issue 15 §4: tel:/mailto: links (_macros/contact_links.html) for the host and the contact
    persons; the number stays visible as text (the printed brief shows it)."""
    from app.companies.models import ContactPerson

    for person in _db.session.scalars(
        sa.select(ContactPerson).where(ContactPerson.company_id == world["company"].id)
    ):
        person.phone, person.email = (
            ("070-123 45 67", "eva@dalaverkstad.se") if person.name == "Eva Ek" else ("", "")
        )
    _db.session.commit()
    tel = '<a href="tel:0701234567" class="contact-link contact-link--tel">070-123 45 67</a>'
    mail = (
        '<a href="mailto:eva@dalaverkstad.se" class="contact-link contact-link--mail">eva@dalaverkstad.se</a>'
    )
    client = login_as("ledning")
    brief = client.get(f"/besok/{world['visit'].id}/underlag").get_data(as_text=True)
    host = brief.split("data-brief-host>")[1].split("</p>")[0]
    assert tel in host
    assert mail in host
    people = brief.split('id="b-people"')[1].split("</section>")[0]
    assert f"Eva Ek, vd · {tel} · {mail}</li>" in people
    assert "Per Persson, produktionschef</li>" in people  # nothing to link: nothing shown
    detail = client.get(f"/besok/{world['visit'].id}").get_data(as_text=True)
    assert f"Eva Ek, vd · {tel} · {mail}</dd>" in detail
