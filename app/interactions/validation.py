"""Checks and look-ups behind logging and editing a contact: each turns one part of a
`ContactInput` into rows, or raises a `ValidationError` naming the form field.

An edit may keep what a new contact could not choose (a retired focus area or permit type, a
deactivated participant, a person who moved to another company): `existing` is the contact as
stored, and what it already has stays allowed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _

from app.auth.models import User
from app.catalogues.models import PermitType
from app.catalogues.services import ensure_permit_type_selectable
from app.companies import lookup
from app.companies.models import Company, ContactPerson
from app.core.errors import ValidationError
from app.extensions import db
from app.interactions.inputs import ContactInput, PermitGuidanceInput
from app.interactions.models import InboundChannel, Interaction, InteractionKind
from app.strategy.models import FocusArea
from app.strategy.services import ensure_selectable

MAX_DURATION_MINUTES = 24 * 60
# A contact is logged after it happened; a little slack for clocks and typing.
FUTURE_SLACK = timedelta(minutes=10)


def live_company(company_id: int | None) -> Company:
    return lookup.live_company(
        company_id,
        merged=_("Företaget är sammanslaget med ett annat; logga kontakten på det företaget i stället."),
    )


def contact_kind(raw: str) -> InteractionKind:
    try:
        return InteractionKind(raw)
    except ValueError:
        raise ValidationError(_("Välj typ av kontakt."), field="kind") from None


def inbound_channel(raw: str | None) -> InboundChannel | None:
    if not raw:
        return None
    try:
        return InboundChannel(raw)
    except ValueError:
        raise ValidationError(_("Välj hur företaget tog kontakt."), field="inbound_channel") from None


def focus_areas(data: ContactInput, existing: Interaction | None) -> tuple[FocusArea, list[FocusArea]]:
    primary = db.session.get(FocusArea, data.focus_area_id) if data.focus_area_id else None
    if primary is None:
        raise ValidationError(
            _("Välj ett fokusområde. Varje kontakt räknas till ett av strategins fokusområden."),
            field="focus_area_id",
        )
    if existing is None or existing.focus_area_id != primary.id:
        ensure_selectable(primary, field="focus_area_id")
    kept = {a.id for a in existing.other_focus_areas} if existing is not None else set()
    if existing is not None:
        kept.add(existing.focus_area_id)
    others: list[FocusArea] = []
    for area_id in dict.fromkeys(data.other_focus_area_ids):
        if area_id == primary.id:
            continue
        area = db.session.get(FocusArea, area_id)
        if area is None:
            raise ValidationError(
                _("Ett av de valda fokusområdena finns inte."), field="other_focus_area_ids"
            )
        if area_id not in kept:
            ensure_selectable(area, field="other_focus_area_ids")
        others.append(area)
    return primary, others


def participants(ids: tuple[int, ...], existing: Interaction | None) -> list[User]:
    kept = {u.id for u in existing.participants} if existing is not None else set()
    users: list[User] = []
    for user_id in dict.fromkeys(ids):
        user = db.session.get(User, user_id)
        if user is None or (not user.is_active and user_id not in kept):
            raise ValidationError(_("Välj aktiva användare som deltagare."), field="participant_ids")
        users.append(user)
    return users


def contact_persons(
    ids: tuple[int, ...], company: Company, existing: Interaction | None
) -> list[ContactPerson]:
    # A person who later moved to another company stays on the contacts logged before the move.
    kept = {p.id for p in existing.contact_persons} if existing is not None else set()
    persons: list[ContactPerson] = []
    for person_id in dict.fromkeys(ids):
        person = db.session.get(ContactPerson, person_id)
        if person is None or (person.company_id != company.id and person_id not in kept):
            raise ValidationError(
                _("Välj kontaktpersoner på det valda företaget."), field="contact_person_ids"
            )
        persons.append(person)
    return persons


def permit_rows(
    data: ContactInput, kind: InteractionKind, existing: Interaction | None
) -> list[tuple[PermitType, PermitGuidanceInput]]:
    kept = {g.permit_type_id for g in existing.permit_guidance} if existing is not None else set()
    rows: list[tuple[PermitType, PermitGuidanceInput]] = []
    seen: set[int] = set()
    for row in data.permit_guidance:
        if row.permit_type_id in seen:
            raise ValidationError(_("Samma tillståndstyp är vald två gånger."), field="permit_guidance")
        seen.add(row.permit_type_id)
        permit = db.session.get(PermitType, row.permit_type_id)
        if permit is None:
            raise ValidationError(_("Tillståndstypen finns inte."), field="permit_guidance")
        if row.permit_type_id not in kept:
            ensure_permit_type_selectable(permit, field="permit_guidance")
        if len(row.handed_to.strip()) > 200:
            raise ValidationError(
                _("Högst 200 tecken om vem ärendet lämnades till."), field="permit_guidance"
            )
        rows.append((permit, row))
    if kind is InteractionKind.PERMIT_GUIDANCE and not rows:
        raise ValidationError(
            _("Ange minst en tillståndstyp för tillståndsvägledning."), field="permit_guidance"
        )
    if data.concerns_permits and not rows:
        raise ValidationError(
            _("Välj vilket tillstånd kontakten gällde, eller ta bort bocken i ”Gällde tillstånd”."),
            field="permit_guidance",
        )
    return rows


def validate_common(data: ContactInput, now: datetime) -> None:
    if data.occurred_at is None:
        raise ValidationError(_("Ange datum och tid för kontakten."), field="occurred_on")
    if data.occurred_at.tzinfo is None:
        raise ValueError("ContactInput.occurred_at must be timezone-aware")
    if data.occurred_at > now + FUTURE_SLACK:
        raise ValidationError(
            _(
                "Tidpunkten ligger i framtiden. Logga kontakten när den har ägt rum, "
                "eller lägg en uppföljning för det som ska göras."
            ),
            field="occurred_on",
        )
    if not data.subject.strip():
        raise ValidationError(_("Skriv kort vad kontakten gällde."), field="subject")
    if len(data.subject.strip()) > 200:
        raise ValidationError(_("Högst 200 tecken i ämnet."), field="subject")
    if data.duration_minutes is not None and not 0 <= data.duration_minutes <= MAX_DURATION_MINUTES:
        raise ValidationError(_("Ange längden i minuter (0–1440)."), field="duration_minutes")
