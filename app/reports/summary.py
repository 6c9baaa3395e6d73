"""The monthly summary e-mail: who receives it, what it says, and queueing it exactly once.

* Recipients: active users whose role may see reports and who chose it on "Mina inställningar"
  (users.monthly_summary_enabled = true), plus chefs who have not chosen (NULL means the role
  default: chef yes, everyone else no).
* Content: `build_report` for the previous calendar month – the same figures as the dashboard
  – rendered by app/templates/mail/monthly_summary.{subject.txt,txt,html}.
* Exactly once per user and month: each message goes through the outbox under the key
  monthly-summary:{user id}:{YYYY-MM}; a second queueing (double run, restart, two schedulers)
  inserts nothing (app.mail.queue_mail).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale

from app.auth.models import User
from app.core.charts import bar_width
from app.core.permissions import ROLE_PERMISSIONS, Perm, Role, can
from app.core.time import local_datetime, utcnow
from app.extensions import db
from app.mail import queue_mail
from app.mail.models import OutboxMessage
from app.mail.render import RenderedMail, external_url, render_mail
from app.reports.figures import Report, Scope, build_report, notable_for
from app.reports.periods import Period, previous_month

TEMPLATE = "monthly_summary"
SEND_AT = time(7, 0)  # Stockholm time on the 1st
# The HTML e-mail's bars are table cells with a width in pixels and a background colour (bgcolor):
# what Outlook's Word engine renders; no images, no CSS widths. The widest row's bar is BAR_PX,
# a non-zero value's at least MIN_BAR_PX, so a small number still shows.
BAR_PX, MIN_BAR_PX = 300, 4
MAIL_LANGUAGE = "sv"  # the summary is sent in Swedish (app.mail.render), whoever reads Lotsbok in English


def summary_key(user_id: int, period: Period) -> str:
    return f"monthly-summary:{user_id}:{period.month_key}"


def default_enabled(role: str) -> bool:
    """The role default when the user has not chosen: chef yes, everyone else no."""
    return role == Role.CHEF.value


def receives_monthly_summary(user: User) -> bool:
    """Whether `user` gets the monthly summary (their choice, else the role default)."""
    if not user.is_active or not can(user, Perm.VIEW_REPORTS):
        return False
    if user.monthly_summary_enabled is None:
        return default_enabled(user.role)
    return bool(user.monthly_summary_enabled)


def _recipients_where() -> list[sa.ColumnElement[bool]]:
    roles = [role.value for role, perms in ROLE_PERMISSIONS.items() if Perm.VIEW_REPORTS in perms]
    return [
        User.is_active.is_(True),
        User.role.in_(roles),
        sa.or_(
            User.monthly_summary_enabled.is_(True),
            sa.and_(User.monthly_summary_enabled.is_(None), User.role == Role.CHEF.value),
        ),
    ]


def recipients() -> list[User]:
    """Every user who receives the summary, by name."""
    return list(db.session.scalars(sa.select(User).where(*_recipients_where()).order_by(User.name, User.id)))


def pending_recipients(period: Period) -> list[User]:
    """Recipients whose summary for `period` is not in the outbox yet (one query)."""
    key = sa.literal("monthly-summary:") + sa.cast(User.id, sa.String) + sa.literal(f":{period.month_key}")
    queued = sa.select(OutboxMessage.id).where(OutboxMessage.key == key)
    return list(
        db.session.scalars(
            sa.select(User).where(*_recipients_where(), ~queued.exists()).order_by(User.name, User.id)
        )
    )


def send_time(period: Period) -> datetime:
    """When the summary of `period` is due: 07:00 Stockholm time on the first day after it."""
    return local_datetime(period.end, SEND_AT)


@dataclass(frozen=True)
class FocusLine:
    name: str
    contacts: int
    previous: int
    companies: int
    cases_new: int
    cases_closed: int
    visits: int
    bar: int  # percent of the widest row
    bar_px: int = 0  # the bar's width in pixels (BAR_PX for the widest row, MIN_BAR_PX at least if not 0)

    @property
    def rest_px(self) -> int:
        return BAR_PX - self.bar_px


def bar_px(value: float | int | None, widest: float | int | None) -> int:
    """A bar's width in pixels: proportional to `value` of `widest` (BAR_PX), MIN_BAR_PX at least
    for a non-zero value, 0 for none."""
    if not value or not widest:
        return 0
    return max(MIN_BAR_PX, min(BAR_PX, round(BAR_PX * float(value) / float(widest))))


def mail_context(report: Report, user: User) -> dict[str, Any]:
    """What the templates need. The e-mail leaves the system, so restricted records in it are
    judged as read by nobody – also for a recipient who may read them (app.core.restriction):
    "Lotsärende med begränsad åtkomst – öppna i Lotsbok", without title or company.

    Worked out in the mail's language (MAIL_LANGUAGE, as render_mail renders it), not in that of
    the request that previews or queues it: a text made here (such as that neutral wording) is
    fixed before the templates run."""
    with force_locale(MAIL_LANGUAGE):
        return _mail_context(report, user)


def _mail_context(report: Report, user: User) -> dict[str, Any]:
    rows = report.focus_rows
    widest = max((int(r.contacts.value or 0) for r in rows), default=0)
    return {
        "user": user,
        "report": report,
        "period": report.scope.period,
        "previous_period": report.previous_scope.period,
        "focus_lines": [
            FocusLine(
                r.focus_area.name,
                int(r.contacts.value or 0),
                int(r.contacts.previous or 0),
                int(r.companies.value or 0),
                int(r.cases_new.value or 0),
                int(r.cases_closed.value or 0),
                int(r.visits.value or 0),
                bar_width(r.contacts.value, widest),
                bar_px(r.contacts.value, widest),
            )
            for r in rows
        ],
        "bar_total": BAR_PX,
        "notable": notable_for(report, user, outside=True),
        "dashboard_url": external_url("reports.dashboard", **report.scope.period.to_args()),
        "settings_url": _settings_url(),
    }


def _settings_url() -> str | None:
    from app.mail.render import external_url_or_none

    return external_url_or_none("followups.settings")


def render_summary(report: Report, user: User) -> RenderedMail:
    """The e-mail as `user` would receive it (preview page and CLI --preview)."""
    return render_mail(TEMPLATE, language=MAIL_LANGUAGE, **mail_context(report, user))


def queue_monthly_summaries(period: Period, *, now: datetime | None = None) -> int:
    """Queue the summary of `period` for every recipient who has not got it yet; returns how
    many were queued. Builds the figures once. Does not commit."""
    now = now or utcnow()
    pending = pending_recipients(period)
    if not pending:
        return 0
    report = build_report(Scope(period), now=now)
    queued = 0
    for user in pending:
        if (
            queue_mail(user.email, TEMPLATE, summary_key(user.id, period), **mail_context(report, user))
            is not None
        ):
            queued += 1
    return queued


def due_period(now: datetime) -> Period | None:
    """The month whose summary should be out by `now`: the previous month once it is 07:00 on
    (or after) the 1st. Always the previous month after 07:00 on the 1st; None before that
    moment on the 1st (the month before last has been sent by then)."""
    period = previous_month(now)
    return period if now >= send_time(period) else None
