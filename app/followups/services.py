"""Creating and closing follow-ups, the contact cadence and the calendar token.

Every change keeps Company.next_followup_on (the earliest open due date) up to date in the same
transaction. That column is denormalised for the company list, so it is written with a plain
UPDATE that does not bump the company's version: a colleague editing the company form must not
get a "someone else changed it" error because a follow-up was ticked off.
"""

from __future__ import annotations

import calendar
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from app.audit import services as audit
from app.auth.models import User
from app.companies.lookup import live_company
from app.companies.models import Company
from app.core import restriction
from app.core.calendar import next_working_day, working_day_on_or_after
from app.core.db import check_version
from app.core.errors import Conflict, NotFound, ValidationError
from app.core.permissions import Perm, can, require
from app.core.time import local_today, to_local, utcnow
from app.extensions import db
from app.followups.models import CANCELLED, DONE, OPEN, SOURCES, CalendarFeed, FollowUp

CADENCE_TITLE = "Dags att höra av sig"  # untranslated: stored as the follow-up's title


@dataclass(frozen=True)
class FollowUpInput:
    """A new follow-up or an edit. assignee_id None means the actor."""

    title: str
    due_on: date | None
    due_time: time | None = None
    note: str = ""
    assignee_id: int | None = None
    company_id: int | None = None
    interaction_id: int | None = None
    case_id: int | None = None
    visit_id: int | None = None
    source: str = "manual"


# ---------------------------------------------------------------------------------------------
# Company.next_followup_on


def refresh_company_next_followup(company_id: int | None) -> None:
    """Set Company.next_followup_on to the earliest open due date (or NULL). Flushes first."""
    if company_id is None:
        return
    db.session.flush()
    next_due = db.session.scalar(
        sa.select(sa.func.min(FollowUp.due_on)).where(
            FollowUp.company_id == company_id, FollowUp.status == OPEN
        )
    )
    _set_denormalised(company_id, next_followup_on=next_due)


def _set_denormalised(company_id: int, **values: Any) -> None:
    # A plain UPDATE (the version counter stays), then the loaded Company, if any, is told the
    # new committed value so it neither reads stale data nor writes it back.
    db.session.execute(
        sa.update(Company).where(Company.id == company_id).values(**values),
        execution_options={"synchronize_session": False},
    )
    loaded = db.session.identity_map.get(identity_key(Company, company_id))
    if loaded is not None:
        for key, value in values.items():
            set_committed_value(loaded, key, value)


# ---------------------------------------------------------------------------------------------
# Validation helpers


def _assignee(assignee_id: int | None, actor: User | None) -> User:
    if assignee_id is None:
        if actor is None:
            raise ValidationError(_("Välj vem som ska göra uppföljningen."), field="assignee_id")
        return actor
    user = db.session.get(User, assignee_id)
    if user is None or not user.is_active or not can(user, Perm.VIEW_FOLLOWUPS):
        raise ValidationError(_("Välj en aktiv användare som kan ha uppföljningar."), field="assignee_id")
    return user


def check_assignee_may_read(assignee: User, *, interaction_id: int | None, case_id: int | None) -> None:
    """A follow-up inherits the restriction of its contact and case (app.core.restriction), so
    it is handed only to someone who may read them – otherwise its holder could not see what
    to do. Raises ValidationError on "assignee_id"."""
    verdict = restriction.judge_one(
        assignee, (interaction_id, case_id), interaction=lambda x: x[0], case=lambda x: x[1]
    )
    if verdict.restricted and not verdict.readable:
        if any(kind == "case" for kind, _root_id in verdict.roots):
            message = _(
                "%(name)s får inte läsa ärendet, som har begränsad åtkomst. Lägg till %(name)s som "
                "deltagare först, eller välj någon annan.",
                name=assignee.name,
            )
        else:
            message = _(
                "%(name)s får inte läsa kontakten, som har begränsad åtkomst. Lägg till %(name)s som "
                "deltagare först, eller välj någon annan.",
                name=assignee.name,
            )
        raise ValidationError(message, field="assignee_id")


