"""Export of the contact list (current filter) to CSV and XLSX.

Cells go through app.core.spreadsheet (formula injection neutralised; CSV is UTF-8 with BOM
and semicolons for Swedish Excel), like the company export. Two extra safety rules:
* the organisationsnummer is shown as app.companies.services.orgnr_display shows it, so a sole
  trader's personnummer is masked;
* a restricted contact is exported without subject and notes ("Kontakt med begränsad
  åtkomst"), whoever exports: an export is a compilation that leaves the system, so its
  content needs a secrecy assessment first, which happens by opening the contact (audited).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.companies.services import orgnr_display
from app.core.time import to_local
from app.interactions.models import Interaction
from app.interactions.queries import ContactFilter, export_contacts
from app.interactions.services import RESTRICTED_TITLE

HEADERS = [
    "Datum", "Tid", "Typ", "Företag", "Organisationsnummer", "Ämne", "Anteckningar",
    "Fokusområde", "Övriga fokusområden", "Företaget tog kontakt via", "Längd (min)",
    "Loggad av", "Deltagare", "Tillståndstyper", "Hänvisad till", "Begränsad åtkomst",
]


def contact_row(it: Interaction) -> list[Any]:
    local = to_local(it.occurred_at)
    return [
        local.date(),
        local.strftime("%H:%M"),
        it.kind_label,
        it.company.name,
        orgnr_display(it.company),
        RESTRICTED_TITLE if it.is_restricted else it.subject,
        "" if it.is_restricted else it.notes,
        it.focus_area.name,
        ", ".join(a.name for a in it.other_focus_areas),
        it.channel_label,
        it.duration_minutes,
        it.author.name,
        ", ".join(u.name for u in it.participants),
        ", ".join(g.permit_type.name for g in it.permit_guidance),
        ", ".join(r.partner.name for r in it.referrals),
        "Ja" if it.is_restricted else "Nej",
    ]


def export_rows(flt: ContactFilter) -> Iterator[list[Any]]:
    for interaction in export_contacts(flt):
        yield contact_row(interaction)
