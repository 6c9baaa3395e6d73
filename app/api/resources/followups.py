"""/api/v1/followups: my follow-ups – list, read, complete, snooze (app.followups.services)."""

from __future__ import annotations

from typing import Any

from app.api.auth import actor, expected_version, requires
from app.api.boundary import write
from app.api.common import ID, IF_MATCH_OPTIONAL, PageArgs, etag_headers, page_schema, paged
from app.api.fields import Clock, Day, Int, Moment, OneOf, Schema, Str
from app.api.problems import Problem
from app.api.spec import ETAG_HEADER, Blueprint, problems
from app.core.permissions import Perm
from app.extensions import db
from app.followups import queries, services
from app.followups.models import SOURCES, STATUS_LABELS, FollowUp

blp = Blueprint(
    "api_followups", __name__, url_prefix="/api/v1", description="Uppföljningar: mina att göra-poster."
)


class MineArgs(PageArgs):
    status = OneOf(
        [*STATUS_LABELS, "all"],
        load_default="open",
        metadata={"description": "open (standard), done, cancelled eller all."},
    )
    period = OneOf(
        ["all", "overdue", "today", "week"],
        load_default="all",
        metadata={"description": "all, overdue (försenade), today (idag), week (till och med söndag)."},
    )


class FollowUpSchema(Schema):
    id = Int(metadata={"description": "Uppföljningens id."})
    title = Str(metadata={"description": "Vad som ska göras.", "example": "Ring om detaljplanen"})
    note = Str(metadata={"description": "Anteckning."})
    due_on = Day(metadata={"description": "Datum."})
    due_time = Clock(allow_none=True, metadata={"description": "Klockslag (TT:MM), null för hela dagen."})
    assignee_id = Int(metadata={"description": "Ansvarig (användar-id)."})
    assignee_name = Str(metadata={"description": "Ansvarigs namn."})
    company_id = Int(
        allow_none=True, metadata={"description": "Företaget, null för en fristående uppföljning."}
    )
    company_name = Str(allow_none=True, metadata={"description": "Företagets namn."})
    interaction_id = Int(allow_none=True, metadata={"description": "Kontakten den kom från."})
    case_id = Int(allow_none=True, metadata={"description": "Lotsärendet (åtgärd i ett ärende)."})
    visit_id = Int(allow_none=True, metadata={"description": "Företagsbesöket (ett löfte)."})
    source = Str(metadata={"description": "Källa: " + ", ".join(SOURCES) + "."})
    status = Str(metadata={"description": "open, done eller cancelled."})
    done_on = Day(allow_none=True, metadata={"description": "Klar datum."})
    done_note = Str(metadata={"description": "Anteckning när den blev klar."})
    closed_at = Moment(allow_none=True, metadata={"description": "Stängd (UTC)."})
    snooze_count = Int(metadata={"description": "Antal gånger den skjutits upp."})
    version = Int(metadata={"description": "Postens version (samma som ETag)."})


FollowUpPage = page_schema(FollowUpSchema, "FollowUpPage")


class CompleteSchema(Schema):
    note = Str(
        metadata={
            "description": "Vad som blev gjort (valfritt).",
            "example": "Pratat med VD, återkommer i maj.",
        }
    )


class SnoozeSchema(Schema):
    until = Day(metadata={"description": "Nytt datum (efter idag)."})
    days = Int(
        minimum=1,
        maximum=366,
        metadata={"description": "Eller: antal dagar framåt; 1 betyder nästa arbetsdag."},
    )


def present(f: FollowUp) -> dict[str, Any]:
    return {
        "id": f.id, "title": f.title, "note": f.note, "due_on": f.due_on, "due_time": f.due_time,
        "assignee_id": f.assignee_id, "assignee_name": f.assignee.name, "company_id": f.company_id,
        "company_name": f.company.name if f.company_id and f.company else None, "interaction_id": f.interaction_id,
        "case_id": f.case_id, "visit_id": f.visit_id, "source": f.source, "status": f.status, "done_on": f.done_on,
        "done_note": f.done_note, "closed_at": f.closed_at, "snooze_count": f.snooze_count, "version": f.version,
    }  # fmt: skip


