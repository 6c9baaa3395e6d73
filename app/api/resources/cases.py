"""/api/v1/cases: lots cases – list, read (restriction as on the case page), create, status
transitions and permit rows, through app.cases.services."""

from __future__ import annotations

from typing import Any

from app.api.auth import actor, expected_version, requires
from app.api.boundary import audited_read, write
from app.api.common import ID, IF_MATCH, PageArgs, etag_headers, page_schema, paged
from app.api.fields import Bool, Day, Id, IdList, Int, Moment, Nested, NestedList, OneOf, Schema, Str
from app.api.problems import Problem
from app.api.spec import ETAG_HEADER, LOCATION_HEADER, Blueprint, problems
from app.cases import permits, queries, rules, services, workflow
from app.cases.deadlines import STATE_LABELS
from app.cases.models import (
    INTAKE_CHANNELS,
    LEGACY_INTAKE_CHANNELS,
    LEGACY_PERMIT_OUTCOMES,
    LEGACY_PRIORITIES,
    PERMIT_OUTCOMES,
    PRIORITIES,
    LotsCase,
)
from app.core import restriction
from app.core.permissions import Perm
from app.core.time import local_today
from app.extensions import db

blp = Blueprint(
    "api_cases", __name__, url_prefix="/api/v1", description="Lotsärenden: ärenden, status och tillstånd."
)

STATUSES = [s.value for s in workflow.CaseStatus]
OUTCOMES = [o.value for o in workflow.Outcome]


class CaseListArgs(PageArgs):
    view = OneOf(list(queries.VIEWS), load_default="oppna", metadata={
        "description": "Lista: mina, oppna (alla öppna), vantar (väntar på förvaltning), frister (frist nära "
                       "eller passerad), avslutade, alla."})  # fmt: skip
    status = OneOf(STATUSES, legacy=workflow.LEGACY_STATUS_CODES, metadata={"description": "Status."})
    case_type_id = Id(query=True, metadata={"description": "Ärendetyp (id från /api/v1/case-types)."})
    responsible_id = Id(query=True, metadata={"description": "Ansvarig lots (användar-id)."})


class CaseSchema(Schema):
    id = Int(metadata={"description": "Ärendets id.", "example": 12})
    title = Str(
        metadata={
            "description": "Rubrik. För den som inte får läsa ett ärende med begränsad åtkomst "
            "står här ”Lotsärende med begränsad åtkomst” (se content_hidden)."
        }
    )
    description = Str(metadata={"description": "Beskrivning (tom när innehållet döljs)."})
    company_id = Int(metadata={"description": "Företaget."})
    company_name = Str(metadata={"description": "Företagets namn."})
    case_type_id = Int(metadata={"description": "Ärendetyp."})
    case_type_name = Str(metadata={"description": "Ärendetypens namn."})
    focus_area_id = Int(allow_none=True, metadata={"description": "Fokusområde (null när innehållet döljs)."})
    priority = Str(metadata={"description": "Prioritet: hog, normal, lag."})
    responsible_user_id = Int(metadata={"description": "Ansvarig lots."})
    responsible_name = Str(metadata={"description": "Ansvarig lots namn."})
    participant_ids = NestedList(
        Int(), metadata={"description": "Övriga deltagare (användar-id); bara när ett enskilt ärende hämtas."}
    )
    contact_person_id = Int(allow_none=True, metadata={"description": "Företagets kontaktperson."})
    intake_channel = Str(allow_none=True, metadata={"description": "Kanal ärendet kom in genom."})
    intake_on = Day(metadata={"description": "Datum ärendet kom in."})
    diarienummer = Str(metadata={"description": "Diarienummer, t.ex. KS 2026/123."})
    status = Str(metadata={"description": "Status: " + ", ".join(STATUSES) + "."})
    status_label = Str(metadata={"description": "Status i klartext."})
    outcome = Str(
        allow_none=True,
        metadata={"description": "Utfall när ärendet är avslutat: " + ", ".join(OUTCOMES) + "."},
    )
    closed_at = Moment(allow_none=True, metadata={"description": "Avslutat (UTC)."})
    allowed_statuses = NestedList(Str(), metadata={"description": "Statusar ärendet kan byta till nu."})
    is_restricted = Bool(metadata={"description": "Kan innehålla uppgifter som omfattas av sekretess."})
    content_hidden = Bool(
        metadata={"description": "Sant när rubrik, beskrivning och deltagare inte visas för dig."}
    )
    event_date = Day(
        allow_none=True, metadata={"description": "Evenemangets datum (ärendetyper för evenemang)."}
    )
    event_place = Str(metadata={"description": "Evenemangets plats."})
    organizer = Str(metadata={"description": "Arrangör."})
    expected_visitors = Int(allow_none=True, metadata={"description": "Förväntat antal besökare."})
    created_at = Moment(metadata={"description": "Registrerat (UTC)."})
    updated_at = Moment(metadata={"description": "Senast ändrat (UTC)."})
    version = Int(metadata={"description": "Postens version (samma som ETag)."})


