"""Export of the contact list (current filter) to CSV and XLSX.

Cells go through app.core.spreadsheet (formula injection neutralised; CSV is UTF-8 with BOM
and semicolons for Swedish Excel), like the company export. Two extra safety rules:
* the organisationsnummer is shown as app.companies.services.orgnr_display shows it, so a sole
  trader's personnummer is masked;
* a restricted contact is exported as it exists and nothing more, whoever exports: subject
  "Kontakt med begränsad åtkomst", no notes, participants, permit types or partners (an export
  leaves the system like an e-mail, so it is judged as read by nobody – app.core.restriction;
  the content is read by opening the contact, which is audited);
* the list's filters on content (permit type, partner, participant, "only restricted") never
  match a restricted contact the exporter may not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.companies.services import orgnr_display
from app.core.time import to_local
from app.interactions.queries import ContactFilter, export_contacts, shown_contacts

HEADERS = [
    _l("Datum"),
    _l("Tid"),
    _l("Typ"),
    _l("Företag"),
    _l("Organisationsnummer"),
    _l("Ämne"),
    _l("Anteckningar"),
    _l("Fokusområde"),
    _l("Övriga fokusområden"),
    _l("Företaget tog kontakt via"),
    _l("Längd (min)"),
    _l("Loggad av"),
    _l("Deltagare"),
    _l("Tillståndstyper"),
    _l("Hänvisad till"),
    _l("Begränsad åtkomst"),
]


def headers() -> list[str]:
    """The header row in the user's language (plain strings for the spreadsheet writer)."""
    return [str(h) for h in HEADERS]


def contact_row(it: Any) -> list[Any]:
    """One row; `it` is a contact as the export may show it (masked if restricted)."""
    local = to_local(it.occurred_at)
    masked = getattr(it, "masked", False)
    return [
        local.date(),
        local.strftime("%H:%M"),
        str(it.kind_label),
        it.company.name,
        orgnr_display(it.company),
        it.subject,
        it.notes,
        it.focus_area.name,
        ", ".join(a.name for a in it.other_focus_areas),
        "" if masked else str(it.channel_label),
        it.duration_minutes,
        it.author.name,
        "" if masked else ", ".join(u.name for u in it.participants),
        "" if masked else ", ".join(g.permit_type.name for g in it.permit_guidance),
        "" if masked else ", ".join(r.partner.name for r in it.referrals),
        _("Ja") if it.is_restricted else _("Nej"),
    ]


def export_rows(flt: ContactFilter, *, reader: Any, chunk: int = 500) -> Iterator[list[Any]]:
    """The rows of the contacts matching `flt` as `reader` may filter them; restricted ones
    judged as read by nobody (one query per chunk)."""
    batch: list[Any] = []
    for interaction in export_contacts(flt, reader=reader):
        batch.append(interaction)
        if len(batch) >= chunk:
            yield from (contact_row(it) for it in shown_contacts(None, batch))
            batch = []
    yield from (contact_row(it) for it in shown_contacts(None, batch))
