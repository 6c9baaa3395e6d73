"""/api/v1/contacts: the contact log – list, read (restriction and audited reads as on the
contact page), and log a contact through the same service as the form."""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow.validate import Length

from app.api.auth import actor, requires
from app.api.boundary import audited_read, write
from app.api.common import ID, IDEMPOTENCY_KEY, PageArgs, etag_headers, idempotency_key, page_schema, paged
from app.api.fields import Bool, Day, Id, IdList, Int, Moment, Nested, NestedList, OneOf, Schema, Str
from app.api.spec import ETAG_HEADER, LOCATION_HEADER, Blueprint, problems
from app.core import restriction
from app.core.permissions import Perm
from app.core.time import utcnow
from app.extensions import db
from app.interactions import queries, services
from app.interactions.models import (
    CHANNEL_LABELS,
    KIND_LABELS,
    LEGACY_CHANNELS,
    LEGACY_KINDS,
    Interaction,
    InteractionKind,
)

blp = Blueprint(
    "api_contacts", __name__, url_prefix="/api/v1", description="Kontaktloggen: kontakter med företag."
)

KINDS = [k.value for k in KIND_LABELS]
CHANNELS = [c.value for c in CHANNEL_LABELS]


class ContactListArgs(PageArgs):
    date_from = Day(metadata={"description": "Från och med datum (svensk tid)."})
    date_to = Day(metadata={"description": "Till och med datum (svensk tid)."})
    kind = OneOf(KINDS, legacy=LEGACY_KINDS, metadata={"description": "Typ av kontakt."})
    focus_area_id = Id(query=True, metadata={"description": "Fokusområde (primärt eller övrigt)."})
    user_id = Id(query=True, metadata={"description": "Kontakter som användaren loggat eller deltagit i."})
    mine = Bool(
        query=True, metadata={"description": "Bara mina kontakter (loggade av mig eller där jag deltog)."}
    )
    permit_type_id = Id(query=True, metadata={"description": "Tillståndstyp i tillståndsvägledningen."})
    partner_id = Id(query=True, metadata={"description": "Hänvisad till partner."})
    company_id = Id(query=True, metadata={"description": "Företag."})
    restricted_only = Bool(query=True, metadata={"description": "Bara kontakter med begränsad åtkomst."})


class ContactSummarySchema(Schema):
    id = Int(metadata={"description": "Kontaktens id.", "example": 7})
    kind = Str(
        metadata={"description": "Typ: " + ", ".join(KINDS) + ".", "example": InteractionKind.PHONE.value}
    )
    kind_label = Str(metadata={"description": "Typen i klartext.", "example": "Telefonsamtal"})
    occurred_at = Moment(metadata={"description": "När kontakten ägde rum (UTC)."})
    company_id = Int(metadata={"description": "Företaget."})
    company_name = Str(metadata={"description": "Företagets namn."})
    focus_area_id = Int(metadata={"description": "Primärt fokusområde."})
    subject = Str(
        metadata={
            "description": "Ämne. För en kontakt med begränsad åtkomst står här bara "
            "”Kontakt med begränsad åtkomst” (se content_hidden).",
            "example": "Fråga om bygglov",
        }
    )
    author_id = Int(metadata={"description": "Den som loggade kontakten."})
    author_name = Str(metadata={"description": "Namn på den som loggade kontakten."})
    case_id = Int(allow_none=True, metadata={"description": "Kopplat lotsärende."})
    is_restricted = Bool(metadata={"description": "Kan innehålla uppgifter som omfattas av sekretess."})
    content_hidden = Bool(metadata={"description": "Sant när innehållet (ämne, anteckningar, personer, vägledning) "
                                    "inte visas: i listor alltid för begränsade kontakter, på en enskild kontakt "
                                    "för den som inte får läsa den."})  # fmt: skip


class PermitGuidanceOut(Schema):
    permit_type_id = Int(metadata={"description": "Tillståndstyp."})
    permit_type_name = Str(metadata={"description": "Tillståndstypens namn."})
    guidance_given = Str(metadata={"description": "Vägledning som gavs."})
    handed_to = Str(metadata={"description": "Lämnades vidare till."})


class ReferralOut(Schema):
    id = Int(metadata={"description": "Hänvisningens id."})
    partner_id = Int(metadata={"description": "Partner."})
    partner_name = Str(metadata={"description": "Partnerns namn."})
    reason = Str(metadata={"description": "Anledning."})
    referred_on = Day(metadata={"description": "Datum."})
    outcome = Str(allow_none=True, metadata={"description": "Utfall, null tills det är ifyllt."})
    outcome_on = Day(allow_none=True, metadata={"description": "Utfallets datum."})


