"""Contact persons of a company: add, edit, "no longer works here" and a move to another
company (the same row, so their logged contacts follow them). Same contract as services.py:
explicit actor, permission check, audit trail, flush – the caller commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from app.audit import services as audit
from app.auth.models import User
from app.companies.fields import check_email
from app.companies.models import Company, ContactPerson, ContactPersonMove
from app.companies.names import normalise_name
from app.companies.services import require_live
from app.core.db import check_version
from app.core.errors import ValidationError
from app.core.permissions import Perm, require
from app.core.time import utcnow
from app.extensions import db


@dataclass(frozen=True)
class ContactPersonInput:
    name: str
    title: str = ""
    phone: str = ""
    email: str = ""
    informed_on: date | None = None
    no_mailings: bool = False


def _validate_person(data: ContactPersonInput) -> None:
    if not data.name.strip():
        raise ValidationError(_("Ange kontaktpersonens namn."), field="name")
    check_email(data.email)


def _apply_person(person: ContactPerson, data: ContactPersonInput) -> None:
    person.name = " ".join(data.name.split())
    person.name_norm = normalise_name(data.name)
    person.title = data.title.strip()
    person.phone = data.phone.strip()
    person.email = data.email.strip()
    person.informed_on = data.informed_on
    person.no_mailings = data.no_mailings


def add_contact_person(
    company: Company, data: ContactPersonInput, *, actor: User | None, system: bool = False
) -> ContactPerson:
    """Add a contact person to a (live) company."""
    if not system:
        require(actor, Perm.EDIT_COMPANIES)
    require_live(company)
    _validate_person(data)
    person = ContactPerson(company_id=company.id)
    _apply_person(person, data)
    db.session.add(person)
    audit.record_create(
        actor,
        person,
        summary=f"Kontaktperson {person.name} tillagd hos {company.name}",  # untranslated: audit trail
    )
    return person


def update_contact_person(
    person: ContactPerson, data: ContactPersonInput, *, actor: User, expected_version: int | None = None
) -> ContactPerson:
    require(actor, Perm.EDIT_COMPANIES)
    check_version(person, expected_version)
    _validate_person(data)
    _apply_person(person, data)
    summary = f"Kontaktperson {person.name} ändrad"  # untranslated: audit trail
    audit.record_update(actor, person, summary=summary)
    db.session.flush()
    return person


def remove_contact_person(
    person: ContactPerson, *, actor: User, now: datetime | None = None
) -> ContactPerson:
    """The person no longer works there: kept (with history) but listed as former."""
    require(actor, Perm.EDIT_COMPANIES)
    if person.is_active:
        person.is_active = False
        person.left_at = now or utcnow()
        audit.record_update(
            actor,
            person,
            summary=f"Kontaktperson {person.name} borttagen från företaget",  # untranslated: audit trail
        )
        db.session.flush()
    return person


def move_contact_person(
    person: ContactPerson, to_company: Company, *, actor: User, now: datetime | None = None
) -> ContactPersonMove:
    """The person now works at `to_company`. Same row (so their logged contacts follow them);
    the former company keeps a record of the move and lists them as a former contact."""
    require(actor, Perm.EDIT_COMPANIES)
    require_live(to_company)
    if to_company.id == person.company_id:
        raise ValidationError(_("Personen är redan kontaktperson på det företaget."), field="to_company")
    move = ContactPersonMove(
        contact_person_id=person.id,
        from_company_id=person.company_id,
        to_company_id=to_company.id,
        title_before=person.title,
        moved_at=now or utcnow(),
        actor_id=getattr(actor, "id", None),
    )
    db.session.add(move)
    person.company_id = to_company.id
    person.is_active = True
    person.left_at = None
    audit.record_update(
        actor,
        person,
        summary=f"Kontaktperson {person.name} flyttad till {to_company.name}",  # untranslated: audit trail
    )
    db.session.flush()
    return move
