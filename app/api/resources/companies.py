"""/api/v1/companies and contact persons: the company register through its services and queries."""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow.validate import Length
from sqlalchemy.orm import selectinload

from app.api.auth import actor, expected_version, requires
from app.api.boundary import write
from app.api.common import (
    ID,
    IDEMPOTENCY_KEY,
    IF_MATCH,
    PageArgs,
    etag_headers,
    idempotency_key,
    page_schema,
    paged,
)
from app.api.fields import Bool, Day, Id, Int, Moment, Nested, OneOf, Schema, Str
from app.api.fields import NestedList as List
from app.api.spec import ETAG_HEADER, LOCATION_HEADER, Blueprint, problems
from app.companies import contact_persons, queries, services
from app.companies.models import (
    ACTIVE,
    COMPANY_STATUSES,
    LEGACY_COMPANY_STATUSES,
    SIZE_CLASSES,
    Company,
    ContactPerson,
)
from app.companies.sni import SNI_VERSIONS
from app.core.errors import NotFound
from app.core.permissions import Perm
from app.extensions import db

blp = Blueprint(
    "api_companies",
    __name__,
    url_prefix="/api/v1",
    description="Företagsregistret: företag och kontaktpersoner.",
)


# --------------------------------------------------------------------------- schemas


class CompanyListArgs(PageArgs):
    q = Str(
        max_length=100,
        metadata={
            "description": "Sök: ord i företagets eller en kontaktpersons namn, "
            "eller början av organisationsnumret.",
            "example": "dala",
        },
    )
    sni = Str(max_length=10, metadata={"description": "SNI-kod eller början av den.", "example": "62"})
    sni_version = OneOf(SNI_VERSIONS, metadata={"description": "SNI-version."})
    area_id = Id(query=True, metadata={"description": "Område (id från /api/v1/areas)."})
    status = OneOf(
        list(COMPANY_STATUSES), legacy=LEGACY_COMPANY_STATUSES, metadata={"description": "Status."}
    )
    responsible_id = Id(query=True, metadata={"description": "Ansvarig lots (användar-id)."})
    tag_id = Id(query=True, metadata={"description": "Tagg (id)."})
    no_contact_months = Int(
        minimum=1,
        maximum=240,
        query=True,
        metadata={"description": "Bara företag utan kontakt på så många månader."},
    )
    key_only = Bool(query=True, metadata={"description": "Bara nyckelföretag."})
    sort = OneOf(list(queries.SORTS), load_default="namn", metadata={
        "description": "Sortering: namn (A–Ö), -namn, senast-kontakt (längst sedan först), "
                       "-senast-kontakt, uppfoljning, nyast."})  # fmt: skip


