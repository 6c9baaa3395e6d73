"""Personal data in the company register, for app.privacy (registerutdrag, rectification,
objection, anonymisation, retention). The SQL on companies and contact persons stays here.

Contact persons are people; so is a sole trader, whose organisationsnummer is the owner's
personnummer and whose company name is often the owner's name.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.audit import services as audit
from app.companies.fields import check_email
from app.companies.models import Company, ContactPerson, ContactPersonMove
from app.companies.names import normalise_name, sort_key
from app.companies.services import PERSONAL_KINDS, orgnr_display
from app.core.errors import ValidationError
from app.core.permissions import Perm, require
from app.core.personal_data import (
    PLACEHOLDER,
    Candidate,
    FoundRecord,
    Subject,
    replace_in_columns,
)
from app.core.time import utcnow
from app.extensions import db

MAX_CANDIDATES = 50


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _phone_digits(column):
    return sa.func.replace(sa.func.replace(sa.func.replace(column, " ", ""), "-", ""), "+46", "0")


def candidates(query: str) -> list[Candidate]:
    """Contact persons and sole traders matching a name, e-mail, phone or personnummer."""
    query = query.strip()
    digits = _digits(query)
    found: list[Candidate] = []
    if "@" in query:
        person_where = sa.func.lower(ContactPerson.email) == query.lower()
        company_where = sa.func.lower(Company.email) == query.lower()
    elif (
        len(digits) >= 5 and len(digits) >= len(query.replace(" ", "").replace("-", "").replace("+", "")) - 1
    ):
        number = digits[2:] if len(digits) == 12 else digits
        phone = "0" + digits[2:] if digits.startswith("46") else digits
        person_where = _phone_digits(ContactPerson.phone) == phone
        company_where = sa.or_(Company.orgnr == number, _phone_digits(Company.phone) == phone)
    else:
        words = normalise_name(query)
        person_where = ContactPerson.name_norm.contains(words, autoescape=True)
        company_where = Company.name_norm.contains(words, autoescape=True)
    people = db.session.execute(
        sa.select(ContactPerson, Company.name)
        .join(Company, Company.id == ContactPerson.company_id)
        .where(person_where)
        .order_by(ContactPerson.name_norm, ContactPerson.id)
        .limit(MAX_CANDIDATES)
    ).all()
    for person, company_name in people:
        detail = ", ".join(x for x in (person.title, company_name, person.email, person.phone) if x)
        if not person.is_active:
            detail = _("%(detail)s (slutat)", detail=detail)
        found.append(
            Candidate("contact_person", person.id, person.name, _("Kontaktperson: %(detail)s", detail=detail))
        )
    traders = db.session.scalars(
        sa.select(Company)
        .where(Company.orgnr_kind.in_(PERSONAL_KINDS), company_where)
        .order_by(Company.name_norm, Company.id)
        .limit(MAX_CANDIDATES)
    ).all()
    for company in traders:
        found.append(
            Candidate(
                "company",
                company.id,
                company.name,
                _("Enskild firma %(orgnr)s, %(city)s", orgnr=orgnr_display(company), city=company.city),
            )
        )
    return found


def subject_values(contact_person_ids: set[int], company_ids: set[int]) -> dict[str, set[str]]:
    """The identifying values of the picked contact persons and sole traders."""
    values: dict[str, set[str]] = {
        "names": set(),
        "emails": set(),
        "phones": set(),
        "personal_numbers": set(),
    }
    if contact_person_ids:
        for person in db.session.scalars(
            sa.select(ContactPerson).where(ContactPerson.id.in_(contact_person_ids))
        ):
            values["names"].add(person.name)
            values["emails"].add(person.email)
            values["phones"].add(person.phone)
    if company_ids:
        for company in db.session.scalars(sa.select(Company).where(Company.id.in_(company_ids))):
            values["names"].add(company.name)
            values["emails"].add(company.email)
            values["phones"].add(company.phone)
            if company.orgnr and company.orgnr_kind in PERSONAL_KINDS:
                values["personal_numbers"].add(company.orgnr)
    return {k: {v for v in vs if v} for k, vs in values.items()}


def _company_state(company: Company) -> str:
    if company.merged_into_id is not None:
        return " " + _("(företaget är sammanslaget med företag %(id)s)", id=company.merged_into_id)
    if company.deleted_at is not None:
        return " " + _("(företaget är borttaget)")
    return ""


def find(subject: Subject) -> list[FoundRecord]:
    """The contact-person rows, moves and sole-trader companies of the subject – also on
    merged-away and deleted companies, and people who have left."""
    found: list[FoundRecord] = []
    if subject.contact_person_ids:
        rows = db.session.execute(
            sa.select(ContactPerson, Company)
            .join(Company, Company.id == ContactPerson.company_id)
            .where(ContactPerson.id.in_(subject.contact_person_ids))
            .order_by(ContactPerson.id)
        ).all()
        for person, company in rows:
            fields = {
                _("Namn"): person.name,
                _("Titel"): person.title,
                _("Telefon"): person.phone,
                _("E-post"): person.email,
                _("Företag"): company.name + _company_state(company),
                _("Informerad om behandlingen"): person.informed_on.isoformat()
                if person.informed_on
                else _("ej noterat"),
                _("Vill inte ha utskick"): _("ja") if person.no_mailings else _("nej"),
                _("Invändning mot behandling"): person.objected_at.date().isoformat()
                if person.objected_at
                else _("nej"),
                _("Aktiv"): _("ja")
                if person.is_active
                else _(
                    "nej (slutade %(day)s)", day=person.left_at.date().isoformat() if person.left_at else ""
                ),
            }
            found.append(
                FoundRecord(
                    _("Kontaktperson"),
                    "contact_persons",
                    person.id,
                    _("%(name)s hos %(company)s", name=person.name, company=company.name),
                    person.created_at,
                    {k: v for k, v in fields.items() if v},
                )
            )
        moves = db.session.scalars(
            sa.select(ContactPersonMove).where(
                ContactPersonMove.contact_person_id.in_(subject.contact_person_ids)
            )
        ).all()
        for move in moves:
            found.append(
                FoundRecord(
                    _("Flytt mellan företag"),
                    "contact_person_moves",
                    move.id,
                    _(
                        "Flyttad från företag %(source)s till %(target)s",
                        source=move.from_company_id,
                        target=move.to_company_id,
                    ),
                    move.moved_at,
                    {_("Titel före flytten"): move.title_before} if move.title_before else {},
                )
            )
    if subject.company_ids:
        for company in db.session.scalars(sa.select(Company).where(Company.id.in_(subject.company_ids))):
            fields = {
                _("Företagsnamn"): company.name,
                _("Organisationsnummer (personnummer)"): company.orgnr or "",
                _("Adress"): ", ".join(
                    x
                    for x in (
                        company.visiting_address,
                        company.postal_address,
                        company.postcode,
                        company.city,
                    )
                    if x
                ),
                _("Telefon"): company.phone,
                _("E-post"): company.email,
                _("Anteckningar"): company.notes,
            }
            found.append(
                FoundRecord(
                    _("Enskild firma"),
                    "companies",
                    company.id,
                    company.name + _company_state(company),
                    company.created_at,
                    {k: v for k, v in fields.items() if v},
                )
            )
    return found


def company_ids_of(subject: Subject) -> set[int]:
    """The companies the subject's records hang on (their own firm, their employers)."""
    ids = set(subject.company_ids)
    if subject.contact_person_ids:
        ids.update(
            db.session.scalars(
                sa.select(ContactPerson.company_id).where(ContactPerson.id.in_(subject.contact_person_ids))
            )
        )
        ids.update(
            db.session.scalars(
                sa.select(ContactPersonMove.from_company_id).where(
                    ContactPersonMove.contact_person_id.in_(subject.contact_person_ids)
                )
            )
        )
    return ids


