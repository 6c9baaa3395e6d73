"""Survivor 4: a contact with two kommun participants is one contact – in "Mina kontakter", in
its export and in the user's report figures – however the participants are joined."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from app.core.time import local_today, utcnow
from app.reports.figures import Scope, build_report, contacts_total
from app.reports.periods import month_period
from tests.builders.companies import make_company
from tests.builders.interactions import make_interaction
from tests.builders.users import make_user

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the results depend on today's date


def test_a_contact_with_two_participants_counts_once_for_each_of_them(db, users, login_as):
    lots, ledning = users["lots"], users["ledning"]
    colleague = make_user("lots")
    company = make_company("Deltagarbolaget AB")
    make_interaction(
        company,
        lots,
        subject="Möte med två deltagare",
        participant_ids=(ledning.id, colleague.id),
        at=utcnow() - timedelta(minutes=5),
    )
    db.session.commit()

    for user in (lots, ledning, colleague):
        client = login_as(user)
        page = client.get("/kontakter/mina")
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "<h1>Mina kontakter" in html
        assert html.count("Möte med två deltagare") == 1, user.role
        export = client.get("/kontakter/export.csv?mine=1")
        rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
        assert len(rows) == 2, user.role  # header + the one contact
        scope = Scope(month_period(local_today().replace(day=1)), user_id=user.id)
        assert contacts_total(scope) == 1, user.role
        report = build_report(scope)
        [total] = [f for f in report.headline if f.key == "contacts.total"]
        assert total.value == 1, user.role
