"""The canary sweep: nothing of a restricted contact or case reaches a reader who may not read
it – on any page, export, calendar feed or e-mail – and a sole trader's personnummer never
shows.

The world is the route × role world (tests/test_route_permissions.py and every feature's
build_world) plus tests/restricted_world.py: restricted records with a unique marker word in
every text field. For every GET route in app.url_map, with every id of that world in its URL
arguments (a new route is covered without editing this test; a new kind of URL argument fails
`test_every_url_argument_is_known` until it is listed) and the list filters that could act as an
oracle, each reader's response must not hold a marker of a record the reader may not read.
What leaves the system (exports, .ics, calendar feeds, e-mail and its preview) must hold none
at all. Participants and företagslotsar do see the markers on the record pages.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from flask import url_for

import tests.test_route_permissions as rp
from app import create_app
from app.core.permissions import Role
from app.extensions import db
from tests.builders.companies import SOLE_TRADER
from tests.builders.users import make_user
from tests.conftest import _config_for, cloned_database, sign_in
from tests.pages import rendered
from tests.restricted_world import ALL_MARKERS, MARKERS, ON_RECORD_PAGE, READERS, READS, build_canary

# What leaves the system: judged as read by nobody, so no marker for anyone.
OUTSIDE_ENDPOINTS = {
    "cases.meeting_ics",
    "visits.ics",
    "followups.calendar_feed",
    "reports.summary_preview",
    "reports.summary_preview_html",
}


def is_outside(endpoint: str) -> bool:
    # (The admin's outbox pages show the e-mails with their recipients; the e-mails themselves
    # are checked as delivered, in test_no_email_carries_restricted_content.)
    return endpoint in OUTSIDE_ENDPOINTS or "export" in endpoint


# URL arguments that are not ids of restricted records or what hangs on them.
NOT_RECORD_IDS = {
    "filename",
    "token",
    "user_id",
    "area_id",
    "batch_id",
    "target_id",
    "source_id",
    "person_id",
    "permit_type_id",
    "partner_id",
    "case_type_id",
    "question_id",
    "indicator_id",
    "year",
    "link_id",
    "activity_id",
    "run_id",
    "key",
    "entry_id",
}
# The JSON API names a contact `contact_id`; it is the same record as the pages' interaction_id.
ID_ALIASES = {"contact_id": "interaction_id"}

# Names only the restricted contact A carries (its participants, permit type and partner).
EXPORT_NEVER = ["Chef Deltagarsson", "Ledning Deltagarsson", "Tillstånd för tobaksförsäljning", "Coompanion"]

SOLE_TRADER_FORMS = [SOLE_TRADER, f"{SOLE_TRADER[:6]}-{SOLE_TRADER[6:]}", f"19{SOLE_TRADER}"]


@dataclass
class World:
    app: Any
    route_world: Any
    users: dict[str, Any]
    ids: dict[str, list[int]]
    a_id: int
    v_id: int
    b_id: int
    b2_id: int
    chef_p_id: int
    permit_type_a: int
    partner_a: int
    company_id: int
    tokens: dict[str, str]
    api_tokens: dict[str, str]


@pytest.fixture(scope="session")
def canary_world(template_db, tmp_path_factory):
    """One database and world per test process (GET requests change nothing but the audit
    trail)."""
    with cloned_database(template_db, tmp_path_factory.mktemp("canary")) as url:
        app = create_app(_config_for(url))
        with app.app_context():
            users = {role.value: make_user(role) for role in Role}
            db.session.commit()
            w = rp._build_world(db, users)
            canary = build_canary(w.users, activity=w.activity)
            db.session.commit()
            from app.followups.models import CalendarFeed

            tokens = {
                name: db.session.scalar(sa.select(CalendarFeed.token).where(CalendarFeed.user_id == user.id))
                for name, user in canary.users.items()
            }
            api_tokens = _api_tokens(canary.users)
            db.session.commit()
            world = World(
                app=app,
                route_world=w,
                users=canary.users,
                ids=canary.ids,
                a_id=canary.A.id,
                v_id=canary.V.id,
                b_id=canary.B.id,
                b2_id=canary.B2.id,
                chef_p_id=canary.users["chef_p"].id,
                permit_type_a=canary.permit_type_A.id,
                partner_a=canary.partner_A.id,
                company_id=canary.company.id,
                tokens=tokens,
                api_tokens=api_tokens,
            )
            for value in [*vars(w).values(), *canary.users.values()]:
                rp._loaded(value)
            db.session.expunge_all()
            db.session.remove()
        yield world
        with app.app_context():
            db.engine.dispose()


def _api_tokens(users: dict[str, Any]) -> dict[str, str]:
    """A read key of the JSON API for every reader: the API is swept like the pages."""
    from app.api import tokens

    return {
        name: tokens.create_token(
            user, tokens.TokenInput(name=f"sweep {name}", scope="read"), actor=None, system=True
        )[1]
        for name, user in users.items()
    }


def is_api(endpoint: str) -> bool:
    return bool(getattr(rp.ALL_ROUTES[endpoint], "api", False))


# ------------------------------------------------------------------------------------- URLs


def _variants(endpoint: str, w: World) -> list[tuple[dict[str, Any], set[str]]]:
    """Query strings worth trying on `endpoint`, each with the roots it must never list for a
    reader who may not read them (a filter on what a restricted record holds is no oracle)."""
    from app.cases.queries import VIEWS
    from app.core.timeline import TIMELINE_KINDS
    from app.reports.drilldown import SPECS

    out: list[tuple[dict[str, Any], set[str]]] = [({}, set())]
    if endpoint in ("interactions.list", "interactions.mine", "interactions.export"):
        out += [
            ({"restricted_only": "y"}, {"A", "V"}),
            ({"permit_type_id": w.permit_type_a}, {"A"}),
            ({"partner_id": w.partner_a}, {"A"}),
            ({"user_id": w.chef_p_id}, {"A"}),
            ({"restricted_only": "y", "permit_type_id": w.permit_type_a}, {"A"}),
            ({"company_id": w.company_id}, set()),
        ]
    elif endpoint == "api_contacts.list_contacts":
        out += [
            ({"restricted_only": "true"}, {"A", "V"}),
            ({"permit_type_id": w.permit_type_a}, {"A"}),
            ({"partner_id": w.partner_a}, {"A"}),
            ({"company_id": w.company_id}, set()),
        ]
    elif endpoint in ("cases.list", "cases.export"):
        out += [({"vy": view}, {"B"} if view == "frister" else set()) for view in VIEWS]
    elif endpoint == "api_cases.list_cases":
        out += [({"view": view}, {"B"} if view == "frister" else set()) for view in VIEWS]
    elif endpoint == "followups.list":
        out += [
            ({"assignee": "all", "status": "all"}, set()),
            ({"assignee": w.chef_p_id, "status": "all"}, set()),
        ]
    elif endpoint == "reports.records":
        out += [({"figure": key}, {"B"} if key == "permits.passed" else set()) for key in SPECS]
        out += [({"figure": f"referrals.partner:{w.partner_a}"}, {"A"})]
    elif endpoint == "companies.detail":
        out += [({"typ": kind}, set()) for kind in TIMELINE_KINDS]
    elif endpoint == "search.results":
        # Search finds a restricted record only for those who may read it (not even as a title).
        out += [({"q": "zqk"}, {"A", "V", "B", "B2"}), ({"q": "zqkalf"}, {"A"})]
    return out


def urls_for(endpoint: str, w: World) -> list[tuple[str, set[str]]]:
    route = rp.ALL_ROUTES[endpoint]
    with w.app.test_request_context():
        base = route.args(w.route_world)
        choices = [
            [(name, value)] + [(name, v) for v in w.ids.get(ID_ALIASES.get(name, name), []) if v != value]
            for name, value in base.items()
        ]
        urls = []
        for combo in itertools.product(*choices) if choices else [()]:
            for query, oracle in _variants(endpoint, w):
                urls.append((url_for(endpoint, **{**dict(combo), **query}), oracle))
    return urls


GET_ENDPOINTS = sorted(e for e, r in rp.ALL_ROUTES.items() if r.method == "GET")


def test_every_url_argument_is_known():
    """A new route whose URL names a new kind of record must say whether it is one of the
    restricted world's (then build_canary gives its ids) or not."""
    from tests.restricted_world import Canary  # noqa: F401 - the ids come from build_canary

    app = create_app(rp.TestingConfig)
    known = NOT_RECORD_IDS | {
        "interaction_id",
        "case_id",
        "followup_id",
        "referral_id",
        "meeting_id",
        "permit_id",
        "company_id",
        "visit_id",
        "fmt",
        "message_id",
        "figure",
        *ID_ALIASES,
    }
    unknown = {
        (rule.endpoint, arg)
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        for arg in rule.arguments
    }
    unknown = {(e, a) for e, a in unknown if a not in known}
    assert unknown == set(), f"classify these URL arguments in the sweep: {sorted(unknown)}"