class CompanySchema(Schema):
    id = Int(metadata={"description": "Företagets id.", "example": 42})
    name = Str(metadata={"description": "Namn.", "example": "Dala Bygg AB"})
    orgnr = Str(
        metadata={
            "description": "Organisationsnummer med bindestreck. En enskild firmas "
            "personnummer visas maskerat (850615-****), som i webbgränssnittet.",
            "example": "556036-0793",
        }
    )
    orgnr_is_personal = Bool(metadata={"description": "Sant när numret är ett personnummer (enskild firma)."})
    legal_form = Str(metadata={"description": "Juridisk form.", "example": "Aktiebolag"})
    sni_code = Str(allow_none=True, metadata={"description": "SNI-kod (fem siffror).", "example": "41200"})
    sni_version = Str(
        allow_none=True, metadata={"description": "SNI-versionen koden hör till.", "example": "2007"}
    )
    size_class = Str(
        metadata={"description": "Storleksklass (antal anställda), tom om okänd.", "example": "10-19"}
    )
    visiting_address = Str(metadata={"description": "Besöksadress.", "example": "Stationsgatan 1"})
    postal_address = Str(metadata={"description": "Postadress.", "example": "Box 12"})
    postcode = Str(metadata={"description": "Postnummer.", "example": "784 33"})
    city = Str(metadata={"description": "Ort.", "example": "Borlänge"})
    area_id = Int(allow_none=True, metadata={"description": "Område (id).", "example": 1})
    area_name = Str(allow_none=True, metadata={"description": "Områdets namn.", "example": "Centrum"})
    website = Str(metadata={"description": "Webbplats.", "example": "https://dalabygg.example"})
    phone = Str(metadata={"description": "Telefon.", "example": "0243-123 45"})
    email = Str(metadata={"description": "E-post.", "example": "info@dalabygg.example"})
    status = Str(metadata={"description": ", ".join(COMPANY_STATUSES) + ".", "example": ACTIVE})
    responsible_user_id = Int(allow_none=True, metadata={"description": "Ansvarig lots (användar-id)."})
    responsible_name = Str(allow_none=True, metadata={"description": "Ansvarig lots namn."})
    is_key_company = Bool(metadata={"description": "Nyckelföretag."})
    contact_cadence_months = Int(
        allow_none=True, metadata={"description": "Önskat kontaktintervall i månader."}
    )
    notes = Str(metadata={"description": "Anteckningar."})
    tags = List(Str(), metadata={"description": "Taggar.", "example": ["Exportnätverk"]})
    last_contact_at = Moment(allow_none=True, metadata={"description": "Senaste loggade kontakt (UTC)."})
    next_followup_on = Day(allow_none=True, metadata={"description": "Närmaste öppna uppföljning."})
    merged_into_id = Int(
        allow_none=True, metadata={"description": "Sammanslaget med detta företag (id), annars null."}
    )
    deleted_at = Moment(allow_none=True, metadata={"description": "Borttaget (UTC), annars null."})
    created_at = Moment(metadata={"description": "Registrerat (UTC)."})
    updated_at = Moment(metadata={"description": "Senast ändrat (UTC)."})
    version = Int(metadata={"description": "Postens version (samma som ETag).", "example": 1})


CompanyPage = page_schema(CompanySchema, "CompanyPage")


def _company_fields(required: bool) -> dict[str, Any]:
    return {
        "name": Str(
            required=required,
            max_length=200,
            metadata={"description": "Namn (krävs).", "example": "Dala Bygg AB"},
        ),
        "orgnr": Str(
            max_length=20,
            metadata={
                "description": "Organisationsnummer (10 eller 12 siffror, med eller utan bindestreck); tomt för "
                "ett prospekt utan nummer. Utelämnat vid ändring: numret behålls.",
                "example": "556036-0793",
            },
        ),
        "legal_form": Str(
            max_length=100, metadata={"description": "Juridisk form; fylls i från numret om tom."}
        ),
        "sni_code": Str(max_length=10, metadata={"description": "SNI-kod.", "example": "41200"}),
        "sni_version": OneOf(SNI_VERSIONS, metadata={"description": "SNI-version (standard 2007)."}),
        "size_class": OneOf(["", *SIZE_CLASSES], metadata={"description": "Storleksklass, tom för okänd."}),
        "visiting_address": Str(max_length=200, metadata={"description": "Besöksadress."}),
        "postal_address": Str(max_length=200, metadata={"description": "Postadress."}),
        "postcode": Str(
            max_length=10, metadata={"description": "Postnummer, fem siffror.", "example": "78433"}
        ),
        "city": Str(max_length=100, metadata={"description": "Ort.", "example": "Borlänge"}),
        "area_id": Id(allow_none=True, metadata={"description": "Område (id), null för inget."}),
        "website": Str(
            max_length=200, metadata={"description": "Webbplats; https:// läggs till om det saknas."}
        ),
        "phone": Str(max_length=40, metadata={"description": "Telefon."}),
        "email": Str(max_length=254, metadata={"description": "E-post.", "example": "info@dalabygg.example"}),
        "status": OneOf(
            list(COMPANY_STATUSES),
            legacy=LEGACY_COMPANY_STATUSES,
            metadata={"description": f"Status (standard {ACTIVE})."},
        ),
        "responsible_user_id": Id(
            allow_none=True, metadata={"description": "Ansvarig lots (användar-id) eller null."}
        ),
        "is_key_company": Bool(metadata={"description": "Nyckelföretag (kräver kontaktintervall)."}),
        "contact_cadence_months": Int(
            minimum=1,
            maximum=60,
            allow_none=True,
            metadata={"description": "Önskat kontaktintervall, 1–60 månader."},
        ),
        "notes": Str(metadata={"description": "Anteckningar."}),
        "tags": List(
            Str(max_length=60),
            validate=[Length(max=50, error="Högst 50 taggar.")],
            metadata={"description": "Taggar (ersätter alla); nya skapas.", "example": ["Exportnätverk"]},
        ),
    }


