"""Importing companies from CSV/XLSX: upload → preview → confirm, with an import log and undo.

Flow and guarantees:

1. `start_import` parses the upload (app.core.spreadsheet.read_table: UTF-8 with/without BOM,
   Windows-1252, `;`/`,`/tab, XLSX) and stores the parsed rows in an ImportBatch with status
   "preview", together with a guessed column mapping. No company is written.
2. `import_rows.analyse` validates every row (Swedish messages per row) and looks for duplicates: the same
   organisationsnummer, or the same normalised name and postcode, in the register or earlier in
   the file. The preview screen shows this and offers create / update / skip per row.
3. `run_import` re-analyses against the current register (it may have changed since the
   preview) and applies the chosen actions. Any row that is chosen for import but invalid raises
   ValidationError – the caller rolls back, so the whole import commits or nothing does.
   Each created/updated company gets an ImportRow with its before-values, and the parsed rows
   are dropped from the batch (they may hold personal data we no longer need).
4. `undo_import` (app.companies.import_undo) removes the companies the import created and
   restores updated ones from their before-values, but refuses (Conflict, in Swedish) if any of
   them changed after the import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import IO, Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.audit import services as audit
from app.auth.models import User
from app.companies import contact_persons, import_rows, services, tags
from app.companies.models import (
    ACTIVE,
    Company,
    ContactPerson,
    ImportBatch,
    ImportRow,
)
from app.core.errors import Conflict, DomainError, ValidationError
from app.core.permissions import Perm, require
from app.core.spreadsheet import SpreadsheetError, read_table
from app.core.time import utcnow
from app.extensions import db

MAX_ROWS = 20_000

#: Import fields, in the mapping screen's order: key → label.
FIELD_LABELS: dict[str, Any] = {
    "name": _l("Namn"),
    "orgnr": _l("Organisationsnummer"),
    "legal_form": _l("Juridisk form"),
    "sni_code": _l("SNI-kod"),
    "sni_version": _l("SNI-version"),
    "size_class": _l("Storleksklass"),
    "visiting_address": _l("Besöksadress"),
    "postal_address": _l("Postadress"),
    "postcode": _l("Postnummer"),
    "city": _l("Ort"),
    "area": _l("Område"),
    "website": _l("Webbplats"),
    "phone": _l("Telefon"),
    "email": _l("E-post"),
    "status": _l("Status"),
    "tags": _l("Taggar"),
    "notes": _l("Anteckningar"),
    "contact_name": _l("Kontaktperson: namn"),
    "contact_title": _l("Kontaktperson: roll"),
    "contact_phone": _l("Kontaktperson: telefon"),
    "contact_email": _l("Kontaktperson: e-post"),
}

#: The header words that map a file's column to a field automatically: data matched against
#: the uploaded file (Swedish whatever the interface language). Each field's Swedish label is
#: among them (the last words), so a file with our own column names maps itself.
_HEADER_WORDS: dict[str, str] = {
    "name": "namn företagsnamn foretagsnamn företag foretag name firma firmanamn bolag",  # untranslated: header words matched in the file
    "orgnr": "organisationsnummer orgnr orgnummer organisationsnr org personnummer",
    "legal_form": "juridiskform bolagsform företagsform form",  # untranslated: header words matched in the file
    "sni_code": "sni snikod sni2007 sni2025 branschkod näringsgren",  # untranslated: header words matched in the file
    "sni_version": "sniversion version",
    "size_class": "storleksklass storlek anställda antalanställda storleksklassanställda",  # untranslated: header words matched in the file
    "visiting_address": "besöksadress adress gatuadress besoksadress",  # untranslated: header words matched in the file
    "postal_address": "postadress utdelningsadress box",
    "postcode": "postnummer postnr postnr.",
    "city": "ort postort stad",
    "area": "område omrade stadsdel",  # untranslated: header words matched in the file
    "website": "webbplats webb hemsida webbadress url www",
    "phone": "telefon tel telefonnummer växel",  # untranslated: header words matched in the file
    "email": "epost email mejl mail epostadress",
    "status": "status",
    "tags": "taggar tagg etiketter",
    "notes": "anteckningar anteckning kommentar noteringar övrigt",  # untranslated: header words matched in the file
    "contact_name": "kontaktperson kontakt kontaktnamn kontaktpersonnamn",
    "contact_title": "roll titel befattning kontaktpersonroll",
    "contact_phone": "kontakttelefon mobil mobiltelefon kontaktpersontelefon",
    "contact_email": "kontaktepost kontaktemail kontaktmejl kontaktpersonepost",
}

#: key → (label, header words); the screens list both.
FIELDS: dict[str, tuple[Any, tuple[str, ...]]] = {
    key: (label, tuple(_HEADER_WORDS[key].split())) for key, label in FIELD_LABELS.items()
}

ACTIONS = {"create": _l("Skapa nytt"), "update": _l("Uppdatera befintligt"), "skip": _l("Hoppa över")}


def _header_key(header: str) -> str:
    return re.sub(r"[^0-9a-zåäöéü]", "", header.casefold())  # untranslated: a regex


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """{column index as str: field} from header words; unknown columns are left out."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        key = _header_key(header)
        for field_name, (_label, words) in FIELDS.items():
            if field_name in used:
                continue
            if key in {_header_key(w) for w in words}:
                mapping[str(index)] = field_name
                used.add(field_name)
                break
    return mapping