class ContactSchema(ContactSummarySchema):
    duration_minutes = Int(allow_none=True, metadata={"description": "Längd i minuter."})
    notes = Str(metadata={"description": "Anteckningar (allmänna handlingar)."})
    other_focus_area_ids = NestedList(Int(), metadata={"description": "Övriga fokusområden."})
    contact_person_ids = NestedList(
        Int(), metadata={"description": "Företagets kontaktpersoner i kontakten."}
    )
    participant_ids = NestedList(Int(), metadata={"description": "Deltagare från kommunen (användar-id)."})
    inbound_channel = Str(
        allow_none=True, metadata={"description": "Hur företaget tog kontakt, null om vi tog kontakt."}
    )
    permit_guidance = NestedList(Nested(PermitGuidanceOut), metadata={"description": "Tillståndsvägledning."})
    referrals = NestedList(Nested(ReferralOut), metadata={"description": "Hänvisningar från kontakten."})
    created_at = Moment(metadata={"description": "Loggad (UTC)."})
    updated_at = Moment(metadata={"description": "Senast ändrad (UTC)."})
    version = Int(metadata={"description": "Postens version (samma som ETag)."})


ContactPage = page_schema(ContactSummarySchema, "ContactPage")


class PermitGuidanceIn(Schema):
    permit_type_id = Id(
        required=True, metadata={"description": "Tillståndstyp (id från /api/v1/permit-types)."}
    )
    guidance_given = Str(metadata={"description": "Vägledning som gavs."})
    handed_to = Str(
        max_length=200, metadata={"description": "Förvaltning eller myndighet ärendet lämnades till."}
    )


class FollowUpIn(Schema):
    when = OneOf(
        ["1w", "2w", "1m", "date"],
        required=True,
        metadata={
            "description": "Följ upp om 1 vecka (1w), 2 veckor (2w), 1 månad (1m) eller ett datum (date)."
        },
    )
    on = Day(metadata={"description": "Datumet, när when är date."})


class ContactCreateSchema(Schema):
    kind = OneOf(
        KINDS,
        legacy=LEGACY_KINDS,
        load_default=InteractionKind.PHONE.value,
        metadata={
            "description": f"Typ av kontakt (standard {InteractionKind.PHONE.value}).",
            "example": InteractionKind.PHONE.value,
        },
    )
    occurred_at = Moment(
        metadata={
            "description": "När kontakten ägde rum; standard nu. Utan tidszon läses tiden "
            "som svensk tid. Får inte ligga i framtiden.",
            "example": "2026-03-05T14:30:00+01:00",
        }
    )
    company_id = Id(required=True, metadata={"description": "Företaget (krävs).", "example": 42})
    focus_area_id = Id(
        required=True,
        metadata={"description": "Primärt fokusområde (krävs, id från /api/v1/focus-areas).", "example": 1},
    )
    subject = Str(
        required=True,
        max_length=200,
        metadata={
            "description": "Kort vad kontakten gällde (krävs).",
            "example": "Fråga om bygglov för tillbyggnad",
        },
    )
    notes = Str(
        metadata={
            "description": "Anteckningar. Anteckningar är allmänna handlingar och kan lämnas ut "
            "efter sekretessprövning."
        }
    )
    duration_minutes = Int(
        minimum=0, maximum=1440, allow_none=True, metadata={"description": "Längd i minuter (0–1440)."}
    )
    other_focus_area_ids = IdList(metadata={"description": "Även dessa fokusområden."})
    contact_person_ids = IdList(metadata={"description": "Kontaktpersoner på företaget."})
    participant_ids = IdList(metadata={"description": "Deltagare från kommunen; standard du själv."})
    inbound_channel = OneOf(
        CHANNELS,
        legacy=LEGACY_CHANNELS,
        allow_none=True,
        metadata={"description": "Hur företaget tog kontakt; null om vi tog kontakt."},
    )
    case_id = Id(allow_none=True, metadata={"description": "Koppla till ett lotsärende."})
    is_restricted = Bool(
        metadata={
            "description": "Kan innehålla uppgifter som omfattas av sekretess: innehållet visas "
            "då bara för deltagarna och företagslotsar, och varje läsning loggas."
        }
    )
    permit_guidance = NestedList(
        Nested(PermitGuidanceIn),
        validate=[Length(max=20, error="Högst 20 rader.")],
        metadata={"description": "Tillståndsvägledning (minst en rad för typen tillståndsvägledning)."},
    )
    follow_up = Nested(FollowUpIn, allow_none=True, metadata={"description": "Skapa en uppföljning åt dig."})


def present_summary(it: Interaction, *, hidden: bool) -> dict[str, Any]:
    return {
        "id": it.id, "kind": it.kind.value if hasattr(it.kind, "value") else it.kind, "kind_label": it.kind_label,
        "occurred_at": it.occurred_at, "company_id": it.company_id, "company_name": it.company.name,
        "focus_area_id": it.focus_area_id, "subject": services.RESTRICTED_TITLE if hidden else it.subject,
        "author_id": it.author_id, "author_name": it.author.name, "case_id": None if hidden else it.case_id,
        "is_restricted": it.is_restricted, "content_hidden": hidden,
    }  # fmt: skip


