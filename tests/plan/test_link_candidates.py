"""The handlingsplan activity's "Koppla en kontakt eller ett lotsärende": the chosen company's
contacts and cases a page of 20 at a time (it showed only the latest 20), with a constant number
of SQL statements, and contact 21+ reachable and linkable."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.extensions import db as _db
from app.plan import action_plan as plan
from tests.builders.companies import make_company
from tests.builders.interactions import make_interaction_row
from tests.clock import utc
from tests.pages import rendered


def _rows(page: str) -> list[str]:
    """The subjects of the candidate table's rows, top to bottom."""
    table = re.search(r"<caption>Senaste kontakter och ärenden med .*?</table>", page, re.S)
    assert table, "no candidate table"
    return re.findall(r"<td>Telefonsamtal: (Samtal \d+)</td>", table.group(0))


def _world(db, users, dataset, n: int):
    company = make_company("Sidbrytning AB")
    for i in range(1, n + 1):  # Samtal 1 is the oldest, Samtal n the newest
        make_interaction_row(company, users["lots"], utc(2025, 1, 1, 8) + (utc(2025, 1, 2) - utc(2025, 1, 1)) * i,
                             dataset.fa1, subject=f"Samtal {i}")  # fmt: skip
    activity = plan.create_activity(
        plan.ActivityInput(focus_area_id=dataset.fa1.id, title="Sidvisning", responsible_name="Lotsen"),
        actor=users["lots"],
    )
    db.session.commit()
    return company, activity


def test_contact_21_and_older_are_reachable_and_linkable(db, users, dataset, login_as):
    company, activity = _world(db, users, dataset, 25)
    lots = login_as("lots")
    url = f"/strategi/handlingsplan/{activity.id}?company_id={company.id}"
    first = rendered(lots.get(url), heading="Sidvisning")
    assert _rows(first) == [f"Samtal {i}" for i in range(25, 5, -1)]  # the newest 20
    nxt = re.search(r'<a href="([^"]*)" rel="next">', first)
    assert nxt, "no link to the next page"
    second = rendered(lots.get(nxt.group(1).replace("&amp;", "&")), heading="Sidvisning")
    assert _rows(second) == [f"Samtal {i}" for i in range(5, 0, -1)]  # 21st to 25th newest
    assert 'rel="prev"' in second
    assert 'rel="next"' not in second
    # The 25th newest (the oldest) is linked from page 2.
    oldest = _db.session.scalar(
        sa.text("SELECT id FROM interactions WHERE subject = 'Samtal 1' AND company_id = :c"),
        {"c": company.id},
    )
    assert f'name="record_id" value="{oldest}"' in second
    lots.post(
        f"/strategi/handlingsplan/{activity.id}/kopplingar", data={"kind": "interaction", "record_id": oldest}
    )
    db.session.expire_all()
    assert [link.interaction_id for link in plan.get_activity_or_404(activity.id).links] == [oldest]


def test_the_candidate_pages_run_a_constant_number_of_statements(app, db, users, dataset, login_as):
    small, small_activity = _world(db, users, dataset, 3)
    big = make_company("Storlogg AB")
    for i in range(60):
        make_interaction_row(
            big, users["lots"], utc(2024, 6, 1, 8, i % 60), dataset.fa1, subject=f"Samtal {i}"
        )
    db.session.commit()
    small_id, big_id, activity_id = small.id, big.id, small_activity.id
    lots = login_as("lots")
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    def count(path: str) -> int:
        lots.get(path)
        _db.session.remove()
        statements.clear()
        rendered(lots.get(path), heading="Sidvisning")
        return len(statements)

    sa.event.listen(_db.engine, "before_cursor_execute", record)
    try:
        base = f"/strategi/handlingsplan/{activity_id}"
        few = count(f"{base}?company_id={small_id}")
        many = count(f"{base}?company_id={big_id}")
        deep = count(f"{base}?company_id={big_id}&page=3")
    finally:
        sa.event.remove(_db.engine, "before_cursor_execute", record)
    assert few == many == deep, (few, many, deep)


def _link_many(db, users, dataset, n: int):
    """An activity with n linked contacts (Samtal 1 oldest … Samtal n newest) and two cases."""
    company, activity = _world(db, users, dataset, n)
    ids = _db.session.scalars(
        sa.text("SELECT id FROM interactions WHERE company_id = :c").bindparams(c=company.id)
    ).all()
    for iid in ids:
        plan.link_record(activity, kind="interaction", record_id=iid, actor=users["lots"])
    for case in (dataset.rec.c1, dataset.rec.c3):  # c3 is restricted (its author: lots1)
        plan.link_record(activity, kind="case", record_id=case.id, actor=users["lots"])
    db.session.commit()
    return activity


def _linked(page: str) -> list[str]:
    """The "Vad" cell of each row of the linked records' table (its text, tags dropped)."""
    table = re.search(r'<h2 id="kopplingar">.*?<tbody>(.*?)</tbody>', page, re.S)
    assert table, "no table of linked records"
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    cells = [re.findall(r"<td>(.*?)</td>", row, re.S)[2] for row in rows]
    return [re.sub(r"\s*<span.*", "", cell, flags=re.S).strip() for cell in cells]


def test_the_linked_contacts_and_cases_page_with_links_page(db, users, dataset, login_as):
    activity = _link_many(db, users, dataset, 30)
    chef = login_as("chef")  # may not read the restricted case c3
    url = f"/strategi/handlingsplan/{activity.id}"
    first = rendered(chef.get(url), heading="Sidvisning")
    assert _linked(first) == [f"Telefonsamtal: Samtal {i}" for i in range(30, 5, -1)]  # 25 a page
    pager = re.search(r'<nav class="pager"[^>]*data-pager="links">(.*?)</nav>', first, re.S)
    assert pager, "no pager for the linked records"
    nxt = re.search(r'<a href="([^"]*)" rel="next">', pager.group(1)).group(1).replace("&amp;", "&")
    assert "links_page=2" in nxt
    second = rendered(chef.get(nxt.split("#")[0]), heading="Sidvisning")
    shown = _linked(second)
    assert shown[:5] == [f"Telefonsamtal: Samtal {i}" for i in range(5, 0, -1)]
    # Then the cases, newest first, the restricted one under its neutral title.
    assert len(shown) == 7
    assert shown[5] == dataset.rec.c1.title  # intake 2025-03-03
    assert shown[6] == "Lotsärende med begränsad åtkomst"  # c3, intake 2024-11-01
    assert "Hemligt ärende" not in second
    assert 'data-pager="links"' in second


def test_the_linked_records_page_runs_a_constant_number_of_statements(app, db, users, dataset, login_as):
    few = _link_many(db, users, dataset, 2).id
    many = _link_many(db, users, dataset, 40).id
    chef = login_as("chef")
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    def count(path: str) -> int:
        chef.get(path)
        _db.session.remove()
        statements.clear()
        rendered(chef.get(path), heading="Sidvisning")
        return len(statements)

    sa.event.listen(_db.engine, "before_cursor_execute", record)
    try:
        counts = [
            count(f"/strategi/handlingsplan/{few}"),
            count(f"/strategi/handlingsplan/{many}"),
            count(f"/strategi/handlingsplan/{many}?links_page=2"),
        ]
    finally:
        sa.event.remove(_db.engine, "before_cursor_execute", record)
    # The same statements for 2 and 40 links when the page holds both kinds; a page with only
    # contacts skips the cases' statements.
    assert counts[0] == counts[2], counts
    assert counts[1] <= counts[0], counts
