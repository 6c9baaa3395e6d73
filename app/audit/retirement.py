"""Retire and reinstate a catalogue entry (focus area, area, permit type, partner, case type).

One idempotent shape for every catalogue: retiring a retired entry, or reinstating one in use,
changes nothing and writes no second audit row – so a double submit cannot flip an entry back.
The feature's service checks the permission and words the summary (in Swedish: it is a record).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from app.audit.services import record_update
from app.core.time import utcnow
from app.extensions import db


class Retirable(Protocol):
    retired_at: datetime | None


def set_retired(
    entry: Retirable, retired: bool, *, actor: Any, summary: str, now: datetime | None = None
) -> bool:
    """Retire (`retired_at` = now) or reinstate (None) `entry`; audit and flush only if that
    changes it. Returns whether it changed."""
    if (entry.retired_at is not None) == retired:
        return False
    entry.retired_at = (now or utcnow()) if retired else None
    record_update(actor, entry, summary=summary)
    db.session.flush()
    return True
