"""The kommun's extra closed days: the admin screen, the rules, and what they move (suggested
dates) and do not move (statutory deadlines)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.cases.statutory import StatutoryTime, expected_decision_on
from app.catalogues.models import ClosedDay
from app.catalogues.services import add_closed_day, remove_closed_day
from app.core.calendar import closed_days, is_working_day, next_working_day
from app.core.errors import Conflict, PermissionDenied, ValidationError

KLAMDAG = date(2026, 5, 15)  # the Friday after Kristi himmelsfärdsdag


def test_admin_adds_and_removes_a_closed_day(db, users, admin_client):
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "Stängda dagar (klämdagar)" in page
    page = admin_client.get("/admin/kataloger/stangda-dagar").get_data(as_text=True)
    assert "Inga stängda dagar." in page
    assert "långfredagen" in page  # the year's holidays are listed beside the form
    response = admin_client.post(
        "/admin/kataloger/stangda-dagar",
        data={"day": "2026-05-15", "reason": "Klämdag"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "2026-05-15 är en stängd dag." in html
    assert "Klämdag" in html
    row = db.session.scalar(sa.select(ClosedDay))
    assert (row.day, row.reason, row.created_by_id) == (KLAMDAG, "Klämdag", users["admin"].id)
    assert not is_working_day(KLAMDAG)
    assert closed_days() == {KLAMDAG: "Klämdag"}

    refused = admin_client.post("/admin/kataloger/stangda-dagar", data={"day": "2026-06-19", "reason": ""})
    assert "2026-06-19 är midsommarafton och redan ingen arbetsdag." in refused.get_data(as_text=True)
    twice = admin_client.post("/admin/kataloger/stangda-dagar", data={"day": "2026-05-15", "reason": ""})
    assert "2026-05-15 är redan en stängd dag." in twice.get_data(as_text=True)

    admin_client.post(f"/admin/kataloger/stangda-dagar/{row.id}/ta-bort")
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClosedDay)) == 0
    assert is_working_day(KLAMDAG)
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.entity_type == "closed_days").order_by(AuditEvent.id)
    ).all()
    assert actions == ["create", "delete"]


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (None, "Ange ett datum"),
        (date(2026, 5, 16), "är lördag och redan ingen arbetsdag"),
        (date(2026, 12, 24), "är julafton och redan ingen arbetsdag"),
        (date(2026, 4, 6), "är annandag påsk och redan ingen arbetsdag"),
    ],
)
def test_only_a_vardag_can_be_closed(db, users, day, message):
    with pytest.raises(ValidationError, match=message):
        add_closed_day(day, "", actor=users["admin"])


def test_only_admin_closes_days(db, users):
    with pytest.raises(PermissionDenied):
        add_closed_day(KLAMDAG, "", actor=users["lots"])
    row = add_closed_day(KLAMDAG, "", actor=users["admin"])
    with pytest.raises(Conflict):
        add_closed_day(KLAMDAG, "igen", actor=users["admin"])
    with pytest.raises(PermissionDenied):
        remove_closed_day(row.id, actor=users["chef"])


def test_closed_days_move_suggestions_but_never_a_statutory_deadline(db, users):
    add_closed_day(KLAMDAG, "Klämdag", actor=users["admin"])
    assert next_working_day(date(2026, 5, 13)) == date(2026, 5, 18)
    # 10 weeks ending on the closed Friday: the law's vardag, so the deadline stays.
    ten_weeks = StatutoryTime(10, "weeks", "submitted")
    assert expected_decision_on(ten_weeks, submitted_on=date(2026, 3, 6), complete_on=None) == KLAMDAG
