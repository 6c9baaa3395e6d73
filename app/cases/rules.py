"""What every part of a lots case shares (the case itself, permit rows, actions, meetings, the
survey): who may read and change a case, the rule that a closed case is not changed, the
case's history entry and the checks on users and dates.

* Restriction ("kan innehålla uppgifter som omfattas av sekretess"), as for contacts: a
  restricted case shows its title, description and history only to its responsible lots, its
  participants and roles with Perm.VIEW_RESTRICTED (app.core.restriction).
* Every change writes a CaseEvent: the case's history and, through the case, the company's
  timeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app.auth.models import User
from app.cases.models import CaseEvent, LotsCase
from app.core import restriction
from app.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.core.permissions import Perm, can, require
from app.extensions import db

RESTRICTED_TITLE = restriction.neutral("case")


def can_read(actor: User | None, case: LotsCase) -> bool:
    """May `actor` open the case and see its content (title, description, history, permits,
    meetings)? VIEW_CASES, and the one rule for restricted records (app.core.restriction)."""
    return can(actor, Perm.VIEW_CASES) and restriction.may_read(actor, "case", case)


def can_edit(actor: User | None, case: LotsCase) -> bool:
    return can(actor, Perm.EDIT_CASES) and can_read(actor, case)


def require_edit(actor: User, case: LotsCase) -> None:
    require(actor, Perm.EDIT_CASES)
    if not can_read(actor, case):
        raise PermissionDenied(_("Ärendet har begränsad åtkomst och kan bara ändras av dess deltagare."))


def require_open(case: LotsCase) -> None:
    if not case.is_open:
        raise Conflict(_("Ärendet är avslutat. Öppna det igen för att ändra det."))


def case_of(case_id: int) -> LotsCase:
    case = db.session.get(LotsCase, case_id)
    if case is None:
        raise NotFound(_("Ärendet finns inte."))
    return case


def active_users(ids: Sequence[int], existing: Sequence[User] = ()) -> list[User]:
    """Active users (from any department); ones already on the record may stay if deactivated."""
    if not ids:
        return []
    kept = {u.id for u in existing}
    users = list(db.session.scalars(sa.select(User).where(User.id.in_(set(ids)))))
    if len(users) != len(set(ids)) or any(not u.is_active and u.id not in kept for u in users):
        raise ValidationError(_("Välj aktiva användare som deltagare."), field="participant_ids")
    return sorted(users, key=lambda u: u.name)


def past_or_today(value: date | None, today: date, field_name: str, message: str) -> None:
    """Raise ValidationError(`message`) on `field_name` for a date after `today`."""
    if value is not None and value > today:
        raise ValidationError(message, field=field_name)


def record_event(
    case: LotsCase,
    kind: str,
    *,
    actor: User | None,
    now: datetime,
    text: str = "",
    from_status: str | None = None,
    to_status: str | None = None,
    outcome: str | None = None,
) -> CaseEvent:
    """An entry on the case's history (kinds: models.EVENT_KINDS)."""
    event = CaseEvent(
        case_id=case.id,
        at=now,
        kind=kind,
        actor_id=actor.id if actor else None,
        from_status=from_status,
        to_status=to_status,
        outcome=outcome,
        text=text,
    )
    db.session.add(event)
    return event