# --------------------------------------------------------------------------------- reading


def body_text(response) -> str:
    """Everything a response says, as text: XLSX unzipped, iCalendar unfolded."""
    data = response.get_data()
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data = b"\n".join(archive.read(name) for name in archive.namelist() if name.endswith(".xml"))
    text = data.decode("utf-8", errors="replace")
    return text.replace("\r\n ", "").replace("\r\n\t", "")


def leaked(text: str, reader: str, endpoint: str) -> set[str]:
    lowered = text.lower()
    hidden = (
        ALL_MARKERS
        if is_outside(endpoint)
        else {m for root, fields in MARKERS.items() if root not in READS[reader] for m in fields.values()}
    )
    return {m for m in hidden if m.lower() in lowered}


# How a root shows in a contact export's rows: its kind on the canary company.
EXPORT_ROW_KIND = {"A": "Tillståndsvägledning", "V": "Besök hos företaget"}


def _oracle_hits(response, text: str, roots: set[str], reader: str, endpoint: str, w: World) -> list[str]:
    links = {
        "A": f'/kontakter/{w.a_id}"',
        "V": f'/kontakter/{w.v_id}"',
        "B": f'/arenden/{w.b_id}"',
        "B2": f'/arenden/{w.b2_id}"',
    }
    hidden = roots - READS[reader]
    if is_api(endpoint) and hidden and response.status_code == 200:
        ids = {"A": w.a_id, "V": w.v_id, "B": w.b_id, "B2": w.b2_id}
        listed = {item.get("id") for item in (response.get_json() or {}).get("items", [])}
        return [root for root in hidden if ids[root] in listed]
    hits = [root for root in hidden if links[root] in text]
    if hidden and endpoint == "interactions.export" and response.status_code == 200:
        from app.core.spreadsheet import read_table

        name = "x.xlsx" if response.get_data()[:2] == b"PK" else "x.csv"
        rows = read_table(response.get_data(), name).rows
        hits += [
            root
            for root in hidden
            for row in rows
            if EXPORT_ROW_KIND[root] in row and "Kanariebolaget AB" in row
        ]
    return hits


