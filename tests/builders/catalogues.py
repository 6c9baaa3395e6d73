"""Permit types and referral partners (app.catalogues): lookups of the rows the migrations seed."""

from __future__ import annotations

from app.catalogues.models import PermitType, ReferralPartner
from app.catalogues.queries import get_permit_type_by_code, list_partners


def permit_type(code: str) -> PermitType:
    found = get_permit_type_by_code(code)
    assert found is not None, code
    return found


def partner(name_start: str = "Almi") -> ReferralPartner:
    """The first partner in catalogue order whose name starts with `name_start`."""
    return next(p for p in list_partners() if p.name.startswith(name_start))
