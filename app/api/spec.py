"""The flask-smorest `Api` as Lotsbok uses it: OpenAPI 3.1, problem details, bearer tokens.

flask-smorest registers an app-wide JSON handler for every HTTPException; Lotsbok's HTML pages
must keep their own error pages, so that is switched off here and the API's errors go through
app.core.web.register_error_responder (app.api.problems) instead. Its default error responses
are replaced by RFC 9457 problem documents with Swedish descriptions.
"""

from __future__ import annotations

import http
from collections.abc import Callable
from typing import Any

from apispec import BasePlugin
from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest.arguments import ArgumentsMixin
from flask_smorest.utils import prepare_response
from marshmallow import missing
from webargs.flaskparser import FlaskParser, abort

from app.api.fields import Int, Nested, NestedList, Schema, Str
from app.api.problems import PROBLEM_JSON, PROBLEMS

API_PREFIX = "/api/v1"

DESCRIPTION = """\
Lotsboks JSON-API: samma tjänster, regler, roller och händelselogg som webbgränssnittet.

**Autentisering.** Varje anrop skickar en personlig API-nyckel: `Authorization: Bearer lb_…`.
Nyckeln skapas under *Mina inställningar → API-nycklar* (eller med
`flask --app app tokens create`), visas en gång, har behörigheten *läsa* eller *läsa och
skriva* och en giltighetstid. Anropen görs som nyckelns ägare: samma roll, samma
begränsningar och samma maskering som i webbgränssnittet, och varje ändring loggas med
ägaren som utförare.

**Listor** bläddras med markör: svaret har `next_cursor`; skicka den som `cursor` för nästa
sida (`limit` 1–100, standard 25). Markören hör till listans sortering.

**Optimistisk låsning.** Poster som kan ändras har en `ETag` (postens version). En ändring
(PATCH, statusbyte) kräver `If-Match` med den ETag du läste; har någon annan sparat emellan
blir svaret 409 och inget skrivs över.

**Fel** är problemdokument enligt RFC 9457 (`application/problem+json`) med svensk `title`
och `detail`, och `errors` per fält. Ett anrop för mycket per minut och nyckel ger 429 med
`Retry-After`.
"""


class LotsbokApi(Api):
    """flask-smorest without its app-wide error handler, with problem-details responses."""

    DEFAULT_ERROR_RESPONSE_NAME = None
    ERROR_SCHEMA = None  # replaced by ProblemSchema below

    def _register_error_handlers(self) -> None:
        """Errors are answered by app.api.problems for /api/ only (HTML pages keep theirs)."""

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            if status < 400:
                continue
            _slug, title, detail = PROBLEMS.get(int(status), (None, status.phrase, ""))
            response: dict[str, Any] = {
                "description": f"{title}. {detail}".strip(),
                "schema": ProblemSchema,
            }
            if status == 429:
                response["headers"] = {"Retry-After": RETRY_AFTER}
            if status == 405:
                response["headers"] = {"Allow": ALLOW}
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)


class Parser(FlaskParser):
    """webargs with Swedish messages and 400 (not 422) for requests that cannot be read."""

    DEFAULT_VALIDATION_STATUS = 400
    DEFAULT_VALIDATION_MESSAGE = "Ogiltigt värde."

    def _handle_invalid_json_error(self, error: Exception, req: Any, *args: Any, **kwargs: Any) -> None:
        abort(400, messages={"json": {"_schema": ["Begäran är inte giltig JSON."]}})

    def load_json(self, req: Any, schema: Any) -> Any:
        """A JSON object body is required wherever one is documented (an empty PATCH is an error,
        not a silent no-op); a body in another content type is refused with 415."""
        data = super().load_json(req, schema)
        if data is missing:
            if req.get_data(cache=True):
                abort(
                    415, messages={"json": {"_schema": ["Skicka JSON med Content-Type: application/json."]}}
                )
            abort(400, messages={"json": {"_schema": ["Begäran saknar innehåll: skicka ett JSON-objekt."]}})
        return data


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = Parser()


ArgumentsMixin.ARGUMENTS_PARSER = Blueprint.ARGUMENTS_PARSER

RETRY_AFTER = {"description": "Sekunder att vänta innan nästa anrop.", "schema": {"type": "integer"}}
ALLOW = {"description": "Metoder som adressen stöder.", "schema": {"type": "string"}}
ETAG_HEADER = {
    "description": 'Postens version som ETag, t.ex. "3". Skicka den i If-Match vid ändring.',
    "schema": {"type": "string"},
}
LOCATION_HEADER = {"description": "Adressen till den nya posten.", "schema": {"type": "string"}}


class FieldErrorSchema(Schema):
    field = Str(
        metadata={
            "description": "Fältet (med punkt för nästlade fält, t.ex. permit_guidance.0.permit_type_id).",
            "example": "subject",
        }
    )
    in_ = Str(
        data_key="in",
        metadata={"description": "Var fältet finns: body, query, header eller path.", "example": "body"},
    )
    message = Str(
        metadata={"description": "Vad som är fel, på svenska.", "example": "Skriv kort vad kontakten gällde."}
    )


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = Str(
        metadata={
            "description": "URI till beskrivningen av feltypen på API:ts referenssida.",
            "example": "https://lotsbok.example/api/v1/dokumentation#problem-ogiltiga-uppgifter",
        }
    )
    title = Str(
        metadata={
            "description": "Kort svensk rubrik för feltypen.",
            "example": "Uppgifterna kunde inte sparas",
        }
    )
    status = Int(metadata={"description": "HTTP-statuskoden.", "example": 422})
    detail = Str(
        metadata={
            "description": "Vad som gick fel i just det här anropet, på svenska.",
            "example": "Välj ett fokusområde. Varje kontakt räknas till ett av strategins fokusområden.",
        }
    )
    instance = Str(metadata={"description": "Adressen som anropades.", "example": "/api/v1/contacts"})
    errors = NestedList(
        Nested(FieldErrorSchema),
        metadata={"description": "Fel per fält, när felet gäller ett eller flera fält."},
    )


