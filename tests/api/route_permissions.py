"""Route × role table for the JSON API and the token screens (see tests/route_permissions.py).

API routes are called with the role's token (write scope for roles that may write, read for
the others), so "allowed" is what the role may do through the API; everyone else gets 403.
"""

from __future__ import annotations

from datetime import timedelta

from app.api import tokens
from app.core.time import local_today
from tests.builders import cases as case_f
from tests.builders.catalogues import permit_type
from tests.builders.companies import make_company, make_contact_person
from tests.builders.followups import make_followup
from tests.builders.interactions import make_interaction
from tests.builders.visits import make_visit
from tests.route_permissions import ALL, Route

LOTS = frozenset({"lots"})
ADMIN = frozenset({"admin"})
READERS = frozenset({"lots", "ledning", "chef"})  # contacts, follow-ups, visits
CASES = frozenset({"lots", "chef"})
REPORTS = frozenset({"lots", "chef", "admin"})


def build_world(world) -> None:
    lots = world.users["lots"]
    world.api_tokens = {}
    for role, user in world.users.items():
        scope = "write" if "write" in tokens.scopes_allowed(user) else "read"
        _token, secret = tokens.create_token(
            user, tokens.TokenInput(name=f"route test {role}", scope=scope), actor=None, system=True
        )
        world.api_tokens[role] = secret
    world.api_token = tokens.tokens_of(lots)[0]
    world.api_company = make_company("API-bolaget AB")
    world.api_person = make_contact_person(world.api_company, "Berit API")
    world.api_contact = make_interaction(world.api_company, lots)
    world.api_case = case_f.make_case(lots, company=world.api_company, contact=world.api_person)
    world.api_permit = case_f.make_permit(world.api_case, lots, "bygglov")
    world.api_followup = make_followup(lots, local_today() + timedelta(days=3))
    world.api_visit = make_visit(world.api_company, lots, ledning=[world.users["ledning"]], office=[lots])


def _api(method: str = "GET", allowed: frozenset[str] = ALL, **kw) -> Route:
    return Route(method, allowed=allowed, api=True, **kw)


def _company(w):
    return {"company_id": w.api_company.id}


def _case(w):
    return {"case_id": w.api_case.id}


ROUTES = {
    "api-docs.openapi_json": Route(public=True, marker='"info"'),
    "api_reference.reference": Route(public=True),
    "api_me.me": _api(),
    "api_companies.list_companies": _api(),
    "api_companies.get_company": _api(args=_company),
    "api_companies.create_company": _api("POST", LOTS, data=lambda w: {"name": "Nya API AB"}),
    "api_companies.update_company": _api("PATCH", LOTS, args=_company, data=lambda w: {"city": "Borlänge"}),
    "api_companies.list_contact_persons": _api(args=_company),
    "api_companies.create_contact_person": _api(
        "POST", LOTS, args=_company, data=lambda w: {"name": "Cecilia Ny"}
    ),
    "api_companies.get_contact_person": _api(args=lambda w: {"person_id": w.api_person.id}),
    "api_companies.update_contact_person": _api(
        "PATCH", LOTS, args=lambda w: {"person_id": w.api_person.id}, data=lambda w: {"title": "VD"}
    ),
    "api_contacts.list_contacts": _api(allowed=READERS),
    "api_contacts.get_contact": _api(allowed=READERS, args=lambda w: {"contact_id": w.api_contact.id}),
    "api_contacts.log_contact": _api(
        "POST",
        LOTS,
        data=lambda w: {
            "company_id": w.api_company.id,
            "focus_area_id": w.focus_area.id,
            "subject": "Samtal via API",
        },
    ),  # fmt: skip
    "api_cases.list_cases": _api(allowed=CASES),
    "api_cases.get_case": _api(allowed=CASES, args=_case),
    "api_cases.create_case": _api(
        "POST",
        LOTS,
        data=lambda w: {
            "company_id": w.api_company.id,
            "title": "Via API",
            "case_type_id": case_f.case_type().id,
            "focus_area_id": w.focus_area.id,
        },
    ),  # fmt: skip
    "api_cases.change_status": _api("POST", LOTS, args=_case, data=lambda w: {"status": "in_progress"}),
    "api_cases.list_permits": _api(allowed=CASES, args=_case),
    "api_cases.add_permit": _api(
        "POST", LOTS, args=_case, data=lambda w: {"permit_type_id": permit_type("tobak").id}
    ),
    "api_cases.update_permit": _api(
        "PATCH",
        LOTS,
        args=lambda w: {"case_id": w.api_case.id, "permit_id": w.api_permit.id},
        data=lambda w: {"note": "Kompletterad"},
    ),  # fmt: skip
    "api_followups.mine": _api(allowed=READERS),
    "api_followups.get_followup": _api(allowed=LOTS, args=lambda w: {"followup_id": w.api_followup.id}),
    "api_followups.complete": _api(
        "POST", LOTS, args=lambda w: {"followup_id": w.api_followup.id}, data=lambda w: {}
    ),
    "api_followups.snooze": _api(
        "POST", LOTS, args=lambda w: {"followup_id": w.api_followup.id}, data=lambda w: {"days": 7}
    ),
    "api_visits.list_visits": _api(allowed=READERS),
    "api_visits.get_visit": _api(allowed=READERS, args=lambda w: {"visit_id": w.api_visit.id}),
    "api_catalogues.focus_areas": _api(),
    "api_catalogues.permit_types": _api(),
    "api_catalogues.partners": _api(),
    "api_catalogues.case_type_list": _api(),
    "api_catalogues.area_list": _api(),
    "api_reports.figures": _api(allowed=REPORTS),
    "tokens.create": Route(
        "POST",
        data=lambda w: {"name": "Intranätet", "scope": "read", "days": "30"},
        marker="API-nyckeln är skapad",
    ),
    "tokens.revoke": Route("POST", allowed=LOTS, args=lambda w: {"token_id": w.api_token.id}),
    "tokens.admin_list": Route(allowed=ADMIN),
    "tokens.admin_revoke": Route("POST", allowed=ADMIN, args=lambda w: {"token_id": w.api_token.id}),
    "tokens.admin_policy": Route("POST", allowed=ADMIN, data=lambda w: {"max_days": "200"}),
}