CompanyCreateSchema = type("CompanyCreateSchema", (Schema,), _company_fields(required=True))
CompanyPatchSchema = type("CompanyPatchSchema", (Schema,), _company_fields(required=False))


class PersonSchema(Schema):
    id = Int(metadata={"description": "Kontaktpersonens id."})
    company_id = Int(metadata={"description": "Företaget personen arbetar på nu."})
    name = Str(metadata={"description": "Namn.", "example": "Anna Andersson"})
    title = Str(metadata={"description": "Befattning.", "example": "VD"})
    phone = Str(metadata={"description": "Telefon."})
    email = Str(metadata={"description": "E-post."})
    informed_on = Day(
        allow_none=True,
        metadata={"description": "När personen informerades om behandlingen av personuppgifter."},
    )
    no_mailings = Bool(metadata={"description": "Vill inte ha utskick (t.ex. enkäter)."})
    is_active = Bool(metadata={"description": "Arbetar kvar på företaget."})
    left_at = Moment(allow_none=True, metadata={"description": "När personen slutade (UTC)."})
    version = Int(metadata={"description": "Postens version (samma som ETag)."})


class PersonListArgs(Schema):
    active = Bool(
        query=True,
        load_default=True,
        metadata={"description": "true: nuvarande, false: tidigare kontaktpersoner."},
    )


class PersonList(Schema):
    items = List(Nested(PersonSchema), metadata={"description": "Kontaktpersonerna."})


def _person_fields(required: bool) -> dict[str, Any]:
    return {
        "name": Str(
            required=required,
            max_length=120,
            metadata={"description": "Namn (krävs).", "example": "Anna Andersson"},
        ),
        "title": Str(max_length=120, metadata={"description": "Befattning."}),
        "phone": Str(max_length=40, metadata={"description": "Telefon."}),
        "email": Str(max_length=254, metadata={"description": "E-post."}),
        "informed_on": Day(
            allow_none=True, metadata={"description": "Informerad om personuppgiftsbehandlingen (datum)."}
        ),
        "no_mailings": Bool(metadata={"description": "Vill inte ha utskick."}),
    }


PersonCreateSchema = type("PersonCreateSchema", (Schema,), _person_fields(required=True))
PersonPatchSchema = type("PersonPatchSchema", (Schema,), _person_fields(required=False))


# --------------------------------------------------------------------------- presenting


def present_company(c: Company) -> dict[str, Any]:
    return {
        "id": c.id, "name": c.name, "orgnr": services.orgnr_display(c), "orgnr_is_personal": services.is_personal_orgnr(c),
        "legal_form": c.legal_form, "sni_code": c.sni_code, "sni_version": c.sni_version, "size_class": c.size_class,
        "visiting_address": c.visiting_address, "postal_address": c.postal_address, "postcode": c.postcode,
        "city": c.city, "area_id": c.area_id, "area_name": c.area.name if c.area_id and c.area else None,
        "website": c.website, "phone": c.phone, "email": c.email, "status": c.status,
        "responsible_user_id": c.responsible_user_id,
        "responsible_name": c.responsible.name if c.responsible_user_id and c.responsible else None,
        "is_key_company": c.is_key_company, "contact_cadence_months": c.contact_cadence_months, "notes": c.notes,
        "tags": sorted((t.name for t in c.tags), key=services.normalise_name), "last_contact_at": c.last_contact_at,
        "next_followup_on": c.next_followup_on, "merged_into_id": c.merged_into_id, "deleted_at": c.deleted_at,
        "created_at": c.created_at, "updated_at": c.updated_at, "version": c.version,
    }  # fmt: skip


