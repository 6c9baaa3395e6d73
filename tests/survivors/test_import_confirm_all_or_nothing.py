"""Survivor 3: the web import's confirm view must keep all or nothing. With a broken row chosen
for import, the page says "Inget har importerats" – and nothing may have been committed, even
the valid rows processed before the broken one."""

from __future__ import annotations

import io

import sqlalchemy as sa

from app.companies.models import Company, ImportBatch

CSV = (
    b"Namn;Organisationsnummer;Postnummer\r\n"
    b"Giltiga Bolaget AB;556036-0793;78433\r\n"
    b"Trasiga Bolaget AB;556036-0794;78433\r\n"  # wrong check digit
)


def test_a_broken_row_chosen_for_import_commits_nothing(db, users, lots_client):
    response = lots_client.post(
        "/foretag/import", data={"file": (io.BytesIO(CSV), "blandat.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    batch_id = int(response.location.rstrip("/").split("/")[-1])
    preview = lots_client.get(response.location)
    assert preview.status_code == 200
    assert "Trasiga Bolaget AB" in preview.get_data(as_text=True)

    done = lots_client.post(
        f"/foretag/import/{batch_id}/bekrafta",
        data={"action-2": "create", "action-3": "create"},
        follow_redirects=True,
    )
    html = done.get_data(as_text=True)
    assert done.status_code == 200
    assert "<h1>Förhandsgranska import" in html
    assert "Rad 3 (Trasiga Bolaget AB)" in html
    assert "Inget har importerats." in html
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Company.id))) == 0
    assert db.session.get(ImportBatch, batch_id).status == "preview"

    # Skipping the broken row, the valid one goes in.
    lots_client.post(f"/foretag/import/{batch_id}/bekrafta", data={"action-2": "create", "action-3": "skip"})
    db.session.rollback()
    assert db.session.scalars(sa.select(Company.name)).all() == ["Giltiga Bolaget AB"]
