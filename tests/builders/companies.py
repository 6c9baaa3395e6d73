"""Companies and their contact persons (app.companies). They flush, never commit."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from app.companies.models import Company, ContactPerson
from app.companies.orgnr import luhn_check_digit
from app.companies.services import normalise_name, sort_key
from app.extensions import db

_seq = itertools.count(1)


def valid_orgnr(stem: str) -> str:
    """A valid 10-digit number from a 9-digit stem ("556000001" → "5560000016")."""
    return stem + luhn_check_digit(stem)


def next_orgnr() -> str:
    """A fresh valid aktiebolag number: 559xxxxxx + check digit."""
    return valid_orgnr(f"559{next(_seq) + 100000:06d}")


# Fictitious sole traders (a personnummer and a samordningsnummer); the last four digits
# appear nowhere else in test pages, so "not in page" assertions mean something.
SOLE_TRADER = valid_orgnr("850615238")
SAMORDNING = valid_orgnr("850675238")
# The sole trader of tests/server/test_downloads.py. That module and the browser tests share the
# live server's database (tests/conftest.py `live_server`), where an orgnr is unique, and which
# of them share a test process is decided at run time (pytest-xdist worksteal): the privacy
# world of tests/browser/test_registerutdrag.py holds SOLE_TRADER.
SOLE_TRADER_EXPORTS = valid_orgnr("790312417")


def make_company(name: str | None = None, **overrides: Any) -> Company:
    n = next(_seq)
    name = name or f"Testföretaget {n} AB"
    values: dict[str, Any] = {
        "name": name,
        "name_norm": normalise_name(name),
        "sort_name": sort_key(name),
        "orgnr": overrides.pop("orgnr", None) or next_orgnr(),
        "orgnr_kind": "legal_person",
        "legal_form": "Aktiebolag",
        "postcode": "784 33",
        "city": "Borlänge",
        "status": "active",
    }
    values.update(overrides)
    if values["orgnr"] and int(values["orgnr"][2:4]) < 20 and "orgnr_kind" not in overrides:
        values["orgnr_kind"] = "personal_number" if int(values["orgnr"][4:6]) <= 31 else "coordination_number"
        values["legal_form"] = "Enskild firma"
    company = Company(**values)
    db.session.add(company)
    db.session.flush()
    return company


def make_key_company(
    months: int, *, created_at: datetime, last_contact_at: datetime | None = None, **kw: Any
) -> Company:
    """A key company ("nyckelföretag") with a contact cadence of `months`."""
    return make_company(
        is_key_company=True,
        contact_cadence_months=months,
        created_at=created_at,
        last_contact_at=last_contact_at,
        **kw,
    )


def make_contact_person(company: Company, name: str = "Anna Öberg", **overrides: Any) -> ContactPerson:
    values: dict[str, Any] = {"company_id": company.id, "name": name, "name_norm": normalise_name(name)}
    values.update(overrides)
    person = ContactPerson(**values)
    db.session.add(person)
    db.session.flush()
    return person
