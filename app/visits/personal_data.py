"""Personal data in company visits, for app.privacy: visits where a person was host or
participant (or is named), anonymisation of their text, and the retention target
"Företagsbesök" (content is cleared; visits are not deleted: follow-ups point at them)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.personal_data import (
    PLACEHOLDER,
    FoundRecord,
    RetentionTarget,
    Subject,
    contains_any,
    replace_in_columns,
)
from app.extensions import db
from app.visits.models import CANCELLED, DONE, CompanyVisit, VisitParticipant

GALLRAT = "[gallrat]"


def find(subject: Subject, values: list[str]) -> list[FoundRecord]:
    conditions = []
    if subject.contact_person_ids:
        conditions.append(CompanyVisit.host_contact_person_id.in_(subject.contact_person_ids))
    if subject.company_ids:
        conditions.append(CompanyVisit.company_id.in_(subject.company_ids))
    if subject.user_ids:
        conditions.append(CompanyVisit.organizer_id.in_(subject.user_ids))
        conditions.append(
            CompanyVisit.id.in_(
                sa.select(VisitParticipant.visit_id).where(VisitParticipant.user_id.in_(subject.user_ids))
            )
        )
    if values:
        conditions.append(
            sa.or_(
                contains_any(CompanyVisit.host_name, values),
                contains_any(CompanyVisit.purpose, values),
                contains_any(CompanyVisit.cancel_reason, values),
                contains_any(CompanyVisit.key_messages, values),
            )
        )
    if not conditions:
        return []
    found = []
    for visit in db.session.scalars(
        sa.select(CompanyVisit).where(sa.or_(*conditions)).order_by(CompanyVisit.starts_at)
    ):
        role = _("värd") if visit.host_contact_person_id in subject.contact_person_ids else ""
        fields = {
            _("Status"): str(visit.status_label),
            _("Plats"): visit.place,
            _("Syfte"): visit.purpose,
            _("Värd (fritext)"): visit.host_name,
            _("Roll"): role,
            _("Skäl till inställt"): visit.cancel_reason,
            _("Budskap och frågor"): visit.key_messages,
        }
        found.append(
            FoundRecord(
                _("Företagsbesök"),
                "company_visits",
                visit.id,
                _("Besök hos företag %(id)s", id=visit.company_id),
                visit.starts_at,
                {k: v for k, v in fields.items() if v},
            )
        )
    return found


def anonymise(subject: Subject, values: list[str], now: datetime) -> int:
    changed = replace_in_columns(
        CompanyVisit, ["host_name", "purpose", "cancel_reason", "place", "key_messages"], values
    )
    if subject.contact_person_ids:
        changed += db.session.execute(
            sa.update(CompanyVisit)
            .where(
                CompanyVisit.host_contact_person_id.in_(subject.contact_person_ids),
                CompanyVisit.host_name != "",
            )
            .values(host_name=PLACEHOLDER)
            .execution_options(synchronize_session=False)
        ).rowcount
    return changed


def _due(cutoff: datetime):
    return sa.and_(
        CompanyVisit.status.in_([DONE, CANCELLED]),
        CompanyVisit.starts_at < cutoff,
        CompanyVisit.purpose != GALLRAT,
    )


def _count_due(cutoff: datetime, action: str = "anonymise") -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(CompanyVisit).where(_due(cutoff))) or 0


def _apply(cutoff: datetime, action: str, now: datetime) -> int:
    return db.session.execute(
        sa.update(CompanyVisit)
        .where(_due(cutoff))
        .values(purpose=GALLRAT, cancel_reason="", host_name="", key_messages="")
        .execution_options(synchronize_session=False)
    ).rowcount


RETENTION_TARGETS = [
    RetentionTarget(
        "company_visits",
        _l("Företagsbesök (genomförda och inställda)"),
        _l("år efter besöket"),
        ("anonymise",),
        _count_due,
        _apply,
    ),
]
