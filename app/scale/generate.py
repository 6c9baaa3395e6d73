"""Deterministic synthetic data at any size, written with Core bulk inserts.

One ORM object at a time would take hours for 1 000 000 contacts; executemany of plain dicts
in chunks takes minutes. Ids are assigned here (after the current maximum) so child rows can
point at their parents without a round-trip; PostgreSQL sequences are moved past them at the
end. Denormalised columns (companies.last_contact_at, next_followup_on) are computed on the way.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from app.companies.models import ACTIVE, ESTABLISHING, WOUND_UP
from app.companies.names import normalise_name, sort_key
from app.companies.orgnr import OrgnrKind, luhn_check_digit
from app.core.bulk_load import AFTER_LOAD
from app.core.time import STOCKHOLM
from app.extensions import db
from app.scale.vocabulary import (
    FIRST_NAMES,
    KINDS,
    LAST_NAMES,
    PLACE_WORDS,
    SIZE_CLASSES,
    SNI_2007,
    SUBJECTS,
    SUFFIXES,
    TRADE_WORDS,
)

CHUNK = 5_000
PASSWORD = "Lotsbok-bench-2026"  # noqa: S105 - of every generated user (scripts/bench.py signs in with it)


def _orgnr(n: int) -> str:
    stem = f"559{n:06d}"  # group 5 (aktiebolag), digits 3–4 ≥ 20
    return stem + luhn_check_digit(stem)


def _chunks(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(table_name: str, rows: Iterable[dict[str, Any]]) -> int:
    table = db.metadata.tables[table_name]
    total = 0
    for batch in _chunks(rows):
        db.session.execute(table.insert(), batch)
        total += len(batch)
    return total


def _next_id(table_name: str) -> int:
    table = db.metadata.tables[table_name]
    return (db.session.scalar(sa.select(sa.func.max(table.c.id))) or 0) + 1


def _utc(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=STOCKHOLM).astimezone(UTC)


def generate(
    n_companies: int, *, seed: int, anchor: date, echo: Callable[[str], None] = print
) -> dict[str, int]:
    """Generate `n_companies` companies and everything that hangs on them. Flushes, no commit."""
    rng = random.Random(seed)
    now = _utc(anchor, 12, 0)
    counts: dict[str, int] = {}
    focus_ids = list(
        db.session.scalars(sa.text("SELECT id FROM focus_areas WHERE retired_at IS NULL ORDER BY id"))
    )
    area_ids = list(db.session.scalars(sa.text("SELECT id FROM areas ORDER BY id"))) or [None]

    _tune_for_bulk_load()
    user_ids = _users(rng, n_companies, now, counts)
    lots_ids = user_ids["lots"]
    echo(f"användare: {counts['users']}")

    batch_size = 5_000  # rows for 5 000 companies at a time keep memory flat at any size
    for batch_start in range(0, n_companies, batch_size):
        companies, persons = _companies(
            rng, min(batch_size, n_companies - batch_start), area_ids, lots_ids, now
        )
        interactions = _interactions(rng, companies, persons, focus_ids, lots_ids, now, counts)
        followups = _followups(rng, companies, lots_ids, anchor, now)
        _add(counts, "companies", _insert("companies", companies))
        _add(counts, "contact_persons", _insert("contact_persons", persons))
        _add(counts, "interactions", _insert("interactions", interactions["rows"]))
        _add(
            counts, "interaction_focus_areas", _insert("interaction_focus_areas", interactions["extra_focus"])
        )
        _add(
            counts,
            "interaction_participants",
            _insert("interaction_participants", interactions["participants"]),
        )
        _add(counts, "followups", _insert("followups", followups))
        for extra in EXTRA_GENERATORS:
            extra(rng, companies, persons, lots_ids, user_ids, focus_ids, anchor, now, counts)
        echo(f"företag: {counts['companies']}, kontakter: {counts['interactions']}")
    _fix_sequences()
    db.session.flush()
    for after in AFTER_LOAD:  # derived tables (report facts), rebuilt once after the bulk load
        after()
    return counts


def _tune_for_bulk_load() -> None:
    """SQLite: a large page cache keeps the many index b-trees in memory while millions of rows
    go in (per connection; it ends with it)."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(sa.text("PRAGMA cache_size = -524288"))  # 512 MiB


def _add(counts: dict[str, int], name: str, n: int) -> None:
    counts[name] = counts.get(name, 0) + n


