"""The personal-data inventory is generated from the models, and every text column must be
classified – a new one fails this test until it is."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.extensions import db as _db
from app.privacy.inventory import CLASSIFICATION, inventory, unclassified_columns
from tests.pages import rendered


def test_every_text_column_of_every_model_is_classified(app):
    assert unclassified_columns(_db.metadata) == []
    stale = sorted(
        set(CLASSIFICATION) - {f"{t.name}.{c.name}" for t in _db.metadata.sorted_tables for c in t.columns}
    )
    assert stale == [], f"classified columns that no longer exist: {stale}"


def test_an_unclassified_column_fails(app):
    class Base(DeclarativeBase):
        pass

    class Gadget(Base):  # a throw-away model with one new string column
        __tablename__ = "contact_persons"  # even on a known table, an unknown column is caught
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(sa.String(120))
        nickname: Mapped[str] = mapped_column(sa.String(60))
        shoe_size: Mapped[int]

    assert unclassified_columns(Base.metadata) == ["contact_persons.nickname"]


def test_inventory_lists_personal_fields_with_purpose_basis_viewers_and_retention(app, admin_client):
    rows = {(r.table, r.column): r for r in inventory(_db.metadata)}
    person_email = rows[("contact_persons", "email")]
    assert person_email.category.startswith("Kontaktuppgift")
    assert "6.1 e" in person_email.legal_basis
    assert "Företagslots" in person_email.visible_to
    assert person_email.retention_key == "contact_persons"
    assert rows[("companies", "orgnr")].category.startswith("Personnummer")
    assert ("companies", "sni_code") not in rows  # not personal data
    html = rendered(
        admin_client.get("/personuppgifter/forteckning"), heading="Förteckning över personuppgifter"
    )
    assert "contact_persons.email" in html
    assert "companies.orgnr" in html
    assert "companies.sni_code" not in html