def anonymise(subject: Subject, values: list[str], now: datetime) -> int:
    """Replace the subject's identifying fields in the company register. Plain UPDATEs (the
    audit trail is anonymised by app.audit, the change itself is audited by app.privacy)."""
    changed = 0
    if subject.contact_person_ids:
        changed += db.session.execute(
            sa.update(ContactPerson)
            .where(ContactPerson.id.in_(subject.contact_person_ids))
            .values(
                name=PLACEHOLDER,
                name_norm=normalise_name(PLACEHOLDER),
                title="",
                phone="",
                email="",
                no_mailings=True,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.execute(
            sa.update(ContactPersonMove)
            .where(ContactPersonMove.contact_person_id.in_(subject.contact_person_ids))
            .values(title_before="")
            .execution_options(synchronize_session=False)
        )
    if subject.company_ids:
        # The sole trader's number is their personnummer: it goes; the row (and every count
        # that hangs on it) stays.
        name = "Enskild firma " + PLACEHOLDER  # untranslated: stored as the company's name
        changed += db.session.execute(
            sa.update(Company)
            .where(Company.id.in_(subject.company_ids))
            .values(
                name=name,
                name_norm=normalise_name(name),
                sort_name=sort_key(name),
                orgnr=None,
                phone="",
                email="",
                visiting_address="",
                postal_address="",
                website="",
            )
            .execution_options(synchronize_session=False)
        ).rowcount
    changed += replace_in_columns(Company, ["notes"], values)
    changed += replace_in_columns(ContactPerson, ["title"], values)
    return changed


def describe_anonymisation(subject: Subject) -> list[str]:
    """What `anonymise` will change, for the preview."""
    lines = []
    for record in find(subject):
        if record.entity_type == "contact_persons":
            lines.append(
                _(
                    "Kontaktperson %(title)s: namn, titel, telefon och e-post ersätts med %(placeholder)s; inga fler utskick.",
                    title=record.title,
                    placeholder=PLACEHOLDER,
                )
            )
        elif record.entity_type == "companies":
            lines.append(
                _(
                    "Enskild firma %(title)s: namn ersätts, personnumret, adresser, telefon och e-post tas bort.",
                    title=record.title,
                )
            )
    return lines


# ------------------------------------------------------------------ rectification, objection

#: The fields a rectification may correct: key → label (lazy; `str()` it before storing).
RECTIFIABLE = {"name": _l("Namn"), "title": _l("Titel"), "phone": _l("Telefon"), "email": _l("E-post")}


def rectify_contact_person(
    person: ContactPerson, field: str, value: str, *, actor, authorised_by: Perm = Perm.EDIT_COMPANIES
) -> tuple[str, str]:
    """Correct one field of a contact person (GDPR Art. 16). Returns (old, new). Audited;
    flushes. Raises PermissionDenied, ValidationError."""
    require(actor, authorised_by)
    if field not in RECTIFIABLE:
        raise ValidationError(_("Det fältet kan inte rättas här."), field="field")
    value = " ".join(value.split()) if field == "name" else value.strip()
    if field == "name" and not value:
        raise ValidationError(_("Ange kontaktpersonens namn."), field="value")
    if field == "email":
        value = check_email(value, field_name="value")
    old = getattr(person, field)
    if old == value:
        raise ValidationError(_("Det nya värdet är detsamma som det gamla."), field="value")
    setattr(person, field, value)
    if field == "name":
        person.name_norm = normalise_name(value)
    summary = "Rättelse av kontaktperson (art. 16)"  # untranslated: audit trail
    audit.record_update(actor, person, summary=summary)
    db.session.flush()
    return old, value


def set_objection(
    person: ContactPerson,
    objected: bool,
    *,
    actor,
    authorised_by: Perm = Perm.EDIT_COMPANIES,
    now: datetime | None = None,
) -> bool:
    """Record (or lift) a GDPR Art. 21 objection. Returns True if something changed. Flushes."""
    require(actor, authorised_by)
    if objected == (person.objected_at is not None):
        return False
    person.objected_at = (now or utcnow()) if objected else None
    summary = "Invändning mot behandling registrerad"  # untranslated: audit trail
    if not objected:
        summary = "Invändning hävd"  # untranslated: audit trail
    audit.record_update(actor, person, summary=summary)
    db.session.flush()
    return True


def address_objected(address: str) -> bool:
    """Mail blocker (app.mail.register_recipient_blocker): the address belongs to a contact
    person who objected to processing."""
    return (
        db.session.scalar(
            sa.select(ContactPerson.id)
            .where(
                ContactPerson.objected_at.is_not(None),
                sa.func.lower(ContactPerson.email) == address.strip().lower(),
            )
            .limit(1)
        )
        is not None
    )


# ------------------------------------------------------------------ retention


def _persons_due(cutoff: datetime):
    return sa.and_(
        ContactPerson.is_active.is_(False),
        ContactPerson.left_at < cutoff,
        ContactPerson.name != PLACEHOLDER,
    )


def count_persons_due(cutoff: datetime) -> int:
    """Contact persons who left their company before `cutoff` and are not yet anonymised."""
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(ContactPerson).where(_persons_due(cutoff)))
        or 0
    )


def persons_due(cutoff: datetime, limit: int = 500) -> list[int]:
    """Ids of (at most `limit`) contact persons `count_persons_due` counts."""
    return list(
        db.session.scalars(
            sa.select(ContactPerson.id).where(_persons_due(cutoff)).order_by(ContactPerson.id).limit(limit)
        )
    )
