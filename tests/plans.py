"""The database's plan for a statement, as text, for tests that pin an index (issue 18)."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db


def plan_of(stmt: sa.Executable) -> str:
    """SQLite: EXPLAIN QUERY PLAN's lines. PostgreSQL: EXPLAIN's lines with sequential scans
    forbidden for the rest of the transaction – a test's handful of rows makes every table a
    sequential scan, and the question is which index PostgreSQL would read instead."""
    conn = db.session.connection()
    compiled = stmt.compile(dialect=conn.dialect)
    if conn.dialect.name == "sqlite":
        params = tuple(compiled.params[name] for name in compiled.positiontup or ())
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), params)
        return "\n".join(row[3] for row in rows)
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    rows = conn.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params)
    return "\n".join(row[0] for row in rows)