def _companies(
    rng: random.Random, n: int, area_ids: list, lots_ids: list[int], now: datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    company_first = _next_id("companies")
    person_first = _next_id("contact_persons")
    companies: list[dict[str, Any]] = []
    persons: list[dict[str, Any]] = []
    for i in range(n):
        cid = company_first + i
        name = f"{rng.choice(PLACE_WORDS)} {rng.choice(TRADE_WORDS)} {rng.choice(SUFFIXES)}"
        created = now - timedelta(days=rng.randint(0, 6 * 365))
        is_key = rng.random() < 0.02
        companies.append(
            {
                "id": cid,
                "name": name,
                "name_norm": normalise_name(name),
                "sort_name": sort_key(name),
                "orgnr": _orgnr(cid),
                "orgnr_kind": OrgnrKind.LEGAL_PERSON.value,
                "legal_form": "Aktiebolag",
                "sni_code": rng.choice(SNI_2007),
                "sni_version": "2007",
                "size_class": rng.choice(SIZE_CLASSES),
                "visiting_address": f"{rng.choice(PLACE_WORDS)}vägen {rng.randint(1, 120)}",
                "postal_address": "",
                "postcode": f"78{rng.randint(1, 5)} {rng.randint(10, 99)}",
                "city": "Borlänge",
                "area_id": rng.choice(area_ids),
                "website": "",
                "phone": f"0243-{rng.randint(100000, 999999)}",
                "email": f"info@foretag{cid}.example",
                "status": ACTIVE if rng.random() < 0.9 else rng.choice([ESTABLISHING, WOUND_UP]),
                "responsible_user_id": rng.choice(lots_ids),
                "is_key_company": is_key,
                "contact_cadence_months": rng.choice([3, 6]) if is_key else None,
                "notes": "",
                "created_at": created,
                "updated_at": created,
                "version": 1,
                "last_contact_at": None,
                "next_followup_on": None,
            }
        )
        for j in range(rng.choice([1, 2, 2, 3, 3, 4])):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            pname = f"{first} {last}"
            persons.append(
                {
                    "id": person_first + len(persons),
                    "company_id": cid,
                    "name": pname,
                    "name_norm": normalise_name(pname),
                    "title": "VD"
                    if j == 0
                    else rng.choice(["Ekonomichef", "Platschef", "HR-ansvarig", "Ägare", "Säljare"]),
                    "phone": f"070-{rng.randint(1000000, 9999999)}",
                    "email": f"{first.casefold()}.{last.casefold()}@foretag{cid}.example",
                    "informed_on": None,
                    "no_mailings": rng.random() < 0.1,
                    "is_active": True,
                    "created_at": created,
                    "updated_at": created,
                    "version": 1,
                }
            )
    return companies, persons


def _users(
    rng: random.Random, n_companies: int, now: datetime, counts: dict[str, int]
) -> dict[str, list[int]]:
    from app.auth.models import new_session_token
    from app.auth.passwords import hash_password

    password_hash = hash_password(PASSWORD)  # one hash: argon2 is slow on purpose
    first = _next_id("users")
    total = max(20, n_companies // 100)  # 1 000 users at 100 000 companies (the digest benchmark)
    roles = ["admin", "chef", "chef"] + ["ledning"] * 5 + ["lots"] * (total - 8)
    rows, by_role = [], {"lots": [], "ledning": [], "chef": [], "admin": []}
    for k, role in enumerate(roles):
        uid = first + k
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        rows.append(
            {
                "id": uid,
                "email": f"{role}{uid}@generated.lotsbok.example",
                "name": name,
                "role": role,
                "department": "Näringslivskontoret",
                "is_active": True,
                "password_hash": password_hash,
                "must_change_password": False,
                "session_token": new_session_token(),
                "locale": "sv",
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
        by_role[role].append(uid)
    counts["users"] = _insert("users", rows)
    return by_role


def _interactions(rng, companies, persons, focus_ids, lots_ids, now, counts) -> dict[str, list]:
    first = _next_id("interactions")
    rows, extra_focus, participants = [], [], []
    five_years = 5 * 365 * 24 * 60
    for company in companies:
        n = max(0, int(rng.gauss(10, 4)))
        last = None
        for _ in range(n):
            iid = first + len(rows)
            at = now - timedelta(minutes=rng.randint(0, five_years))
            kind = rng.choice(KINDS)
            author = rng.choice(lots_ids)
            rows.append(
                {
                    "id": iid,
                    "kind": kind,
                    "occurred_at": at,
                    "duration_minutes": rng.choice([5, 10, 15, 30, 60, 90]),
                    "company_id": company["id"],
                    "inbound_channel": rng.choice([None, None, "phone", "email", "web_form"]),
                    "subject": rng.choice(SUBJECTS),
                    "notes": "Samtal om " + rng.choice(SUBJECTS).lower() + ".",
                    "focus_area_id": rng.choice(focus_ids),
                    "case_id": None,
                    "is_restricted": rng.random() < 0.02,
                    "author_id": author,
                    "deleted_at": None,
                    "deleted_by_id": None,
                    "form_token": None,
                    "created_at": at,
                    "updated_at": at,
                    "version": 1,
                }
            )
            participants.append({"interaction_id": iid, "user_id": author})
            if rng.random() < 0.2:
                other = rng.choice(focus_ids)
                if other != rows[-1]["focus_area_id"]:
                    extra_focus.append({"interaction_id": iid, "focus_area_id": other})
            last = at if last is None or at > last else last
        company["last_contact_at"] = last
    return {"rows": rows, "extra_focus": extra_focus, "participants": participants}


def _followups(rng, companies, lots_ids, anchor, now) -> list[dict[str, Any]]:
    first = _next_id("followups")
    rows = []
    for company in companies:
        for _ in range(rng.choice([0, 1, 1, 2])):
            due = anchor + timedelta(days=rng.randint(-60, 60))
            done = due < anchor and rng.random() < 0.7
            rows.append(
                {
                    "id": first + len(rows),
                    "title": "Återkoppla till " + company["name"],
                    "note": "",
                    "due_on": due,
                    "due_time": None,
                    "assignee_id": company["responsible_user_id"] or rng.choice(lots_ids),
                    "company_id": company["id"],
                    "created_by_id": None,
                    "interaction_id": None,
                    "case_id": None,
                    "visit_id": None,
                    "source": "manual",
                    "status": "done" if done else "open",
                    "done_on": due if done else None,
                    "done_note": "",
                    "closed_at": None,
                    "closed_by_id": None,
                    "snooze_count": 0,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
            )
            if not done and (company["next_followup_on"] is None or due < company["next_followup_on"]):
                company["next_followup_on"] = due
    return rows


# Features that come later (cases, visits) append generators with the same signature.
EXTRA_GENERATORS: list[Callable[..., None]] = []


def _fix_sequences() -> None:
    """PostgreSQL: explicit ids do not advance sequences; move each past its maximum."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and isinstance(table.c.id.type, sa.Integer) and table.c.id.autoincrement:
            db.session.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT max(id) FROM {table.name}), 1))"
                )
            )