CasePage = page_schema(CaseSchema, "CasePage")


class CaseCreateSchema(Schema):
    company_id = Id(required=True, metadata={"description": "Företaget (krävs).", "example": 42})
    title = Str(
        required=True,
        max_length=200,
        metadata={"description": "Rubrik (krävs).", "example": "Etablering av lager"},
    )
    case_type_id = Id(
        required=True, metadata={"description": "Ärendetyp (krävs, id från /api/v1/case-types)."}
    )
    focus_area_id = Id(
        required=True, metadata={"description": "Fokusområde (krävs, id från /api/v1/focus-areas)."}
    )
    description = Str(metadata={"description": "Beskrivning."})
    contact_person_id = Id(
        allow_none=True, metadata={"description": "Kontaktperson på företaget (får nöjdhetsenkäten)."}
    )
    priority = OneOf(
        list(PRIORITIES),
        legacy=LEGACY_PRIORITIES,
        load_default="normal",
        metadata={"description": "Prioritet (standard normal)."},
    )
    responsible_user_id = Id(allow_none=True, metadata={"description": "Ansvarig lots; standard du själv."})
    participant_ids = IdList(
        metadata={"description": "Övriga deltagare (aktiva användare från alla förvaltningar)."}
    )
    intake_channel = OneOf(
        list(INTAKE_CHANNELS),
        legacy=LEGACY_INTAKE_CHANNELS,
        allow_none=True,
        metadata={"description": "Kanal."},
    )
    intake_on = Day(
        allow_none=True, metadata={"description": "Datum ärendet kom in; standard idag. Inte i framtiden."}
    )
    diarienummer = Str(max_length=40, metadata={"description": "Diarienummer."})
    is_restricted = Bool(metadata={"description": "Kan innehålla uppgifter som omfattas av sekretess."})
    event_date = Day(allow_none=True, metadata={"description": "Evenemangets datum (evenemangstyper)."})
    event_place = Str(max_length=200, metadata={"description": "Evenemangets plats."})
    organizer = Str(max_length=200, metadata={"description": "Arrangör."})
    expected_visitors = Int(minimum=0, allow_none=True, metadata={"description": "Förväntat antal besökare."})


class StatusChangeSchema(Schema):
    status = OneOf(
        STATUSES,
        legacy=workflow.LEGACY_STATUS_CODES,
        required=True,
        metadata={
            "description": "Ny status (se allowed_statuses).",
            "example": workflow.CaseStatus.IN_PROGRESS.value,
        },
    )
    outcome = OneOf(
        OUTCOMES,
        allow_none=True,
        metadata={"description": "Utfall; krävs när ärendet avslutas, annars inte tillåtet."},
    )
    note = Str(metadata={"description": "Kommentar; krävs när ett avslutat ärende öppnas igen."})
    send_survey = Bool(
        load_default=True,
        metadata={"description": "Skicka nöjdhetsenkät när ärendet avslutas (standard ja)."},
    )


