"""Builders for follow-up tests. They flush, never commit."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from typing import Any

from app.companies.models import Company
from app.extensions import db
from app.followups.models import OPEN, FollowUp

_seq = itertools.count(1)


def make_company(**overrides: Any) -> Company:
    """A company row inserted directly (tests/companies/factories.py did not exist when these
    tests were written; only the columns follow-ups read matter here)."""
    n = next(_seq)
    name = overrides.pop("name", f"Testföretaget {n} AB")
    company = Company(name=name, name_norm=" ".join(name.split()).casefold(), **overrides)
    db.session.add(company)
    db.session.flush()
    return company


def make_followup(assignee, due_on: date, **overrides: Any) -> FollowUp:
    values: dict[str, Any] = {
        "title": f"Ring upp {next(_seq)}",
        "due_on": due_on,
        "assignee_id": assignee.id,
        "created_by_id": assignee.id,
        "status": OPEN,
        "source": "manual",
    }
    values.update(overrides)
    followup = FollowUp(**values)
    db.session.add(followup)
    db.session.flush()
    return followup


def key_company(months: int, *, created_at: datetime, last_contact_at: datetime | None = None, **kw: Any) -> Company:
    return make_company(
        is_key_company=True,
        contact_cadence_months=months,
        created_at=created_at,
        last_contact_at=last_contact_at,
        **kw,
    )
