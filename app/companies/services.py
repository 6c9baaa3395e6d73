"""Company register services: companies, areas and the personnummer view (contact persons:
contact_persons.py; tags: tags.py; checks of single fields: fields.py).

Every function takes an explicit `actor`, checks permissions, raises app.core.errors with
Swedish messages, writes the audit trail and flushes – the caller commits.

Sole traders: `Company.orgnr` then holds the owner's personnummer or samordningsnummer. It is
written to the audit trail masked ("121212-****"); the full number is only returned by
`reveal_orgnr`, which requires Perm.VIEW_PERSONAL_IDS and records a "view" event.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit import services as audit
from app.audit.retirement import set_retired
from app.auth.models import User
from app.companies.fields import check_email, check_orgnr, check_sni, check_website
from app.companies.models import (
    ACTIVE,
    COMPANY_STATUSES,
    SIZE_CLASSES,
    Area,
    Company,
    CompanyCreateToken,
)
from app.companies.names import normalise_name, sort_key
from app.companies.orgnr import OrgnrError, OrgnrKind, ParsedOrgnr, parse_orgnr
from app.companies.tags import set_tags, tag_names
from app.core import restriction
from app.core.db import check_version
from app.core.errors import Conflict, NotFound, ValidationError
from app.core.permissions import Perm, Role, require
from app.core.time import utcnow
from app.extensions import db

_POSTCODE = re.compile(r"^\d{5}$")

PERSONAL_KINDS = {OrgnrKind.PERSONNUMMER.value, OrgnrKind.SAMORDNINGSNUMMER.value}


# --------------------------------------------------------------------------- normalising


def normalise_postcode(raw: str) -> str:
    """ "78433", "784 33" and "SE-784 33" all become "784 33"; other text is kept stripped."""
    text = (raw or "").strip()
    digits = re.sub(r"\D", "", text)
    if len(digits) == 5:
        return f"{digits[:3]} {digits[3:]}"
    return text


def is_personal_orgnr(company: Company) -> bool:
    """A personnummer or samordningsnummer: by its kind, or by its digits 3–4 (below 20)."""
    if company.orgnr_kind in PERSONAL_KINDS:
        return True
    number = company.orgnr or ""
    return len(number) == 10 and number[2:4].isdigit() and int(number[2:4]) < 20


def whole_personal_id(text: str) -> str | None:
    """The normalised personnummer/samordningsnummer if `text` is exactly one, written with
    10 or 12 digits, with or without hyphen (never a part of one); else None."""
    compact = "".join(ch for ch in (text or "") if ch not in " -+")
    if not (compact.isascii() and compact.isdigit() and len(compact) in (10, 12)):
        return None
    try:
        parsed = parse_orgnr(compact)
    except OrgnrError:
        return None
    return parsed.number if parsed.is_personal_data else None


def audit_personal_id_lookup(actor: User, numbers: Iterable[str], *, where: str) -> int:
    """Record in the audit trail that `actor` looked up these whole personal numbers (search,
    list filters) – one event per number, on the sole trader it found if any; the number is
    written masked. Returns how many events. Flushes."""
    count = 0
    for number in dict.fromkeys(numbers):
        company_id = db.session.scalar(sa.select(Company.id).where(Company.orgnr == number).limit(1))
        audit.record(
            actor,
            "lookup",
            "companies",
            company_id,
            summary=f"Sökning på fullständigt personnummer {number[:6]}-**** ({where})",  # untranslated: audit trail
        )
        count += 1
    if count:
        db.session.flush()
        restriction.commit_after_request()
    return count


def orgnr_display(company: Company) -> str:
    """The number as lists, exports and ordinary pages show it: masked for sole traders."""
    if not company.orgnr:
        return ""
    if is_personal_orgnr(company):
        return f"{company.orgnr[:6]}-****"
    return f"{company.orgnr[:6]}-{company.orgnr[6:]}"


def _masked_changes(company: Company, changes: dict[str, Any]) -> dict[str, Any]:
    """Replace a personnummer in audit changes with its masked form."""
    if "orgnr" not in changes:
        return changes

    def mask(value: Any) -> Any:
        if isinstance(value, str) and len(value) == 10 and int(value[2:4]) < 20:
            return f"{value[:6]}-****"
        return value

    result = dict(changes)
    value = result["orgnr"]
    result["orgnr"] = [mask(v) for v in value] if isinstance(value, list) else mask(value)
    return result


def audit_create(actor: User | None, company: Company, summary: str) -> None:
    db.session.flush()
    audit.record(
        actor,
        "create",
        "companies",
        company.id,
        summary=summary,
        changes=_masked_changes(company, audit.snapshot(company)),
    )


def audit_update(
    actor: User | None, company: Company, summary: str = "", extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Audit pending column changes (masked), plus `extra` (e.g. tags); call before flush."""
    changes = _masked_changes(company, audit.pending_changes(company))
    if extra:
        changes.update(extra)
    if changes:
        audit.record(actor, "update", "companies", company.id, summary=summary, changes=changes)
    return changes