class PermitSchema(Schema):
    id = Int(metadata={"description": "Tillståndsradens id."})
    case_id = Int(metadata={"description": "Ärendet."})
    permit_type_id = Int(metadata={"description": "Tillståndstyp."})
    permit_type_name = Str(metadata={"description": "Tillståndstypens namn."})
    authority = Str(metadata={"description": "Beslutande förvaltning eller myndighet."})
    submitted_on = Day(allow_none=True, metadata={"description": "Ansökan inlämnad."})
    complete_on = Day(allow_none=True, metadata={"description": "Ansökan komplett."})
    extended = Bool(metadata={"description": "Handläggningstiden förlängd."})
    decision_on = Day(allow_none=True, metadata={"description": "Beslutsdatum."})
    outcome = Str(allow_none=True, metadata={"description": "Beslut: " + ", ".join(PERMIT_OUTCOMES) + "."})
    note = Str(metadata={"description": "Anteckning."})
    expected_decision_on = Day(
        allow_none=True,
        metadata={"description": "Senaste dag för beslut enligt lagstadgad handläggningstid."},
    )
    apply_by = Day(allow_none=True, metadata={"description": "Ansök senast (evenemang)."})
    deadline_state = Str(
        allow_none=True, metadata={"description": "Fristläge i klartext (t.ex. ”Nära”, ”Passerad”)."}
    )
    fee_reduction_percent = Int(
        metadata={"description": "Avgiftsnedsättning i procent vid sent beslut (PBL 12:8 a)."}
    )
    version = Int(metadata={"description": "Postens version (samma som ETag)."})


class PermitList(Schema):
    items = NestedList(Nested(PermitSchema), metadata={"description": "Ärendets tillståndsrader."})


def _permit_fields(create: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "authority": Str(
            max_length=200,
            metadata={"description": "Förvaltning/myndighet; standard katalogens beslutande instans."},
        ),
        "submitted_on": Day(allow_none=True, metadata={"description": "Inlämnad."}),
        "complete_on": Day(allow_none=True, metadata={"description": "Komplett."}),
        "extended": Bool(metadata={"description": "Förlängd handläggningstid."}),
        "decision_on": Day(allow_none=True, metadata={"description": "Beslutsdatum (kräver beslut)."}),
        "outcome": OneOf(
            list(PERMIT_OUTCOMES),
            legacy=LEGACY_PERMIT_OUTCOMES,
            allow_none=True,
            metadata={"description": "Beslut (kräver beslutsdatum)."},
        ),
        "note": Str(metadata={"description": "Anteckning."}),
    }
    if create:
        fields["permit_type_id"] = Id(
            required=True, metadata={"description": "Tillståndstyp (krävs, id från /api/v1/permit-types)."}
        )
    return fields


PermitCreateSchema = type("PermitCreateSchema", (Schema,), _permit_fields(create=True))
PermitPatchSchema = type("PermitPatchSchema", (Schema,), _permit_fields(create=False))


def present_case(case: LotsCase, *, full: bool, participants: list[int] | None = None) -> dict[str, Any]:
    return {
        "id": case.id, "title": case.title if full else rules.RESTRICTED_TITLE,
        "description": case.description if full else "", "company_id": case.company_id,
        "company_name": case.company.name, "case_type_id": case.case_type_id, "case_type_name": case.case_type.name,
        "focus_area_id": case.focus_area_id if full else None, "priority": case.priority,
        "responsible_user_id": case.responsible_user_id, "responsible_name": case.responsible.name,
        "participant_ids": (participants or []) if full else [],
        "contact_person_id": case.contact_person_id if full else None,
        "intake_channel": case.intake_channel, "intake_on": case.intake_on,
        "diarienummer": case.diarienummer if full else "", "status": case.status, "status_label": case.status_label,
        "outcome": case.outcome, "closed_at": case.closed_at,
        "allowed_statuses": workflow.allowed_targets(case.status), "is_restricted": case.is_restricted,
        "content_hidden": not full, "event_date": case.event_date if full else None,
        "event_place": case.event_place if full else "", "organizer": case.organizer if full else "",
        "expected_visitors": case.expected_visitors if full else None, "created_at": case.created_at,
        "updated_at": case.updated_at, "version": case.version,
    }  # fmt: skip


