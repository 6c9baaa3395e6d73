"""One PostgreSQL database per test process, emptied between tests instead of cloned anew.

Cloning the migrated template (`CREATE DATABASE … TEMPLATE`) and dropping the clone costs
0.7–3 s per test on a two-core machine – most of the PostgreSQL run's time. Emptying a database
of a few rows costs 20–35 ms over a connection kept open from test to test: every table's rows deleted (with triggers and foreign keys off,
`session_replication_role = replica`), the rows the migrations seeded put back as they were in
the template, and every sequence set back to the template's value. The next test then sees
exactly what a fresh clone would show.

A test may change more than rows (a migration test downgrades and upgrades the schema). After
every test the catalogue's fingerprint – the alembic version and the rows of the public schema's
tables, columns, defaults, constraints, triggers and functions, by count and transaction id – is
compared with the template's; a difference drops the database and the next test gets a new clone.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import psycopg
import sqlalchemy as sa

# Transaction ids (xmin) change whenever a catalogue row is written (CREATE, ALTER, DROP …),
# but not when autovacuum updates a table's statistics in place.
_CATALOGUE_FINGERPRINT = """
select (select coalesce(string_agg(version_num, ','), '') from alembic_version)
  || '|' || (select count(*) || '/' || coalesce(sum(xmin::text::bigint), 0)
             from pg_class where relnamespace = 'public'::regnamespace)
  || '|' || (select count(*) || '/' || coalesce(sum(a.xmin::text::bigint), 0)
             from pg_attribute a join pg_class c on c.oid = a.attrelid
             where c.relnamespace = 'public'::regnamespace)
  || '|' || (select count(*) || '/' || coalesce(sum(d.xmin::text::bigint), 0)
             from pg_attrdef d join pg_class c on c.oid = d.adrelid
             where c.relnamespace = 'public'::regnamespace)
  || '|' || (select count(*) || '/' || coalesce(sum(xmin::text::bigint), 0)
             from pg_constraint where connamespace = 'public'::regnamespace)
  || '|' || (select count(*) || '/' || coalesce(sum(t.xmin::text::bigint), 0)
             from pg_trigger t join pg_class c on c.oid = t.tgrelid
             where c.relnamespace = 'public'::regnamespace)
  || '|' || (select count(*) || '/' || coalesce(sum(xmin::text::bigint), 0)
             from pg_proc where pronamespace = 'public'::regnamespace)
"""


@dataclass
class _Snapshot:
    """What a fresh clone holds besides its schema: the seeded rows and the sequences."""

    tables: list[str]
    seeded: dict[str, bytes]  # a table's rows in COPY's text format
    sequences: dict[str, tuple[int, bool]]
    fingerprint: str

    @classmethod
    def read(cls, conn: psycopg.Connection) -> _Snapshot:
        tables = [
            row[0]
            for row in conn.execute(
                "select tablename from pg_tables where schemaname = 'public' "
                "and tablename <> 'alembic_version' order by tablename"
            )
        ]
        seeded: dict[str, bytes] = {}
        for table in tables:
            # COPY's own text format round-trips every column type (JSON, arrays, enums) as the
            # server wrote it; parameters would need an adapter per type.
            with conn.cursor().copy(f'copy "{table}" to stdout') as copy:
                data = b"".join(bytes(block) for block in copy)
            if data:
                seeded[table] = data
        sequences = {
            name: tuple(conn.execute(f'select last_value, is_called from "{name}"').fetchone())
            for (name,) in conn.execute("select sequencename from pg_sequences where schemaname = 'public'")
        }
        return cls(tables, seeded, sequences, _fingerprint(conn))

    def restore(self, conn: psycopg.Connection) -> None:
        with conn.transaction():
            conn.execute("set local session_replication_role = replica")
            conn.execute("; ".join(f'delete from "{table}"' for table in self.tables))
            # One COPY per seeded table (an INSERT per row was a statement per row).
            for table, data in self.seeded.items():
                with conn.cursor().copy(f'copy "{table}" from stdin') as copy:
                    copy.write(data)
            if self.sequences:
                conn.execute(
                    "select "
                    + ", ".join(
                        f"setval('\"{name}\"', {value}, {str(called).lower()})"
                        for name, (value, called) in self.sequences.items()
                    )
                )


def _fingerprint(conn: psycopg.Connection) -> str:
    return conn.execute(_CATALOGUE_FINGERPRINT).fetchone()[0]


@dataclass
class ReusedDatabase:
    """A test process's PostgreSQL database: `url()` before a test, `reset()` after it."""

    template: str
    base_url: str  # a SQLAlchemy URL on the server, any database
    clone: Callable[[str, str], None]  # clone(template, name)
    drop: Callable[[str], None]  # drop(name)
    name: str | None = None
    _snapshot: _Snapshot | None = field(default=None, repr=False)
    # Kept open from test to test: a new connection is a new PostgreSQL backend, whose first
    # statements on 70 tables load their catalogue entries anew (a reset took 70–90 ms on a new
    # connection and 20–35 ms on this one).
    _conn: psycopg.Connection | None = field(default=None, repr=False)

    def url(self) -> str:
        if self.name is None:
            self.name = f"lotsbok_w_{uuid.uuid4().hex[:12]}"
            self.clone(self.template, self.name)
            if self._snapshot is None:
                with self._connect() as conn:
                    self._snapshot = _Snapshot.read(conn)
        return sa.make_url(self.base_url).set(database=self.name).render_as_string(hide_password=False)

    def reset(self) -> None:
        """Empty the database for the next test, or drop it if the test changed its schema."""
        if self.name is None:
            return
        assert self._snapshot is not None
        try:
            conn = self._connection()
            # A connection a test left open (a thread, a subprocess) could hold locks.
            conn.execute(
                "select pg_terminate_backend(pid) from pg_stat_activity "
                "where datname = current_database() and pid <> pg_backend_pid()"
            )
            if _fingerprint(conn) == self._snapshot.fingerprint:
                self._snapshot.restore(conn)
                return
        except psycopg.OperationalError:
            pass  # our connection was ended (a test terminated backends): start from a clone
        self.discard()

    def discard(self) -> None:
        self._close()
        if self.name is not None:
            self.drop(self.name)
            self.name = None

    def _connection(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed:
            self._conn = self._connect()
        return self._conn

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _connect(self) -> psycopg.Connection:
        """A psycopg connection in autocommit, with the arguments SQLAlchemy's dialect derives
        from the URL (the socket directory in `?host=`, the port, the password)."""
        url = sa.make_url(self.url())
        args, kwargs = sa.create_engine(url).dialect.create_connect_args(url)
        return psycopg.connect(*args, **kwargs, autocommit=True)
