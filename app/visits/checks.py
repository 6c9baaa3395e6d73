"""What a visit must satisfy before it is planned, changed or recorded: a live company, times
that make sense, participants on the right side of the table, a host from the company, focus
areas that can be chosen, and promises with an owner and a date. Raise ValidationError or
Conflict; app.visits.services calls them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import gettext as _

from app.auth.models import User
from app.companies.lookup import live_company
from app.companies.models import Company, ContactPerson
from app.core.errors import Conflict, ValidationError
from app.core.permissions import Perm, Role, can
from app.extensions import db
from app.strategy.models import FocusArea
from app.strategy.services import ensure_selectable
from app.visits.models import LEDNING, OFFICE, PLANNED, UPCOMING_STATUSES, CompanyVisit

if TYPE_CHECKING:
    from app.visits.services import PromiseInput, VisitInput

# Which roles may sit on which side of the table.
SIDE_ROLES: dict[str, frozenset[str]] = {
    LEDNING: frozenset({Role.LEDNING.value}),
    OFFICE: frozenset({Role.LOTS.value, Role.CHEF.value}),
}
MAX_VISIT_LENGTH = timedelta(hours=12)


def _company(company_id: int | None) -> Company:
    return live_company(
        company_id,
        merged=_("Företaget är sammanslaget med ett annat; planera besöket på det företaget i stället."),
    )


def _times(data: VisitInput) -> tuple[datetime, datetime]:
    if data.starts_at is None:
        raise ValidationError(_("Ange datum och tid för besöket."), field="starts_on")
    if data.ends_at is None:
        raise ValidationError(_("Ange när besöket slutar."), field="ends_time")
    if data.starts_at.tzinfo is None or data.ends_at.tzinfo is None:
        raise ValueError("VisitInput times must be timezone-aware")
    if data.ends_at <= data.starts_at:
        raise ValidationError(_("Besöket måste sluta efter att det börjar."), field="ends_time")
    if data.ends_at - data.starts_at > MAX_VISIT_LENGTH:
        raise ValidationError(_("Ett besök kan vara högst 12 timmar."), field="ends_time")
    return data.starts_at, data.ends_at


def _people(data: VisitInput, existing: CompanyVisit | None) -> list[tuple[User, str]]:
    """The participants with their side; checks roles and that nobody is on both sides."""
    kept = {p.user_id for p in existing.participants} if existing is not None else set()
    overlap = set(data.ledning_ids) & set(data.office_ids)
    if overlap:
        raise ValidationError(
            _("Samma person kan inte delta från både kommunledningen och kontoret."), field="office_ids"
        )
    wanted = [(uid, LEDNING) for uid in dict.fromkeys(data.ledning_ids)]
    wanted += [(uid, OFFICE) for uid in dict.fromkeys(data.office_ids)]
    users = (
        {
            u.id: u
            for u in db.session.scalars(sa.select(User).where(User.id.in_([uid for uid, _side in wanted])))
        }
        if wanted
        else {}
    )
    people: list[tuple[User, str]] = []
    for user_id, side in wanted:
        user = users.get(user_id)
        field_name = "ledning_ids" if side == LEDNING else "office_ids"
        if user is None or (not user.is_active and user_id not in kept):
            raise ValidationError(_("Välj aktiva användare som deltagare."), field=field_name)
        if user.role not in SIDE_ROLES[side]:
            message = (
                _("%(name)s kan inte delta som representant för kommunledningen.", name=user.name)
                if side == LEDNING
                else _("%(name)s kan inte delta som representant för näringslivskontoret.", name=user.name)
            )
            raise ValidationError(message, field=field_name)
        people.append((user, side))
    if data.status == PLANNED and not any(side == LEDNING for _user, side in people):
        raise ValidationError(
            _("Ett planerat besök behöver minst en deltagare från kommunledningen."), field="ledning_ids"
        )
    return people


def _host(data: VisitInput, company: Company, existing: CompanyVisit | None) -> ContactPerson | None:
    if data.host_contact_person_id is None:
        if len(data.host_name.strip()) > 120:
            raise ValidationError(_("Högst 120 tecken."), field="host_name")
        return None
    person = db.session.get(ContactPerson, data.host_contact_person_id)
    kept = existing is not None and existing.host_contact_person_id == data.host_contact_person_id
    if person is None or (person.company_id != company.id and not kept):
        raise ValidationError(
            _("Välj en kontaktperson på företaget som värd."), field="host_contact_person_id"
        )
    if not person.is_active and not kept:
        raise ValidationError(_("Kontaktpersonen har slutat på företaget."), field="host_contact_person_id")
    return person


def checked_focus_areas(
    ids: Sequence[int], existing: Sequence[FocusArea] = (), *, field_name: str
) -> list[FocusArea]:
    kept = {a.id for a in existing}
    wanted = list(dict.fromkeys(ids))
    found = (
        {a.id: a for a in db.session.scalars(sa.select(FocusArea).where(FocusArea.id.in_(wanted)))}
        if wanted
        else {}
    )
    areas = []
    for area_id in wanted:
        area = found.get(area_id)
        if area is None:
            raise ValidationError(_("Ett av de valda fokusområdena finns inte."), field=field_name)
        if area_id not in kept:
            ensure_selectable(area, field=field_name)
        areas.append(area)
    return areas


def validate_visit(data: VisitInput, existing: CompanyVisit | None):
    if data.status not in UPCOMING_STATUSES:
        raise ValidationError(_("Välj om besöket är föreslaget eller planerat."), field="status")
    company = (
        existing.company
        if existing is not None and existing.company_id == data.company_id
        else _company(data.company_id)
    )
    starts_at, ends_at = _times(data)
    if len(data.place.strip()) > 200:
        raise ValidationError(_("Högst 200 tecken."), field="place")
    people = _people(data, existing)
    host = _host(data, company, existing)
    areas = checked_focus_areas(
        data.focus_area_ids, existing.focus_areas if existing is not None else (), field_name="focus_area_ids"
    )
    return company, starts_at, ends_at, people, host, areas


def require_upcoming(visit: CompanyVisit) -> None:
    if visit.status not in UPCOMING_STATUSES:
        raise Conflict(_("Besöket är redan %(status)s.", status=str(visit.status_label).lower()))


def check_promises(promises: Sequence[PromiseInput], today: date) -> list[tuple[PromiseInput, User]]:
    checked = []
    owner_ids = {p.owner_id for p in promises if p.owner_id}
    owners = (
        {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(owner_ids)))}
        if owner_ids
        else {}
    )
    for index, promise in enumerate(promises):
        text = promise.text.strip()
        if not text:
            raise ValidationError(_("Löfte %(n)s: skriv vad som utlovades.", n=index + 1), field="promises")
        if len(text) > 200:
            raise ValidationError(_("Löfte %(n)s: högst 200 tecken.", n=index + 1), field="promises")
        owner = owners.get(promise.owner_id or 0)
        if owner is None or not owner.is_active or not can(owner, Perm.VIEW_FOLLOWUPS):
            raise ValidationError(_("Löfte %(n)s: välj vem som ansvarar.", n=index + 1), field="promises")
        if promise.due_on is None:
            raise ValidationError(
                _("Löfte %(n)s: ange när det ska vara klart.", n=index + 1), field="promises"
            )
        if promise.due_on < today:
            raise ValidationError(
                _("Löfte %(n)s: datumet har redan passerat.", n=index + 1), field="promises"
            )
        checked.append((promise, owner))
    return checked
