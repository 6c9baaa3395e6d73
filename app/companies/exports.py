"""Export of the company list (current filter) to CSV and XLSX.

Cells go through app.core.spreadsheet (formula injection neutralised; CSV is UTF-8 with BOM
and semicolons for Swedish Excel). A sole trader's personnummer is always masked here: an
export leaves the system, so no export carries a full personnummer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask_babel import lazy_gettext as _l

from app.companies.models import COMPANY_STATUSES, SIZE_CLASSES, Company
from app.companies.queries import CompanyFilter, export_companies
from app.companies.services import orgnr_display
from app.companies.sni import sni_label
from app.core.time import to_local

#: The column headers (lazy: `str()` each before it goes into a file).
HEADERS = [
    _l("Namn"),
    _l("Organisationsnummer"),
    _l("Juridisk form"),
    _l("SNI-kod"),
    _l("SNI-version"),
    _l("Bransch"),
    _l("Storleksklass"),
    _l("Besöksadress"),
    _l("Postadress"),
    _l("Postnummer"),
    _l("Ort"),
    _l("Område"),
    _l("Webbplats"),
    _l("Telefon"),
    _l("E-post"),
    _l("Status"),
    _l("Ansvarig"),
    _l("Nyckelföretag"),
    _l("Kontaktintervall (mån)"),
    _l("Taggar"),
    _l("Senaste kontakt"),
    _l("Anteckningar"),
]


def company_row(company: Company) -> list[Any]:
    return [
        company.name,
        orgnr_display(company),
        company.legal_form,
        company.sni_code or "",
        f"SNI {company.sni_version}" if company.sni_version else "",
        sni_label(company.sni_version, company.sni_code) if company.sni_code and company.sni_version else "",
        str(SIZE_CLASSES.get(company.size_class, company.size_class)),
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
