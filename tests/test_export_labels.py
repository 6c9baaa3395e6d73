"""Exports show statuses and kinds by their labels, never the stored codes (issue 15 §3):
the company, contact and case exports, CSV and XLSX, through the test client (through gunicorn:
tests/server/test_export_labels.py)."""

from __future__ import annotations

import pytest

from tests.export_labels import EXPORTS, build_labelled_records, check_labels


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("path", "key_column", "key", "labels", "codes"), EXPORTS, ids=[e[0] for e in EXPORTS]
)
def test_export_shows_labels(lots_client, db, users, fmt, path, key_column, key, labels, codes):
    build_labelled_records(users)
    db.session.commit()
    response = lots_client.get(f"{path}.{fmt}")
    assert response.status_code == 200
    check_labels(fmt, response.get_data(), key_column, key, labels, codes)
