"""SQLite settings that keep concurrent writers from losing each other's updates.

Python 3.11's sqlite3 driver opens transactions lazily and never before a SELECT, so a
read-then-write unit of work can lose updates or hit "database is locked". We take over BEGIN:
reads use a deferred BEGIN, write requests ask for BEGIN IMMEDIATE before their first query
(see engineering-notes §3.2, verified there with eight concurrent writers).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event

from app.extensions import db

SWEDISH_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzåäö"  # untranslated: a collation order


def _sv_key(text: str) -> list[int]:
    order = {ch: i for i, ch in enumerate(SWEDISH_ALPHABET)}
    return [order.get(ch, 100 + ord(ch)) for ch in text.casefold()]


def sv_collate(a: str, b: str) -> int:
    """Swedish order: å, ä, ö after z (SQLite's BINARY puts Ä before Å and lowercase last)."""
    ka, kb = _sv_key(a), _sv_key(b)
    return (ka > kb) - (ka < kb)


def configure_sqlite(engine: sa.Engine) -> None:
    """Install the pragmas, the Swedish collation and our own BEGIN on an SQLite engine."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API connection
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (works on Python 3.11)
        cur = dbapi_conn.cursor()
        for pragma in (
            "journal_mode=WAL",
            "busy_timeout=10000",
            "foreign_keys=ON",
            "synchronous=NORMAL",
        ):
            cur.execute(f"PRAGMA {pragma}")
        cur.close()
        dbapi_conn.create_collation("sv", sv_collate)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def begin_write() -> None:
    """Start the current session's transaction as a write transaction.

    Call before the first query of a unit of work that will write. On SQLite this takes the
    write lock up front (BEGIN IMMEDIATE); on PostgreSQL it is a no-op.
    """
    session = db.session()  # the real Session behind the scoped proxy
    if session.get_bind().dialect.name != "sqlite" or session.in_transaction():
        return
    session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