def present_permit(item: queries.PermitRow) -> dict[str, Any]:
    row, clock = item.row, item.clock
    state = clock.decision_state or clock.apply_by_state
    return {
        "id": row.id, "case_id": row.case_id, "permit_type_id": row.permit_type_id,
        "permit_type_name": item.permit_type.name, "authority": row.authority, "submitted_on": row.submitted_on,
        "complete_on": row.complete_on, "extended": row.extended, "decision_on": row.decision_on,
        "outcome": row.outcome, "note": row.note, "expected_decision_on": row.expected_decision_on,
        "apply_by": row.apply_by, "deadline_state": STATE_LABELS[state] if state else None,
        "fee_reduction_percent": clock.fee_reduction_percent, "version": row.version,
    }  # fmt: skip


def _case(case_id: int) -> LotsCase:
    return queries.get_case_or_404(case_id)


def _read(case: LotsCase) -> dict[str, Any]:
    """The case as the actor may see it; a full read of a restricted case is audited."""
    full = services.read_case(case, actor=actor())
    participants = [u.id for u in queries.participants(case.id)] if full else []
    return present_case(case, full=full, participants=participants)


def _reply(case_id: int, status: int = 200, location: bool = False):
    db.session.expire_all()
    case = _case(case_id)
    body = audited_read(_read(case))
    loc = ("api_cases.get_case", {"case_id": case_id}) if location else None
    return body, status, etag_headers(case, loc)


def _readable_or_403(case: LotsCase) -> None:
    if not services.read_case(case, actor=actor()):
        raise Problem(
            403, "Ärendet har begränsad åtkomst och visas bara för ansvarig lots, deltagarna och behöriga."
        )


@blp.route("/cases", methods=["GET"])
@requires(Perm.VIEW_CASES)
@blp.arguments(CaseListArgs, location="query", as_kwargs=True)
@blp.response(200, CasePage, description="En sida lotsärenden.")
@problems(blp, 403, 422)
def list_cases(cursor: str | None = None, limit: int = 25, view: str = "oppna", **filters: Any):
    """Lista lotsärenden – samma listor och filter som i webbgränssnittet."""
    flt = queries.CaseFilter(view=view, status=filters.get("status", ""), case_type_id=filters.get("case_type_id"),
                             responsible_id=filters.get("responsible_id"))  # fmt: skip
    me = actor()

    def present(items) -> list[dict[str, Any]]:
        verdicts = restriction.judge(me, items, case=lambda c: c.id)
        return [
            present_case(c, full=restriction.reveal(me, v, where="api"), participants=None)
            for v, c in zip(verdicts, items, strict=True)
        ]

    return paged(
        lambda: queries.list_cases_after(
            flt, user=me, today=local_today(), near_days=permits.near_days(), cursor=cursor, limit=limit
        ),  # fmt: skip
        present,
    )


@blp.route(f"/cases/<{ID}:case_id>", methods=["GET"])
@requires(Perm.VIEW_CASES)
@blp.response(200, CaseSchema, headers={"ETag": ETAG_HEADER})
@problems(blp, 403, 404)
def get_case(case_id: int):
    """Ett lotsärende. Ett ärende med begränsad åtkomst visas sammanfattat för den som inte får
    läsa det; varje fullständig läsning loggas."""
    return _reply(case_id)


@blp.route("/cases", methods=["POST"])
@requires(Perm.EDIT_CASES)
@blp.arguments(CaseCreateSchema)
@blp.response(201, CaseSchema, description="Ärendet är registrerat (status inkommet).",
              headers={"ETag": ETAG_HEADER, "Location": LOCATION_HEADER})  # fmt: skip
@problems(blp, 403, 409, 422, 415)
def create_case(data: dict[str, Any]):
    """Registrera ett lotsärende (t.ex. från e-tjänsten för lotsförfrågningar)."""
    data["participant_ids"] = tuple(data.get("participant_ids", ()))
    case = write(lambda: services.create_case(services.CaseInput(**data), actor=actor()))
    return _reply(case.id, 201, location=True)