# --------------------------------------------------------------------------- companies


@dataclass(frozen=True)
class CompanyInput:
    """What a user (form, import row) says about a company. Strings are raw user text."""

    name: str
    orgnr: str = ""
    legal_form: str = ""
    sni_code: str = ""
    sni_version: str = "2007"
    size_class: str = ""
    visiting_address: str = ""
    postal_address: str = ""
    postcode: str = ""
    city: str = ""
    area_id: int | None = None
    website: str = ""
    phone: str = ""
    email: str = ""
    status: str = ACTIVE
    responsible_user_id: int | None = None
    is_key_company: bool = False
    contact_cadence_months: int | None = None
    notes: str = ""
    tags: tuple[str, ...] = ()
    # Edit form of a sole trader: the number is not sent to the browser; blank keeps it.
    keep_orgnr: bool = False


def company_input_from(company: Company, **changes: Any) -> CompanyInput:
    """The company's current facts as an input, with `changes` applied (a partial update).

    The organisationsnummer is kept (`keep_orgnr`) unless `orgnr` is among the changes, so a
    sole trader's number never has to travel back and forth.
    """
    current = CompanyInput(
        name=company.name,
        legal_form=company.legal_form,
        sni_code=company.sni_code or "",
        sni_version=company.sni_version or "2007",
        size_class=company.size_class,
        visiting_address=company.visiting_address,
        postal_address=company.postal_address,
        postcode=company.postcode,
        city=company.city,
        area_id=company.area_id,
        website=company.website,
        phone=company.phone,
        email=company.email,
        status=company.status,
        responsible_user_id=company.responsible_user_id,
        is_key_company=company.is_key_company,
        contact_cadence_months=company.contact_cadence_months,
        notes=company.notes,
        tags=tuple(tag_names(company.id)),
        keep_orgnr="orgnr" not in changes,
    )
    return replace(current, **changes)


def _validate(
    data: CompanyInput, company: Company | None
) -> tuple[ParsedOrgnr | None, str | None, str | None]:
    if not data.name.strip():
        raise ValidationError(_("Ange företagets namn."), field="name")
    if len(data.name.strip()) > 200:
        raise ValidationError(_("Namnet får vara högst 200 tecken."), field="name")
    parsed = None if data.keep_orgnr and company is not None else check_orgnr(data.orgnr)
    if parsed is not None:
        clash = db.session.scalar(sa.select(Company).where(Company.orgnr == parsed.number))
        if clash is not None and clash is not company:
            message = (
                _(
                    "Det finns redan ett företag med det organisationsnumret: %(name)s (borttaget).",
                    name=clash.name,
                )
                if clash.deleted_at
                else _("Det finns redan ett företag med det organisationsnumret: %(name)s.", name=clash.name)
            )
            raise Conflict(message, field="orgnr")
    sni_code, sni_version = check_sni(data.sni_code, data.sni_version)
    if data.size_class and data.size_class not in SIZE_CLASSES:
        raise ValidationError(_("Välj en storleksklass i listan."), field="size_class")
    if data.status not in COMPANY_STATUSES:
        raise ValidationError(_("Välj status: aktiv, etablering eller avvecklad."), field="status")
    check_email(data.email)
    postcode = normalise_postcode(data.postcode)
    if postcode and not _POSTCODE.match(postcode.replace(" ", "")):
        raise ValidationError(_("Postnumret ska ha fem siffror (t.ex. 784 33)."), field="postcode")
    if data.area_id is not None:
        area = db.session.get(Area, data.area_id)
        if area is None:
            raise ValidationError(_("Välj ett område i listan."), field="area_id")
        if area.retired_at is not None and (company is None or company.area_id != area.id):
            raise ValidationError(
                _("Området %(name)s används inte längre och kan inte väljas.", name=area.name),
                field="area_id",
            )
    if data.responsible_user_id is not None:
        user = db.session.get(User, data.responsible_user_id)
        if user is None or not user.is_active or user.role != Role.LOTS.value:
            raise ValidationError(_("Ansvarig ska vara en aktiv företagslots."), field="responsible_user_id")
    if data.is_key_company:
        months = data.contact_cadence_months
        if months is None or not 1 <= months <= 60:
            raise ValidationError(
                _("Ange hur ofta nyckelföretaget ska kontaktas (1–60 månader)."),
                field="contact_cadence_months",
            )
    elif data.contact_cadence_months is not None and not 1 <= data.contact_cadence_months <= 60:
        raise ValidationError(_("Kontaktintervallet ska vara 1–60 månader."), field="contact_cadence_months")
    return parsed, sni_code, sni_version