ROLES = [role.value for role in Role]
SOLE_TRADER_NAME = "Enskilda Firman"  # tests/companies/route_permissions.py
PREFIXES = [SOLE_TRADER[:8]]  # every form and length, per search box: tests/search/test_personal_ids.py
DECOY = "99999999"


def _prefix_finds_the_sole_trader(
    client, headers: dict[str, str], role: str, endpoint: str, w: World
) -> list[str]:
    """Any page that reads `q` (a search box, known or new): a prefix of the personnummer must
    find no more than digits that match nothing (each answer the page itself, not a refusal)."""
    route = rp.ALL_ROUTES[endpoint]
    with w.app.test_request_context():
        base = route.args(w.route_world)
        urls = {q: url_for(endpoint, **{**base, "q": q}) for q in [DECOY, *PREFIXES]}
    counts = {}
    for q, url in urls.items():
        response = client.get(url, headers=headers)
        try:
            _assert_answered_as_the_role_may(endpoint, role, response)
            counts[q] = response.get_data().count(SOLE_TRADER_NAME.encode())
        finally:
            response.close()  # a static file's answer holds the file open until then
    return [f"{urls[q]}: a prefix finds the sole trader" for q in PREFIXES if counts[q] > counts[DECOY]]


def _assert_answered_as_the_role_may(endpoint: str, role: str, response) -> None:
    """A reader's role allowed on the route gets its page (its own <h1> or file marker, as in
    tests/test_route_permissions.py), any other the refusal: so no marker being found means the
    sweep read the page, not an error page, a sign-in redirect or an empty body."""
    route = rp.ALL_ROUTES[endpoint]
    if route.public:
        return
    if role not in route.allowed:
        assert response.status_code == 403, f"{endpoint} as {role}: expected 403, got {response.status_code}"
    elif route.api:
        rp._assert_api_answered(endpoint, role, response)
    else:
        assert response.status_code in route.ok, (
            f"{endpoint} as {role}: {response.status_code} {response.location or ''}"
        )
        if response.status_code == 200:
            rp._assert_own_page(endpoint, response)


# lots2 reads everything, like lots (who is also the author): the record pages check it below.
SWEEP_READERS = [r for r in READERS if r != "lots2"]