def present_person(p: ContactPerson) -> dict[str, Any]:
    return {
        "id": p.id, "company_id": p.company_id, "name": p.name, "title": p.title, "phone": p.phone, "email": p.email,
        "informed_on": p.informed_on, "no_mailings": p.no_mailings, "is_active": p.is_active, "left_at": p.left_at,
        "version": p.version,
    }  # fmt: skip


def _load_company(company_id: int) -> Company:
    return queries.get_company_or_404(company_id)


def _reply(company_id: int, status: int = 200, location: bool = False):
    db.session.expire_all()
    company = _load_company(company_id)
    loc = ("api_companies.get_company", {"company_id": company.id}) if location else None
    return present_company(company), status, etag_headers(company, loc)


# --------------------------------------------------------------------------- companies


@blp.route("/companies", methods=["GET"])
@requires(Perm.VIEW_COMPANIES)
@blp.arguments(CompanyListArgs, location="query", as_kwargs=True)
@blp.response(200, CompanyPage, description="En sida företag (levande: inte borttagna eller sammanslagna).")
@problems(blp, 403, 422)
def list_companies(cursor: str | None = None, limit: int = 25, sort: str = "namn", **filters: Any):
    """Lista och sök företag – samma filter och sortering som företagslistan."""
    flt = queries.CompanyFilter(
        q=filters.get("q", ""), sni=filters.get("sni", ""), sni_version=filters.get("sni_version", ""),
        area_id=filters.get("area_id"), status=filters.get("status", ""), responsible_id=filters.get("responsible_id"),
        tag_id=filters.get("tag_id"), no_contact_months=filters.get("no_contact_months"),
        key_only=bool(filters.get("key_only")), sort=sort,
    )  # fmt: skip
    return paged(
        lambda: queries.list_companies_after(flt, cursor, limit, extra_options=(selectinload(Company.tags),)),
        lambda items: [present_company(c) for c in items],
    )


@blp.route("/companies", methods=["POST"])
@requires(Perm.EDIT_COMPANIES)
@blp.arguments(CompanyCreateSchema)
@blp.response(
    201,
    CompanySchema,
    description="Företaget är registrerat.",
    headers={"ETag": ETAG_HEADER, "Location": LOCATION_HEADER},
)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
@problems(blp, 403, 409, 422, 415)
def create_company(data: dict[str, Any]):
    """Registrera ett företag (samma kontroller som formuläret Nytt företag)."""
    token = idempotency_key(request.headers, actor().id)
    existing = services.company_for_form_token(token)
    if existing is not None:
        return _reply(existing.id, 201, location=True)
    company = write(
        lambda: services.create_company(services.CompanyInput(**data), actor=actor(), form_token=token)
    )
    return _reply(company.id, 201, location=True)


@blp.route(f"/companies/<{ID}:company_id>", methods=["GET"])
@requires(Perm.VIEW_COMPANIES)
@blp.response(200, CompanySchema, headers={"ETag": ETAG_HEADER})
@problems(blp, 403, 404)
def get_company(company_id: int):
    """Ett företag. ETag är postens version (skicka den i If-Match vid ändring)."""
    company = _load_company(company_id)
    return present_company(company), 200, etag_headers(company)


