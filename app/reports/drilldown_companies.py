"""The companies behind "Företag som fått kontakt" (headline and per focus area): one row per
company with its number of contacts in the scope and its last contact, most contacted first.

The companies are those of the SAME counted contacts as the figure
(app.interactions.report_queries.counted_contacts: the period, the focus area – primary or
additional – and the user), grouped by company. The restriction rule (app.core.restriction):
the figure counts every contact, but the list only uses the contacts the viewer may read, so a
company reached only through restricted contacts the viewer may not read is not listed (and
the list says so). Registered in app.reports.drilldown.SPECS as "companies.reached".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.companies.models import Company
from app.core import restriction
from app.core.time import to_local
from app.interactions.models import Interaction
from app.interactions.report_queries import counted_contacts
from app.reports.base import Scope
from app.reports.drilldown_lists import Column, Row, url_or_none

KEY = "companies.reached"
TITLE = _l("Företag som fått kontakt")
NOTE = _l(
    "Kontakter med begränsad åtkomst som du inte får läsa räknas inte här, och ett företag som "
    "bara har sådana kontakter under perioden visas inte (men räknas i rapporten)."
)


def companies(scope: Scope, now: datetime, _arg: str) -> tuple[sa.Select, list[Column]]:
    contacts = counted_contacts(scope).with_only_columns(Interaction.id, Interaction.company_id).subquery()
    n = sa.func.count(contacts.c.id)
    stmt = (
        sa.select(Company.id, Company.name, n.label("contacts"), sa.func.max(Interaction.occurred_at))
        .select_from(contacts)
        .join(Interaction, Interaction.id == contacts.c.id)
        .join(Company, Company.id == contacts.c.company_id)
        .group_by(Company.id, Company.name)
        .order_by(n.desc(), Company.name, Company.id)
    )
    columns = [
        Column(_("Företag")),
        Column(_("Kontakter under perioden"), numeric=True),
        Column(_("Senaste kontakt")),
    ]
    return stmt, columns


def unreadable_left_out(viewer: User, _arg: str) -> sa.ColumnElement[bool]:
    """Only the contacts the viewer may read (true for a reader who sees everything)."""
    return restriction.readable_clause(viewer, "interaction")


def company_rows(rows: list[Any], viewer: User) -> list[Row]:
    return [
        Row(
            [name, contacts, to_local(last).date() if last else ""],
            url_or_none("companies.detail", company_id=cid),
        )
        for cid, name, contacts, last in rows
    ]
