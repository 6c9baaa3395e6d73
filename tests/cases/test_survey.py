"""The satisfaction survey end to end: closing invites (after the configured delay, unless the
contact opted out), the job sends through a real SMTP server exactly once, the public page is
answered without signing in, a second use is refused, no e-mail address is stored, NKI is
correct, and results are hidden below five answers."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.cases import services
from app.cases.models import SurveyInvitation, SurveyResponse
from app.cases.survey import group_result, hash_token, nki_of
from app.cases.surveys import SurveyAnswer, send_due_surveys, submit_answer, survey_results
from app.core.errors import Conflict, NotFound, ValidationError
from app.mail.delivery import deliver_outbox
from app.scheduler.registry import get_job
from tests.builders import cases as f
from tests.builders.companies import make_company, make_contact_person
from tests.pages import rendered

ANSWERS = {
    "q_overall": "9",
    "q_expectations": "8",
    "q_ideal": "7",
    "f_information": "10",
    "f_tillganglighet": "9",
    "f_bemotande": "10",
    "f_kompetens": "9",
    "f_rattssakerhet": "vet-ej",
    "f_effektivitet": "6",
    "free_text": "Snabb och tydlig hjälp!",
}


def _invitation(case) -> SurveyInvitation | None:
    from app.extensions import db

    return db.session.scalar(sa.select(SurveyInvitation).where(SurveyInvitation.case_id == case.id))


def test_nki_arithmetic():
    assert nki_of(10, 10, 10) == 100
    assert nki_of(1, 1, 1) == 0
    assert nki_of(9, 8, 7) == pytest.approx((8 - 1) / 9 * 100)  # mean 8 → 77.8
    with pytest.raises(ValueError, match="1–10"):
        nki_of(0, 5, 5)


def test_group_hidden_below_five_answers():
    rows = [(10, 10, 10, 10, None, None, None, None, None)] * 4
    hidden = group_result("Evenemang", rows)
    assert hidden.answers == 4
    assert hidden.nki is None
    assert not hidden.shown
    shown = group_result("Evenemang", [*rows, (1, 1, 1, 1, None, None, None, None, None)])
    assert shown.nki == pytest.approx(80)
    assert shown.factors["f_information"] == pytest.approx(80)
    assert shown.factors["f_effektivitet"] is None  # nobody rated it


def test_closing_schedules_the_survey_after_the_configured_delay(app, users):
    app.config["LOTSBOK_SURVEY_DELAY_DAYS"] = 5
    case = f.make_case(users["lots"])
    f.close_case(case, users["lots"])
    invitation = _invitation(case)
    assert invitation.send_after == f.NOW + timedelta(days=5)
    assert invitation.token_hash is None  # no token exists until it is sent


def test_no_survey_for_opted_out_contacts_or_without_email(users):
    lots = users["lots"]
    company = make_company()
    opted_out = f.make_case(
        lots,
        company=company,
        contact=make_contact_person(company, email="nej@tack.example", no_mailings=True),
    )
    no_email = f.make_case(
        lots, company=company, contact=make_contact_person(company, name="Utan Epost", email="")
    )
    nobody = f.make_case(lots, company=company, contact_person_id=None)
    for case in (opted_out, no_email, nobody):
        f.close_case(case, lots)
        assert _invitation(case) is None


def test_closing_without_survey_when_unticked(users):
    case = f.make_case(users["lots"])
    f.close_case(case, users["lots"], send_survey=False)
    assert _invitation(case) is None


def test_reopening_withdraws_an_unsent_survey_and_the_job_skips_it(db, users, outbox):
    lots = users["lots"]
    case = f.make_case(lots)
    f.close_case(case, lots)
    services.change_status(case, services.StatusChange("in_progress", note="Ny fråga"), actor=lots, now=f.NOW)
    assert _invitation(case).withdrawn_at == f.NOW
    assert send_due_surveys(f.NOW + timedelta(days=10)) == 0
    assert outbox() == []
    f.close_case(case, lots, now=f.NOW + timedelta(days=1))  # closing again schedules it again
    assert _invitation(case).withdrawn_at is None


def test_the_job_is_registered():
    job = get_job("cases.send_surveys")
    assert job is not None
    assert job.resolve().__name__ == "send_surveys"


def test_survey_end_to_end(app, db, users, client, outbox, smtp_server):
    lots = users["lots"]
    case = f.make_case(lots)
    f.close_case(case, lots)
    db.session.commit()

    # Not yet due: nothing is sent.
    assert send_due_surveys(f.NOW + timedelta(days=1)) == 0
    # Due: queued once, and a second run (or a doubled scheduler tick) queues nothing more.
    due = f.NOW + timedelta(days=3, minutes=1)
    assert send_due_surveys(due) == 1
    db.session.commit()
    assert send_due_surveys(due + timedelta(minutes=15)) == 0
    db.session.commit()
    rows = outbox()
    assert [r.key for r in rows] == [f"survey:{_invitation(case).id}"]

    # Delivered over real SMTP.
    assert deliver_outbox(now=due) == 1
    [message] = smtp_server.messages
    assert message["To"] == "anna@kafe.example"
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://lotsbok\.test(/enkat/\S+)", body).group(1)
    token = link.rsplit("/", 1)[1]
    invitation = _invitation(case)
    assert invitation.token_hash == hash_token(token)
    assert token not in str(invitation.__dict__)  # only the hash is stored

    # Answered without signing in.
    page = client.get(link)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<fieldset" in html
    assert "<legend>" in html
    assert html.count('type="radio"') == 3 * 10 + 6 * 11
    response = client.post(link, data=ANSWERS)
    assert response.status_code == 200
    assert "Tack för dina svar" in response.get_data(as_text=True)

    # A second use is refused with a friendly Swedish page.
    again = client.get(link)
    assert again.status_code == 409
    assert "Enkäten är redan besvarad" in again.get_data(as_text=True)
    assert client.post(link, data=ANSWERS).status_code == 409

    # No e-mail address stored with the answer.
    [answer] = db.session.scalars(sa.select(SurveyResponse)).all()
    columns = {c.name for c in SurveyResponse.__table__.columns}
    assert not any("mail" in c for c in columns)
    values = [str(getattr(answer, c)) for c in columns]
    assert not any("@" in v for v in values)
    assert (answer.q_overall, answer.q_expectations, answer.q_ideal) == (9, 8, 7)
    assert answer.f_rattssakerhet is None
    assert answer.case_type_id == case.case_type_id

    # NKI correct – but a single answer is hidden (fewer than five).
    assert answer.nki == pytest.approx(77.78, abs=0.01)
    # (Answered through the page, so at the real current time.)
    results = survey_results(
        answer.answered_at.date() - timedelta(days=1),
        answer.answered_at.date() + timedelta(days=1),
        actor=lots,
    )
    assert results.total.answers == 1
    assert results.total.nki is None
    page = app.test_client()
    from tests.conftest import sign_in

    sign_in(page, users["chef"])
    day = answer.answered_at.date().isoformat()
    html = rendered(
        page.get(f"/arenden/enkatresultat?fran={day}&till={day}"), heading="Nöjdhetsenkät: resultat"
    )
    assert "För få svar" in html
    assert "78" not in html


def test_five_answers_show_nki_per_case_type(db, users):
    lots = users["lots"]
    answered_at = f.NOW + timedelta(days=4)
    scores = [(10, 10, 10), (9, 9, 9), (8, 8, 8), (7, 7, 7), (6, 6, 6)]
    for q in scores:
        case = f.make_case(lots)
        f.close_case(case, lots)
        invitation = _invitation(case)
        token = f"token-{case.id}"
        invitation.token_hash, invitation.sent_at = hash_token(token), f.NOW
        submit_answer(token, SurveyAnswer(*q, factors={"f_bemotande": q[0]}), now=answered_at)
    other = f.make_case(lots, case_type_id=f.case_type("evenemang").id)
    f.close_case(other, lots)
    invitation = _invitation(other)
    invitation.token_hash, invitation.sent_at = hash_token("evt"), f.NOW
    submit_answer("evt", SurveyAnswer(10, 10, 10, factors={}), now=answered_at)

    results = survey_results(answered_at.date(), answered_at.date(), actor=users["chef"])
    by_type = {g.label: g for g in results.by_type}
    assert by_type["Tillståndsvägledning"].nki == pytest.approx((8 - 1) / 9 * 100)
    assert by_type["Tillståndsvägledning"].factors["f_bemotande"] == pytest.approx((8 - 1) / 9 * 100)
    assert by_type["Evenemang"].answers == 1
    assert by_type["Evenemang"].nki is None
    assert results.total.answers == 6
    assert results.total.nki == pytest.approx(sum(nki_of(*q) for q in [*scores, (10, 10, 10)]) / 6)
    # Outside the period: nothing.
    assert (
        survey_results(
            answered_at.date() + timedelta(days=1), answered_at.date() + timedelta(days=2), actor=lots
        ).total.answers
        == 0
    )


def test_token_rules(db, users):
    lots = users["lots"]
    case = f.make_case(lots)
    f.close_case(case, lots)
    with pytest.raises(NotFound):
        submit_answer("gissad-token", SurveyAnswer(5, 5, 5, factors={}))
    invitation = _invitation(case)
    invitation.token_hash, invitation.sent_at = hash_token("rätt"), f.NOW
    with pytest.raises(ValidationError) as exc:
        submit_answer("rätt", SurveyAnswer(5, None, 5, factors={}))
    assert exc.value.field == "q_expectations"
    with pytest.raises(ValidationError):
        submit_answer("rätt", SurveyAnswer(5, 5, 11, factors={}))
    submit_answer("rätt", SurveyAnswer(5, 5, 5, factors={}))
    with pytest.raises(Conflict, match="redan besvarad"):
        submit_answer("rätt", SurveyAnswer(5, 5, 5, factors={}))


def test_survey_page_errors_in_swedish_without_javascript(db, users, client):
    case = f.make_case(users["lots"])
    f.close_case(case, users["lots"])
    invitation = _invitation(case)
    invitation.token_hash, invitation.sent_at = hash_token("sidan"), f.NOW
    db.session.commit()
    response = client.post("/enkat/sidan", data={"q_overall": "5"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Några frågor behöver svar" in html
    assert 'href="#q_expectations"' in html
    assert 'value="5" checked' in html  # the given answer is kept
    assert client.get("/enkat/okand").status_code == 404
