"""Retention rules bound to a gallringsbeslut: inactive without one, refused without one,
applied idempotently by the nightly job, every run written to a gallringsprotokoll."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.auth.models import LoginAttempt
from app.core.errors import ValidationError
from app.extensions import db as _db
from app.followups.models import FollowUp
from app.interactions.models import Interaction
from app.mail.models import OutboxMessage
from app.privacy import retention
from app.privacy.jobs import apply_retention
from app.privacy.models import DisposalRun, RetentionRule
from app.scheduler.registry import get_job
from tests.builders import interactions as inf
from tests.builders.companies import make_company, make_contact_person

NOW = datetime(2026, 11, 2, 1, 30, tzinfo=UTC)
OLD = NOW - timedelta(days=4 * 365)
DECISION = retention.RuleInput("delete", 3, "KS 2026/123, § 45", date(2026, 5, 12))


def _old_records(users):
    lots = users["lots"]
    for n in range(3):
        _db.session.add(
            FollowUp(
                title=f"Gammal {n}",
                due_on=OLD.date(),
                assignee_id=lots.id,
                status="done",
                closed_at=OLD,
                source="manual",
            )
        )
    _db.session.add(
        FollowUp(
            title="Ny",
            due_on=NOW.date(),
            assignee_id=lots.id,
            status="done",
            closed_at=NOW - timedelta(days=10),
            source="manual",
        )
    )
    _db.session.add(
        FollowUp(title="Öppen gammal", due_on=OLD.date(), assignee_id=lots.id, status="open", source="manual")
    )
    _db.session.add(LoginAttempt(at=OLD, email="x@y.example", ip="127.0.0.1", succeeded=False))
    company = make_company()
    person = make_contact_person(company, "Gammal Kontakt")
    old_contact = inf.make_interaction(
        company, lots, at=OLD, subject="Gammalt samtal", notes="Detaljer", contact_person_ids=(person.id,)
    )
    _db.session.flush()
    return old_contact


def test_rule_without_decision_is_refused_and_inactive_rules_touch_nothing(db, users):
    admin = users["admin"]
    _old_records(users)
    with pytest.raises(ValidationError, match="utan beslut"):
        retention.save_rule("followups", retention.RuleInput("delete", 3, "", None), actor=admin)
    with pytest.raises(ValidationError, match="utan beslut"):
        retention.save_rule("followups", retention.RuleInput("delete", 3, "KS 2026/123", None), actor=admin)
    with pytest.raises(ValidationError, match="kan inte"):
        retention.save_rule("interactions", DECISION, actor=admin)  # contacts are anonymised, never deleted
    # A rule that reached the table without a decision (an old import, a hand edit) is inactive.
    db.session.add(RetentionRule(record_type="followups", action="delete", years=3, decision_reference=""))
    db.session.flush()
    run = retention.apply_retention(NOW)
    assert run.total == 0
    assert "Ingen aktiv gallringsregel" in run.summary
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp)) == 5


def test_nightly_job_applies_active_rules_idempotently_and_writes_the_protocol(db, users):
    admin = users["admin"]
    old_contact = _old_records(users)
    retention.save_rule("followups", DECISION, actor=admin)
    retention.save_rule("login_attempts", DECISION, actor=admin)
    retention.save_rule(
        "interactions",
        retention.RuleInput("anonymise", 3, "KS 2026/123, § 45", date(2026, 5, 12)),
        actor=admin,
    )
    db.session.commit()

    plan = {item.target.key: item for item in retention.preview(NOW)}
    assert plan["followups"].active
    assert plan["followups"].due == 3
    assert plan["login_attempts"].due == 1
    assert plan["interactions"].due == 1
    assert not plan["lots_cases"].active
    assert plan["lots_cases"].due == 0

    assert get_job("privacy.apply_retention") is not None
    assert apply_retention(NOW) == 5
    db.session.commit()
    titles = set(db.session.scalars(sa.select(FollowUp.title)))
    assert titles == {"Ny", "Öppen gammal"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt)) == 0
    contact = db.session.get(Interaction, old_contact.id)
    assert (contact.subject, contact.notes) == ("[gallrad]", "")
    assert contact.kind
    assert contact.focus_area_id

    first, items = retention.get_run(
        db.session.scalars(sa.select(DisposalRun.id).order_by(DisposalRun.id)).first()
    )
    assert first.trigger == "schemalagd"
    assert first.total == 5
    assert {(i.record_type, i.count, i.decision_reference) for i in items} == {
        ("followups", 3, "KS 2026/123, § 45"),
        ("login_attempts", 1, "KS 2026/123, § 45"),
        ("interactions", 1, "KS 2026/123, § 45"),
    }

    # Twice: nothing more is removed, and the protocol says so.
    assert apply_retention(NOW + timedelta(minutes=1)) == 0
    db.session.commit()
    second = db.session.scalars(sa.select(DisposalRun).order_by(DisposalRun.id.desc())).first()
    assert second.id != first.id
    assert second.total == 0
    assert "Inget att gallra" in second.summary
    # The protocols are kept: even an audit-trail rule of 0 years leaves them.
    retention.save_rule(
        "audit_events", retention.RuleInput("delete", 0, "KS 2026/124", date(2026, 5, 12)), actor=admin
    )
    retention.apply_retention(utcnow_plus())
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DisposalRun)) == 3


def utcnow_plus():
    from app.core.time import utcnow

    return utcnow() + timedelta(seconds=5)


def test_outbox_rule_deletes_only_delivered_mail(db, users):
    db.session.add_all(
        [
            OutboxMessage(
                key="a",
                template="notice",
                to_addr="a@x.example",
                subject="s",
                body_text="b",
                status="sent",
                created_at=OLD,
            ),
            OutboxMessage(
                key="b",
                template="notice",
                to_addr="a@x.example",
                subject="s",
                body_text="b",
                status="queued",
                created_at=OLD,
            ),
        ]
    )
    retention.save_rule("outbox_messages", DECISION, actor=users["admin"])
    assert retention.apply_retention(NOW).total == 1
    assert list(db.session.scalars(sa.select(OutboxMessage.key))) == ["b"]


def test_rules_pages(db, users, admin_client):
    page = admin_client.get("/personuppgifter/gallring")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Uppföljningar" in html
    assert "Inaktiv" in html
    refused = admin_client.post(
        "/personuppgifter/gallring/followups",
        data={"action": "delete", "years": "3", "decision_reference": ""},
    )
    assert refused.status_code == 400
    assert "utan beslut" in refused.get_data(as_text=True)
    saved = admin_client.post(
        "/personuppgifter/gallring/followups",
        data={
            "action": "delete",
            "years": "3",
            "decision_reference": "KS 2026/123, § 45",
            "decision_on": "2026-05-12",
        },
    )
    assert saved.status_code == 302
    assert "Aktiv" in admin_client.get("/personuppgifter/gallring").get_data(as_text=True)
    run = admin_client.post("/personuppgifter/gallring/kor", follow_redirects=True)
    assert "Gallringsprotokoll" in run.get_data(as_text=True)
    assert "KS 2026/123, § 45" in run.get_data(as_text=True)
