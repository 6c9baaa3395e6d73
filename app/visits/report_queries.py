"""The report figures' queries on company visits (app.reports counts with them and its
drill-downs list with them): status genomfört with starts_at in the period; "with
kommunledning": at least one participant from kommunledning's side. A focus-area filter takes
the visit's focus areas; a user filter the organizer OR a participant."""

from __future__ import annotations

import sqlalchemy as sa

from app.core.report_scope import ReportScope
from app.extensions import db
from app.visits.models import DONE, LEDNING, CompanyVisit, VisitParticipant, visit_focus_areas


def ids_in_focus_area(focus_area_id: int) -> sa.Select:
    """The ids of the visits in a focus area, for what hangs on them (follow-ups)."""
    return sa.select(visit_focus_areas.c.visit_id).where(visit_focus_areas.c.focus_area_id == focus_area_id)


def visits_where(scope: ReportScope, *, with_ledning: bool = False) -> list[sa.ColumnElement[bool]]:
    p = scope.period
    conds: list[sa.ColumnElement[bool]] = [
        CompanyVisit.status == DONE,
        CompanyVisit.starts_at >= p.start_utc,
        CompanyVisit.starts_at < p.end_utc,
    ]
    if with_ledning:
        conds.append(
            CompanyVisit.id.in_(sa.select(VisitParticipant.visit_id).where(VisitParticipant.side == LEDNING))
        )
    if scope.focus_area_id:
        conds.append(CompanyVisit.id.in_(ids_in_focus_area(scope.focus_area_id)))
    if scope.user_id:
        conds.append(
            sa.or_(
                CompanyVisit.organizer_id == scope.user_id,
                CompanyVisit.id.in_(
                    sa.select(VisitParticipant.visit_id).where(VisitParticipant.user_id == scope.user_id)
                ),
            )
        )
    return conds


def visits_by_focus(scope: ReportScope) -> dict[int, int]:
    stmt = (
        sa.select(visit_focus_areas.c.focus_area_id, sa.func.count())
        .select_from(CompanyVisit)
        .join(visit_focus_areas, visit_focus_areas.c.visit_id == CompanyVisit.id)
        .where(*visits_where(scope))
        .group_by(visit_focus_areas.c.focus_area_id)
    )
    return dict(db.session.execute(stmt).all())


def visits_by_user(scope: ReportScope) -> dict[int, int]:
    """{user: visits in the scope as organizer or participant}."""
    pairs = sa.union(
        sa.select(CompanyVisit.id.label("vid"), CompanyVisit.organizer_id.label("uid")).where(
            *visits_where(scope), CompanyVisit.organizer_id.is_not(None)
        ),
        sa.select(VisitParticipant.visit_id.label("vid"), VisitParticipant.user_id.label("uid"))
        .join(CompanyVisit, CompanyVisit.id == VisitParticipant.visit_id)
        .where(*visits_where(scope)),
    ).subquery()
    return dict(db.session.execute(sa.select(pairs.c.uid, sa.func.count()).group_by(pairs.c.uid)).all())