@blp.route(f"/companies/<{ID}:company_id>", methods=["PATCH"])
@requires(Perm.EDIT_COMPANIES)
@blp.arguments(CompanyPatchSchema)
@blp.response(200, CompanySchema, description="Ändringarna är sparade.", headers={"ETag": ETAG_HEADER})
@blp.doc(parameters=[IF_MATCH])
@problems(blp, 403, 404, 409, 412, 422, 428, 415)
def update_company(data: dict[str, Any], company_id: int):
    """Ändra ett företag: bara de fält som skickas ändras. Kräver If-Match."""
    company = _load_company(company_id)
    version = expected_version(company)
    if "tags" in data:
        data["tags"] = tuple(data["tags"])
    write(
        lambda: services.update_company(
            company, services.company_input_from(company, **data), actor=actor(), expected_version=version
        )
    )
    return _reply(company_id)


# --------------------------------------------------------------------------- contact persons


@blp.route(f"/companies/<{ID}:company_id>/contact-persons", methods=["GET"])
@requires(Perm.VIEW_COMPANIES)
@blp.arguments(PersonListArgs, location="query", as_kwargs=True)
@blp.response(200, PersonList)
@problems(blp, 403, 404)
def list_contact_persons(company_id: int, active: bool = True):
    """Företagets kontaktpersoner (nuvarande, eller tidigare med active=false)."""
    _load_company(company_id)
    return {"items": [present_person(p) for p in queries.contact_persons(company_id, active=active)]}


@blp.route(f"/companies/<{ID}:company_id>/contact-persons", methods=["POST"])
@requires(Perm.EDIT_COMPANIES)
@blp.arguments(PersonCreateSchema)
@blp.response(
    201,
    PersonSchema,
    description="Kontaktpersonen är tillagd.",
    headers={"ETag": ETAG_HEADER, "Location": LOCATION_HEADER},
)
@problems(blp, 403, 404, 409, 422, 415)
def create_contact_person(data: dict[str, Any], company_id: int):
    """Lägg till en kontaktperson på företaget."""
    company = _load_company(company_id)
    person = write(
        lambda: contact_persons.add_contact_person(
            company, contact_persons.ContactPersonInput(**data), actor=actor()
        )
    )
    return (
        present_person(person),
        201,
        etag_headers(person, ("api_companies.get_contact_person", {"person_id": person.id})),
    )


def _person(person_id: int) -> ContactPerson:
    person = db.session.get(ContactPerson, person_id)
    if person is None:
        raise NotFound("Kontaktpersonen finns inte.")
    return person


@blp.route(f"/contact-persons/<{ID}:person_id>", methods=["GET"])
@requires(Perm.VIEW_COMPANIES)
@blp.response(200, PersonSchema, headers={"ETag": ETAG_HEADER})
@problems(blp, 403, 404)
def get_contact_person(person_id: int):
    """En kontaktperson."""
    person = _person(person_id)
    return present_person(person), 200, etag_headers(person)


@blp.route(f"/contact-persons/<{ID}:person_id>", methods=["PATCH"])
@requires(Perm.EDIT_COMPANIES)
@blp.arguments(PersonPatchSchema)
@blp.response(200, PersonSchema, description="Kontaktpersonen är sparad.", headers={"ETag": ETAG_HEADER})
@blp.doc(parameters=[IF_MATCH])
@problems(blp, 403, 404, 409, 412, 422, 428, 415)
def update_contact_person(data: dict[str, Any], person_id: int):
    """Ändra en kontaktperson: bara de fält som skickas ändras. Kräver If-Match."""
    person = _person(person_id)
    version = expected_version(person)
    current = {
        "name": person.name,
        "title": person.title,
        "phone": person.phone,
        "email": person.email,
        "informed_on": person.informed_on,
        "no_mailings": person.no_mailings,
    }
    write(
        lambda: contact_persons.update_contact_person(
            person,
            contact_persons.ContactPersonInput(**{**current, **data}),
            actor=actor(),
            expected_version=version,
        )
    )
    return present_person(person), 200, etag_headers(person)
