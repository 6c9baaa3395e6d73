"""Indexes the report queries need on other features' tables. Declared (and migrated, in
0007_reports) here, by the feature whose queries use them.

ix_interactions_reports covers every column the contact figures read, so counting a period's
contacts is an index-only range scan (measured on SQLite with 1 000 000 contacts: one month's
figures with the year-earlier comparison in about 0.6 s instead of 1.5 s; see
docs/ARCHITECTURE.md "Rapporter").
"""

from __future__ import annotations

import sqlalchemy as sa

from app.interactions.models import Interaction

_c = Interaction.__table__.c

sa.Index(
    "ix_interactions_reports",
    _c.occurred_at,
    _c.deleted_at,
    _c.kind,
    _c.focus_area_id,
    _c.company_id,
    _c.author_id,
)
