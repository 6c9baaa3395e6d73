"""Through gunicorn: an export shows statuses and kinds by their labels (issue 15 §3; the
test-client version covers every export and both formats: tests/test_export_labels.py)."""

from __future__ import annotations

import pytest

from tests.export_labels import EXPORTS, build_labelled_records, check_labels


@pytest.mark.parametrize(
    ("fmt", "export"), [("csv", EXPORTS[2]), ("xlsx", EXPORTS[1])], ids=["cases-csv", "contacts-xlsx"]
)
def test_export_through_the_server_shows_labels(http, db, users, fmt, export):
    path, key_column, key, labels, codes = export
    build_labelled_records(users)
    client = http(users["lots"])
    response = client.get(f"{path}.{fmt}")
    assert response.status_code == 200
    check_labels(fmt, response.content, key_column, key, labels, codes)
