"""The one rule for restricted records (app.core.restriction): single record, batch, SQL,
inheritance, the neutral wording, masking and the audited read."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.cases.models import LotsCase
from app.core import restriction
from app.core.permissions import Role
from app.core.time import local_today
from app.followups import services as followups
from app.followups.models import FollowUp
from app.interactions.models import Interaction
from tests.builders import cases as cf
from tests.builders.companies import make_company
from tests.builders.interactions import make_interaction
from tests.builders.users import make_user
from tests.conftest import make_app

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the results depend on today's date


@pytest.fixture
def people(db, users):
    """lots (author/responsible), a participating chef and ledning, outsiders, an inactive
    participant."""
    p = dict(users)
    p["chef_participant"] = make_user(Role.CHEF, name="Chef Deltagare")
    p["ledning_participant"] = make_user(Role.LEDNING, name="Ledning Deltagare")
    p["inactive_participant"] = make_user(Role.CHEF, name="Slutat")  # deactivated below
    db.session.commit()
    return p


@pytest.fixture
def records(db, people):
    company = make_company("Regelbolaget AB")
    lots = people["lots"]
    participants = (
        people["chef_participant"].id,
        people["ledning_participant"].id,
        people["inactive_participant"].id,
    )
    secret = make_interaction(
        company, lots, subject="Hemlig plan", is_restricted=True, participant_ids=participants
    )
    plain = make_interaction(company, lots, subject="Vanligt samtal")
    case = cf.make_case(
        lots, company=company, title="Hemligt ärende", is_restricted=True, participant_ids=participants[:2]
    )
    open_case = cf.make_case(lots, company=company, title="Öppet ärende")
    people["inactive_participant"].is_active = False
    db.session.commit()
    return {"secret": secret, "plain": plain, "case": case, "open_case": open_case, "company": company}


EXPECTED_SECRET = {
    "lots": True,  # restricted.view (and the author)
    "admin": True,  # restricted.view
    "chef_participant": True,
    "ledning_participant": True,
    "chef": False,
    "ledning": False,
    "inactive_participant": False,
}


def test_one_wording_per_kind():
    assert restriction.neutral("interaction") == "Kontakt med begränsad åtkomst"
    assert restriction.neutral("case") == "Lotsärende med begränsad åtkomst"
    assert restriction.neutral("followup") == "Uppföljning med begränsad åtkomst"
    assert restriction.neutral_for_mail("followup") == "Uppföljning med begränsad åtkomst – öppna i Lotsbok"
    assert len(set(restriction.WORDING.values())) == len(restriction.WORDING)


def test_single_record(people, records):
    for who, expected in EXPECTED_SECRET.items():
        assert restriction.may_read(people[who], "interaction", records["secret"]) is expected, who
        assert restriction.may_read(people[who], "interaction", records["plain"]) is True, who
    assert restriction.may_read(None, "interaction", records["secret"]) is False
    assert restriction.may_read(None, "interaction", records["plain"]) is True
    # The case: the inactive user is no participant here; the responsible lots reads it.
    assert restriction.may_read(people["chef_participant"], "case", records["case"]) is True
    assert restriction.may_read(people["chef"], "case", records["case"]) is False


def test_batch_form_agrees_with_the_single_form_in_one_query(db, people, records):
    ids = [records["secret"].id, records["plain"].id]
    engine = db.engine
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        for who, expected in EXPECTED_SECRET.items():
            _ = (people[who].id, people[who].role, people[who].is_active)  # loaded, not counted
            statements.clear()
            readable = restriction.readable_ids(people[who], "interaction", ids)
            assert len(statements) <= 1, who
            assert (records["secret"].id in readable) is expected, who
            assert records["plain"].id in readable, who
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert restriction.readable_ids(None, "interaction", ids) == {records["plain"].id}
    assert restriction.readable_ids(people["chef"], "interaction", []) == set()
    # Only the ids asked about, however many others the reader may read.
    assert restriction.readable_ids(people["lots"], "interaction", [records["plain"].id]) == {
        records["plain"].id
    }


def test_sql_predicate_filters_out_what_the_reader_may_not_read(db, people, records):
    for who, expected in EXPECTED_SECRET.items():
        found = set(
            db.session.scalars(
                sa.select(Interaction.id).where(
                    Interaction.company_id == records["company"].id,
                    restriction.readable_clause(people[who], "interaction"),
                )
            )
        )
        assert (records["secret"].id in found) is expected, who
        assert records["plain"].id in found, who
    cases = set(
        db.session.scalars(sa.select(LotsCase.id).where(restriction.readable_clause(people["chef"], "case")))
    )
    assert cases == {records["open_case"].id}


def _followup(db, actor, title, **links):
    f = followups.create_followup(
        followups.FollowUpInput(title=title, due_on=local_today() + timedelta(days=3), **links), actor=actor
    )
    db.session.commit()
    return f


def test_attached_records_inherit_in_python_and_in_sql(db, people, records):
    lots = people["lots"]
    on_secret = _followup(db, lots, "Följ upp hemligheten", interaction_id=records["secret"].id)
    on_case = _followup(db, lots, "Åtgärd i hemligt ärende", case_id=records["case"].id)
    on_plain = _followup(db, lots, "Vanlig uppföljning", interaction_id=records["plain"].id)
    free = _followup(db, lots, "Fristående")
    items = [on_secret, on_case, on_plain, free]
    for who in ("chef", "chef_participant", "lots"):
        verdicts = restriction.judge(
            people[who], items, interaction=lambda f: f.interaction_id, case=lambda f: f.case_id
        )
        assert [v.restricted for v in verdicts] == [True, True, False, False], who
        readable = who != "chef"
        assert [v.readable for v in verdicts] == [readable, readable, True, True], who
        assert verdicts[0].roots == (("interaction", records["secret"].id),)
        in_sql = set(
            db.session.scalars(
                sa.select(FollowUp.id).where(
                    restriction.inherited_clause(
                        people[who], interaction=FollowUp.interaction_id, case=FollowUp.case_id
                    )
                )
            )
        )
        expected = {f.id for f, v in zip(items, verdicts, strict=True) if v.readable}
        assert in_sql & {f.id for f in items} == expected, who
    flagged = set(
        db.session.scalars(
            sa.select(FollowUp.id).where(
                restriction.restricted_clause(interaction=FollowUp.interaction_id, case=FollowUp.case_id)
            )
        )
    )
    assert flagged == {on_secret.id, on_case.id}


def test_two_roots_need_both(db, people, records):
    """A record hanging on a readable restricted contact and an unreadable restricted case is
    unreadable."""
    other_case = cf.make_case(people["lots"], company=records["company"], title="Annat", is_restricted=True)
    db.session.commit()
    item = (records["secret"].id, other_case.id)
    verdict = restriction.judge_one(
        people["chef_participant"], item, interaction=lambda x: x[0], case=lambda x: x[1]
    )
    assert verdict.restricted
    assert not verdict.readable


def test_masked_copy_and_the_audited_read_once_per_request(app, db, people, records):
    chef, participant = people["chef"], people["chef_participant"]
    verdict_chef = restriction.judge_one(chef, records["secret"], interaction=lambda i: i.id)
    masked = restriction.shown(
        chef, verdict_chef, records["secret"], subject=restriction.neutral("interaction"), notes=""
    )
    assert masked.subject == "Kontakt med begränsad åtkomst"
    assert masked.notes == ""
    assert masked.id == records["secret"].id
    assert masked.masked is True
    with pytest.raises(AttributeError):
        masked.subject = "x"

    def views() -> list[AuditEvent]:
        return list(
            db.session.scalars(
                sa.select(AuditEvent).where(
                    AuditEvent.action == "view",
                    AuditEvent.entity_type == "interactions",
                    AuditEvent.entity_id == records["secret"].id,
                )
            )
        )

    with app.test_request_context("/uppfoljningar"):
        verdict = restriction.judge_one(participant, records["secret"], interaction=lambda i: i.id)
        for _ in range(3):
            assert (
                restriction.shown(participant, verdict, records["secret"], subject="-") is records["secret"]
            )
        restriction.shown(chef, verdict_chef, records["secret"], subject="-")  # not a read: nothing logged
        db.session.flush()
        logged = views()
    assert len(logged) == 1
    assert logged[0].actor_id == participant.id
    assert "/uppfoljningar" in logged[0].summary


def test_outside_the_system_nobody_reads(people, records):
    verdict = restriction.judge_one(None, records["secret"], interaction=lambda i: i.id)
    assert verdict.restricted
    assert not verdict.readable
    assert restriction.reveal(None, verdict) is False


def test_a_restricted_follow_up_is_handed_only_to_someone_who_may_read_it(db, people, records):
    from app.core.errors import ValidationError

    with pytest.raises(ValidationError) as caught:
        followups.create_followup(
            followups.FollowUpInput(
                title="Ring", due_on=local_today(), assignee_id=people["chef"].id, case_id=records["case"].id
            ),
            actor=people["lots"],
        )
    assert caught.value.field == "assignee_id"
    db.session.rollback()
    ok = followups.create_followup(
        followups.FollowUpInput(
            title="Ring",
            due_on=local_today(),
            assignee_id=people["chef_participant"].id,
            case_id=records["case"].id,
        ),
        actor=people["lots"],
    )
    with pytest.raises(ValidationError):
        followups.reassign_followup(ok, people["ledning"].id, actor=people["lots"])


def test_a_masked_record_says_what_it_wraps_and_cannot_be_written():
    class Row:
        title = "Hemligt"
        id = 7

        def __repr__(self) -> str:
            return "<Row 7>"

    masked = restriction.Masked(Row(), title="Begränsat")
    assert repr(masked) == "<Masked <Row 7>>"
    assert (masked.title, masked.id, masked.restricted, masked.masked) == ("Begränsat", 7, True, True)
    with pytest.raises(AttributeError, match="read-only"):
        masked.title = "x"


def test_a_registered_root_is_kept_as_declared():
    # The features register their roots when their models are imported; this checks the
    # registry itself with a root of its own.
    table = sa.Table("test_root_participants", sa.MetaData(), sa.Column("thing_id"), sa.Column("user_id"))
    try:
        restriction.register_root(
            "test_thing", LotsCase, owner="responsible_user_id", participants=table,
            record_column="thing_id", entity_type="test_things",
        )  # fmt: skip
        assert restriction.root("test_thing") == restriction.Root(
            "test_thing", LotsCase, "responsible_user_id", table, "thing_id", "test_things"
        )
    finally:
        restriction._ROOTS.pop("test_thing", None)
    assert restriction.root("case").entity_type == "lots_cases"
    assert restriction.root("interaction").entity_type == "interactions"


def test_who_sees_all_gets_no_subquery_for_attached_rows(people):
    # lots and admin hold restricted.view; chef does not.
    sql = str(restriction.inherited_clause(people["admin"], case=FollowUp.case_id).compile())
    assert sql == "true"
    limited = str(restriction.inherited_clause(people["chef"], case=FollowUp.case_id).compile())
    assert "EXISTS" in limited


def test_the_audited_read_names_the_place_it_was_read(app, db, people, records):
    reader, secret = people["chef_participant"], records["secret"]

    def summaries() -> list[str]:
        db.session.flush()
        stmt = sa.select(AuditEvent.summary).where(AuditEvent.action == "view").order_by(AuditEvent.id)
        return list(db.session.scalars(stmt))

    restriction.record_read(reader, "interaction", secret.id)  # a job: no request, no place
    assert summaries() == ["Kontakt med begränsad åtkomst läst"]
    restriction.record_read(reader, "interaction", secret.id, where="again")  # once per context
    assert len(summaries()) == 1
    with app.test_request_context("/foretag/1"):
        restriction.record_read(people["chef"], "interaction", secret.id)
        restriction.record_read(people["admin"], "interaction", secret.id, where="månadsrapporten")
    assert summaries()[1:] == ["Kontakt med begränsad åtkomst läst (/foretag/1)",
                               "Kontakt med begränsad åtkomst läst (månadsrapporten)"]  # fmt: skip


def test_a_page_that_showed_restricted_content_commits_its_audited_read(app, db, people, records):
    secret_id, reader_id = records["secret"].id, people["chef_participant"].id

    def page(status: int):
        def view():
            restriction.record_read(db.session.get(type(people["lots"]), reader_id), "interaction", secret_id)
            return "sida", status

        return view

    # An app of its own on the test's database: routes can only be added before an app's first
    # request, and the `app` fixture's app is shared by the tests of this process.
    own = make_app(app.config["SQLALCHEMY_DATABASE_URI"])
    own.add_url_rule("/test-las-ok", "test_read_ok", page(200))
    own.add_url_rule("/test-las-fel", "test_read_error", page(500))
    db.session.commit()
    with own.app_context():
        client = own.test_client()
        assert client.get("/test-las-fel").status_code == 500
        assert client.get("/test-las-ok").get_data(as_text=True) == "sida"
        db.session.remove()
        db.engine.dispose()
    db.session.rollback()  # what was not committed is gone
    stmt = sa.select(AuditEvent.summary).where(AuditEvent.action == "view", AuditEvent.entity_id == secret_id)
    assert list(db.session.scalars(stmt)) == ["Kontakt med begränsad åtkomst läst (/test-las-ok)"]
