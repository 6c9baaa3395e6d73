"""The shared vocabulary for personal-data duties (registerutdrag, anonymisation, retention).

The privacy feature (app.privacy) sits above every other feature and composes their answers;
each feature keeps the SQL on its own tables in its `personal_data.py` and speaks in these
types. Nothing here imports a feature.

* `Subject`: the person an extract or an anonymisation is about, as the records that the
  administrator picked (contact persons, kommun users, sole-trader companies, lotsmöte guests)
  plus the identifying values read from them (names, e-mail addresses, phone numbers,
  personnummer).
* `FoundRecord`: one record that names the subject, in plain Swedish for the extract.
* `Candidate`: one search hit the administrator may pick.
* `RetentionTarget`: a record type that a retention rule can act on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

PLACEHOLDER = "[anonymiserad]"


@dataclass(frozen=True)
class Subject:
    contact_person_ids: frozenset[int] = frozenset()
    user_ids: frozenset[int] = frozenset()
    company_ids: frozenset[int] = frozenset()  # sole traders: the number is a personnummer
    guest_ids: frozenset[int] = frozenset()  # lotsmöte guests entered by name and address
    names: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    personal_numbers: frozenset[str] = frozenset()  # 10 digits, as stored

    def identifying_values(self) -> list[str]:
        """Every string that identifies the subject, in the forms text may hold them in,
        longest first (so "Anna Öberg" is replaced before a shorter value inside it)."""
        values: set[str] = set()
        for name in self.names:
            if len(name.strip()) >= 3:
                values.add(name.strip())
        for email in self.emails:
            if email.strip():
                values.update({email.strip(), email.strip().lower()})
        for phone in self.phones:
            if len("".join(ch for ch in phone if ch.isdigit())) >= 5:
                values.add(phone.strip())
        for number in self.personal_numbers:
            values.update({number, f"{number[:6]}-{number[6:]}"})
        return sorted(values, key=len, reverse=True)

    @property
    def is_empty(self) -> bool:
        return not (self.contact_person_ids or self.user_ids or self.company_ids or self.guest_ids)


@dataclass(frozen=True)
class FoundRecord:
    """One record that names the subject. `entity_type` is the table name (as in the audit
    trail), `fields` what the record holds about the subject (label → value)."""

    category: str
    entity_type: str
    entity_id: int
    title: str
    at: datetime | date | None = None
    fields: dict[str, str] = field(default_factory=dict)
    restricted: bool = False
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "kategori": self.category,
            "tabell": self.entity_type,
            "id": self.entity_id,
            "rubrik": self.title,
            "tidpunkt": self.at.isoformat() if self.at is not None else None,
            "uppgifter": self.fields,
            "sekretessprovning": self.restricted,
            "anmarkning": self.note,
        }


@dataclass(frozen=True)
class Candidate:
    """A search hit: `kind` is "contact_person", "user", "company" or "guest"."""

    kind: str
    id: int
    name: str
    detail: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class RetentionTarget:
    """A record type a retention rule can act on.

    `basis` says in Swedish what the years are counted from. `count_due(cutoff)` counts the
    records the rule (with `action`) would act on now: `count_due(cutoff, action)`; `apply(cutoff, action, now)` acts and returns how many
    it changed or deleted. Both must leave records already handled alone (idempotent), and
    `apply` must never delete a row that another table references: record types that others
    point at offer only "anonymise".
    """

    key: str
    label: str
    basis: str
    actions: tuple[str, ...]
    count_due: Callable[[datetime, str], int]
    apply: Callable[[datetime, str, datetime], int]


def contains_any(column: Any, values: Iterable[str]) -> Any:
    """SQL: the text column contains any of `values` (LIKE with %/_ escaped, both databases)."""
    values = [v for v in values if v]
    if not values:
        return sa.false()
    return sa.or_(*(column.contains(v, autoescape=True) for v in values))


def replace_all(text: str | None, values: Iterable[str], placeholder: str = PLACEHOLDER) -> str | None:
    """`text` with every identifying value replaced (values longest first)."""
    if not text:
        return text
    for value in values:
        if value and value in text:
            text = text.replace(value, placeholder)
    return text


def replace_in_json(data: Any, values: list[str], placeholder: str = PLACEHOLDER) -> Any:
    """A JSON value with identifying strings replaced at every depth."""
    if isinstance(data, str):
        return replace_all(data, values, placeholder)
    if isinstance(data, list):
        return [replace_in_json(v, values, placeholder) for v in data]
    if isinstance(data, dict):
        return {k: replace_in_json(v, values, placeholder) for k, v in data.items()}
    return data


def json_forms(values: Iterable[str]) -> list[str]:
    """The forms the values take inside stored JSON text (non-ASCII escaped, e.g. "ä" as \\u00e4)."""
    import json

    forms: set[str] = set()
    for value in values:
        forms.add(value)
        forms.add(json.dumps(value)[1:-1])
    return sorted(forms, key=len, reverse=True)


def replace_in_columns(
    model: Any, columns: Iterable[str], values: list[str], placeholder: str = PLACEHOLDER
) -> int:
    """Replace identifying values in free-text columns of every row of `model` that contains
    one (a scan: anonymisation is rare). Plain UPDATEs without a version bump – the content
    is gone, not edited. Returns the number of rows changed."""
    from app.extensions import db

    changed = 0
    for name in columns:
        column = getattr(model, name)
        rows = db.session.execute(sa.select(model.id, column).where(contains_any(column, values))).all()
        for row_id, text in rows:
            db.session.execute(
                sa.update(model)
                .where(model.id == row_id)
                .values({name: replace_all(text, values, placeholder)})
                .execution_options(synchronize_session=False)
            )
            changed += 1
    return changed
