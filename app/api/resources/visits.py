"""/api/v1/visits: company visits – list and read (app.visits.queries and services)."""

from __future__ import annotations

from typing import Any

from app.api.auth import actor, requires
from app.api.common import ID, PageArgs, etag_headers, page_schema, paged
from app.api.fields import Int, Moment, Nested, NestedList, OneOf, Schema, Str
from app.api.spec import ETAG_HEADER, Blueprint, problems
from app.core.permissions import Perm
from app.visits import queries, services
from app.visits.models import STATUS_LABELS, CompanyVisit

blp = Blueprint("api_visits", __name__, url_prefix="/api/v1", description="Företagsbesök.")


class VisitListArgs(PageArgs):
    which = OneOf(list(queries.LIST_FILTERS), load_default="upcoming", metadata={
        "description": "upcoming (föreslagna och planerade, närmast först), mine (mina kommande), done "
                       "(genomförda), cancelled (inställda), all."})  # fmt: skip


class ParticipantSchema(Schema):
    user_id = Int(metadata={"description": "Användare."})
    name = Str(metadata={"description": "Namn."})
    side = Str(metadata={"description": "ledning (kommunledningen) eller kontor (näringslivskontoret)."})


class VisitSchema(Schema):
    id = Int(metadata={"description": "Besökets id."})
    company_id = Int(metadata={"description": "Företaget."})
    company_name = Str(metadata={"description": "Företagets namn."})
    status = Str(metadata={"description": "Status: " + ", ".join(STATUS_LABELS) + "."})
    status_label = Str(metadata={"description": "Status i klartext."})
    starts_at = Moment(metadata={"description": "Börjar (UTC)."})
    ends_at = Moment(metadata={"description": "Slutar (UTC)."})
    place = Str(metadata={"description": "Plats."})
    purpose = Str(metadata={"description": "Syfte."})
    host = Str(metadata={"description": "Värd på företaget."})
    host_contact_person_id = Int(allow_none=True, metadata={"description": "Värden som kontaktperson."})
    organizer_id = Int(allow_none=True, metadata={"description": "Den som planerade besöket."})
    participants = NestedList(Nested(ParticipantSchema), metadata={"description": "Deltagare."})
    focus_area_ids = NestedList(Int(), metadata={"description": "Fokusområden att ta upp."})
    interaction_id = Int(
        allow_none=True, metadata={"description": "Kontakten besöket blev när det registrerades."}
    )
    recorded_at = Moment(allow_none=True, metadata={"description": "Registrerat (UTC)."})
    cancelled_at = Moment(allow_none=True, metadata={"description": "Inställt (UTC)."})
    version = Int(metadata={"description": "Postens version (samma som ETag)."})


VisitPage = page_schema(VisitSchema, "VisitPage")


def present(v: CompanyVisit, *, focus: bool = True) -> dict[str, Any]:
    return {
        "id": v.id, "company_id": v.company_id, "company_name": v.company.name, "status": v.status,
        "status_label": v.status_label, "starts_at": v.starts_at, "ends_at": v.ends_at, "place": v.place,
        "purpose": v.purpose, "host": v.host_display if focus else v.host_name,
        "host_contact_person_id": v.host_contact_person_id, "organizer_id": v.organizer_id,
        "participants": [{"user_id": p.user_id, "name": p.user.name, "side": p.side} for p in v.participants],
        "focus_area_ids": [a.id for a in v.focus_areas] if focus else [], "interaction_id": v.interaction_id,
        "recorded_at": v.recorded_at, "cancelled_at": v.cancelled_at, "version": v.version,
    }  # fmt: skip


@blp.route("/visits", methods=["GET"])
@requires(Perm.VIEW_VISITS)
@blp.arguments(VisitListArgs, location="query", as_kwargs=True)
@blp.response(
    200,
    VisitPage,
    description="En sida företagsbesök (focus_area_ids och värdens namn bara när ett besök hämtas).",
)
@problems(blp, 403, 422)
def list_visits(cursor: str | None = None, limit: int = 25, which: str = "upcoming"):
    """Lista företagsbesök – samma listor som under Besök."""
    return paged(
        lambda: queries.list_visits_after(which, actor(), cursor=cursor, limit=limit),
        lambda items: [present(v, focus=False) for v in items],
    )


@blp.route(f"/visits/<{ID}:visit_id>", methods=["GET"])
@requires(Perm.VIEW_VISITS)
@blp.response(200, VisitSchema, headers={"ETag": ETAG_HEADER})
@problems(blp, 403, 404)
def get_visit(visit_id: int):
    """Ett företagsbesök."""
    visit = services.load_visit(visit_id)
    return present(visit), 200, etag_headers(visit)
