"""No N+1: every list and detail page runs the same number of SQL statements with small and
with larger data. A page that loads related rows one by one fails here."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.scale import generate_cases_visits  # noqa: F401 - registers cases and visits
from app.scale.generate import generate
from tests.conftest import sign_in

ANCHOR = date(2026, 11, 27)

LIST_PAGES = [
    "/",
    "/foretag",
    "/foretag?status=active&no_contact=6",
    "/kontakter",
    "/arenden",
    "/uppfoljningar",
    "/besok",
    "/sok?q=559",  # every generated organisationsnummer starts with 559
]


class StatementCounter:
    def __init__(self, engine: sa.Engine) -> None:
        self.statements: list[str] = []
        sa.event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, params, context, executemany) -> None:
        self.statements.append(" ".join(statement.split())[:120])


def _statements(client, counter: StatementCounter, path: str) -> list[str]:
    from app.extensions import db

    client.get(path)  # warm caches (e.g. catalogues loaded once per process)
    # The test's app context outlives requests; start each request with an empty session, as
    # a real request does, so the identity map cannot hide queries.
    db.session.remove()
    counter.statements = []
    response = client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return list(counter.statements)


def _lots_user(db):
    from app.auth.models import User

    return db.session.scalar(sa.select(User).where(User.role == "lots").order_by(User.id))


def _give_everything_to(db, user) -> None:
    """Make the measured user responsible for every company, case and follow-up, so "mine"
    lists grow with the data too."""
    for sql in (
        "UPDATE companies SET responsible_user_id = :u",
        "UPDATE lots_cases SET responsible_user_id = :u",
        "UPDATE followups SET assignee_id = :u",
    ):
        db.session.execute(sa.text(sql), {"u": user.id})


def _ensure_one_of_each(db, user) -> None:
    """Small data must still have a row in every list, or its eager loads never run."""
    from datetime import timedelta

    from app.cases.models import LotsCase
    from app.core.time import utcnow
    from app.followups.models import FollowUp
    from app.visits.models import CompanyVisit

    company_id = db.session.scalar(sa.text("SELECT min(id) FROM companies"))
    focus_id = db.session.scalar(sa.text("SELECT min(id) FROM focus_areas"))
    case_type_id = db.session.scalar(sa.text("SELECT min(id) FROM case_types"))
    starts = utcnow() + timedelta(days=7)
    db.session.add_all(
        [
            LotsCase(
                company_id=company_id,
                title="Mätärende",
                case_type_id=case_type_id,
                focus_area_id=focus_id,
                responsible_user_id=user.id,
                intake_on=ANCHOR,
                status="in_progress",
            ),
            FollowUp(title="Mätuppföljning", due_on=ANCHOR, assignee_id=user.id, company_id=company_id),
            CompanyVisit(
                company_id=company_id,
                status="planned",
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                uid="matbesok@lotsbok.test",
            ),
        ]
    )


@pytest.fixture
def small_then_large(app, db):
    """measure(paths) → statements per path; grow() adds data. Small data has one row or a
    few in every list (fewer than a page), larger data fills the pages."""
    counter = StatementCounter(db.engine)
    generate(2, seed=11, anchor=ANCHOR, echo=lambda _m: None)
    user = _lots_user(db)
    _ensure_one_of_each(db, user)
    _give_everything_to(db, user)
    db.session.commit()

    def measure(paths: list[str]) -> dict[str, list[str]]:
        client = sign_in(app.test_client(), _lots_user(db))
        return {path: _statements(client, counter, path) for path in paths}

    def grow() -> None:
        generate(60, seed=12, anchor=ANCHOR, echo=lambda _m: None)
        _give_everything_to(db, _lots_user(db))
        db.session.commit()

    return measure, grow


def test_list_pages_do_not_grow_with_data(small_then_large):
    """Up to a page of rows more must not mean more statements (a query may drop out when a
    panel has nothing to show, so fewer is allowed; more is an N+1)."""
    measure, grow = small_then_large
    small = measure(LIST_PAGES)
    grow()
    large = measure(LIST_PAGES)
    for path in LIST_PAGES:
        assert len(large[path]) <= len(small[path]), "\n".join(
            [path, "SMALL:", *small[path], "LARGE:", *large[path]]
        )


def test_detail_pages_do_not_grow_with_the_timeline(app, db, small_then_large):
    """The same company, case and visit brief before and after 30 more contacts and 5 more
    permit rows: exactly the same number of statements."""
    from tests.builders.interactions import make_interaction

    measure, grow = small_then_large
    grow()
    clean = "NOT IN (SELECT company_id FROM interactions WHERE is_restricted)"
    company_id, case_id = db.session.execute(
        sa.text(f"""
        SELECT lc.company_id, lc.id FROM lots_cases lc
        WHERE NOT lc.is_restricted AND lc.company_id {clean} ORDER BY lc.id LIMIT 1""")
    ).one()
    visit_id, visit_company_id = db.session.execute(
        sa.text(f"""
        SELECT v.id, v.company_id FROM company_visits v
        WHERE v.company_id {clean}
          AND v.company_id NOT IN (SELECT company_id FROM lots_cases WHERE is_restricted)
        ORDER BY v.id LIMIT 1""")
    ).one()
    pages = [f"/foretag/{company_id}", f"/arenden/{case_id}", f"/besok/{visit_id}/underlag"]
    before = measure(pages)

    from app.auth.models import User
    from app.companies.models import Company

    author = db.session.scalar(sa.select(User).where(User.role == "lots").order_by(User.id))
    for cid in {company_id, visit_company_id}:
        company = db.session.get(Company, cid)
        for n in range(30):
            make_interaction(company, author, subject=f"Extra kontakt {n}")
    permit_types = [
        r[0] for r in db.session.execute(sa.text("SELECT id FROM permit_types ORDER BY id LIMIT 5"))
    ]
    from app.cases.models import CasePermit

    db.session.add_all(
        CasePermit(case_id=case_id, permit_type_id=pt, authority="Miljöförvaltningen") for pt in permit_types
    )
    db.session.commit()
    after = measure(pages)
    for path in pages:
        assert len(after[path]) == len(before[path]), "\n".join(
            [path, "BEFORE:", *before[path], "AFTER:", *after[path]]
        )


def test_a_page_that_commits_while_rendering_opens_one_transaction(app, db, users, login_as):
    """render_committed commits after rendering (audited reads); nothing after that commit may
    go to the database. The response's Cache-Control once asked the expired user whether it
    was active: a second transaction per page, on PostgreSQL a pool checkout with its ping,
    BEGIN, SELECT users and ROLLBACK (docs/ARCHITECTURE.md, "Round trips after the commit")."""
    from tests.builders.cases import make_case

    case = make_case(users["lots"])
    db.session.commit()
    client = login_as("lots")
    path = f"/arenden/{case.id}"
    client.get(path)  # warm caches
    db.session.remove()
    events: list[str] = []  # transaction events and the first word of each statement

    def record(name: str):
        return lambda *args: events.append(name)

    listeners = [
        ("begin", record("<begin>")),
        ("commit", record("<commit>")),
        ("before_cursor_execute", lambda conn, cursor, statement, *a: events.append(statement.split()[0])),
    ]
    for name, fn in listeners:
        sa.event.listen(db.engine, name, fn)
    try:
        response = client.get(path)
    finally:
        for name, fn in listeners:
            sa.event.remove(db.engine, name, fn)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"  # still: a signed-in user's page
    assert events.count("<begin>") == 1, events
    assert events[-1] == "<commit>", events
