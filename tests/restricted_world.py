"""A world of restricted records carrying a unique marker word in every text field, for the
canary sweep (tests/test_restriction_sweep.py).

Roots and who may read them (written out here, not computed by the code under test):

* A  – a restricted contact (tillståndsvägledning) by lots, participants chef_p and ledning_p;
* B  – a restricted "stor etablering" case, responsible lots, participants chef_p and ledning_p,
       with a note, actions, a referral, a lotsmöte with a guest, a permit row past its deadline;
* B2 – a restricted case open for 100+ days, responsible lots, no participants;
* V  – the restricted contact a recorded company visit became (participants lots, ledning_p),
       with a promise.

lots, lots2 and admin hold restricted.view and may read all of them; chef and ledning (the
role users) read none. The permit type, partner and participant chosen for A are used by
nothing else, so a list filtered on them may only show A to those who may read it.

Dates are relative to the real "now" (pages read the real clock): the reports' default period
is the previous month, so the records fall in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import Any

import sqlalchemy as sa

from app.core.permissions import Role
from app.core.time import local_datetime, local_today, utcnow
from app.extensions import db
from app.reports.periods import previous_month

MARKERS: dict[str, dict[str, str]] = {
    "A": {
        "subject": "zqkalfa",
        "notes": "zqkbravo",
        "guidance": "zqkcharlie",
        "handed_to": "zqkdelta",
        "referral_reason": "zqkecho",
        "referral_outcome": "zqkfoxtrot",
        "done_note": "zqkgolf",
        "followup": "zqkhotel",
    },
    "B": {
        "title": "zqkindia",
        "description": "zqkjuliett",
        "note": "zqkkilo",
        "action": "zqklima",
        "handed_to": "zqkmike",
        "action_note": "zqknovember",
        "result": "zqkoscar",
        "referral_reason": "zqkpapa",
        "referral_outcome": "zqkquebec",
        "place": "zqkromeo",
        "agenda": "zqksierra",
        "minutes": "zqktango",
        "guest": "Zqkuniform",
        "authority": "zqkvictor",
        "permit_note": "zqkwhiskey",
        "overdue": "zqkxray",
    },
    "B2": {"title": "zqkyankee", "description": "zqkzulu"},
    "V": {"notes": "zqkamber", "promise": "zqkbronze"},
}
ALL_MARKERS = {m for fields in MARKERS.values() for m in fields.values()}

# Who may read which root (the expectation, independent of app.core.restriction).
READS: dict[str, set[str]] = {
    "lots": {"A", "B", "B2", "V"},
    "lots2": {"A", "B", "B2", "V"},
    "admin": {"A", "B", "B2", "V"},
    "chef_p": {"A", "B"},
    "ledning_p": {"A", "B", "V"},
    "chef": set(),
    "ledning": set(),
}
READERS = list(READS)

# On its own page, a reader who may read the record sees (at least) these.
ON_RECORD_PAGE = {
    "A": ["subject", "notes", "guidance", "handed_to", "referral_reason", "referral_outcome"],
    "B": [
        "title",
        "description",
        "note",
        "action",
        "handed_to",
        "result",
        "referral_reason",
        "referral_outcome",
        "place",
        "agenda",
        "authority",
    ],
}

PERMIT_CODE_A = "tobak"  # only A uses it
PARTNER_A = "Coompanion"  # only A refers to it


def markers_hidden_from(reader: str) -> set[str]:
    readable = READS[reader]
    return {m for root, fields in MARKERS.items() if root not in readable for m in fields.values()}


@dataclass
class Canary:
    users: dict[str, Any]
    company: Any
    A: Any
    B: Any
    B2: Any
    V: Any
    visit: Any
    referral_A: Any
    referral_B: Any
    meeting_B: Any
    permit_B: Any
    followups: list[Any] = field(default_factory=list)
    permit_type_A: Any = None
    partner_A: Any = None
    ids: dict[str, list[int]] = field(default_factory=dict)


def build_canary(users: dict[str, Any], *, activity: Any = None) -> Canary:
    """The restricted world on top of `users` (lots, ledning, chef, admin); adds lots2, chef_p
    and ledning_p to it. Flushes; the caller commits."""
    from app.cases import actions as case_actions
    from app.cases import meetings as case_meetings
    from app.cases import services as cases
    from app.catalogues.queries import get_permit_type_by_code, list_partners
    from app.followups import services as followups
    from app.followups.models import FollowUp
    from app.interactions import services as contacts
    from app.interactions.models import InteractionKind
    from app.visits import services as visits
    from tests.builders import cases as cf
    from tests.builders.companies import make_company, make_contact_person
    from tests.builders.strategy import focus_areas
    from tests.builders.users import make_user

    users = dict(users)
    users["lots2"] = make_user(Role.LOTS, name="Andra Lotsen")
    users["chef_p"] = make_user(Role.CHEF, name="Chef Deltagarsson")
    users["ledning_p"] = make_user(Role.LEDNING, name="Ledning Deltagarsson")
    lots, chef_p, ledning_p = users["lots"], users["chef_p"], users["ledning_p"]
    now = utcnow()
    today = local_today(now)
    prev = previous_month(now)
    in_prev = prev.start + timedelta(days=4)
    area = focus_areas()[0]
    company = make_company("Kanariebolaget AB")
    person = make_contact_person(company, name="Kanarie Kontaktsson", email="kontakt@kanarie.example")
    m = MARKERS

    permit_a = get_permit_type_by_code(PERMIT_CODE_A)
    partner_a = next(p for p in list_partners() if p.name.startswith(PARTNER_A))
    partner_b = next(p for p in list_partners() if p.name.startswith("IUC"))

    # A: a restricted contact in the previous month.
    a = contacts.log_contact(
        contacts.ContactInput(
            kind=InteractionKind.PERMIT_GUIDANCE.value,
            occurred_at=local_datetime(in_prev, time(10, 0)),
            company_id=company.id,
            focus_area_id=area.id,
            subject=f"Planerad etablering {m['A']['subject']}",
            notes=f"Uppgifter {m['A']['notes']}",
            participant_ids=(chef_p.id, ledning_p.id),
            contact_person_ids=(person.id,),
            is_restricted=True,
            permit_guidance=(
                contacts.PermitGuidanceInput(permit_a.id, m["A"]["guidance"], m["A"]["handed_to"]),
            ),
        ),
        actor=lots,
        follow_up=contacts.FollowUpRequest("1w"),
        now=now,
    )
    referral_a = contacts.add_referral(
        contacts.ReferralInput(
            partner_id=partner_a.id,
            reason=m["A"]["referral_reason"],
            referred_on=in_prev,
            interaction_id=a.id,
        ),
        actor=lots,
        now=now,
    )
    contacts.record_referral_outcome(
        referral_a, m["A"]["referral_outcome"], actor=lots, outcome_on=in_prev, now=now
    )

    def followup(title: str, assignee: Any, due, **links: Any) -> Any:
        return followups.create_followup(
            followups.FollowUpInput(
                title=title,
                due_on=due,
                assignee_id=assignee.id,
                company_id=company.id,
                note=f"Anteckning {title}",
                **links,
            ),
            actor=lots,
            now=now,
        )

    fus = []
    # Open, due today: in the digests, feeds and start panels of lots, chef_p and ledning_p.
    for who in (lots, chef_p, ledning_p):
        fus.append(followup(f"Ring om {m['A']['followup']}", who, today, interaction_id=a.id))
    # Done on time in the previous month, with a done-note.
    done = followup(
        f"Kontroll {m['A']['followup']}", chef_p, prev.start + timedelta(days=6), interaction_id=a.id
    )
    followups.complete_followup(
        done, actor=lots, note=m["A"]["done_note"], done_on=prev.start + timedelta(days=5), now=now
    )
    fus.append(done)

    # B: a restricted large establishment taken in during the previous month.
    b = cf.make_case(
        lots,
        company=company,
        contact=person,
        now=now,
        title=f"Etablering {m['B']['title']}",
        description=m["B"]["description"],
        case_type_id=cf.case_type("stor-etablering").id,
        intake_on=in_prev,
        is_restricted=True,
        participant_ids=(chef_p.id, ledning_p.id),
    )
    cases.change_status(b, cases.StatusChange("in_progress"), actor=lots, now=now)
    cases.add_note(b, m["B"]["note"], actor=lots, now=now)
    action = case_actions.add_action(
        b,
        case_actions.ActionInput(
            title=m["B"]["action"],
            due_on=today,
            assignee_id=chef_p.id,
            handed_to=m["B"]["handed_to"],
            note=m["B"]["action_note"],
        ),
        actor=lots,
        now=now,
    )
    answered = case_actions.add_action(
        b,
        case_actions.ActionInput(
            title=f"Svar {m['B']['action']}", due_on=today + timedelta(days=3), assignee_id=lots.id
        ),
        actor=lots,
        now=now,
    )
    case_actions.record_action_result(b, answered.id, m["B"]["result"], actor=lots, now=now)
    fus += [action, answered]
    referral_b = case_actions.add_referral(
        b, partner_id=partner_b.id, reason=m["B"]["referral_reason"], referred_on=in_prev, actor=lots, now=now
    )
    case_actions.record_referral_outcome(b, referral_b.id, m["B"]["referral_outcome"], actor=lots, now=now)
    start = local_datetime(today + timedelta(days=10), time(9, 0))
    meeting = case_meetings.create_meeting(
        b,
        case_meetings.MeetingInput(
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            place=m["B"]["place"],
            agenda=m["B"]["agenda"],
            minutes=m["B"]["minutes"],
            user_ids=(lots.id, chef_p.id),
            contact_person_ids=(person.id,),
            other_guests=(case_meetings.Guest(f"{m['B']['guest']} Gästsson", "zqkuniform@gast.example"),),
        ),
        actor=lots,
        now=now,
    )
    # A bygglov complete 10 weeks before a day in the previous month, undecided: passed.
    complete_on = prev.start + timedelta(days=3) - timedelta(weeks=10)
    permit = cf.make_permit(
        b,
        lots,
        "bygglov",
        now=now,
        authority=m["B"]["authority"],
        note=m["B"]["permit_note"],
        submitted_on=complete_on,
        complete_on=complete_on,
    )
    overdue = followup(f"Påminn {m['B']['overdue']}", chef_p, prev.start + timedelta(days=2), case_id=b.id)
    fus.append(overdue)

    # B2: restricted, open for more than 90 days at the end of the previous month.
    b2 = cf.make_case(
        lots,
        company=company,
        contact=person,
        now=now,
        title=f"Lång {m['B2']['title']}",
        description=m["B2"]["description"],
        intake_on=prev.end - timedelta(days=120),
        is_restricted=True,
    )

    # V: a visit recorded as a restricted contact, with a promise.
    visit = visits.create_visit(
        visits.VisitInput(
            company_id=company.id,
            starts_at=now - timedelta(days=2),
            ends_at=now - timedelta(days=2) + timedelta(hours=1),
            status="planned",
            place="Kanariebolagets kontor",
            ledning_ids=(ledning_p.id,),
            office_ids=(lots.id,),
            purpose="Höra om planerna",
            focus_area_ids=(area.id,),
        ),
        actor=lots,
        now=now - timedelta(days=5),
    )
    visit = visits.load_visit(visit.id)
    visits.record_visit(
        visit,
        visits.RecordInput(
            focus_area_id=area.id,
            notes=m["V"]["notes"],
            is_restricted=True,
            promises=(
                visits.PromiseInput(
                    text=m["V"]["promise"], owner_id=lots.id, due_on=today + timedelta(days=14)
                ),
            ),
        ),
        actor=lots,
        now=now,
    )
    db.session.flush()
    v = db.session.get(type(a), visit.interaction_id)
    fus += list(db.session.scalars(sa.select(FollowUp).where(FollowUp.visit_id == visit.id)))

    # The overdue follow-up existed before the end of the previous month.
    overdue.created_at = prev.start_utc - timedelta(days=1)
    if activity is not None:
        from app.plan.action_plan import link_record

        link_record(activity, kind="interaction", record_id=a.id, actor=lots)
        link_record(activity, kind="case", record_id=b.id, actor=lots)
        link_record(activity, kind="case", record_id=b2.id, actor=lots)
    # Everyone's calendar link, and the monthly summary for everyone who may have it.
    for user in users.values():
        followups.regenerate_calendar_token(user, actor=user, now=now)
        user.monthly_summary_enabled = True
    db.session.flush()
    # Every e-mail the app produces about these records: the lotsmöte invitation, today's
    # digests, the previous month's summaries (and the visit's invitations, queued above).
    from app.followups.jobs import queue_daily_digests
    from app.mail.models import OutboxMessage
    from app.reports.summary import queue_monthly_summaries

    case_meetings.send_meeting_invitation(meeting, actor=lots, now=now)
    queue_daily_digests(today, now=now)
    queue_monthly_summaries(prev, now=now)
    db.session.flush()
    canary = Canary(
        users=users,
        company=company,
        A=a,
        B=b,
        B2=b2,
        V=v,
        visit=visit,
        referral_A=referral_a,
        referral_B=referral_b,
        meeting_B=meeting,
        permit_B=permit,
        followups=fus,
        permit_type_A=permit_a,
        partner_A=partner_a,
    )
    canary.ids = {
        "interaction_id": [a.id, v.id],
        "case_id": [b.id, b2.id],
        "followup_id": [f.id for f in fus],
        "referral_id": [referral_a.id, referral_b.id],
        "meeting_id": [meeting.id],
        "permit_id": [permit.id],
        "company_id": [company.id],
        "visit_id": [visit.id],
        "fmt": ["csv", "xlsx"],
        "message_id": list(db.session.scalars(sa.select(OutboxMessage.id))),
    }
    return canary