def _company(company_id: int | None) -> Company | None:
    if company_id is None:
        return None
    return live_company(
        company_id,
        missing=_("Företaget finns inte."),
        merged=_("Företaget är sammanslaget med ett annat; välj det företaget i stället."),
    )


def _validate(data: FollowUpInput) -> None:
    if not data.title.strip():
        raise ValidationError(_("Skriv vad som ska göras."), field="title")
    if len(data.title.strip()) > 200:
        raise ValidationError(_("Högst 200 tecken."), field="title")
    if data.due_on is None:
        raise ValidationError(_("Ange ett datum."), field="due_on")
    if data.source not in SOURCES:
        raise ValidationError(_("Okänd källa."), field="source")


def _require_open(followup: FollowUp) -> None:
    if followup.status != OPEN:
        raise Conflict(_("Uppföljningen är redan %(status)s.", status=followup.status_label.lower()))


# ---------------------------------------------------------------------------------------------
# Create, edit, close


def create_followup(
    data: FollowUpInput,
    *,
    actor: User,
    now: datetime | None = None,
    authorised_by: Perm = Perm.EDIT_FOLLOWUPS,
) -> FollowUp:
    """Create an open follow-up (assignee defaults to the actor).

    `authorised_by` is the permission that allows this call (recording a company visit turns
    its promises into follow-ups under visits.edit). Raises PermissionDenied,
    ValidationError. Flushes and updates the company's next_followup_on; the caller commits.
    """
    require(actor, authorised_by)
    _validate(data)
    if data.source == "cadence":
        raise ValidationError(_("Kontaktintervallets uppföljningar skapas automatiskt."), field="source")
    assignee = _assignee(data.assignee_id, actor)
    check_assignee_may_read(assignee, interaction_id=data.interaction_id, case_id=data.case_id)
    company = _company(data.company_id)
    followup = FollowUp(
        title=data.title.strip(),
        note=data.note.strip(),
        due_on=data.due_on,
        due_time=data.due_time,
        assignee_id=assignee.id,
        company_id=company.id if company else None,
        created_by_id=actor.id,
        interaction_id=data.interaction_id,
        case_id=data.case_id,
        visit_id=data.visit_id,
        source=data.source,
        status=OPEN,
    )
    db.session.add(followup)
    audit.record_create(
        actor,
        followup,
        summary=f"Uppföljning ”{followup.title}” skapad",  # untranslated: audit trail
    )
    refresh_company_next_followup(followup.company_id)
    return followup


def follow_up_later(
    company_id: int,
    *,
    actor: User,
    weeks: int = 2,
    title: str = "Följ upp",  # untranslated: stored as the follow-up's title
    note: str = "",
    source: str = "contact",
    interaction_id: int | None = None,
    case_id: int | None = None,
    visit_id: int | None = None,
    now: datetime | None = None,
) -> FollowUp:
    """ "Följ upp om 2 veckor": a follow-up for the actor `weeks` weeks from today.

    For the contact form (and cases and visits): lands on a working day (a weekend, holiday or
    closed day moves to the next working day, app.core.calendar). Same contract as
    create_followup.
    """
    due = working_day_on_or_after(local_today(now) + timedelta(weeks=weeks))
    return create_followup(
        FollowUpInput(
            title=title,
            due_on=due,
            note=note,
            company_id=company_id,
            interaction_id=interaction_id,
            case_id=case_id,
            visit_id=visit_id,
            source=source,
        ),
        actor=actor,
        now=now,
    )


