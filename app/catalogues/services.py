"""Maintaining the permit-type and referral-partner catalogues and the kommun's extra closed
days (admin). Permit types and partners are never deleted: retiring keeps a row on old records
and hides it from new ones. Saving a permit type recomputes the deadlines that depend on it
(app.core.clock_hooks), after showing how many open cases that moves."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from app.audit import services as audit
from app.audit.retirement import set_retired
from app.auth.models import User
from app.catalogues.models import CLOCK_STARTS, TIME_UNITS, ClosedDay, PermitType, ReferralPartner
from app.core.calendar import day_label, forget_closed_days, is_vardag
from app.core.clock_hooks import ClockImpact, permit_clock_impact, recompute_permit_clocks
from app.core.db import check_version
from app.core.errors import Conflict, DomainError, NotFound, ValidationError
from app.core.permissions import Perm, require
from app.extensions import db


@dataclass(frozen=True)
class PermitTypeInput:
    code: str
    name: str
    law: str = ""
    deciding_body: str = ""
    statutory_time_value: int | None = None
    statutory_time_unit: str | None = None
    extension_value: int | None = None
    extension_unit: str | None = None
    clock_starts: str = "complete"
    lead_time_weeks: int | None = None
    is_skr_insikt_area: bool = False
    handling_note: str = ""
    e_service_url: str = ""
    time_is_statutory: bool = True
    pbl_three_week_rule: bool = False


@dataclass(frozen=True)
class PartnerInput:
    name: str
    description: str = ""
    website: str = ""


_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def _check_url(url: str, field: str) -> str:
    url = url.strip()
    if url and not re.match(r"^https?://[^\s]+$", url):
        raise ValidationError(_("Ange en adress som börjar med https:// (eller http://)."), field=field)
    return url


def _check_time(value: int | None, unit: str | None, value_field: str, unit_field: str) -> None:
    if value is None and not unit:
        return
    if value is None or not unit:
        raise ValidationError(
            _("Ange både antal och enhet (veckor eller månader), eller ingetdera."), field=value_field
        )
    if unit not in TIME_UNITS:
        raise ValidationError(_("Välj veckor eller månader."), field=unit_field)
    if not 1 <= value <= 120:
        raise ValidationError(_("Ange ett antal mellan 1 och 120."), field=value_field)


def _validate_permit(data: PermitTypeInput, existing: PermitType | None) -> None:
    if not _CODE.match(data.code.strip()):
        raise ValidationError(
            _("Koden får bara innehålla små bokstäver a–z, siffror, - och _ (högst 40 tecken)."), field="code"
        )
    if not data.name.strip():
        raise ValidationError(_("Ange ett namn."), field="name")
    _check_time(
        data.statutory_time_value, data.statutory_time_unit, "statutory_time_value", "statutory_time_unit"
    )
    _check_time(data.extension_value, data.extension_unit, "extension_value", "extension_unit")
    if data.extension_value is not None and data.statutory_time_value is None:
        raise ValidationError(
            _("En förlängning förutsätter en lagstadgad handläggningstid."), field="extension_value"
        )
    if data.clock_starts not in CLOCK_STARTS:
        raise ValidationError(_("Välj när tiden börjar räknas."), field="clock_starts")
    if data.pbl_three_week_rule and (
        data.statutory_time_value is None or data.statutory_time_unit != "weeks"
    ):
        raise ValidationError(
            _(
                "PBL:s treveckorsregel gäller typer med en lagstadgad handläggningstid i veckor (lov, "
                "förhandsbesked, anmälan)."
            ),
            field="pbl_three_week_rule",
        )
    if data.pbl_three_week_rule and not data.time_is_statutory:
        raise ValidationError(
            _("Tiden i PBL är lagstadgad, inte vägledande, när treveckorsregeln gäller."),
            field="guidance_only",
        )
    if data.lead_time_weeks is not None and not 0 <= data.lead_time_weeks <= 104:
        raise ValidationError(_("Ange 0–104 veckor."), field="lead_time_weeks")
    for field, value in (("code", data.code.strip()), ("name", data.name.strip())):
        clash = db.session.scalar(sa.select(PermitType).where(getattr(PermitType, field) == value))
        if clash is not None and clash is not existing:
            raise Conflict(_("Det finns redan en tillståndstyp med det värdet."), field=field)


def _apply_permit(permit: PermitType, data: PermitTypeInput) -> None:
    permit.code = data.code.strip()
    permit.name = data.name.strip()
    permit.law = data.law.strip()
    permit.deciding_body = data.deciding_body.strip()
    permit.statutory_time_value = data.statutory_time_value
    permit.statutory_time_unit = data.statutory_time_unit or None
    permit.extension_value = data.extension_value
    permit.extension_unit = data.extension_unit or None
    permit.clock_starts = data.clock_starts
    permit.time_is_statutory = data.time_is_statutory
    permit.pbl_three_week_rule = data.pbl_three_week_rule
    permit.lead_time_weeks = data.lead_time_weeks
    permit.is_skr_insikt_area = data.is_skr_insikt_area
    permit.handling_note = data.handling_note.strip()
    permit.e_service_url = _check_url(data.e_service_url, "e_service_url")


def create_permit_type(data: PermitTypeInput, *, actor: User) -> PermitType:
    """Add a permit type, last in order. Raises PermissionDenied, ValidationError, Conflict."""
    require(actor, Perm.MANAGE_CATALOGUES)
    _validate_permit(data, None)
    permit = PermitType()
    _apply_permit(permit, data)
    last = db.session.scalar(sa.select(sa.func.max(PermitType.position)))
    permit.position = (last or 0) + 1
    db.session.add(permit)
    audit.record_create(
        actor,
        permit,
        summary=f"Tillståndstyp {permit.name} skapad",  # untranslated: audit trail
    )
    return permit


class ClockImpactUnconfirmed(DomainError):
    """Saving would give open permit rows other deadlines; the admin has not seen how many.
    The caller shows `impact` and sends the same edit again with `confirmed_rows=impact.rows`."""

    status_code = 409

    def __init__(self, impact: ClockImpact) -> None:
        cases = ngettext("ett öppet ärende", "%(num)s öppna ärenden", impact.open_cases)
        rows = ngettext("en tillståndsrad", "%(num)s tillståndsrader", impact.rows)
        super().__init__(
            _(
                "Ändringen ger %(rows)s utan beslut nya datum för beslut eller ansökan, i %(cases)s. "
                "Datumen räknas om när du sparar.",
                rows=rows,
                cases=cases,
            )
        )
        self.impact = impact


def update_permit_type(
    permit: PermitType,
    data: PermitTypeInput,
    *,
    actor: User,
    expected_version: int | None = None,
    confirmed_rows: int | None = None,
) -> PermitType:
    """Change a permit type; records that use it follow: the expected decision and "ansök
    senast" dates of its undecided permit rows are recomputed in the same transaction.

    If that moves any dates, the edit must be confirmed: unless `confirmed_rows` equals the
    number of rows it moves, ClockImpactUnconfirmed is raised (nothing saved; the caller rolls
    back and asks). Raises StaleEdit, ValidationError, Conflict, ClockImpactUnconfirmed.
    """
    require(actor, Perm.MANAGE_CATALOGUES)
    check_version(permit, expected_version)
    _validate_permit(data, permit)
    _apply_permit(permit, data)
    impact = permit_clock_impact(permit)
    if impact.rows and confirmed_rows != impact.rows:
        raise ClockImpactUnconfirmed(impact)
    summary = f"Tillståndstyp {permit.name} ändrad"  # untranslated: audit trail
    if impact.rows:
        summary += f"; {impact.rows} tillståndsrader fick nya datum"  # untranslated: audit trail
    audit.record_update(actor, permit, summary=summary)
    db.session.flush()
    recompute_permit_clocks(permit)
    return permit


def retire_permit_type(permit: PermitType, *, actor: User, now: datetime | None = None) -> PermitType:
    """Stop offering a permit type for new contacts and cases; old records keep it. Retiring a
    retired type changes nothing (no second audit row)."""
    require(actor, Perm.MANAGE_CATALOGUES)
    summary = f"Tillståndstyp {permit.name} avslutad"  # untranslated: audit trail
    set_retired(permit, True, actor=actor, now=now, summary=summary)
    return permit


def reinstate_permit_type(permit: PermitType, *, actor: User) -> PermitType:
    """Offer a retired permit type again (a no-op for one in use)."""
    require(actor, Perm.MANAGE_CATALOGUES)
    summary = f"Tillståndstyp {permit.name} återaktiverad"  # untranslated: audit trail
    set_retired(permit, False, actor=actor, summary=summary)
    return permit


def _validate_partner(data: PartnerInput, existing: ReferralPartner | None) -> None:
    if not data.name.strip():
        raise ValidationError(_("Ange ett namn."), field="name")
    clash = db.session.scalar(sa.select(ReferralPartner).where(ReferralPartner.name == data.name.strip()))
    if clash is not None and clash is not existing:
        raise Conflict(_("Det finns redan en partner med det namnet."), field="name")


def create_partner(data: PartnerInput, *, actor: User) -> ReferralPartner:
    """Add a referral partner. Raises PermissionDenied, ValidationError, Conflict."""
    require(actor, Perm.MANAGE_CATALOGUES)
    _validate_partner(data, None)
    last = db.session.scalar(sa.select(sa.func.max(ReferralPartner.position)))
    partner = ReferralPartner(
        name=data.name.strip(),
        description=data.description.strip(),
        website=_check_url(data.website, "website"),
        position=(last or 0) + 1,
    )
    db.session.add(partner)
    audit.record_create(
        actor,
        partner,
        summary=f"Partner {partner.name} skapad",  # untranslated: audit trail
    )
    return partner


def update_partner(
    partner: ReferralPartner, data: PartnerInput, *, actor: User, expected_version: int | None = None
) -> ReferralPartner:
    """Change a partner. Raises StaleEdit, ValidationError, Conflict."""
    require(actor, Perm.MANAGE_CATALOGUES)
    check_version(partner, expected_version)
    _validate_partner(data, partner)
    partner.name = data.name.strip()
    partner.description = data.description.strip()
    partner.website = _check_url(data.website, "website")
    audit.record_update(
        actor,
        partner,
        summary=f"Partner {partner.name} ändrad",  # untranslated: audit trail
    )
    db.session.flush()
    return partner


def retire_partner(partner: ReferralPartner, *, actor: User, now: datetime | None = None) -> ReferralPartner:
    """No new referrals to a partner; old referrals keep it. Idempotent."""
    require(actor, Perm.MANAGE_CATALOGUES)
    summary = f"Partner {partner.name} avslutad"  # untranslated: audit trail
    set_retired(partner, True, actor=actor, now=now, summary=summary)
    return partner


def reinstate_partner(partner: ReferralPartner, *, actor: User) -> ReferralPartner:
    """Offer a retired partner again. Idempotent."""
    require(actor, Perm.MANAGE_CATALOGUES)
    summary = f"Partner {partner.name} återaktiverad"  # untranslated: audit trail
    set_retired(partner, False, actor=actor, summary=summary)
    return partner


def ensure_permit_type_selectable(permit: PermitType | None, *, field: str = "permit_type_id") -> PermitType:
    """For services creating records: the permit type must exist and not be retired."""
    if permit is None:
        raise ValidationError(_("Välj en tillståndstyp."), field=field)
    if permit.retired_at is not None:
        raise ValidationError(
            _("Tillståndstypen ”%(name)s” är avslutad och kan inte väljas.", name=permit.name), field=field
        )
    return permit


def ensure_partner_selectable(
    partner: ReferralPartner | None, *, field: str = "partner_id"
) -> ReferralPartner:
    """For services creating referrals: the partner must exist and not be retired."""
    if partner is None:
        raise ValidationError(_("Välj en partner."), field=field)
    if partner.retired_at is not None:
        raise ValidationError(
            _("Partnern ”%(name)s” är avslutad och kan inte väljas.", name=partner.name), field=field
        )
    return partner


# ---------------------------------------------------------------------------------------------
# Extra closed days (klämdagar)


def closed_days_by_day() -> dict[date, str]:
    """{day: reason} of every closed day: the source app.core.calendar reads."""
    return {row.day: row.reason for row in db.session.scalars(sa.select(ClosedDay))}


def add_closed_day(day: date | None, reason: str, *, actor: User) -> ClosedDay:
    """Close the kommun's offices on a vardag (a klämdag). Suggested dates and the digest skip
    it; statutory deadlines do not (lag (1930:173) names its days itself).

    Raises PermissionDenied, ValidationError (no date, not a vardag, reason too long), Conflict.
    """
    require(actor, Perm.MANAGE_CATALOGUES)
    if day is None:
        raise ValidationError(_("Ange ett datum (ÅÅÅÅ-MM-DD)."), field="day")
    if not is_vardag(day):
        raise ValidationError(
            _("%(day)s är %(label)s och redan ingen arbetsdag.", day=day.isoformat(), label=day_label(day)),
            field="day",
        )
    reason = reason.strip()
    if len(reason) > 120:
        raise ValidationError(_("Högst 120 tecken."), field="reason")
    if db.session.scalar(sa.select(ClosedDay.id).where(ClosedDay.day == day)) is not None:
        raise Conflict(_("%(day)s är redan en stängd dag.", day=day.isoformat()), field="day")
    row = ClosedDay(day=day, reason=reason, created_by_id=actor.id)
    db.session.add(row)
    audit.record_create(
        actor,
        row,
        summary=f"Stängd dag {day.isoformat()} tillagd",  # untranslated: audit trail
    )
    forget_closed_days()
    return row


def remove_closed_day(closed_day_id: int, *, actor: User) -> None:
    """Open a closed day again. Raises PermissionDenied, NotFound. Flushes."""
    require(actor, Perm.MANAGE_CATALOGUES)
    row = db.session.get(ClosedDay, closed_day_id)
    if row is None:
        raise NotFound(_("Den stängda dagen finns inte."))
    audit.record_delete(
        actor,
        row,
        summary=f"Stängd dag {row.day.isoformat()} borttagen",  # untranslated: audit trail
    )
    db.session.delete(row)
    db.session.flush()
    forget_closed_days()
