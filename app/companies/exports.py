"""Export of the company list (current filter) to CSV and XLSX.

Cells go through app.core.spreadsheet (formula injection neutralised; CSV is UTF-8 with BOM
and semicolons for Swedish Excel). A sole trader's personnummer is always masked here: an
export leaves the system, so no export carries a full personnummer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.companies.models import COMPANY_STATUSES, SIZE_CLASSES, Company
from app.companies.queries import CompanyFilter, export_companies
from app.companies.services import orgnr_display
from app.companies.sni import sni_label
from app.core.time import to_local

HEADERS = [
    "Namn",
    "Organisationsnummer",
    "Juridisk form",
    "SNI-kod",
    "SNI-version",
    "Bransch",
    "Storleksklass",
    "Besöksadress",
    "Postadress",
    "Postnummer",
    "Ort",
    "Område",
    "Webbplats",
    "Telefon",
    "E-post",
    "Status",
    "Ansvarig",
    "Nyckelföretag",
    "Kontaktintervall (mån)",
    "Taggar",
    "Senaste kontakt",
    "Anteckningar",
]


def company_row(company: Company) -> list[Any]:
    return [
        company.name,
        orgnr_display(company),
        company.legal_form,
        company.sni_code or "",
        f"SNI {company.sni_version}" if company.sni_version else "",
        sni_label(company.sni_version, company.sni_code) if company.sni_code and company.sni_version else "",
        SIZE_CLASSES.get(company.size_class, company.size_class),
        company.visiting_address,
        company.postal_address,
        company.postcode,
        company.city,
        company.area.name if company.area else "",
        company.website,
        company.phone,
        company.email,
        str(COMPANY_STATUSES.get(company.status, company.status)),
        company.responsible.name if company.responsible else "",
        company.is_key_company,
        company.contact_cadence_months,
        ", ".join(t.name for t in company.tags),
        to_local(company.last_contact_at).date() if company.last_contact_at else None,
        company.notes,
    ]


def export_rows(filters: CompanyFilter) -> Iterator[list[Any]]:
    for company in export_companies(filters):
        yield company_row(company)
