"""The factory, the configuration classes and the migrations."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app import create_app
from config import ProductionConfig
from tests.pages import rendered


def test_migrations_at_head_match_the_models(db):
    """Upgrading an empty database to head gives exactly the schema the models declare."""
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, db.metadata)
    # The full-text search objects (FTS5 tables, GIN expression indexes) are created by
    # migration 0008_search only; models do not declare them.
    diff = [
        d
        for d in diff
        if not (d[0] == "remove_table" and d[1].name.startswith("search_fts"))
        and not (d[0] == "remove_index" and d[1].name.startswith("ix_fts_"))
    ]
    assert diff == []


def test_first_migration_creates_the_strategy_and_its_five_focus_areas(db):
    from app.strategy.models import FocusArea, Strategy

    strategy = db.session.scalar(sa.select(Strategy))
    assert strategy.name == "Näringslivsstrategi 2022–2025"
    names = db.session.scalars(sa.select(FocusArea.name).order_by(FocusArea.position)).all()
    assert names == [
        "Kompetensförsörjning och samverkan skola-näringsliv",
        "Brottsförebyggande/trygghetsskapande arbete",
        "Borlänge kommun som möjliggörare",
        "Etableringar och attraktivitet",
        "Hållbar företags- och branschutveckling",
    ]


def test_database_settings(db):
    """SQLite: WAL, foreign keys and a busy timeout. PostgreSQL: UTF-8 and read committed."""
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
        else:
            assert conn.exec_driver_sql("SHOW server_encoding").scalar() == "UTF8"
            assert conn.exec_driver_sql("SHOW transaction_isolation").scalar() == "read committed"


def test_production_refuses_to_start_without_secret_key_and_database_url():
    unsafe = type("Unsafe", (ProductionConfig,), {"SECRET_KEY": "", "DATABASE_URL_SET": False})
    with pytest.raises(
        RuntimeError, match="SECRET_KEY måste vara minst 32 tecken.*DATABASE_URL måste vara satt"
    ):
        create_app(unsafe)


def test_security_headers_and_no_cdn(client):
    response = client.get("/logga-in")
    rendered(response, heading="Logga in i Lotsbok")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Cache-Control" not in response.headers  # no-store is for signed-in users' pages
    html = response.get_data(as_text=True)
    assert "http://" not in html.replace("http://lotsbok.test", "")
    assert "https://" not in html


def test_swedish_404_page(client):
    response = client.get("/finns-inte")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.get_data(as_text=True)
