"""Nothing of a restricted contact or case reaches, through any API response, a role that may
not read it: every GET operation of the OpenAPI document is called by every role with the ids
of a world whose restricted records carry a marker in every text field."""

from __future__ import annotations

import itertools
import re

import pytest

from app.cases import services as case_services
from app.interactions import services as contact_services
from tests.builders import cases as case_f
from tests.builders.catalogues import partner, permit_type
from tests.builders.companies import make_company, make_contact_person
from tests.builders.followups import make_followup
from tests.builders.interactions import make_interaction
from tests.builders.users import make_user
from tests.builders.visits import make_visit

MARK = "KANARIE"


@pytest.fixture
def world(db, users):
    author = make_user("lots")  # a colleague: the roles below are not participants
    company = make_company("Sekretessbolaget AB")
    person = make_contact_person(company, "Petra Person")
    contact = make_interaction(
        company, author, subject=f"{MARK}-amne", notes=f"{MARK}-anteckning", is_restricted=True,
        kind="permit_guidance", contact_person_ids=(person.id,),
        permit_guidance=(contact_services.PermitGuidanceInput(permit_type("bygglov").id, f"{MARK}-vagledning",
                                                              f"{MARK}-lamnad"),),
        follow_up=contact_services.FollowUpRequest(when="1w"),
    )  # fmt: skip
    contact_services.add_referral(
        contact_services.ReferralInput(
            partner_id=partner().id, reason=f"{MARK}-hanvisning", interaction_id=contact.id
        ),
        actor=author,
    )
    case = case_f.make_case(
        author, company=company, contact=person, title=f"{MARK}-rubrik", description=f"{MARK}-beskrivning",
        diarienummer=f"KS {MARK}", is_restricted=True,
    )  # fmt: skip
    permit = case_f.make_permit(case, author, "bygglov", note=f"{MARK}-tillstand", authority=f"{MARK}-namnd")
    case_services.add_note(case, f"{MARK}-notering", actor=author)
    visit = make_visit(company, author, ledning=[users["ledning"]], office=[author], purpose="Allmänt besök")
    followup = make_followup(users["ledning"], case_f.NOW.date(), title="Egen uppföljning")
    db.session.commit()
    return {
        "company_id": company.id,
        "contact_id": contact.id,
        "case_id": case.id,
        "permit_id": permit.id,
        "person_id": person.id,
        "visit_id": visit.id,
        "followup_id": followup.id,
    }


QUERY = {"company_id": "{company_id}", "restricted_only": "true", "limit": "100", "view": "alla", "which": "all",
         "status": "all", "mine": "false", "period": "year", "year": "2026"}  # fmt: skip


def _get_operations(client) -> list[tuple[str, list[str]]]:
    spec = client.get("/api/v1/openapi.json").json
    out = []
    for path, item in spec["paths"].items():
        op = item.get("get")
        if op is not None:
            out.append((path, [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]))
    return out


def _urls(path: str, query_names: list[str], ids: dict[str, int]) -> list[str]:
    url = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)
    variants = [url]
    params = {k: v.format(**ids) for k, v in QUERY.items() if k in query_names}
    if params:
        for size in range(1, len(params) + 1):
            for combo in itertools.combinations(sorted(params), size):
                if size in (1, len(params)):
                    variants.append(url + "?" + "&".join(f"{k}={params[k]}" for k in combo))
    return variants


@pytest.mark.parametrize("role", ["ledning", "chef", "admin"])
def test_no_api_response_carries_restricted_content_to_a_role_that_may_not_read_it(
    db, users, api_as, world, role
):
    api = api_as(role)
    checked = answered = 0
    for path, query_names in _get_operations(api.client):
        for url in _urls(path, query_names, world):
            response = api.get(url)
            assert response.status_code < 500, url
            if response.status_code == 200:  # an answer, not a refusal: JSON with content
                assert response.is_json, url
                assert response.get_json() is not None, url
                answered += 1
            assert MARK not in response.get_data(as_text=True), f"{role} read restricted content at {url}"
            checked += 1
    assert checked > 30
    assert answered > 0


def test_readers_do_see_it_so_the_sweep_can_fail(db, users, api_as, world):
    lots = api_as("lots")  # företagslots: Perm.VIEW_RESTRICTED
    contact = lots.get(f"/api/v1/contacts/{world['contact_id']}").get_data(as_text=True)
    for text in ("amne", "anteckning", "vagledning", "lamnad", "hanvisning"):
        assert f"{MARK}-{text}" in contact
    case = lots.get(f"/api/v1/cases/{world['case_id']}").get_data(as_text=True)
    assert f"{MARK}-rubrik" in case
    assert f"{MARK}-beskrivning" in case
    assert f"KS {MARK}" in case
    assert f"{MARK}-tillstand" in lots.get(f"/api/v1/cases/{world['case_id']}/permits").get_data(as_text=True)
