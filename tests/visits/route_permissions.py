"""Route × role table for company visits: ledning and lots plan and record, chef reads, admin
maintains the question bank and the yearly target."""

from __future__ import annotations

from app.visits.models import VisitQuestion
from tests.route_permissions import Route, catalogue_routes


def _question_position(question_id: int) -> int:
    from app.extensions import db
    from app.visits.models import VisitQuestion

    db.session.expire_all()
    return db.session.get(VisitQuestion, question_id).position


VIEWERS = frozenset({"lots", "ledning", "chef"})
EDITORS = frozenset({"lots", "ledning"})
ADMIN = frozenset({"admin"})


def _vid(w):
    return {"visit_id": w.visit.id}


ROUTES = {
    "visits.list": Route(allowed=VIEWERS),
    "visits.calendar": Route(allowed=VIEWERS),
    "visits.proposals": Route(allowed=VIEWERS),
    "visits.stats": Route(allowed=VIEWERS),
    "visits.detail": Route(allowed=VIEWERS, args=_vid),
    "visits.brief": Route(allowed=VIEWERS, args=_vid),
    "visits.company_brief": Route(allowed=VIEWERS, args=lambda w: {"company_id": w.visit_company_id}),
    "visits.ics": Route(allowed=VIEWERS, args=_vid, marker="BEGIN:VCALENDAR"),
    "visits.new": Route(allowed=EDITORS),
    "visits.host_choices": Route(
        allowed=EDITORS, args=lambda w: {"company_id": w.visit_company_id}, marker="application/json"
    ),
    "visits.edit": Route(allowed=EDITORS, args=_vid),
    "visits.record": Route(allowed=EDITORS, args=_vid),
    "visits.cancel": Route("POST", allowed=EDITORS, args=_vid, data=lambda w: {"version": "999"}),
    **catalogue_routes(
        "visit_questions",
        VisitQuestion,
        lambda w: w.visit_question_id,
        retired=lambda question: not question.is_active,
    ),
    "admin.visit_questions_move": Route(
        "POST",
        allowed=ADMIN,
        args=lambda w: {"entry_id": w.visit_question_id},
        data=lambda w: {"direction": "down"},
        effect=lambda w: _question_position(w.visit_question_id) > w.visit_question_position,
    ),
    "visits.targets": Route(allowed=ADMIN),
}


def build_world(world) -> None:
    from datetime import timedelta

    import sqlalchemy as sa

    from app.core.time import utcnow
    from app.extensions import db
    from app.visits.models import VisitQuestion
    from tests.builders.companies import make_company
    from tests.builders.visits import make_visit

    company = make_company("Besöksföretaget AB")
    world.visit = make_visit(
        company,
        world.users["lots"],
        ledning=[world.users["ledning"]],
        office=[world.users["lots"]],
        starts_at=(utcnow() + timedelta(days=3)).replace(microsecond=0),
    )
    world.visit_company_id = company.id
    world.visit_question_id = db.session.scalar(
        sa.select(VisitQuestion.id).order_by(VisitQuestion.id).limit(1)
    )
    world.visit_question_position = db.session.get(VisitQuestion, world.visit_question_id).position
