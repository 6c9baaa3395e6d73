"""The contact cadence of key companies: the daily job that gives each key company whose
cadence has run out one open "Dags att höra av sig" item. (A logged contact restarts the clock
and closes the item: `services.on_contact_logged`.)"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.audit import services as audit
from app.auth.models import User
from app.companies.models import Company
from app.core.calendar import working_day_on_or_after
from app.core.permissions import Role
from app.core.time import local_today, to_local, utcnow
from app.extensions import db
from app.followups.models import OPEN, FollowUp
from app.followups.services import CADENCE_TITLE, add_months, refresh_company_next_followup


def _fallback_assignee() -> User | None:
    # A key company without a responsible user: the first active företagslots takes it, so the
    # reminder reaches someone instead of nobody.
    return db.session.scalar(
        sa.select(User)
        .where(User.is_active.is_(True), User.role == Role.LOTS.value)
        .order_by(User.id)
        .limit(1)
    )


def cadence_due_on(company: Company, last_closed_at: datetime | None) -> date | None:
    """When the company's cadence runs out: months after the last contact (or since it was
    created, or since the last cadence item was closed, whichever is latest), on a working day."""
    months = company.contact_cadence_months
    if not company.is_key_company or not months or months <= 0:
        return None
    starts = [t for t in (company.last_contact_at, company.created_at, last_closed_at) if t is not None]
    return working_day_on_or_after(add_months(to_local(max(starts)).date(), months))


def ensure_cadence_items(now: datetime | None = None) -> int:
    """Give each key company whose cadence has run out ONE open "Dags att höra av sig" item.

    Idempotent: a company with an open cadence item gets nothing (a partial unique index also
    guards against two concurrent runs). Returns how many items it created. Flushes; the caller
    (job, CLI) commits. The audit actor is the system (None).
    """
    now = now or utcnow()
    today = local_today(now)
    open_item = (
        sa.select(FollowUp.id)
        .where(FollowUp.company_id == Company.id, FollowUp.source == "cadence", FollowUp.status == OPEN)
        .exists()
    )
    last_closed = (
        sa.select(sa.func.max(FollowUp.closed_at))
        .where(FollowUp.company_id == Company.id, FollowUp.source == "cadence", FollowUp.status != OPEN)
        .correlate(Company)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Company, last_closed).where(
            Company.is_key_company.is_(True),
            Company.contact_cadence_months > 0,
            Company.deleted_at.is_(None),
            Company.merged_into_id.is_(None),
            ~open_item,
        )
    ).all()
    created = 0
    fallback: User | None = None
    for company, closed_at in rows:
        due = cadence_due_on(company, closed_at)
        if due is None or due > today:
            continue
        assignee_id = company.responsible_user_id
        if assignee_id is None or not _active(assignee_id):
            fallback = fallback or _fallback_assignee()
            if fallback is None:
                continue
            assignee_id = fallback.id
        last = (
            to_local(company.last_contact_at).date().isoformat()
            if company.last_contact_at
            else "ingen loggad"  # untranslated: stored in the note below
        )
        item = FollowUp(
            title=CADENCE_TITLE,
            note=(
                # untranslated: stored in the follow-up's note (a record, written once in Swedish)
                f"{company.name} är ett nyckelföretag med kontaktintervall "  # untranslated: stored
                f"{company.contact_cadence_months} mån. Senaste kontakt: {last}."
            ),
            due_on=due,
            assignee_id=assignee_id,
            company_id=company.id,
            source="cadence",
            status=OPEN,
        )
        try:
            with db.session.begin_nested():
                db.session.add(item)
                db.session.flush()
        except IntegrityError:
            continue  # another run created it a moment ago: nothing piles up
        audit.record(
            None, "create", "followups", item.id, summary=f"{CADENCE_TITLE}: {company.name}", now=now
        )
        refresh_company_next_followup(company.id)
        created += 1
    return created


def _active(user_id: int) -> bool:
    user = db.session.get(User, user_id)
    return user is not None and user.is_active