def present_contact(it: Interaction, *, full: bool) -> dict[str, Any]:
    data = present_summary(it, hidden=not full)
    data.update(
        duration_minutes=it.duration_minutes if full else None,
        notes=it.notes if full else "",
        other_focus_area_ids=[a.id for a in it.other_focus_areas] if full else [],
        contact_person_ids=[p.id for p in it.contact_persons] if full else [],
        participant_ids=[u.id for u in it.participants] if full else [],
        inbound_channel=(it.inbound_channel.value if it.inbound_channel else None) if full else None,
        permit_guidance=[
            {"permit_type_id": g.permit_type_id, "permit_type_name": g.permit_type.name,
             "guidance_given": g.guidance_given, "handed_to": g.handed_to}
            for g in it.permit_guidance
        ] if full else [],
        referrals=[
            {"id": r.id, "partner_id": r.partner_id, "partner_name": r.partner.name, "reason": r.reason,
             "referred_on": r.referred_on, "outcome": r.outcome, "outcome_on": r.outcome_on}
            for r in it.referrals
        ] if full else [],
        created_at=it.created_at, updated_at=it.updated_at, version=it.version,
    )  # fmt: skip
    return data


@blp.route("/contacts", methods=["GET"])
@requires(Perm.VIEW_CONTACTS)
@blp.arguments(ContactListArgs, location="query", as_kwargs=True)
@blp.response(
    200,
    ContactPage,
    description="En sida kontakter, nyast först. En kontakt med begränsad åtkomst visas sammanfattad för den som inte får läsa den.",
)
@problems(blp, 403, 422)
def list_contacts(cursor: str | None = None, limit: int = 25, mine: bool = False, **filters: Any):
    """Lista kontakter – samma filter som kontaktlistan."""
    flt = queries.ContactFilter(
        date_from=filters.get("date_from"), date_to=filters.get("date_to"), kind=filters.get("kind", ""),
        focus_area_id=filters.get("focus_area_id"), user_id=actor().id if mine else filters.get("user_id"),
        permit_type_id=filters.get("permit_type_id"), partner_id=filters.get("partner_id"),
        company_id=filters.get("company_id"), restricted_only=bool(filters.get("restricted_only")),
    )  # fmt: skip
    return paged(
        lambda: queries.list_contacts_after(flt, cursor, limit, reader=actor()),
        lambda items: _present_summaries(items, actor()),
    )


def _present_summaries(items: list[Interaction], reader: Any) -> list[dict[str, Any]]:
    """The list as the contact list page shows it (`queries.shown_contacts`): a restricted
    contact the reader may read is shown, and that read is logged; others are summarised."""
    return [
        present_summary(it, hidden=isinstance(it, restriction.Masked))
        for it in queries.shown_contacts(reader, items)
    ]


@blp.route(f"/contacts/<{ID}:contact_id>", methods=["GET"])
@requires(Perm.VIEW_CONTACTS)
@blp.response(200, ContactSchema, headers={"ETag": ETAG_HEADER})
@problems(blp, 403, 404)
def get_contact(contact_id: int):
    """En kontakt. Innehållet i en kontakt med begränsad åtkomst visas bara för deltagarna och
    behöriga roller, och varje sådan läsning loggas – som på kontaktens sida."""
    interaction = queries.get_contact_or_404(contact_id)
    full = services.read_contact(interaction, actor=actor())
    body = audited_read(present_contact(interaction, full=full))
    return body, 200, {"ETag": f'"{body["version"]}"'}


@blp.route("/contacts", methods=["POST"])
@requires(Perm.EDIT_CONTACTS)
@blp.arguments(ContactCreateSchema)
@blp.response(
    201,
    ContactSchema,
    description="Kontakten är loggad.",
    headers={"ETag": ETAG_HEADER, "Location": LOCATION_HEADER},
)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
@problems(blp, 403, 409, 422, 415)
def log_contact(data: dict[str, Any]):
    """Logga en kontakt – samma regler som formuläret Logga kontakt (fokusområde krävs, inte i
    framtiden, kontaktpersoner på företaget, minst en tillståndstyp för tillståndsvägledning …)."""
    me = actor()
    token = idempotency_key(request.headers, me.id)
    follow = data.pop("follow_up", None)
    rows = tuple(services.PermitGuidanceInput(**row) for row in data.pop("permit_guidance", []))
    contact = services.ContactInput(
        kind=data.pop("kind"),
        occurred_at=data.pop("occurred_at", None) or utcnow(),
        company_id=data.pop("company_id"),
        focus_area_id=data.pop("focus_area_id"),
        other_focus_area_ids=tuple(data.pop("other_focus_area_ids", ())),
        contact_person_ids=tuple(data.pop("contact_person_ids", ())),
        participant_ids=tuple(data.pop("participant_ids", (me.id,))),
        permit_guidance=rows,
        **data,
    )
    # The same Idempotency-Key racing with a request that committed first is answered with
    # the contact that request stored (already_saved).
    contact_id = write(
        lambda: services.log_contact(
            contact, actor=me, form_token=token,
            follow_up=services.FollowUpRequest(when=follow["when"], on=follow.get("on")) if follow else None,
        ).id,
        already_saved=lambda: getattr(services.contact_for_form_token(token), "id", None),
    )  # fmt: skip
    db.session.expire_all()
    interaction = queries.get_contact_or_404(contact_id)
    return (
        present_contact(interaction, full=True),
        201,
        etag_headers(interaction, ("api_contacts.get_contact", {"contact_id": contact_id})),
    )
