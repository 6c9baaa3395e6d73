"""Every download through gunicorn, for every role that may use it: each CSV and XLSX export
(parsed, and its rows counted against the database), each calendar file and feed (parsed), and
each printable page. A download that breaks off after its headers – as the CSV exports did when
their rows were produced outside the request's context – fails here, both by its row count
and by the traceback in the server's log.

The world is built once per module in the server's database: a few hundred generated companies
with their contacts, cases and visits (more than one 500-row chunk of every export), plus
records that exports must treat with care (a sole trader, restricted contacts and cases, a
formula-like cell, a contact with two kommun participants).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace
from urllib.parse import unquote

import icalendar
import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.core.permissions import Role
from app.core.time import local_today, utcnow
from app.extensions import db
from tests.builders.users import PASSWORD, make_user
from tests.conftest import make_app
from tests.test_route_permissions import ALL_ROUTES

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ANCHOR = date(2031, 5, 15)  # generated data lies far from the dates other tests use


@pytest.fixture(scope="module")
def world(live_server):
    from app.cases import meetings as case_meetings
    from app.followups import services as followups
    from app.scale import generate_cases_visits  # noqa: F401 - registers cases and visits
    from app.scale.generate import generate
    from tests.builders import cases as case_f
    from tests.builders.companies import SOLE_TRADER_EXPORTS, make_company
    from tests.builders.followups import make_followup
    from tests.builders.interactions import make_interaction
    from tests.builders.visits import make_visit

    application = make_app(live_server.database_url)
    with application.app_context():
        generate(260, seed=13, anchor=ANCHOR, echo=lambda _m: None)
        users = {role.value: make_user(role) for role in Role}
        lots, ledning, chef = users["lots"], users["ledning"], users["chef"]
        other_lots = make_user(Role.LOTS)
        sole_trader = make_company("Enskilda Exportfirman", orgnr=SOLE_TRADER_EXPORTS)
        formula = make_company('=HYPERLINK("http://evil.example") AB')
        # Mine: logged by me, and one where I am one of two kommun participants.
        make_interaction(sole_trader, lots, subject="Min egen kontakt")
        make_interaction(formula, other_lots, subject="Två deltagare", participant_ids=[lots.id, ledning.id])
        make_interaction(
            formula, lots, subject="Hemlig kontakt", is_restricted=True, notes="Känsligt innehåll"
        )
        mine = case_f.make_case(lots, company=formula, title="Mitt ärende")
        case_f.make_case(
            other_lots,
            company=sole_trader,
            title="Hemligt ärende",
            is_restricted=True,
            participant_ids=[lots.id],
        )
        meeting = case_meetings.create_meeting(mine, case_f.meeting_input(), actor=lots, now=case_f.NOW)
        visit = make_visit(
            formula,
            ledning,
            ledning=[ledning],
            office=[lots],
            starts_at=(utcnow() + timedelta(days=5)).replace(microsecond=0),
        )
        today = local_today()
        for days in (1, 2, 3):
            make_followup(users["lots"], today + timedelta(days=days), title=f"Uppföljning {days}")
        feeds = {u.role: followups.regenerate_calendar_token(u, actor=u).token for u in (lots, ledning, chef)}
        db.session.commit()
        w = SimpleNamespace(
            users={k: SimpleNamespace(id=u.id, email=u.email, role=u.role) for k, u in users.items()},
            case_id=mine.id,
            meeting_id=meeting.id,
            visit_id=visit.id,
            visit_company_id=formula.id,
            feeds=feeds,
        )
        db.session.remove()
        db.engine.dispose()
    return w


@pytest.fixture(scope="module")
def signed_in(live_server, world):
    """One client per role, signed in through the real form."""
    clients = {}
    for role, user in world.users.items():
        client = live_server.client()
        client.sign_in(user.email, PASSWORD)
        clients[role] = client
    yield clients
    for client in clients.values():
        client.close()


def _count(sql: str, **params) -> int:
    return db.session.scalar(sa.text(sql), params)


LIVE_COMPANIES = "SELECT count(*) FROM companies WHERE deleted_at IS NULL AND merged_into_id IS NULL"
LIVE_CONTACTS = "SELECT count(*) FROM interactions WHERE deleted_at IS NULL"
MY_CONTACTS = (
    "SELECT count(*) FROM interactions i WHERE i.deleted_at IS NULL AND (i.author_id = :u OR EXISTS "
    "(SELECT 1 FROM interaction_participants p WHERE p.interaction_id = i.id AND p.user_id = :u))"
)
ALL_CASES = "SELECT count(*) FROM lots_cases"
MY_CASES = (
    "SELECT count(*) FROM lots_cases c WHERE c.responsible_user_id = :u OR EXISTS "
    "(SELECT 1 FROM lots_case_participants p WHERE p.case_id = c.id AND p.user_id = :u)"
)


@dataclass(frozen=True)
class Export:
    endpoint: str
    path: str
    expected: object  # (world, role) → row count, read from the database
    file_stem: str

    @property
    def id(self) -> str:
        return self.path


def _report_rows(world, role) -> int:
    from app.auth.models import User
    from app.reports.figures import Scope, build_report, export_rows
    from app.reports.periods import month_period
    from app.reports.views import sees_per_user

    user = db.session.get(User, world.users[role].id)
    report = build_report(Scope(month_period(ANCHOR.replace(day=1))), per_user=sees_per_user(user))
    return len(export_rows(report))


EXPORTS = [
    Export("companies.export", "/foretag/export.{fmt}", lambda w, r: _count(LIVE_COMPANIES), "företag-"),
    Export(
        "interactions.export", "/kontakter/export.{fmt}", lambda w, r: _count(LIVE_CONTACTS), "kontakter-"
    ),
    Export(
        "interactions.export",
        "/kontakter/export.{fmt}?mine=1",
        lambda w, r: _count(MY_CONTACTS, u=w.users[r].id),
        "kontakter-",
    ),
    Export("cases.export", "/arenden/export.{fmt}?vy=alla", lambda w, r: _count(ALL_CASES), "lotsärenden-"),
    Export(
        "cases.export",
        "/arenden/export.{fmt}?vy=mina",
        lambda w, r: _count(MY_CASES, u=w.users[r].id),
        "lotsärenden-",
    ),
    Export(
        "reports.export",
        f"/rapporter/export.{{fmt}}?period=month&month={ANCHOR:%Y-%m}",
        _report_rows,
        "lotsbok-rapport-",
    ),
]
EXPORT_CASES = [
    pytest.param(export, fmt, role, id=f"{export.path.format(fmt=fmt)}-{role}")
    for export in EXPORTS
    for fmt in ("csv", "xlsx")
    for role in sorted(ALL_ROUTES[export.endpoint].allowed)
]


def _filename(response, disposition_type: str = "attachment") -> str:
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(f"{disposition_type};"), disposition
    ascii_name = re.search(r'filename="([^"]+)"', disposition)
    assert ascii_name, disposition
    assert ascii_name.group(1).isascii(), disposition
    utf8_name = re.search(r"filename\*=UTF-8''(\S+)", disposition)
    return unquote(utf8_name.group(1)) if utf8_name else ascii_name.group(1)


@pytest.mark.parametrize(("export", "fmt", "role"), EXPORT_CASES)
def test_export_downloads_completely(app, signed_in, world, export, fmt, role):
    response = signed_in[role].get(export.path.format(fmt=fmt))
    assert response.status_code == 200, response.text[:500]
    body = response.content  # a broken-off chunked stream raises here
    name = _filename(response)
    assert name.startswith(export.file_stem), name
    assert name.endswith(f".{fmt}"), name
    expected = export.expected(world, role)
    if fmt == "csv":
        assert response.headers["Content-Type"] == CSV_TYPE
        assert body.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    else:
        assert response.headers["Content-Type"] == XLSX_TYPE
        sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header, data = rows[0], rows[1:]
    assert len(set(map(len, rows))) == 1, "every row has as many cells as the header"
    assert len(data) == expected, f"{len(data)} rows, {expected} in the database"
    assert expected > 0 or role == "chef"  # the chef logs nothing, so has no "mine"
    text = body.decode("utf-8-sig") if fmt == "csv" else repr(rows)
    everyone = "mine" not in export.path and "mina" not in export.path
    if export.endpoint in ("companies.export", "interactions.export") and everyone:
        assert "'=HYPERLINK" in text
        assert '"=HYPERLINK' not in text.replace("'=HYPERLINK", "")
        assert "790312-****" in text
        assert "7903124" not in text
    if export.endpoint == "interactions.export":
        if everyone:  # the restricted contact is a row, under the neutral title
            assert "Kontakt med begränsad åtkomst" in text
        assert "Känsligt innehåll" not in text
    if export.endpoint == "cases.export":
        if everyone:
            assert "Lotsärende med begränsad åtkomst" in text
        assert "Hemligt ärende" not in text
    del header


def _events(body: bytes) -> list:
    calendar = icalendar.Calendar.from_ical(body)
    return [c for c in calendar.walk() if c.name == "VEVENT"]


@pytest.mark.parametrize("role", sorted(ALL_ROUTES["cases.meeting_ics"].allowed))
def test_meeting_invitation_downloads(signed_in, world, role):
    response = signed_in[role].get(f"/arenden/{world.case_id}/moten/{world.meeting_id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar; charset=utf-8")
    assert _filename(response) == f"lotsmöte-{world.meeting_id}.ics"
    [event] = _events(response.content)
    assert str(event["LOCATION"]) == "Stadshuset, rum Dalälven"


@pytest.mark.parametrize("role", sorted(ALL_ROUTES["visits.ics"].allowed))
def test_visit_invitation_downloads(signed_in, world, role):
    response = signed_in[role].get(f"/besok/{world.visit_id}/inbjudan.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8; method=REQUEST"
    assert _filename(response) == f"besök-{world.visit_id}.ics"
    [event] = _events(response.content)
    assert "=HYPERLINK" in str(event["SUMMARY"])


@pytest.mark.parametrize("role", ["lots", "ledning", "chef"])
def test_calendar_feed_downloads_without_signing_in(app, live_server, world, role):
    client = live_server.client()  # calendar apps do not sign in
    response = client.get(f"/kalender/{world.feeds[role]}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar; charset=utf-8")
    assert _filename(response, "inline") == "lotsbok.ics"  # shown by the calendar app, not saved
    events = _events(response.content)
    user_id = world.users[role].id
    open_followups = _count(
        "SELECT count(*) FROM followups WHERE assignee_id = :u AND status = 'open'", u=user_id
    )
    assert len([e for e in events if str(e["UID"]).startswith("followup-")]) == open_followups
    if role == "lots":
        assert open_followups >= 3


PRINTABLE = {
    "visits.brief": lambda w: f"/besok/{w.visit_id}/underlag",
    "visits.company_brief": lambda w: f"/besok/foretag/{w.visit_company_id}/underlag",
}


@pytest.mark.parametrize(
    ("endpoint", "role"), [(e, r) for e in PRINTABLE for r in sorted(ALL_ROUTES[e].allowed)]
)
def test_printable_brief_renders_whole(signed_in, world, endpoint, role):
    response = signed_in[role].get(PRINTABLE[endpoint](world))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    html = response.text
    assert "<h1>Besöksunderlag: " in html
    assert 'href="/static/css/print.css' in html
    assert "data-print" in html
    assert html.rstrip().endswith("</html>")


DOWNLOAD_RULE = re.compile(r"(export\.|\.ics|^/besok/.*/underlag)")


def test_every_download_route_is_covered():
    """A new export, calendar file or printable page must get a test here."""
    from app import create_app
    from tests.conftest import _config_for

    application = create_app(_config_for("sqlite://"))
    downloads = {
        rule.endpoint for rule in application.url_map.iter_rules() if DOWNLOAD_RULE.search(rule.rule)
    }
    covered = (
        {e.endpoint for e in EXPORTS}
        | set(PRINTABLE)
        | {"cases.meeting_ics", "visits.ics", "followups.calendar_feed"}
    )
    assert downloads == covered
