"""Import: encodings and delimiters, preview writes nothing, duplicates, all-or-nothing, undo, CLI."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from app.companies import importer, services
from app.companies.models import Company, ContactPerson, ImportBatch
from app.core.errors import Conflict, ValidationError
from tests.companies.factories import SOLE_TRADER, make_company, valid_orgnr

ORG_A = valid_orgnr("556123456")
ORG_B = valid_orgnr("556234567")
ORG_C = valid_orgnr("916345678")

HEADERS = ["Företagsnamn", "Org.nr", "Postnummer", "Ort", "Område", "E-post", "Kontaktperson", "SNI-kod"]
ROWS = [
    ["Örjans Åkeri AB", f"{ORG_A[:6]}-{ORG_A[6:]}", "78433", "Borlänge", "Centrum", "info@orjans.example", "Åsa Ängström", "49410"],
    ["Ängsbackens Bageri & Kök", ORG_B, "784 60", "Borlänge", "Tjärna Ängar", "", "Björn Öhman", "10710"],
    ["Kvarnsvedens Sågverk HB", ORG_C, "781 80", "Borlänge", "Kvarnsveden", "", "", ""],
]


def _csv(rows, delimiter=";", encoding="utf-8", bom=False, headers=HEADERS) -> bytes:
    lines = [delimiter.join(headers)] + [delimiter.join(r) for r in rows]
    text = "\r\n".join(lines) + "\r\n"
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def _xlsx(rows, headers=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


VARIANTS = {
    "utf8-bom-semicolon.csv": lambda: _csv(ROWS, ";", bom=True),
    "utf8-comma.csv": lambda: _csv(ROWS, ","),
    "utf8-semicolon.csv": lambda: _csv(ROWS, ";"),
    "windows1252-semicolon.csv": lambda: _csv(ROWS, ";", encoding="cp1252"),
    "windows1252-comma.csv": lambda: _csv(ROWS, ",", encoding="cp1252"),
    "excel.xlsx": lambda: _xlsx(ROWS),
}


def _count(db, model=Company) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize("filename", sorted(VARIANTS))
def test_each_encoding_and_delimiter_imports_swedish_letters(db, users, filename):
    batch = importer.start_import(VARIANTS[filename](), filename, actor=users["lots"])
    assert batch.status == "preview"
    assert _count(db) == 0  # the preview writes no company
    analysis = importer.analyse(batch)
    assert [r.errors for r in analysis.rows] == [[], [], []]
    counts = importer.run_import(batch, {}, actor=users["lots"])
    db.session.commit()
    assert (counts.created, counts.updated, counts.skipped) == (3, 0, 0)
    names = db.session.scalars(sa.select(Company.name).order_by(Company.id)).all()
    assert names == ["Örjans Åkeri AB", "Ängsbackens Bageri & Kök", "Kvarnsvedens Sågverk HB"]
    orjan = db.session.scalar(sa.select(Company).where(Company.orgnr == ORG_A))
    assert orjan.name_norm == "örjans åkeri ab"
    assert orjan.postcode == "784 33"
    assert (orjan.sni_code, orjan.sni_version) == ("49410", "2007")
    people = db.session.scalars(sa.select(ContactPerson.name).order_by(ContactPerson.name_norm)).all()
    assert people == ["Björn Öhman", "Åsa Ängström"]
    hb = db.session.scalar(sa.select(Company).where(Company.orgnr == ORG_C))
    assert hb.legal_form == "Handelsbolag eller kommanditbolag"
    assert batch.status == "done"
    assert batch.rows is None


def test_headers_are_mapped_and_mapping_can_be_changed(db, users):
    batch = importer.start_import(_csv(ROWS), "f.csv", actor=users["lots"])
    assert batch.mapping == {
        "0": "name", "1": "orgnr", "2": "postcode", "3": "city", "4": "area", "5": "email",
        "6": "contact_name", "7": "sni_code",
    }
    with pytest.raises(ValidationError, match="två kolumner"):
        importer.set_mapping(batch, {"0": "name", "3": "name"}, actor=users["lots"])
    importer.set_mapping(batch, {"0": "name", "1": "orgnr"}, actor=users["lots"])
    row = importer.analyse(batch).rows[0]
    assert set(row.values) == {"name", "orgnr"}


def test_row_errors_are_swedish_and_per_row(db, users):
    rows = [
        ["", ORG_A, "78433", "", "", "", "", ""],
        ["Fel Nummer AB", "556123-4560", "78433", "", "", "", "", ""],
        ["Fel Post AB", "", "78433", "", "", "info@", "", ""],
        ["Fel Område AB", "", "78433", "", "Atlantis", "", "", ""],
        ["Fel SNI AB", "", "78433", "", "", "", "", "99999"],
    ]
    batch = importer.start_import(_csv(rows), "fel.csv", actor=users["lots"])
    errors = [r.errors for r in importer.analyse(batch).rows]
    assert errors[0] == ["Namn saknas."]
    assert errors[1][0].startswith("Ogiltigt organisationsnummer: ")
    assert "kontrollsiffra" in errors[1][0]
    assert "E-postadressen ”info@” är felaktig." in errors[2]
    assert "Atlantis" in errors[3][0]
    assert "SNI-koden 99999 finns inte i SNI 2007." in errors[4]


def test_broken_row_in_the_middle_imports_nothing(db, users):
    rows = [ROWS[0], ["Trasigt AB", "556123-4560", "78433", "", "", "", "", ""], ROWS[2]]
    batch = importer.start_import(_csv(rows), "trasig.csv", actor=users["lots"])
    db.session.commit()
    broken = importer.analyse(batch).rows[1]
    assert broken.errors
    with pytest.raises(ValidationError, match="Rad 3 .*Inget har importerats"):
        importer.run_import(batch, {3: "create"}, actor=users["lots"])
    db.session.rollback()
    assert _count(db) == 0
    assert _count(db, ContactPerson) == 0
    assert db.session.get(ImportBatch, batch.id).status == "preview"


def test_register_change_between_preview_and_confirm_leaves_nothing_half_imported(db, users):
    batch = importer.start_import(_csv(ROWS), "f.csv", actor=users["lots"])
    db.session.commit()
    # Someone registers the third company after the preview was shown.
    make_company("Kvarnsvedens Sågverk HB", orgnr=ORG_C)
    db.session.commit()
    with pytest.raises(ValidationError, match="Rad 4"):
        importer.run_import(batch, {2: "create", 3: "create", 4: "create"}, actor=users["lots"])
    db.session.rollback()
    assert _count(db) == 1  # only the company registered by hand


def test_duplicates_against_register_and_within_file(db, users):
    make_company("Örjans Åkeri", orgnr=ORG_A, postcode="784 33")
    make_company("Ängsbackens Bageri & Kök", orgnr=None, postcode="784 60")
    rows = [*ROWS, ["Kvarnsvedens Sågverk Handelsbolag", ORG_C, "78180", "", "", "", "", ""]]
    batch = importer.start_import(_csv(rows), "dubbletter.csv", actor=users["lots"])
    result = importer.analyse(batch).rows
    assert (result[0].match_reason, result[0].allowed_actions, result[0].default_action) == ("orgnr", ["update", "skip"], "skip")
    assert result[1].match_reason == "namn"
    assert result[1].allowed_actions == ["update", "create", "skip"]
    assert result[2].match is None
    assert result[3].errors == ["Samma organisationsnummer som rad 4 i filen."]
    counts = importer.run_import(batch, {2: "update", 3: "skip"}, actor=users["lots"])
    assert (counts.created, counts.updated, counts.skipped, counts.errors) == (1, 1, 2, 1)
    orjan = db.session.scalar(sa.select(Company).where(Company.orgnr == ORG_A))
    assert orjan.name == "Örjans Åkeri AB"  # updated from the file
    assert orjan.email == "info@orjans.example"


def test_sole_trader_rows_are_accepted(db, users):
    rows = [["Sörens Trädgårdstjänst", f"19{SOLE_TRADER}", "78433", "", "", "", "", ""]]
    batch = importer.start_import(_csv(rows), "ef.csv", actor=users["lots"])
    importer.run_import(batch, {}, actor=users["lots"])
    company = db.session.scalar(sa.select(Company))
    assert (company.orgnr, company.orgnr_kind) == (SOLE_TRADER, "personnummer")


def test_unreadable_files_are_refused_in_swedish(db, users):
    with pytest.raises(ValidationError, match="Filtypen stöds inte"):
        importer.start_import(b"x", "foretag.pdf", actor=users["lots"])
    with pytest.raises(ValidationError, match="inga rader"):
        importer.start_import(b"Namn\r\n", "tom.csv", actor=users["lots"])


def test_undo_removes_created_and_restores_updated(db, users):
    existing = make_company("Örjans Åkeri", orgnr=ORG_A, postcode="784 33", email="")
    services.set_tags(existing, ["Åkeri"])
    db.session.commit()
    batch = importer.start_import(_csv(ROWS), "f.csv", actor=users["lots"])
    importer.run_import(batch, {2: "update"}, actor=users["lots"])
    db.session.commit()
    assert _count(db) == 3
    counts = importer.undo_import(batch, actor=users["lots"])
    db.session.commit()
    assert (counts.created, counts.updated) == (2, 1)
    assert db.session.scalars(sa.select(Company.name)).all() == ["Örjans Åkeri"]
    db.session.refresh(existing)
    assert existing.email == ""
    assert services.tag_names(existing.id) == ["Åkeri"]
    assert _count(db, ContactPerson) == 0
    assert batch.status == "undone"
    with pytest.raises(Conflict, match="redan ångrad"):
        importer.undo_import(batch, actor=users["lots"])


def test_undo_is_refused_when_an_imported_company_changed_since(db, users):
    batch = importer.start_import(_csv(ROWS), "f.csv", actor=users["lots"])
    importer.run_import(batch, {}, actor=users["lots"])
    db.session.commit()
    company = db.session.scalar(sa.select(Company).where(Company.orgnr == ORG_B))
    services.update_company(
        company, services.CompanyInput(name="Ängsbackens Bageri AB", orgnr=ORG_B, postcode="784 60"), actor=users["lots"]
    )
    db.session.commit()
    with pytest.raises(Conflict, match="Ängsbackens Bageri AB") as err:
        importer.undo_import(batch, actor=users["lots"])
    assert "har ändrats efter importen" in err.value.message
    db.session.rollback()
    assert _count(db) == 3


def test_cli_import_and_dry_run(db, users, runner, tmp_path):
    path = tmp_path / "foretag.csv"
    path.write_bytes(_csv(ROWS, ";", encoding="cp1252"))
    result = runner.invoke(args=["companies", "import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Provkörning" in result.output
    assert _count(db) == 0
    result = runner.invoke(args=["companies", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "3 nya" in result.output
    assert _count(db) == 3
    result = runner.invoke(args=["companies", "import", str(path)])
    assert "0 nya, 0 uppdaterade, 3 överhoppade" in result.output


def test_cli_refuses_a_file_with_errors(db, users, runner, tmp_path):
    path = tmp_path / "fel.csv"
    path.write_bytes(_csv([ROWS[0], ["", "", "", "", "", "", "", ""], ["X AB", "123", "", "", "", "", "", ""]]))
    result = runner.invoke(args=["companies", "import", str(path)])
    assert result.exit_code == 1
    assert "Rad 4: Ogiltigt organisationsnummer" in result.output
    assert _count(db) == 0