def problems(blp: Blueprint, *codes: int) -> Callable:
    """Document the error responses an operation can give (always 400, 401, 429)."""

    def decorator(func: Callable) -> Callable:
        for code in sorted({400, 401, 429, *codes}, reverse=True):
            func = blp.alt_response(code, response=http.HTTPStatus(code).name)(func)
        return func

    return decorator


# --------------------------------------------------------------------------- operation ids and links


def _link(operation: str, description: str, *, if_match: bool = False, **params: str) -> dict[str, Any]:
    parameters: dict[str, str] = dict(params)
    if if_match:
        parameters["header.If-Match"] = "$response.header.ETag"
    return {"operationId": operation, "description": description, "parameters": parameters}


_ID = "$response.body#/id"
_FIRST = "$response.body#/items/0/id"

# (operationId, status) → links: how a client (and Schemathesis's stateful run) goes from one
# response to the next request – create → read → update.
LINKS: dict[tuple[str, str], dict[str, dict[str, Any]]] = {
    ("list_companies", "200"): {
        "FirstCompany": _link("get_company", "Första företaget på sidan.", company_id=_FIRST)
    },
    ("create_company", "201"): {
        "GetCompany": _link("get_company", "Hämta företaget.", company_id=_ID),
        "UpdateCompany": _link("update_company", "Ändra företaget.", if_match=True, company_id=_ID),
        "AddContactPerson": _link("create_contact_person", "Lägg till en kontaktperson.", company_id=_ID),
        "ListContactPersons": _link("list_contact_persons", "Företagets kontaktpersoner.", company_id=_ID),
    },
    ("get_company", "200"): {
        "UpdateCompany": _link("update_company", "Ändra företaget.", if_match=True, company_id=_ID)
    },
    ("update_company", "200"): {"GetCompany": _link("get_company", "Hämta företaget igen.", company_id=_ID)},
    ("create_contact_person", "201"): {
        "GetContactPerson": _link("get_contact_person", "Hämta kontaktpersonen.", person_id=_ID),
        "UpdateContactPerson": _link(
            "update_contact_person", "Ändra kontaktpersonen.", if_match=True, person_id=_ID
        ),
    },
    ("get_contact_person", "200"): {
        "UpdateContactPerson": _link(
            "update_contact_person", "Ändra kontaktpersonen.", if_match=True, person_id=_ID
        )
    },
    ("list_contacts", "200"): {
        "FirstContact": _link("get_contact", "Första kontakten på sidan.", contact_id=_FIRST)
    },
    ("log_contact", "201"): {"GetContact": _link("get_contact", "Hämta kontakten.", contact_id=_ID)},
    ("list_cases", "200"): {"FirstCase": _link("get_case", "Första ärendet på sidan.", case_id=_FIRST)},
    ("create_case", "201"): {
        "GetCase": _link("get_case", "Hämta ärendet.", case_id=_ID),
        "ChangeStatus": _link("change_status", "Byt status.", if_match=True, case_id=_ID),
        "ListPermits": _link("list_permits", "Ärendets tillståndsrader.", case_id=_ID),
        "AddPermit": _link("add_permit", "Lägg till en tillståndsrad.", case_id=_ID),
    },
    ("get_case", "200"): {"ChangeStatus": _link("change_status", "Byt status.", if_match=True, case_id=_ID)},
    ("add_permit", "201"): {
        "UpdatePermit": _link(
            "update_permit",
            "Ändra tillståndsraden.",
            if_match=True,
            case_id="$response.body#/case_id",
            permit_id=_ID,
        )
    },  # fmt: skip
    ("mine", "200"): {
        "FirstFollowUp": _link("get_followup", "Första uppföljningen på sidan.", followup_id=_FIRST)
    },
    ("get_followup", "200"): {
        "Complete": _link("complete", "Markera som klar.", if_match=True, followup_id=_ID),
        "Snooze": _link("snooze", "Skjut upp.", if_match=True, followup_id=_ID),
    },
    ("list_visits", "200"): {"FirstVisit": _link("get_visit", "Första besöket på sidan.", visit_id=_FIRST)},
}


class OperationsPlugin(BasePlugin):
    """operationId = the view function's name (unique across the API), and the links above."""

    def operation_helper(
        self, path: str | None = None, operations: dict | None = None, **kwargs: Any
    ) -> None:
        rule = kwargs.get("rule")
        if rule is None or not operations:
            return
        name = rule.endpoint.rsplit(".", 1)[-1]
        for operation in operations.values():
            operation.setdefault("operationId", name)
            for status, response in operation.get("responses", {}).items():
                links = LINKS.get((name, str(status)))
                if links and isinstance(response, dict):
                    response["links"] = links


# The flask-smorest extension (bound in app.api.init_app): the OpenAPI document of the JSON API.
api = LotsbokApi(spec_kwargs={"extra_plugins": [OperationsPlugin()]})