def update_followup(
    followup: FollowUp, data: FollowUpInput, *, actor: User, expected_version: int | None = None
) -> FollowUp:
    """Edit what, when, who and which company of an open follow-up.

    Raises PermissionDenied, StaleEdit, Conflict (not open), ValidationError. Flushes.
    """
    require(actor, Perm.EDIT_FOLLOWUPS)
    check_version(followup, expected_version)
    _require_open(followup)
    _validate(FollowUpInput(**{**data.__dict__, "source": followup.source}))
    assignee = _assignee(data.assignee_id, actor)
    check_assignee_may_read(assignee, interaction_id=followup.interaction_id, case_id=followup.case_id)
    company = _company(data.company_id)
    old_company_id = followup.company_id
    if followup.source == "cadence" and (company.id if company else None) != old_company_id:
        raise ValidationError(_("En kontaktintervall-uppföljning hör till sitt företag."), field="company_id")
    followup.title = data.title.strip()
    followup.note = data.note.strip()
    followup.due_on = data.due_on  # type: ignore[assignment] - checked by _validate
    followup.due_time = data.due_time
    followup.assignee_id = assignee.id
    followup.company_id = company.id if company else None
    audit.record_update(actor, followup)
    db.session.flush()
    refresh_company_next_followup(followup.company_id)
    if old_company_id != followup.company_id:
        refresh_company_next_followup(old_company_id)
    return followup