@pytest.mark.parametrize("reader", SWEEP_READERS)
@pytest.mark.parametrize("endpoint", GET_ENDPOINTS)
def test_no_marker_reaches_a_reader_who_may_not_read_it(canary_world, endpoint, reader):
    w = canary_world
    with w.app.app_context():
        if is_api(endpoint):  # the token is the API's only identity, as for any API client
            client = w.app.test_client()
            headers = {"Authorization": f"Bearer {w.api_tokens[reader]}"}
        else:
            client = sign_in(w.app.test_client(), w.users[reader])
            headers = {}
        problems = []
        for n, (url, oracle) in enumerate(urls_for(endpoint, w)):
            response = client.get(url, headers=headers)
            assert response.status_code < 500, f"{url} as {reader}: {response.status_code}"
            if n == 0:  # the route × role test's own URL: the page itself, not a refusal or an error
                _assert_answered_as_the_role_may(endpoint, w.users[reader].role, response)
            text = body_text(response)
            found = leaked(text, reader, endpoint)
            if found:
                problems.append(f"{url}: {sorted(found)}")
            if endpoint == "interactions.export":
                # What only A's participants, permit guidance and referral name (never exported).
                named = [n for n in EXPORT_NEVER if n in text]
                if named:
                    problems.append(f"{url}: exports {named} of a restricted contact")
            if any(form in text for form in SOLE_TRADER_FORMS):
                problems.append(f"{url}: the sole trader's full personnummer")
            hits = _oracle_hits(response, text, oracle, reader, endpoint, w)
            if hits:
                problems.append(f"{url}: lists restricted {hits} through a filter")
        if reader in ROLES:
            problems += _prefix_finds_the_sole_trader(client, headers, reader, endpoint, w)
        db.session.remove()
    assert problems == [], f"as {reader}:\n" + "\n".join(problems)


@pytest.mark.parametrize("reader", READERS)
def test_calendar_feed_of_every_user_carries_no_restricted_content(canary_world, reader):
    w = canary_world
    with w.app.app_context():
        response = w.app.test_client().get(f"/kalender/{w.tokens[reader]}.ics")
        assert response.status_code == 200
        assert response.mimetype == "text/calendar"
        text = body_text(response)
        assert text.startswith("BEGIN:VCALENDAR")
        assert leaked(text, reader, "followups.calendar_feed") == set()
        assert not any(form in text for form in SOLE_TRADER_FORMS)
        if reader in ("lots", "chef_p", "ledning_p"):  # each holds a restricted follow-up due today
            assert "Uppföljning med begränsad åtkomst – öppna i Lotsbok" in text
        if reader in ("lots", "chef_p"):  # internal participants of B's lotsmöte
            assert "Lotsmöte med begränsad åtkomst – öppna i Lotsbok" in text
        db.session.remove()


@pytest.mark.parametrize(
    ("reader", "endpoint", "root"),
    [
        (reader, endpoint, root)
        for root, endpoint in (("A", "interactions.detail"), ("B", "cases.detail"))
        for reader in READERS
        if root in READS[reader] and reader not in ("admin",) and not (root == "B" and reader == "ledning_p")
    ],
)
def test_participants_and_lots_see_the_content_on_the_record_page(canary_world, reader, endpoint, root):
    """The other side of the sweep: those who may read it do (admin and ledning have no such
    screens for these kinds)."""
    w = canary_world
    with w.app.app_context():
        client = sign_in(w.app.test_client(), w.users[reader])
        record_id = w.a_id if root == "A" else w.b_id
        arg = "interaction_id" if root == "A" else "case_id"
        with w.app.test_request_context():
            url = url_for(endpoint, **{arg: record_id})
        text = body_text(client.get(url))
        missing = [
            field for field in ON_RECORD_PAGE[root] if MARKERS[root][field].lower() not in text.lower()
        ]
        assert missing == [], f"{url} as {reader} lacks {missing}"
        db.session.remove()


def test_participants_find_their_restricted_records_in_search(canary_world):
    w = canary_world
    with w.app.app_context():
        text = body_text(sign_in(w.app.test_client(), w.users["chef_p"]).get("/sok?q=zqkalfa"))
        assert MARKERS["A"]["subject"] in text
        text = body_text(sign_in(w.app.test_client(), w.users["chef_p"]).get("/sok?q=zqkindia"))
        assert MARKERS["B"]["title"] in text
        text = rendered(
            sign_in(w.app.test_client(), w.users["chef"]).get("/sok?q=zqkindia"),
            heading="Sök",
            marker='value="zqkindia"',
        )
        assert f'/arenden/{w.b_id}"' not in text  # and a chef who is no participant does not
        db.session.remove()


