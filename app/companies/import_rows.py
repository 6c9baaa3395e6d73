"""The rows of a company import: each row validated (Swedish messages per row) and matched
against the register and earlier rows of the file (same organisationsnummer, or same
normalised name and postcode). Used by the preview and again by `importer.run_import`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from app.companies import contact_persons, fields, queries, services
from app.companies.models import ACTIVE, ESTABLISHING, SIZE_CLASSES, WOUND_UP, Company, ImportBatch
from app.companies.names import normalise_name
from app.companies.orgnr import OrgnrError, parse_orgnr
from app.companies.sni import SNI_VERSIONS, get_sni, normalise_sni_code
from app.core.errors import ValidationError

# The words a file may hold (Swedish words matched against the file, and the stored codes) → the code.
_STATUS_WORDS = {
    "aktiv": ACTIVE,
    "aktivt": ACTIVE,
    "etablering": ESTABLISHING,
    "prospekt": ESTABLISHING,
    "etablering/prospekt": ESTABLISHING,
    "avvecklad": WOUND_UP,
    "avvecklat": WOUND_UP,
    "nedlagd": WOUND_UP,
    ACTIVE: ACTIVE,
    ESTABLISHING: ESTABLISHING,
    WOUND_UP: WOUND_UP,
}


@dataclass
class RowResult:
    number: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    match: Company | None = None
    match_reason: str = ""
    company_input: services.CompanyInput | None = None
    contact_person_input: contact_persons.ContactPersonInput | None = None

    @property
    def allowed_actions(self) -> list[str]:
        if self.errors:
            return ["skip"]
        if self.match is None:
            return ["create", "skip"]
        if self.match_reason == "orgnr":
            return ["update", "skip"]
        return ["update", "create", "skip"]

    @property
    def default_action(self) -> str:
        if self.errors or self.match is not None:
            return "skip"
        return "create"

    @property
    def name(self) -> str:
        return self.values.get("name", "")


@dataclass
class Analysis:
    rows: list[RowResult]

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors)

    @property
    def duplicate_count(self) -> int:
        return sum(1 for r in self.rows if r.match is not None)


def _row_values(batch: ImportBatch, cells: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for index, field_name in (batch.mapping or {}).items():
        i = int(index)
        values[field_name] = cells[i].strip() if i < len(cells) else ""
    return values


def analyse(batch: ImportBatch) -> Analysis:
    """Validate every row of a batch and match it against the register and earlier rows."""
    areas = {normalise_name(a.name): a for a in import_areas()}
    mapped = set((batch.mapping or {}).values())
    results: list[RowResult] = []
    seen_orgnr: dict[str, int] = {}
    seen_name: dict[tuple[str, str], int] = {}
    for number, cells in batch.rows or []:
        result = RowResult(number=number, values=_row_values(batch, cells))
        _validate_row(result, areas, mapped)
        if not result.errors and result.company_input is not None:
            _match(result, seen_orgnr, seen_name)
        results.append(result)
    return Analysis(results)


def import_areas():
    """The areas a row's "Område" may name (retired ones included: the row is then refused)."""
    return queries.areas()


