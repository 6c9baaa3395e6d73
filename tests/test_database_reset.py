"""Each test starts from its template's rows, whatever the test before it wrote.

On PostgreSQL the suite reuses one database per process and puts the template's rows back after
each test (tests/pg_reuse.py), also for a template that holds more than the migrations' rows –
the route sweep's world (tests/test_route_permissions.py). On SQLite each test gets a copy of
the template's file. Both must give the next test exactly the template: its rows, JSON columns
as they were, and the same next id.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlalchemy as sa

from tests.conftest import ON_POSTGRES, cloned_database, database_for_test, reused_database_of

CHANGES = {"namn": ["Gamla Bageriet AB", "Nya Bageriet AB"], "antal": 3, "tom": None}


def _engine(url: str) -> sa.Engine:
    return sa.create_engine(url, poolclass=sa.pool.NullPool)


def _insert_event(url: str, summary: str, changes: dict) -> int:
    engine = _engine(url)
    with engine.begin() as conn:
        new_id = conn.execute(
            sa.text(
                "INSERT INTO audit_events (at, action, entity_type, summary, changes) "
                "VALUES (CURRENT_TIMESTAMP, 'update', 'company', :summary, :changes) RETURNING id"
            ),
            {"summary": summary, "changes": json.dumps(changes)},
        ).scalar_one()
    engine.dispose()
    return new_id


def _events(url: str) -> list[tuple[str, dict]]:
    engine = _engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT summary, changes FROM audit_events ORDER BY id")).all()
    engine.dispose()
    return [
        (summary, changes if isinstance(changes, dict) else json.loads(changes)) for summary, changes in rows
    ]


@contextlib.contextmanager
def _databases_per_test(
    template: str, directory: Path
) -> Iterator[Callable[[], contextlib.AbstractContextManager[str]]]:
    """What the suite gives each test started from `template`: on PostgreSQL the reused
    database (reset after the test), on SQLite a fresh copy."""
    if ON_POSTGRES:
        with reused_database_of(template) as reused:
            yield lambda: database_for_test(reused)
    else:
        yield lambda: cloned_database(template, directory)


def test_the_next_test_sees_the_templates_rows_again(template_db, tmp_path):
    (tmp_path / "template").mkdir()
    with cloned_database(template_db, tmp_path / "template") as template_url:
        _insert_event(template_url, "mallens rad", CHANGES)
        template = sa.make_url(template_url).database
        with _databases_per_test(template, tmp_path) as database_for_a_test:
            with database_for_a_test() as url:
                assert _events(url) == [("mallens rad", CHANGES)]
                first_new_id = _insert_event(url, "testets rad", {"x": [1, 2]})
                assert len(_events(url)) == 2

            with database_for_a_test() as url:
                assert _events(url) == [("mallens rad", CHANGES)]
                assert _insert_event(url, "nästa tests rad", {}) == first_new_id