def _visible(followup_id: int) -> FollowUp:
    """The API serves the caller's own follow-ups only ("mine"): a colleague's may carry the
    title of a contact or case the caller may not read."""
    followup = queries.get_followup_or_404(followup_id)
    if followup.assignee_id != actor().id or not queries.can_view(actor(), followup):
        raise Problem(403, "Via API:t når du bara dina egna uppföljningar.")
    return followup


def _reply(followup_id: int):
    db.session.expire_all()
    followup = _visible(followup_id)
    return _present_all([followup])[0], 200, etag_headers(followup)


def _present_all(followups: list[FollowUp]) -> list[dict[str, Any]]:
    """As the follow-up pages show them (app.core.restriction): one that hangs on a contact or
    case the caller may not read is "Uppföljning med begränsad åtkomst" without notes; showing
    one the caller may read is an audited read."""
    return [present(f) for f in queries.shown_followups(actor(), followups)]


@blp.route("/followups/mine", methods=["GET"])
@requires(Perm.VIEW_FOLLOWUPS)
@blp.arguments(MineArgs, location="query", as_kwargs=True)
@blp.response(200, FollowUpPage, description="En sida av mina uppföljningar; öppna närmast först.")
@problems(blp, 403, 422)
def mine(cursor: str | None = None, limit: int = 25, status: str = "open", period: str = "all"):
    """Mina uppföljningar (samma som Uppföljningar → mina)."""
    flt = queries.FollowUpFilter(assignee_id=actor().id, status=status, period=period)
    return paged(lambda: queries.list_followups_after(flt, cursor=cursor, limit=limit), _present_all)


@blp.route(f"/followups/<{ID}:followup_id>", methods=["GET"])
@requires(Perm.VIEW_FOLLOWUPS)
@blp.response(200, FollowUpSchema, headers={"ETag": ETAG_HEADER})
@problems(blp, 403, 404)
def get_followup(followup_id: int):
    """En av dina uppföljningar."""
    return _reply(followup_id)


@blp.route(f"/followups/<{ID}:followup_id>/complete", methods=["POST"])
@requires(Perm.EDIT_FOLLOWUPS)
@blp.arguments(CompleteSchema)
@blp.response(200, FollowUpSchema, description="Uppföljningen är klar.", headers={"ETag": ETAG_HEADER})
@blp.doc(parameters=[IF_MATCH_OPTIONAL])
@problems(blp, 403, 404, 409, 412, 415)
def complete(data: dict[str, Any], followup_id: int):
    """Markera som klar idag, med en valfri anteckning."""
    followup = _visible(followup_id)
    version = expected_version(followup, required=False)
    write(
        lambda: services.complete_followup(
            followup, actor=actor(), note=data.get("note", ""), expected_version=version
        )
    )
    return _reply(followup_id)


@blp.route(f"/followups/<{ID}:followup_id>/snooze", methods=["POST"])
@requires(Perm.EDIT_FOLLOWUPS)
@blp.arguments(SnoozeSchema)
@blp.response(200, FollowUpSchema, description="Uppföljningen är uppskjuten.", headers={"ETag": ETAG_HEADER})
@blp.doc(parameters=[IF_MATCH_OPTIONAL])
@problems(blp, 403, 404, 409, 412, 422, 415)
def snooze(data: dict[str, Any], followup_id: int):
    """Skjut upp till ett datum (until) eller ett antal dagar (days; standard nästa arbetsdag)."""
    followup = _visible(followup_id)
    version = expected_version(followup, required=False)
    until = data.get("until") or services.snooze_days(data.get("days", 1))
    write(lambda: services.snooze_followup(followup, until, actor=actor(), expected_version=version))
    return _reply(followup_id)