# --------------------------------------------------------------------------- upload


def start_import(
    data: bytes | IO[bytes], filename: str, *, actor: User | None, system: bool = False
) -> ImportBatch:
    """Parse an upload (its bytes, or better its binary stream: read row by row, stopping at
    MAX_ROWS) into an ImportBatch in status "preview". Raises ValidationError (Swedish)."""
    if not system:
        require(actor, Perm.IMPORT_COMPANIES)
    try:
        table = read_table(data, filename, max_rows=MAX_ROWS)
    except SpreadsheetError as exc:
        raise ValidationError(str(exc), field="file") from exc
    if not table.rows:
        raise ValidationError(_("Filen har rubriker men inga rader med företag."), field="file")
    batch = ImportBatch(
        created_by_id=getattr(actor, "id", None),
        filename=(filename or "import")[-255:],
        status="preview",
        headers=table.headers,
        rows=[[number, row] for number, row in zip(table.row_numbers, table.rows, strict=True)],
        mapping=guess_mapping(table.headers),
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def set_mapping(batch: ImportBatch, mapping: dict[str, str], *, actor: User) -> ImportBatch:
    """Change which file column feeds which field (preview only). Each field at most once."""
    require(actor, Perm.IMPORT_COMPANIES)
    _require_preview(batch)
    clean: dict[str, str] = {}
    seen: dict[str, str] = {}
    for index, field_name in mapping.items():
        if not field_name:
            continue
        if field_name not in FIELDS or not index.isdigit() or int(index) >= len(batch.headers):
            raise ValidationError(_("Ogiltig kolumnkoppling."))
        if field_name in seen:
            raise ValidationError(
                _(
                    "Fältet %(field)s är kopplat till två kolumner (%(first)s och %(second)s). Välj en.",
                    field=FIELDS[field_name][0],
                    first=batch.headers[int(seen[field_name])],
                    second=batch.headers[int(index)],
                )
            )
        seen[field_name] = index
        clean[index] = field_name
    batch.mapping = clean
    db.session.flush()
    return batch


def cancel_import(batch: ImportBatch, *, actor: User) -> None:
    require(actor, Perm.IMPORT_COMPANIES)
    _require_preview(batch)
    batch.status = "cancelled"
    batch.rows = None
    db.session.flush()


def _require_preview(batch: ImportBatch) -> None:
    if batch.status != "preview":
        raise Conflict(_("Importen är redan genomförd eller avbruten."))


# --------------------------------------------------------------------------- running


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: int = 0


#: The company columns whose before-values an update records (ImportRow.before), so that
#: app.companies.import_undo can restore them.
RESTORABLE = (
    "name",
    "name_norm",
    "sort_name",
    "orgnr",
    "orgnr_kind",
    "legal_form",
    "sni_code",
    "sni_version",
    "size_class",
    "visiting_address",
    "postal_address",
    "postcode",
    "city",
    "area_id",
    "website",
    "phone",
    "email",
    "status",
    "notes",
)


def _merged_input(company: Company, new: services.CompanyInput) -> services.CompanyInput:
    """The company's current facts, overwritten by every non-blank value from the file."""
    # The stored number is kept as it is (keep_orgnr) unless the file gives one.
    current = services.company_input_from(company)
    changes: dict[str, Any] = {}
    for name in (
        "name",
        "orgnr",
        "legal_form",
        "size_class",
        "visiting_address",
        "postal_address",
        "postcode",
        "city",
        "website",
        "phone",
        "email",
        "notes",
    ):
        value = getattr(new, name)
        if value:
            changes[name] = value
    if new.sni_code:
        changes["sni_code"], changes["sni_version"] = new.sni_code, new.sni_version
    if new.area_id is not None:
        changes["area_id"] = new.area_id
    # A blank status cell reads as "aktiv", so only another status is news from the file: an
    # import never revives a company someone marked as closed.
    if new.status != ACTIVE:
        changes["status"] = new.status
    if new.tags:
        changes["tags"] = tuple(dict.fromkeys([*current.tags, *new.tags]))
    return replace(current, **changes)


def run_import(
    batch: ImportBatch,
    actions: dict[int, str],
    *,
    actor: User | None,
    system: bool = False,
    now: datetime | None = None,
) -> ImportCounts:
    """Apply the chosen action per row number (missing → the row's default). All or nothing:
    raises ValidationError naming the row if a row chosen for import is invalid; the caller
    must roll back then."""
    if not system:
        require(actor, Perm.IMPORT_COMPANIES)
    _require_preview(batch)
    now = now or utcnow()
    analysis = import_rows.analyse(batch)
    counts = ImportCounts(errors=analysis.error_count)
    for row in analysis.rows:
        action = actions.get(row.number, row.default_action)
        if action not in ACTIONS:
            raise ValidationError(
                _("Rad %(number)s: okänt val ”%(action)s”.", number=row.number, action=action)
            )
        if action == "skip":
            counts.skipped += 1
            continue
        if action not in row.allowed_actions:
            problem = (
                "; ".join(row.errors)
                if row.errors
                else _("%(action)s går inte för raden.", action=ACTIONS[action])
            )
            raise ValidationError(_row_refused(row, problem))
        try:
            if action == "create":
                _create_row(batch, row, actor, system)
                counts.created += 1
            else:
                _update_row(batch, row, actor, system)
                counts.updated += 1
        except DomainError as exc:
            raise ValidationError(_row_refused(row, exc.message)) from exc
    batch.status = "done"
    batch.confirmed_at = now
    batch.created_count, batch.updated_count = counts.created, counts.updated
    batch.skipped_count, batch.error_count = counts.skipped, counts.errors
    batch.rows = None  # the parsed file is no longer needed (and may hold personal data)
    audit.record(
        actor,
        "import",
        "import_batches",
        batch.id,
        now=now,
        summary=f"Import av {batch.filename}: {counts.created} nya, {counts.updated} uppdaterade, "  # untranslated: audit trail
        f"{counts.skipped} överhoppade",  # untranslated: audit trail
    )
    db.session.flush()
    return counts


def _row_refused(row: import_rows.RowResult, problem: str) -> str:
    return _(
        "Rad %(number)s (%(name)s): %(problem)s Inget har importerats.",
        number=row.number,
        name=row.name or _("utan namn"),
        problem=problem,
    )


def _create_row(batch: ImportBatch, row: import_rows.RowResult, actor: User | None, system: bool) -> None:
    company = services.create_company(
        row.company_input,
        actor=actor,
        system=system,
        summary=f"Företaget {row.company_input.name} importerat ({batch.filename}, rad {row.number})",  # untranslated: audit trail
    )
    contact_ids = []
    if row.contact_person_input is not None:
        person = contact_persons.add_contact_person(
            company, row.contact_person_input, actor=actor, system=True
        )
        contact_ids.append(person.id)
    db.session.flush()
    db.session.add(
        ImportRow(
            batch_id=batch.id,
            row_number=row.number,
            action="created",
            company_id=company.id,
            before={"contact_ids": contact_ids},
            version_after=company.version,
        )
    )


def _update_row(batch: ImportBatch, row: import_rows.RowResult, actor: User | None, system: bool) -> None:
    company = row.match
    before: dict[str, Any] = {name: _jsonable(getattr(company, name)) for name in RESTORABLE}
    before["tags"] = tags.tag_names(company.id)
    services.update_company(
        company,
        _merged_input(company, row.company_input),
        actor=actor,
        system=system,
        summary=f"Företaget {company.name} uppdaterat av import ({batch.filename}, rad {row.number})",  # untranslated: audit trail
    )
    contact_ids = []
    if row.contact_person_input is not None:
        norm = services.normalise_name(row.contact_person_input.name)
        exists = db.session.scalar(
            sa.select(ContactPerson.id).where(
                ContactPerson.company_id == company.id, ContactPerson.name_norm == norm
            )
        )
        if exists is None:
            person = contact_persons.add_contact_person(
                company, row.contact_person_input, actor=actor, system=True
            )
            contact_ids.append(person.id)
    before["contact_ids"] = contact_ids
    db.session.flush()
    db.session.add(
        ImportRow(
            batch_id=batch.id,
            row_number=row.number,
            action="updated",
            company_id=company.id,
            before=before,
            version_after=company.version,
        )
    )


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