def _validate_row(result: RowResult, areas: dict[str, Any], mapped: set[str]) -> None:
    v = result.values
    errors = result.errors
    name = " ".join(v.get("name", "").split())
    if "name" not in mapped:
        errors.append(_("Ingen kolumn är kopplad till Namn."))
    elif not name:
        errors.append(_("Namn saknas."))
    orgnr = ""
    if v.get("orgnr"):
        try:
            parsed = parse_orgnr(v["orgnr"])
            orgnr = parsed.number
        except OrgnrError as exc:
            errors.append(_("Ogiltigt organisationsnummer: %(error)s", error=exc))
    if v.get("email"):
        try:
            fields.check_email(v["email"])
        except ValidationError:
            errors.append(_("E-postadressen ”%(email)s” är felaktig.", email=v["email"]))
    if v.get("contact_email"):
        try:
            fields.check_email(v["contact_email"])
        except ValidationError:
            errors.append(
                _("Kontaktpersonens e-postadress ”%(email)s” är felaktig.", email=v["contact_email"])
            )
    sni_code = normalise_sni_code(v.get("sni_code", ""))
    sni_version = (v.get("sni_version") or "2007").strip()
    if sni_code:
        if sni_version not in SNI_VERSIONS:
            errors.append(_("Okänd SNI-version ”%(version)s” (ange 2007 eller 2025).", version=sni_version))
        elif get_sni(sni_version, sni_code) is None:
            errors.append(
                _("SNI-koden %(code)s finns inte i SNI %(version)s.", code=sni_code, version=sni_version)
            )
    status = ACTIVE
    if v.get("status"):
        status = _STATUS_WORDS.get(v["status"].strip().casefold(), "")
        if not status:
            errors.append(
                _("Okänd status ”%(status)s” (aktiv, etablering eller avvecklad).", status=v["status"])
            )
    size = v.get("size_class", "").replace("–", "-").replace(" ", "")
    if size and size not in SIZE_CLASSES:
        errors.append(_("Okänd storleksklass ”%(size)s”.", size=v["size_class"]))
    area_id = None
    if v.get("area"):
        area = areas.get(normalise_name(v["area"]))
        if area is None:
            errors.append(_("Området ”%(area)s” finns inte i listan över områden.", area=v["area"]))
        else:
            area_id = area.id
    postcode = services.normalise_postcode(v.get("postcode", ""))
    if postcode and not re.fullmatch(r"\d{3} \d{2}", postcode):
        errors.append(_("Postnumret ”%(postcode)s” ska ha fem siffror.", postcode=v["postcode"]))
    if len(name) > 200:
        errors.append(_("Namnet är längre än 200 tecken."))
    if (
        v.get("contact_name") is not None
        and not v.get("contact_name")
        and any(v.get(k) for k in ("contact_title", "contact_phone", "contact_email"))
    ):
        errors.append(_("Kontaktpersonens namn saknas."))
    if errors:
        return
    result.company_input = services.CompanyInput(
        name=name,
        orgnr=orgnr,
        legal_form=v.get("legal_form", ""),
        sni_code=sni_code,
        sni_version=sni_version if sni_code else "2007",
        size_class=size,
        visiting_address=v.get("visiting_address", ""),
        postal_address=v.get("postal_address", ""),
        postcode=postcode,
        city=v.get("city", ""),
        area_id=area_id,
        website=v.get("website", ""),
        phone=v.get("phone", ""),
        email=v.get("email", ""),
        status=status,
        notes=v.get("notes", ""),
        tags=tuple(t.strip() for t in re.split(r"[,;]", v.get("tags", "")) if t.strip()),
    )
    if v.get("contact_name"):
        result.contact_person_input = contact_persons.ContactPersonInput(
            name=v["contact_name"],
            title=v.get("contact_title", ""),
            phone=v.get("contact_phone", ""),
            email=v.get("contact_email", ""),
        )


def _match(result: RowResult, seen_orgnr: dict[str, int], seen_name: dict[tuple[str, str], int]) -> None:
    from app.companies.queries import find_companies_by_name_postcode, find_company_by_orgnr

    data = result.company_input
    name_key = (normalise_name(data.name), data.postcode)
    if data.orgnr and data.orgnr in seen_orgnr:
        result.errors.append(
            _("Samma organisationsnummer som rad %(row)s i filen.", row=seen_orgnr[data.orgnr])
        )
        return
    if data.postcode and name_key in seen_name:
        result.errors.append(_("Samma namn och postnummer som rad %(row)s i filen.", row=seen_name[name_key]))
        return
    if data.orgnr:
        seen_orgnr[data.orgnr] = result.number
    if data.postcode:
        seen_name[name_key] = result.number
    if data.orgnr:
        existing = find_company_by_orgnr(data.orgnr)
        if existing is not None:
            if not existing.is_live:
                result.errors.append(
                    _(
                        "Organisationsnumret finns redan på ett borttaget eller sammanslaget företag (%(name)s).",
                        name=existing.name,
                    )
                )
                return
            result.match, result.match_reason = existing, "orgnr"
            return
    if data.postcode:
        same = find_companies_by_name_postcode(*name_key)
        if same:
            result.match, result.match_reason = same[0], "namn"
