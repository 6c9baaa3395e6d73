""" "Följ upp" on the contact form: the choices, the date each one sets, and their labels.

The date counts from the day the contact is logged (Stockholm), not from the contact's own date:
a follow-up is a task ahead, and one set while back-filling last month's call must not land in
the past. It moves to the next working day (app.core.calendar). The form's labels show that date
("Om 2 veckor – mån 14 dec"), computed here so the label and the saved follow-up always agree.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.calendar import working_day_on_or_after
from app.core.errors import ValidationError
from app.core.time import local_today, utcnow
from app.followups import services as followups
from app.interactions.inputs import FollowUpRequest

FOLLOW_UP_CHOICES: dict[str, str] = {
    "": _l("Ingen uppföljning"),
    "1w": _l("Om 1 vecka"),
    "2w": _l("Om 2 veckor"),
    "1m": _l("Om 1 månad"),
    "date": _l("Välj datum"),
}

_DATED: dict[str, str] = {
    "1w": _l("Om 1 vecka – %(date)s"),
    "2w": _l("Om 2 veckor – %(date)s"),
    "1m": _l("Om 1 månad – %(date)s"),
}


def follow_up_due(request: FollowUpRequest, now: datetime) -> date | None:
    """The due date of a follow-up chosen at `now`, or None for "Ingen uppföljning"."""
    today = local_today(now)
    if request.when == "1w":
        due = today + timedelta(weeks=1)
    elif request.when == "2w":
        due = today + timedelta(weeks=2)
    elif request.when == "1m":
        due = followups.add_months(today, 1)
    elif request.when == "date":
        if request.on is None:
            raise ValidationError(_("Välj ett datum för uppföljningen."), field="followup_on")
        if request.on < today:
            raise ValidationError(_("Välj ett datum från och med i dag."), field="followup_on")
        return request.on
    elif not request.when:
        return None
    else:
        raise ValidationError(_("Välj när du vill följa upp."), field="followup")
    return working_day_on_or_after(due)


def short_day(day: date) -> str:
    """ "mån 14 dec" (Swedish) / "Mon 14 Dec" (English): weekday, day and month, no year."""
    return format_date(day, "EEE d MMM").replace(".", "")


def follow_up_choices(now: datetime | None = None) -> list[tuple[str, str]]:
    """The choices of "Följ upp" with the date each sets when chosen at `now`."""
    now = now or utcnow()
    return [
        (
            when,
            _DATED[when] % {"date": short_day(due)}
            if when in _DATED and (due := follow_up_due(FollowUpRequest(when=when), now))
            else str(label),
        )
        for when, label in FOLLOW_UP_CHOICES.items()
    ]