@blp.route(f"/cases/<{ID}:case_id>/status", methods=["POST"])
@requires(Perm.EDIT_CASES)
@blp.arguments(StatusChangeSchema)
@blp.response(200, CaseSchema, description="Statusen är ändrad.", headers={"ETag": ETAG_HEADER})
@blp.doc(parameters=[IF_MATCH])
@problems(blp, 403, 404, 409, 412, 422, 428, 415)
def change_status(data: dict[str, Any], case_id: int):
    """Byt status enligt arbetsflödet: avslutat kräver utfall, att öppna igen kräver kommentar. Kräver If-Match."""
    case = _case(case_id)
    version = expected_version(case)
    write(lambda: services.change_status(
        case,
        services.StatusChange(status=data["status"], outcome=data.get("outcome"), note=data.get("note", ""),
                              send_survey=data.get("send_survey", True)),
        actor=actor(), expected_version=version,
    ))  # fmt: skip
    return _reply(case_id)


@blp.route(f"/cases/<{ID}:case_id>/permits", methods=["GET"])
@requires(Perm.VIEW_CASES)
@blp.response(200, PermitList)
@problems(blp, 403, 404)
def list_permits(case_id: int):
    """Ärendets tillståndsrader med lagstadgade tidsfrister."""
    case = _case(case_id)
    _readable_or_403(case)
    rows = queries.permit_rows(case, today=local_today(), near_days=permits.near_days())
    return audited_read({"items": [present_permit(r) for r in rows]})


def _permit_reply(case: LotsCase, permit_id: int, status: int = 200):
    db.session.expire_all()
    case = _case(case.id)
    rows = queries.permit_rows(case, today=local_today(), near_days=permits.near_days())
    item = next(r for r in rows if r.row.id == permit_id)
    headers = etag_headers(
        item.row, ("api_cases.list_permits", {"case_id": case.id}) if status == 201 else None
    )
    return present_permit(item), status, headers


@blp.route(f"/cases/<{ID}:case_id>/permits", methods=["POST"])
@requires(Perm.EDIT_CASES)
@blp.arguments(PermitCreateSchema)
@blp.response(
    201,
    PermitSchema,
    description="Tillståndsraden är tillagd.",
    headers={"ETag": ETAG_HEADER, "Location": LOCATION_HEADER},
)
@problems(blp, 403, 404, 409, 422, 415)
def add_permit(data: dict[str, Any], case_id: int):
    """Lägg till en tillståndsrad ur katalogen; beslutsdag räknas ut från handläggningstiden."""
    case = _case(case_id)
    row = write(lambda: permits.add_permit(case, permits.PermitInput(**data), actor=actor()))
    return _permit_reply(case, row.id, 201)


@blp.route(f"/cases/<{ID}:case_id>/permits/<{ID}:permit_id>", methods=["PATCH"])
@requires(Perm.EDIT_CASES)
@blp.arguments(PermitPatchSchema)
@blp.response(200, PermitSchema, description="Tillståndsraden är sparad.", headers={"ETag": ETAG_HEADER})
@blp.doc(parameters=[IF_MATCH])
@problems(blp, 403, 404, 409, 412, 422, 428, 415)
def update_permit(data: dict[str, Any], case_id: int, permit_id: int):
    """Ändra datum, förlängning och beslut på en tillståndsrad: bara fälten som skickas. Kräver If-Match."""
    case = _case(case_id)
    row = queries.get_permit_or_404(case_id, permit_id)
    version = expected_version(row)
    current = {"permit_type_id": row.permit_type_id, "authority": row.authority, "submitted_on": row.submitted_on,
               "complete_on": row.complete_on, "extended": row.extended, "decision_on": row.decision_on,
               "outcome": row.outcome, "note": row.note}  # fmt: skip
    write(lambda: permits.update_permit(row, permits.PermitInput(**{**current, **data}), actor=actor(),
                                         expected_version=version))  # fmt: skip
    return _permit_reply(case, permit_id)
