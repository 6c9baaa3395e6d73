"""What the export label tests share (tests/test_export_labels.py through the test client,
tests/server/test_export_labels.py through gunicorn): the records whose coded columns an export
must show by label, and a reader of the CSV/XLSX that gives each row as {header: cell}."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from app.cases.workflow import CaseStatus
from app.interactions.models import InboundChannel, InteractionKind
from tests.builders.cases import make_case_row
from tests.builders.companies import make_company
from tests.builders.interactions import make_interaction
from tests.builders.strategy import focus_areas

COMPANY = "Etiketterade Verkstaden AB"
# (export path, the row's key column, its key, {column: the label it must show}, codes that must
# not appear in any cell)
EXPORTS = [
    (
        "/foretag/export",
        "Namn",
        COMPANY,
        {"Status": "Etablering/prospekt", "Storleksklass": "10–19 anställda"},
        ["establishing", "10-19"],
    ),
    (
        "/kontakter/export",
        "Ämne",
        "Etikettsamtal",
        {"Typ": "Telefonsamtal", "Företaget tog kontakt via": "Webbformulär"},
        ["phone_call", "web_form"],
    ),
    (
        "/arenden/export",
        "Rubrik",
        "Etikettärendet",
        {"Status": "Väntar på företaget", "Prioritet": "Hög"},
        ["waiting_on_company", "high"],
    ),
]


def build_labelled_records(users) -> None:
    """A company, a contact and a case with a code in each coded column (flushed)."""
    company = make_company(COMPANY, status="establishing", size_class="10-19")
    make_interaction(
        company,
        users["lots"],
        subject="Etikettsamtal",
        kind=InteractionKind.PHONE.value,
        inbound_channel=InboundChannel.WEB_FORM.value,
    )
    make_case_row(
        company,
        users["lots"],
        date(2026, 1, 12),
        focus_areas()[0],
        title="Etikettärendet",
        status=CaseStatus.WAITING_ON_COMPANY.value,
        priority="high",
    )


def rows_of(fmt: str, content: bytes) -> list[dict[str, str]]:
    """The data rows of a CSV or XLSX export as {header: cell text}."""
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    else:
        sheet = load_workbook(io.BytesIO(content), read_only=True).active
        table = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    header, *rows = table
    return [dict(zip(header, row, strict=False)) for row in rows]


def check_labels(fmt: str, content: bytes, key_column: str, key: str, labels: dict, codes: list) -> None:
    rows = rows_of(fmt, content)
    row = next((r for r in rows if r.get(key_column) == key), None)
    assert row is not None, f"{key} not in the {fmt} export"
    for column, label in labels.items():
        assert row[column] == label, (column, row[column])
    for code in codes:
        assert code not in row.values(), (code, row)
