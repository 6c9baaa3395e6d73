"""Finding the company a form or a service input names: `live_company` for the services (an id
that must be a live, unmerged company) and `resolve_company_id` for the follow-up and visit
forms (a hidden id from a company page, or what the user typed: a name or an
organisationsnummer)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from app.companies.models import Company
from app.companies.names import normalise_name
from app.companies.orgnr import OrgnrError, parse_orgnr
from app.core.errors import ValidationError
from app.extensions import db


def live_company(company_id: int | None, *, merged: str, missing: str | None = None) -> Company:
    """The live company `company_id` names, for a service that attaches something to it.

    A missing or deleted company is a ValidationError with `missing` ("Välj ett företag." when
    not given); a company merged into
    another one with `merged`, which tells the user, in the feature's words, to use the company
    it was merged into. Both on the form field "company_id".
    """
    company = db.session.get(Company, company_id) if company_id else None
    if company is None or company.deleted_at is not None:
        raise ValidationError(missing or _("Välj ett företag."), field="company_id")
    if company.merged_into_id is not None:
        raise ValidationError(merged, field="company_id")
    return company


def resolve_company_id(company_id: object, text: str | None) -> int | None:
    """The id of the one live company the form points at; None when it names none. An unknown or
    ambiguous name or number is a ValidationError on the field "company"."""
    if company_id and str(company_id).isdigit():
        return int(str(company_id))
    text = (text or "").strip()
    if not text:
        return None
    live = sa.and_(Company.deleted_at.is_(None), Company.merged_into_id.is_(None))
    try:
        number = parse_orgnr(text).number
    except OrgnrError:
        number = None
    if number:
        matches = db.session.scalars(
            sa.select(Company.id).where(live, Company.orgnr == number).limit(2)
        ).all()
    else:
        matches = db.session.scalars(
            sa.select(Company.id).where(live, Company.name_norm == normalise_name(text)).limit(2)
        ).all()
    if not matches:
        raise ValidationError(_("Hittar inget företag med det namnet eller numret."), field="company")
    if len(matches) > 1:
        raise ValidationError(
            _("Flera företag heter så. Skapa uppföljningen från företagets sida i stället."), field="company"
        )
    return matches[0]
