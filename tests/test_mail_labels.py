"""E-mail texts show statuses and kinds by label, never a stored code (issue 15 §3): the
monthly summary, text and HTML, over the demo data."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.cases.workflow import OUTCOME_LABELS, STATUS_LABELS
from app.companies.models import COMPANY_STATUSES
from app.core.time import local_today
from app.followups.models import STATUS_LABELS as FOLLOWUP_STATUSES
from app.interactions.models import CHANNEL_LABELS, KIND_LABELS
from app.reports.base import Scope
from app.reports.figures import build_report
from app.reports.periods import year_period
from app.reports.summary import render_summary
from app.visits.models import STATUS_LABELS as VISIT_STATUSES

# Every stored code of a status or kind that is not also a Swedish word ("ledning", "normal").
CODES = {
    str(code)
    for labels in (
        KIND_LABELS,
        CHANNEL_LABELS,
        STATUS_LABELS,
        OUTCOME_LABELS,
        COMPANY_STATUSES,
        FOLLOWUP_STATUSES,
        VISIT_STATUSES,
    )  # fmt: skip
    for code in labels
}


def codes_in(text: str) -> set[str]:
    """The stored codes that appear as words in the visible text of a mail."""
    visible = re.sub(r"<[^>]+>", " ", text)
    words = set(re.findall(r"[a-z_]+", visible))
    return CODES & words


def test_the_check_sees_a_code():
    assert codes_in("<p>Status: in_progress</p>") == {"in_progress"}
    assert codes_in('<p class="phone_call">Telefonsamtal</p>') == set()
    assert {"phone_call", "in_progress", "waiting_on_company"} <= CODES


@pytest.mark.demo_data
def test_monthly_summary_shows_no_stored_code(app, db):
    chef = db.session.scalar(sa.select(User).where(User.role == "chef").order_by(User.id))
    report = build_report(Scope(year_period(local_today().year)), per_user=False)
    mail = render_summary(report, chef)
    assert "Kontakter" in mail.text
    assert codes_in(mail.subject) == set()
    assert codes_in(mail.text) == set()
    assert codes_in(mail.html or "") == set()