def _apply(
    company: Company, data: CompanyInput, parsed: ParsedOrgnr | None, sni: tuple[str | None, str | None]
) -> None:
    company.name = " ".join(data.name.split())
    company.name_norm = normalise_name(data.name)
    company.sort_name = sort_key(data.name)
    if not data.keep_orgnr:
        company.orgnr = parsed.number if parsed else None
        company.orgnr_kind = parsed.kind.value if parsed else None
    legal_form = data.legal_form.strip()
    if not legal_form and parsed is not None and parsed.legal_form_group:
        legal_form = parsed.legal_form_group
    company.legal_form = legal_form
    company.sni_code, company.sni_version = sni
    company.size_class = data.size_class
    company.visiting_address = data.visiting_address.strip()
    company.postal_address = data.postal_address.strip()
    company.postcode = normalise_postcode(data.postcode)
    company.city = data.city.strip()
    company.area_id = data.area_id
    company.website = check_website(data.website)
    company.phone = data.phone.strip()
    company.email = data.email.strip()
    company.status = data.status
    company.responsible_user_id = data.responsible_user_id
    company.is_key_company = data.is_key_company
    company.contact_cadence_months = data.contact_cadence_months
    company.notes = data.notes.strip()


def company_for_form_token(token: str) -> Company | None:
    """The company a "new company" form with this one-time token already created, if any."""
    if not token:
        return None
    return db.session.scalar(
        sa.select(Company)
        .join(CompanyCreateToken, CompanyCreateToken.company_id == Company.id)
        .where(CompanyCreateToken.token == token)
    )


def create_company(
    data: CompanyInput,
    *,
    actor: User | None,
    form_token: str = "",
    system: bool = False,
    summary: str = "",
) -> Company:
    """Create a company. `form_token` (from the form) makes a second POST find the first result.

    `actor=None` is only allowed with `system=True` (CLI and demo loader, which run with
    server access). Raises ValidationError/Conflict for bad or duplicate data.
    """
    if not system:
        require(actor, Perm.EDIT_COMPANIES)
    parsed, *sni = _validate(data, None)
    company = Company()
    _apply(company, data, parsed, (sni[0], sni[1]))
    db.session.add(company)
    db.session.flush()
    if form_token:
        db.session.add(CompanyCreateToken(token=form_token[:64], company_id=company.id))
    summary = summary or f"Företaget {company.name} registrerat"  # untranslated: audit trail
    audit_create(actor, company, summary)
    if data.tags:
        set_tags(company, data.tags)
    db.session.flush()
    return company


def update_company(
    company: Company,
    data: CompanyInput,
    *,
    actor: User | None,
    expected_version: int | None = None,
    system: bool = False,
    summary: str = "",
) -> Company:
    """Change a company's facts and tags. StaleEdit if someone saved it after `expected_version`."""
    if not system:
        require(actor, Perm.EDIT_COMPANIES)
    require_live(company)
    check_version(company, expected_version)
    parsed, *sni = _validate(data, company)
    _apply(company, data, parsed, (sni[0], sni[1]))
    summary = summary or f"Företaget {company.name} ändrat"  # untranslated: audit trail
    update_with_tags(actor, company, data.tags, summary)
    return company


def update_with_tags(
    actor: User | None, company: Company, tags: tuple[str, ...] | list[str], summary: str
) -> dict[str, Any]:
    """Audit the company's pending column changes, replace its tags, audit those too, flush.

    The column changes are read before set_tags flushes (afterwards they are no longer
    pending). A change of tags alone still bumps the version, so concurrent editors notice.
    """
    changes = _masked_changes(company, audit.pending_changes(company))
    old_tags, new_tags = set_tags(company, tags)
    if old_tags != new_tags:
        if not changes:
            company.updated_at = utcnow()
        changes["tags"] = [old_tags, new_tags]
    if changes:
        audit.record(actor, "update", "companies", company.id, summary=summary, changes=changes)
    db.session.flush()
    return changes


