"""A sole trader's organisationsnummer is a personnummer: no search box finds it by a prefix or
a part, for any role; a whole number finds it (masked in the result) and the lookup is audited.
And search finds a restricted case only for those who may read it.

These catch, among others, the two defects named in issue 13: search results showing a sole
trader's full personnummer, and search finding (and titling) a restricted case for a chef.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import url_for

from app.audit.models import AuditEvent
from app.search.queries import search
from tests.builders import cases as cf
from tests.builders.companies import SAMORDNING, SOLE_TRADER, make_company
from tests.pages import rendered, served

ROLES = ["lots", "ledning", "chef", "admin"]
# The search boxes that take free text (`q`). (tests/test_restriction_sweep.py also tries a
# prefix on every GET route, so a new box is caught even if it is not listed here.)
# Each with the <h1> its page shows (None: it answers JSON).
SEARCH_BOXES = {
    "search.results": "Sök",
    "companies.list": "Företag",
    "interactions.new": "Logga kontakt",
    "cases.new": "Nytt lotsärende",
    "followups.new": "Ny uppföljning",
    "companies.suggest": None,
}
NAME = "Firman Zqkenskild"


def _prefixes(number: str) -> list[str]:
    short = [number[:n] for n in (6, 7, 8, 9)]
    hyphen = [f"{number[:6]}-{number[6:n]}" for n in (7, 8, 9)]
    century = [f"19{number[:n]}" for n in (6, 7, 8, 9)] + [f"19{number[:6]}-{number[6:9]}"]
    return short + hyphen + century


def _wholes(number: str) -> list[str]:
    return [number, f"{number[:6]}-{number[6:]}", f"19{number}", f"19{number[:6]}-{number[6:]}"]


@pytest.fixture
def sole_traders(db, users):
    person = make_company(NAME, orgnr=SOLE_TRADER)
    coordination = make_company("Samordnaren Zqkenskild", orgnr=SAMORDNING)
    legal = make_company("Bolaget Zqklegal AB")
    db.session.commit()
    return person, coordination, legal


def _url(app, endpoint: str, q: str) -> str:
    with app.test_request_context():
        return url_for(endpoint, q=q)


@pytest.mark.parametrize("role", ROLES)
def test_no_prefix_reaches_a_personnummer_in_any_search_box(app, login_as, sole_traders, role):
    client = login_as(role)
    for company in sole_traders[:2]:
        for prefix in _prefixes(company.orgnr):
            for endpoint in SEARCH_BOXES:
                response = client.get(_url(app, endpoint, prefix))
                if response.status_code == 403:
                    continue
                heading = SEARCH_BOXES[endpoint]
                if heading is None:
                    text = served(response, mimetype="application/json", marker="[")
                else:
                    text = rendered(response, heading=heading, marker=f'value="{prefix}"')
                assert company.name not in text, f"{endpoint} ?q={prefix} as {role} finds {company.name}"
                assert f'/foretag/{company.id}"' not in text, f"{endpoint} ?q={prefix} as {role}"


def test_the_index_holds_no_personnummer(app, db, sole_traders):
    person, coordination, legal = sole_traders
    if db.engine.dialect.name == "sqlite":
        hits = db.session.scalar(
            sa.text("SELECT count(*) FROM search_fts_company WHERE search_fts_company MATCH :m"),
            {"m": f'"{person.orgnr[:6]}" *'},
        )
        assert hits == 0
        body = db.session.scalar(
            sa.text("SELECT body FROM search_fts_company WHERE rowid = :r"), {"r": legal.id}
        )
        assert body == legal.orgnr  # a legal person's number stays searchable
    else:
        from app.core.fulltext import pg_document

        for company, indexed in ((person, False), (coordination, False), (legal, True)):
            vector = db.session.scalar(
                sa.text(f"SELECT {pg_document('company')}::text FROM companies WHERE id = :i"),
                {"i": company.id},
            )
            assert (company.orgnr in vector) is indexed, vector


@pytest.mark.parametrize("role", ROLES)
def test_a_whole_number_finds_the_sole_trader_masked_and_audited(
    app, db, login_as, users, sole_traders, role
):
    person = sole_traders[0]
    client = login_as(role)
    for whole in _wholes(person.orgnr):
        for endpoint in ("search.results", "companies.list"):
            before = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "lookup", AuditEvent.actor_id == users[role].id)
            )
            text = rendered(client.get(_url(app, endpoint, whole)), heading=SEARCH_BOXES[endpoint])
            assert person.name in text, f"{endpoint} ?q={whole} as {role}"
            assert f"{person.orgnr[:6]}-****" in text
            # The full number only where the user typed it (forms, the title, links carrying the
            # query), never in a result.
            shown = re.sub(r'<form.*?</form>|<head>.*?</head>|href="[^"]*"', "", text, flags=re.S)
            assert person.orgnr not in shown, endpoint
            assert f"{person.orgnr[:6]}-{person.orgnr[6:]}" not in shown, endpoint
            db.session.expire_all()
            events = list(
                db.session.scalars(
                    sa.select(AuditEvent)
                    .where(AuditEvent.action == "lookup", AuditEvent.actor_id == users[role].id)
                    .order_by(AuditEvent.id)
                )
            )
            assert len(events) == before + 1, f"{endpoint} ?q={whole} as {role}: not audited"
            assert events[-1].entity_type == "companies"
            assert events[-1].entity_id == person.id
            assert person.orgnr not in events[-1].summary


def test_ordinary_organisationsnummer_keep_prefix_search(db, users, sole_traders, login_as):
    legal = sole_traders[2]
    assert legal.id in [h.id for h in search(legal.orgnr[:6], actor=users["chef"]).hits["company"]]
    text = login_as("chef").get(f"/foretag?q={legal.orgnr[:6]}").get_data(as_text=True)
    assert legal.name in text


def test_search_finds_a_restricted_case_only_for_those_who_may_read_it(app, db, users, login_as):
    from tests.builders.users import make_user

    participant = make_user("chef", name="Chef Med")
    case = cf.make_case(
        users["lots"], title="Zqkhemligt projekt", is_restricted=True, participant_ids=(participant.id,)
    )
    db.session.commit()
    chef_page = rendered(login_as("chef").get("/sok?q=zqkhemlig"), heading="Sök", marker='value="zqkhemlig"')
    assert "Zqkhemligt projekt" not in chef_page
    assert f'/arenden/{case.id}"' not in chef_page
    assert [h.id for h in search("zqkhemlig", actor=users["chef"]).hits.get("case", [])] == []
    for reader in (participant, users["lots"]):
        page = login_as(reader).get("/sok?q=zqkhemlig").get_data(as_text=True)
        assert "Zqkhemligt projekt" in page
        assert f'/arenden/{case.id}"' in page
    logged = db.session.scalars(
        sa.select(AuditEvent.actor_id).where(
            AuditEvent.action == "view",
            AuditEvent.entity_type == "lots_cases",
            AuditEvent.entity_id == case.id,
        )
    ).all()
    assert sorted(logged) == sorted([participant.id, users["lots"].id])