def test_showing_restricted_content_outside_its_page_is_logged_once_per_request(canary_world):
    """The company page's timeline shows A and B (and several of B's events) to a participant:
    one audit "view" event per record, for that request."""
    from app.audit.models import AuditEvent

    w = canary_world
    with w.app.app_context():
        chef_p = w.users["chef_p"]

        def views() -> list[tuple[str, int]]:
            return list(
                db.session.execute(
                    sa.select(AuditEvent.entity_type, AuditEvent.entity_id).where(
                        AuditEvent.actor_id == chef_p.id, AuditEvent.action == "view"
                    )
                )
            )

        before = views()
        client = sign_in(w.app.test_client(), chef_p)
        assert client.get(f"/foretag/{w.company_id}").status_code == 200
        db.session.remove()
        new = views()[len(before) :]
        assert sorted(new) == sorted([("interactions", w.a_id), ("lots_cases", w.b_id)])
        # A chef who may not read them is shown nothing, and nothing is logged.
        chef = w.users["chef"]
        count = db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.actor_id == chef.id)
        )
        sign_in(w.app.test_client(), chef).get(f"/foretag/{w.company_id}")
        db.session.remove()
        after = db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.actor_id == chef.id)
        )
        assert after == count
        db.session.remove()


def test_no_email_carries_restricted_content(app, db, users, smtp_server):
    """Every e-mail the app produces about the restricted world – digests, monthly summaries,
    the lotsmöte invitation (with its .ics), the visit's invitations – delivered through a real
    SMTP server: no marker in any part, for any recipient, also those who may read it."""
    from app.mail.delivery import deliver_outbox

    canary = build_canary(users)
    db.session.commit()
    while deliver_outbox():
        pass
    messages = smtp_server.messages
    subjects = [m["Subject"] for m in messages]
    by_kind = {
        "digest": [m for m in messages if "att göra" in m["Subject"]],
        "summary": [m for m in messages if "sammanfattning" in m["Subject"].lower()],
        "lotsmöte": [m for m in messages if "Lotsmöte" in m["Subject"]],
    }
    assert all(by_kind.values()), subjects
    recipients = {m["To"] for m in by_kind["lotsmöte"]}
    assert "zqkuniform@gast.example" in recipients
    assert canary.users["chef_p"].email in recipients
    for message in messages:
        text = "\n".join(
            part.get_content()
            if part.get_content_maintype() == "text"
            else part.get_payload(decode=True).decode()
            for part in message.walk()
            if not part.is_multipart()
        )
        text = text.replace("\r\n ", "").replace("\n ", "") + message["Subject"]
        found = {m for m in ALL_MARKERS if m.lower() in text.lower()}
        found -= {m for m in found if m.lower() in message["To"].lower()}  # the guest's own name
        assert found == set(), f"{message['Subject']} to {message['To']}: {sorted(found)}"
        assert not any(form in text for form in SOLE_TRADER_FORMS)
    digest = next(m for m in by_kind["digest"] if m["To"] == canary.users["chef_p"].email)
    assert "Uppföljning med begränsad åtkomst – öppna i Lotsbok" in digest.get_body(("plain",)).get_content()


def test_the_world_reaches_the_report_lists(canary_world):
    """The sweep means something only if the restricted records are on the report pages it
    reads: B is a new large establishment with a passed permit deadline, B2 long open, and a
    follow-up of B overdue – shown to lots, neutral (or left out) for the chef."""
    w = canary_world
    with w.app.app_context():
        lots = body_text(sign_in(w.app.test_client(), w.users["lots"]).get("/rapporter"))
        for marker in (MARKERS["B"]["title"], MARKERS["B2"]["title"], MARKERS["B"]["overdue"]):
            assert marker in lots
        assert f"(ärende {w.b_id})" in lots  # the passed permit
        chef = rendered(
            sign_in(w.app.test_client(), w.users["chef"]).get("/rapporter"), heading="Rapporter: "
        )
        assert "Lotsärende med begränsad åtkomst" in chef
        assert "Uppföljning med begränsad åtkomst" in chef
        assert f"ärende {w.b_id})" not in chef  # a deadline of a case the chef may not read
        db.session.remove()
