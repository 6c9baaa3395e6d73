"""Personal data in follow-ups, for app.privacy: follow-ups that concern a person, anonymisation
of their text, and the retention target "Uppföljningar" (closed ones may be deleted: no other
table references a follow-up)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.personal_data import FoundRecord, RetentionTarget, Subject, contains_any, replace_in_columns
from app.extensions import db
from app.followups.models import OPEN, FollowUp


def find(subject: Subject, values: list[str], related: dict[str, set[int]]) -> list[FoundRecord]:
    """Follow-ups on the subject's contacts, cases, visits or own firm, assigned to or made by
    them (kommun users), or naming them in title or note."""
    conditions = []
    if related.get("interactions"):
        conditions.append(FollowUp.interaction_id.in_(related["interactions"]))
    if related.get("lots_cases"):
        conditions.append(FollowUp.case_id.in_(related["lots_cases"]))
    if related.get("company_visits"):
        conditions.append(FollowUp.visit_id.in_(related["company_visits"]))
    if subject.company_ids:
        conditions.append(FollowUp.company_id.in_(subject.company_ids))
    if subject.user_ids:
        conditions.append(
            sa.or_(FollowUp.assignee_id.in_(subject.user_ids), FollowUp.created_by_id.in_(subject.user_ids))
        )
    if values:
        conditions.append(
            sa.or_(
                contains_any(FollowUp.title, values),
                contains_any(FollowUp.note, values),
                contains_any(FollowUp.done_note, values),
            )
        )
    if not conditions:
        return []
    found = []
    for item in db.session.scalars(
        sa.select(FollowUp).where(sa.or_(*conditions)).order_by(FollowUp.due_on, FollowUp.id)
    ):
        fields = {
            _("Vad"): item.title,
            _("Anteckning"): item.note,
            _("Status"): item.status_label,
            _("Klar-anteckning"): item.done_note,
        }
        found.append(
            FoundRecord(
                _("Uppföljning"),
                "followups",
                item.id,
                item.title,
                item.due_on,
                {k: v for k, v in fields.items() if v},
            )
        )
    return found


def anonymise(subject: Subject, values: list[str], now: datetime) -> int:
    return replace_in_columns(FollowUp, ["title", "note", "done_note"], values)


def _due(cutoff: datetime):
    return sa.and_(FollowUp.status != OPEN, FollowUp.closed_at < cutoff)


def _count_due(cutoff: datetime, action: str = "delete") -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp).where(_due(cutoff))) or 0


def _apply(cutoff: datetime, action: str, now: datetime) -> int:
    return db.session.execute(
        sa.delete(FollowUp).where(_due(cutoff)).execution_options(synchronize_session=False)
    ).rowcount


RETENTION_TARGETS = [
    RetentionTarget(
        "followups",
        _l("Uppföljningar (klara och avbrutna)"),
        _l("år efter att uppföljningen stängdes"),
        ("delete",),
        _count_due,
        _apply,
    ),
]
