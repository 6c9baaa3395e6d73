"""Reading the permit-type and referral-partner catalogues and the closed days."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from app.catalogues.models import ClosedDay, PermitType, ReferralPartner
from app.core.errors import NotFound
from app.extensions import db


def list_permit_types(*, include_retired: bool = True) -> list[PermitType]:
    """Permit types in catalogue order; retired last when included."""
    stmt = sa.select(PermitType).order_by(
        PermitType.retired_at.is_not(None), PermitType.position, PermitType.id
    )
    if not include_retired:
        stmt = stmt.where(PermitType.retired_at.is_(None))
    return list(db.session.scalars(stmt))


def get_permit_type_or_404(permit_type_id: int) -> PermitType:
    permit = db.session.get(PermitType, permit_type_id)
    if permit is None:
        raise NotFound(_("Tillståndstypen finns inte."))
    return permit


def get_permit_type_by_code(code: str) -> PermitType | None:
    return db.session.scalar(sa.select(PermitType).where(PermitType.code == code))


def list_partners(*, include_retired: bool = True) -> list[ReferralPartner]:
    """Referral partners in catalogue order; retired last when included."""
    stmt = sa.select(ReferralPartner).order_by(
        ReferralPartner.retired_at.is_not(None), ReferralPartner.position, ReferralPartner.id
    )
    if not include_retired:
        stmt = stmt.where(ReferralPartner.retired_at.is_(None))
    return list(db.session.scalars(stmt))


def get_partner_or_404(partner_id: int) -> ReferralPartner:
    partner = db.session.get(ReferralPartner, partner_id)
    if partner is None:
        raise NotFound(_("Partnern finns inte."))
    return partner


def list_closed_days(since: date) -> list[ClosedDay]:
    """Closed days from `since` on, in date order."""
    return list(
        db.session.scalars(sa.select(ClosedDay).where(ClosedDay.day >= since).order_by(ClosedDay.day))
    )