def require_live(company: Company) -> None:
    """Refuse a change to a merged or deleted company (Conflict)."""
    if company.merged_into_id is not None:
        raise Conflict(_("Företaget är sammanslaget med ett annat företag och kan inte ändras."))
    if company.deleted_at is not None:
        raise Conflict(_("Företaget är borttaget. Återställ det först om du vill ändra det."))


def delete_company(
    company: Company, *, actor: User, expected_version: int | None = None, now: datetime | None = None
) -> Company:
    """Soft-delete: the company leaves lists and searches but its history stays (allmän handling)."""
    require(actor, Perm.EDIT_COMPANIES)
    require_live(company)
    check_version(company, expected_version)
    company.deleted_at = now or utcnow()
    summary = f"Företaget {company.name} borttaget"  # untranslated: audit trail
    audit.record(actor, "delete", "companies", company.id, summary=summary)
    db.session.flush()
    return company


def restore_company(company: Company, *, actor: User) -> Company:
    """Undo a soft delete."""
    require(actor, Perm.EDIT_COMPANIES)
    if company.deleted_at is None:
        return company
    company.deleted_at = None
    audit_update(actor, company, f"Företaget {company.name} återställt")  # untranslated: audit trail
    db.session.flush()
    return company


def reveal_orgnr(company: Company, *, actor: User, now: datetime | None = None) -> str:
    """The full number in written form ("121212-1212"); for a sole trader the view is audited."""
    require(actor, Perm.VIEW_COMPANIES)
    if not company.orgnr:
        return ""
    if not is_personal_orgnr(company):
        return orgnr_display(company)
    require(actor, Perm.VIEW_PERSONAL_IDS)
    audit.record(
        actor,
        "view",
        "companies",
        company.id,
        now=now,
        summary=f"Fullständigt personnummer visat för {company.name}",  # untranslated: audit trail
    )
    db.session.flush()
    return f"{company.orgnr[:6]}-{company.orgnr[6:]}"


def get_company(company_id: int) -> Company:
    company = db.session.get(Company, company_id)
    if company is None:
        raise NotFound(_("Företaget finns inte."))
    return company


# --------------------------------------------------------------------------- areas


@dataclass(frozen=True)
class AreaInput:
    name: str


def _validate_area(data: AreaInput, area: Area | None) -> str:
    name = " ".join(data.name.split())
    if not name:
        raise ValidationError(_("Ange områdets namn."), field="name")
    # A few dozen rows at most; compare casefolded in Python (SQLite's lower() is ASCII-only).
    clash = next(
        (a for a in db.session.scalars(sa.select(Area)) if normalise_name(a.name) == normalise_name(name)),
        None,
    )
    if clash is not None and clash is not area:
        raise Conflict(_("Det finns redan ett område med det namnet."), field="name")
    return name


def create_area(data: AreaInput, *, actor: User) -> Area:
    require(actor, Perm.MANAGE_CATALOGUES)
    name = _validate_area(data, None)
    last = db.session.scalar(sa.select(sa.func.max(Area.position))) or 0
    area = Area(name=name, position=last + 1)
    db.session.add(area)
    audit.record_create(actor, area, summary=f"Området {name} skapat")  # untranslated: audit trail
    return area


def rename_area(area: Area, data: AreaInput, *, actor: User, expected_version: int | None = None) -> Area:
    require(actor, Perm.MANAGE_CATALOGUES)
    check_version(area, expected_version)
    area.name = _validate_area(data, area)
    summary = f"Området har bytt namn till {area.name}"  # untranslated: audit trail
    audit.record_update(actor, area, summary=summary)
    db.session.flush()
    return area


def set_area_retired(area: Area, retired: bool, *, actor: User, now: datetime | None = None) -> Area:
    """Retire (not offered for new choices; companies keep it) or reinstate an area."""
    require(actor, Perm.MANAGE_CATALOGUES)
    summary = f"Området {area.name} {'avslutat' if retired else 'återaktiverat'}"  # untranslated: audit trail
    set_retired(area, retired, actor=actor, now=now, summary=summary)
    return area