def complete_followup(
    followup: FollowUp,
    *,
    actor: User,
    note: str = "",
    done_on: date | None = None,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> FollowUp:
    """Mark an open follow-up done (today in Stockholm unless `done_on`), with an optional note.

    Raises PermissionDenied, Conflict (already closed), StaleEdit. Flushes.
    """
    require(actor, Perm.EDIT_FOLLOWUPS)
    check_version(followup, expected_version)
    return _close(followup, DONE, actor=actor, note=note, done_on=done_on, now=now)


def cancel_followup(
    followup: FollowUp, *, actor: User, now: datetime | None = None, expected_version: int | None = None
) -> FollowUp:
    """Cancel an open follow-up (it no longer needs doing). Same contract as complete_followup."""
    require(actor, Perm.EDIT_FOLLOWUPS)
    check_version(followup, expected_version)
    return _close(followup, CANCELLED, actor=actor, now=now)


def _close(
    followup: FollowUp,
    status: str,
    *,
    actor: User | None,
    note: str = "",
    done_on: date | None = None,
    now: datetime | None = None,
) -> FollowUp:
    _require_open(followup)
    now = now or utcnow()
    followup.status = status
    followup.closed_at = now
    followup.closed_by_id = actor.id if actor else None
    if status == DONE:
        followup.done_on = done_on or local_today(now)
        followup.done_note = note.strip()
    verb = "klar" if status == DONE else "avbruten"  # untranslated: audit trail
    audit.record_update(
        actor,
        followup,
        summary=f"Uppföljning ”{followup.title}” {verb}",  # untranslated: audit trail
    )
    db.session.flush()
    refresh_company_next_followup(followup.company_id)
    return followup


def snooze_followup(
    followup: FollowUp,
    until: date,
    *,
    actor: User,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> FollowUp:
    """Move an open follow-up to a later date (history in the audit trail).

    Raises PermissionDenied, Conflict (closed), ValidationError (date not after today), StaleEdit.
    """
    require(actor, Perm.EDIT_FOLLOWUPS)
    check_version(followup, expected_version)
    _require_open(followup)
    if until <= local_today(now):
        raise ValidationError(_("Välj ett datum efter idag."), field="until")
    followup.due_on = until
    followup.snooze_count += 1
    audit.record_update(
        actor,
        followup,
        summary=f"Uppföljning ”{followup.title}” uppskjuten till {until}",  # untranslated: audit trail
    )
    db.session.flush()
    refresh_company_next_followup(followup.company_id)
    return followup


def snooze_days(days: int, now: datetime | None = None) -> date:
    """Where a one-click snooze lands: 1 is "Nästa arbetsdag"; other choices ("En vecka") are
    `days` days from today, moved to the next working day when that is not one."""
    today = local_today(now)
    if days == 1:
        return next_working_day(today)
    return working_day_on_or_after(today + timedelta(days=days))


def reassign_followup(
    followup: FollowUp, assignee_id: int, *, actor: User, expected_version: int | None = None
) -> FollowUp:
    """Give an open follow-up to someone else. Raises PermissionDenied, ValidationError, Conflict."""
    require(actor, Perm.EDIT_FOLLOWUPS)
    check_version(followup, expected_version)
    _require_open(followup)
    assignee = _assignee(assignee_id, actor)
    check_assignee_may_read(assignee, interaction_id=followup.interaction_id, case_id=followup.case_id)
    followup.assignee_id = assignee.id
    audit.record_update(actor, followup)
    db.session.flush()
    return followup


# ---------------------------------------------------------------------------------------------
# Contact cadence


def add_months(day: date, months: int) -> date:
    """`day` plus whole months; the 31st becomes the month's last day when needed."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _open_cadence_item(company_id: int) -> FollowUp | None:
    return db.session.scalar(
        sa.select(FollowUp).where(
            FollowUp.company_id == company_id, FollowUp.source == "cadence", FollowUp.status == OPEN
        )
    )


def on_contact_logged(company: Company, at: datetime, actor: User | None) -> FollowUp | None:
    """A contact with `company` was logged at `at`: restart its cadence clock.

    For the contact log: call it in the same transaction as the new contact. Moves
    Company.last_contact_at forward (never back) and closes the open "Dags att höra av sig"
    item as done (note "Kontakt loggad"), which it returns (or None). Flushes, never commits.
    """
    if at.tzinfo is None:
        raise ValueError("on_contact_logged needs an aware datetime")
    if company.last_contact_at is None or at > company.last_contact_at:
        _set_denormalised(company.id, last_contact_at=at)
    item = _open_cadence_item(company.id)
    if item is None:
        return None
    return _close(
        item,
        DONE,
        actor=actor,
        note=f"Kontakt loggad {to_local(at).date().isoformat()}.",  # untranslated: stored note
        done_on=to_local(at).date(),
        now=at,
    )


# ---------------------------------------------------------------------------------------------
# Merging companies, settings, calendar token


def move_followups_on_merge(source: Any, target: Any, actor: Any) -> int:
    """Merge handler: the source company's follow-ups move to the surviving company.

    If both have an open cadence item, the source's is cancelled (one is enough).
    """
    if _open_cadence_item(target.id) is not None:
        dup = _open_cadence_item(source.id)
        if dup is not None:
            _close(dup, CANCELLED, actor=actor)
    moved = db.session.execute(
        sa.update(FollowUp)
        .where(FollowUp.company_id == source.id)
        .values(company_id=target.id)
        .execution_options(synchronize_session="evaluate")
    ).rowcount
    return moved or 0


def update_mail_settings(
    user: User, *, digest_enabled: bool, monthly_summary_enabled: bool | None = None, actor: User
) -> User:
    """A user's own mail choices (digest on/off, monthly summary). Only for oneself."""
    if actor.id != user.id:
        raise NotFound(_("Användaren finns inte."))
    user.digest_enabled = digest_enabled
    if monthly_summary_enabled is not None:
        user.monthly_summary_enabled = monthly_summary_enabled
    audit.record_update(actor, user, summary="E-postinställningar ändrade")  # untranslated: audit trail
    db.session.flush()
    return user


def feed_for(user: User) -> CalendarFeed | None:
    return db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def regenerate_calendar_token(user: User, *, actor: User, now: datetime | None = None) -> CalendarFeed:
    """Give the user a new secret calendar token; the old address stops working at once."""
    if actor.id != user.id:
        raise NotFound(_("Användaren finns inte."))
    feed = feed_for(user)
    token = secrets.token_urlsafe(32)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, token=token, created_at=now or utcnow())
        db.session.add(feed)
    else:
        feed.token = token
        feed.created_at = now or utcnow()
        feed.last_used_at = None
    audit.record(
        actor,
        "update",
        "calendar_feeds",
        user.id,
        summary="Ny kalenderlänk skapad",  # untranslated: audit trail
        now=now,
    )
    db.session.flush()
    return feed


def user_for_token(token: str) -> User | None:
    """The active user whose calendar token this is, or None."""
    if not token or len(token) > 64:
        return None
    user = db.session.scalar(
        sa.select(User).join(CalendarFeed, CalendarFeed.user_id == User.id).where(CalendarFeed.token == token)
    )
    if user is None or not user.is_active:
        return None
    return user
