"""Import: encodings and delimiters, preview writes nothing, duplicates, all-or-nothing, undo, CLI."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from app.companies import contact_persons, import_rows, import_undo, importer, services, tags
from app.companies.models import Company, ContactPerson, ImportBatch
from app.core.errors import Conflict, ValidationError
from tests.builders.companies import SOLE_TRADER, make_company, valid_orgnr

ORG_A = valid_orgnr("556123456")
ORG_B = valid_orgnr("556234567")
ORG_C = valid_orgnr("916345678")
T_NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

HEADERS = ["Företagsnamn", "Org.nr", "Postnummer", "Ort", "Område", "E-post", "Kontaktperson", "SNI-kod"]
ROWS = [
    [
        "Örjans Åkeri AB",
        f"{ORG_A[:6]}-{ORG_A[6:]}",
        "78433",
        "Borlänge",
        "Centrum",
        "info@orjans.example",
        "Åsa Ängström",
        "49410",
    ],
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
    analysis = import_rows.analyse(batch)
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
        "0": "name",
        "1": "orgnr",
        "2": "postcode",
        "3": "city",
        "4": "area",
        "5": "email",
        "6": "contact_name",
        "7": "sni_code",
    }
    with pytest.raises(ValidationError, match="två kolumner"):
        importer.set_mapping(batch, {"0": "name", "3": "name"}, actor=users["lots"])
    importer.set_mapping(batch, {"0": "name", "1": "orgnr"}, actor=users["lots"])
    row = import_rows.analyse(batch).rows[0]
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
    errors = [r.errors for r in import_rows.analyse(batch).rows]
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
    broken = import_rows.analyse(batch).rows[1]
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
    result = import_rows.analyse(batch).rows
    assert (result[0].match_reason, result[0].allowed_actions, result[0].default_action) == (
        "orgnr",
        ["update", "skip"],
        "skip",
    )
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
    assert (company.orgnr, company.orgnr_kind) == (SOLE_TRADER, "personal_number")


def test_unreadable_files_are_refused_in_swedish(db, users):
    with pytest.raises(ValidationError, match="Filtypen stöds inte"):
        importer.start_import(b"x", "foretag.pdf", actor=users["lots"])
    with pytest.raises(ValidationError, match="inga rader"):
        importer.start_import(b"Namn\r\n", "tom.csv", actor=users["lots"])


def test_undo_removes_created_and_restores_updated(db, users):
    existing = make_company("Örjans Åkeri", orgnr=ORG_A, postcode="784 33", email="")
    tags.set_tags(existing, ["Åkeri"])
    db.session.commit()
    batch = importer.start_import(_csv(ROWS), "f.csv", actor=users["lots"])
    importer.run_import(batch, {2: "update"}, actor=users["lots"])
    db.session.commit()
    assert _count(db) == 3
    counts = import_undo.undo_import(batch, actor=users["lots"])
    db.session.commit()
    assert (counts.created, counts.updated) == (2, 1)
    assert db.session.scalars(sa.select(Company.name)).all() == ["Örjans Åkeri"]
    db.session.refresh(existing)
    assert existing.email == ""
    assert tags.tag_names(existing.id) == ["Åkeri"]
    assert _count(db, ContactPerson) == 0
    assert batch.status == "undone"
    with pytest.raises(Conflict) as exc:
        import_undo.undo_import(batch, actor=users["lots"])
    assert exc.value.message == "Importen är redan ångrad."


def test_undo_is_refused_when_an_imported_company_changed_since(db, users):
    batch = importer.start_import(_csv(ROWS), "f.csv", actor=users["lots"])
    importer.run_import(batch, {}, actor=users["lots"])
    db.session.commit()
    company = db.session.scalar(sa.select(Company).where(Company.orgnr == ORG_B))
    services.update_company(
        company,
        services.CompanyInput(name="Ängsbackens Bageri AB", orgnr=ORG_B, postcode="784 60"),
        actor=users["lots"],
    )
    db.session.commit()
    with pytest.raises(Conflict, match="Ängsbackens Bageri AB") as err:
        import_undo.undo_import(batch, actor=users["lots"])
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
    path.write_bytes(
        _csv([ROWS[0], ["", "", "", "", "", "", "", ""], ["X AB", "123", "", "", "", "", "", ""]])
    )
    result = runner.invoke(args=["companies", "import", str(path)])
    assert result.exit_code == 1
    assert "Rad 4: Ogiltigt organisationsnummer" in result.output
    assert _count(db) == 0


# --------------------------------------------------------------------------- every rule, exactly

ALL_HEADERS = [
    "Namn", "Organisationsnummer", "Juridisk form", "SNI-kod", "SNI-version", "Storleksklass", "Besöksadress",
    "Postadress", "Postnummer", "Ort", "Område", "Webbplats", "Telefon", "E-post", "Status", "Taggar",
    "Anteckningar", "Kontaktperson: namn", "Kontaktperson: roll", "Kontaktperson: telefon", "Kontaktperson: e-post",
]  # fmt: skip


def _row(**values: str) -> list[str]:
    """A row under ALL_HEADERS from field names (blank where not given)."""
    keys = [importer.guess_mapping([h])["0"] for h in ALL_HEADERS]
    return [values.get(key, "") for key in keys]


def _analyse_one(users, **values: str) -> import_rows.RowResult:
    # .xlsx: a cell may hold the CSV delimiter (tags "a; b").
    batch = importer.start_import(
        _xlsx([_row(**values)], headers=ALL_HEADERS), "en.xlsx", actor=users["lots"]
    )
    [row] = import_rows.analyse(batch).rows
    return row


def test_every_field_label_maps_to_its_field_and_each_field_once():
    mapping = importer.guess_mapping(ALL_HEADERS)
    assert mapping == {str(i): key for i, key in enumerate(importer.FIELDS)}
    assert importer.guess_mapping(["FÖRETAG", "Org.nr", "Postnr.", "Okänd kolumn", "Företagsnamn", "mobil"]) == {
        "0": "name", "1": "orgnr", "2": "postcode", "5": "contact_phone",
    }  # fmt: skip
    assert importer.guess_mapping([]) == {}


BAD_ROWS = [
    ({"name": "", "city": "Borlänge"}, ["Namn saknas."]),
    ({"orgnr": "556123-4560"}, ["Ogiltigt organisationsnummer: "]),
    ({"email": "info@"}, ["E-postadressen ”info@” är felaktig."]),
    ({"contact_name": "Åsa", "contact_email": "åsa@"}, ["Kontaktpersonens e-postadress ”åsa@” är felaktig."]),
    ({"sni_code": "49410", "sni_version": "2002"}, ["Okänd SNI-version ”2002” (ange 2007 eller 2025)."]),
    ({"sni_code": "01481"}, ["SNI-koden 01481 finns inte i SNI 2007."]),
    ({"status": "Vilande"}, ["Okänd status ”Vilande” (aktiv, etablering eller avvecklad)."]),
    ({"size_class": "7"}, ["Okänd storleksklass ”7”."]),
    ({"area": "Atlantis"}, ["Området ”Atlantis” finns inte i listan över områden."]),
    ({"postcode": "7843"}, ["Postnumret ”7843” ska ha fem siffror."]),
    ({"name": "Å" * 201}, ["Namnet är längre än 200 tecken."]),
    ({"contact_title": "VD"}, ["Kontaktpersonens namn saknas."]),
    ({"contact_phone": "070-1"}, ["Kontaktpersonens namn saknas."]),
    ({"contact_email": "a@b.se"}, ["Kontaktpersonens namn saknas."]),
]


@pytest.mark.parametrize(("values", "expected"), BAD_ROWS)
def test_each_row_error_is_reported_exactly(db, users, values, expected):
    row = _analyse_one(users, **{"name": "Felaktiga AB", **values})
    assert [e[: len(x)] for e, x in zip(row.errors, expected, strict=True)] == expected
    assert (row.company_input, row.contact_person_input, row.allowed_actions, row.default_action) == (
        None,
        None,
        ["skip"],
        "skip",
    )


def test_a_row_with_no_name_column_says_so(db, users):
    batch = importer.start_import(
        _csv([["78433"]], headers=["Postnummer"]), "utan-namn.csv", actor=users["lots"]
    )
    [row] = import_rows.analyse(batch).rows
    assert row.errors == ["Ingen kolumn är kopplad till Namn."]
    assert row.name == ""


def test_a_full_row_becomes_the_company_and_contact_person_it_says(db, users):
    centrum = next(a for a in import_rows.import_areas() if a.name == "Centrum")
    row = _analyse_one(
        users, name="  Åsa   Åkeri  AB ", orgnr=f"{ORG_A[:6]}-{ORG_A[6:]}", legal_form="Aktiebolag", sni_code="01.481",
        sni_version="2025", size_class="1 – 4", visiting_address="Storgatan 1", postal_address="Box 12",
        postcode="78433", city="Borlänge", area="centrum", website="https://asa.example", phone="0243-1",
        email="info@asa.example", status="Prospekt", tags="Åkeri; Transport, ,Åkeri", notes="Ny kund",
        contact_name="Åsa Ek", contact_title="VD", contact_phone="070-1", contact_email="asa@asa.example",
    )  # fmt: skip
    assert row.errors == []
    assert row.name == "Åsa   Åkeri  AB"  # the cell as read (stripped); the input collapses spaces
    assert row.company_input == services.CompanyInput(
        name="Åsa Åkeri AB", orgnr=ORG_A, legal_form="Aktiebolag", sni_code="01481", sni_version="2025",
        size_class="1-4", visiting_address="Storgatan 1", postal_address="Box 12", postcode="784 33",
        city="Borlänge", area_id=centrum.id, website="https://asa.example", phone="0243-1",
        email="info@asa.example", status="establishing", notes="Ny kund", tags=("Åkeri", "Transport", "Åkeri"),
    )  # fmt: skip
    assert row.contact_person_input == contact_persons.ContactPersonInput(
        name="Åsa Ek", title="VD", phone="070-1", email="asa@asa.example"
    )
    assert (row.match, row.allowed_actions, row.default_action) == (None, ["create", "skip"], "create")


def test_status_words_and_defaults(db, users):
    for word, status in (
        ("AKTIVT", "active"),
        (" nedlagd ", "wound_up"),
        ("Etablering/prospekt", "establishing"),
        ("", "active"),
    ):
        assert _analyse_one(users, name="Status AB", status=word).company_input.status == status
    plain = _analyse_one(users, name="Enkel AB", sni_version="2025")
    assert plain.company_input.sni_version == "2007"  # no code: the version is not kept
    assert plain.company_input.sni_code == ""
    assert plain.contact_person_input is None
    assert (
        _analyse_one(users, name="Sni AB", sni_code="49410", sni_version=" ").company_input.sni_version
        == "2007"
    )


def _import(users, rows, headers=ALL_HEADERS, actions=None, filename="f.csv"):
    batch = importer.start_import(_csv(rows, headers=headers), filename, actor=users["lots"])
    counts = importer.run_import(batch, actions or {}, actor=users["lots"])
    return batch, counts


def test_same_name_and_postcode_twice_in_the_file(db, users):
    rows = [
        _row(name="Bo AB", postcode="78433"),
        _row(name="BO  ab", postcode="784 33"),
        _row(name="Bo AB", postcode="78434"),
    ]
    batch = importer.start_import(_csv(rows, headers=ALL_HEADERS), "f.csv", actor=users["lots"])
    analysis = import_rows.analyse(batch)
    assert [r.errors for r in analysis.rows] == [[], ["Samma namn och postnummer som rad 2 i filen."], []]
    assert (analysis.error_count, analysis.duplicate_count) == (1, 0)
    # Without a postcode the name alone is no duplicate.
    batch = importer.start_import(
        _csv([_row(name="Bo AB"), _row(name="Bo AB")], headers=ALL_HEADERS), "g.csv", actor=users["lots"]
    )
    assert [r.errors for r in import_rows.analyse(batch).rows] == [[], []]


def test_a_deleted_company_with_the_number_is_an_error_not_a_match(db, users):
    make_company("Gamla AB", orgnr=ORG_A, deleted_at=T_NOW)
    row = _analyse_one(users, name="Gamla AB", orgnr=ORG_A)
    assert row.errors == [
        "Organisationsnumret finns redan på ett borttaget eller sammanslaget företag (Gamla AB)."
    ]
    assert row.match is None


def test_refused_choices_name_the_row_and_import_nothing(db, users):
    existing = make_company("Finns AB", orgnr=ORG_A)
    db.session.commit()
    rows = [_row(name="Finns AB", orgnr=ORG_A), _row(name="Ny AB")]
    batch = importer.start_import(_csv(rows, headers=ALL_HEADERS), "f.csv", actor=users["lots"])
    with pytest.raises(ValidationError) as exc:
        importer.run_import(batch, {2: "create"}, actor=users["lots"])
    assert exc.value.message == "Rad 2 (Finns AB): Skapa nytt går inte för raden. Inget har importerats."
    with pytest.raises(ValidationError) as exc:
        importer.run_import(batch, {3: "radera"}, actor=users["lots"])
    assert exc.value.message == "Rad 3: okänt val ”radera”."
    with pytest.raises(ValidationError) as exc:
        importer.run_import(batch, {3: "update"}, actor=users["lots"])
    assert (
        exc.value.message == "Rad 3 (Ny AB): Uppdatera befintligt går inte för raden. Inget har importerats."
    )
    db.session.rollback()
    assert db.session.scalars(sa.select(Company.name)).all() == [existing.name]
    batch = importer.start_import(
        _csv([_row(name="", orgnr="1")], headers=ALL_HEADERS), "g.csv", actor=users["lots"]
    )
    with pytest.raises(ValidationError) as exc:
        importer.run_import(batch, {2: "create"}, actor=users["lots"])
    assert exc.value.message.startswith("Rad 2 (utan namn): Namn saknas.; Ogiltigt organisationsnummer: ")
    assert exc.value.message.endswith(" Inget har importerats.")


def test_a_confirmed_import_records_its_counts_time_and_audit(db, users):
    from app.audit.models import AuditEvent

    make_company("Finns AB", orgnr=ORG_A)
    rows = [
        _row(name="Finns AB", orgnr=ORG_A),
        _row(name="Ny AB"),
        _row(name="", orgnr="1"),
        _row(name="Hoppa AB"),
    ]
    batch = importer.start_import(_csv(rows, headers=ALL_HEADERS), "lista.csv", actor=users["lots"])
    counts = importer.run_import(batch, {2: "update", 5: "skip"}, actor=users["lots"], now=T_NOW)
    assert counts == importer.ImportCounts(created=1, updated=1, skipped=2, errors=1)
    assert (batch.status, batch.confirmed_at, batch.rows) == ("done", T_NOW, None)
    assert (batch.created_count, batch.updated_count, batch.skipped_count, batch.error_count) == (1, 1, 2, 1)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.entity_type == "import_batches"))
    assert (event.action, event.entity_id, event.actor_id, event.at) == (
        "import",
        batch.id,
        users["lots"].id,
        T_NOW,
    )
    assert event.summary == "Import av lista.csv: 1 nya, 1 uppdaterade, 2 överhoppade"
    with pytest.raises(Conflict) as exc:
        importer.run_import(batch, {}, actor=users["lots"])
    assert exc.value.message == "Importen är redan genomförd eller avbruten."


def test_an_update_keeps_what_the_file_leaves_blank_and_adds_tags_and_a_contact_person(db, users):
    existing = make_company(
        "Finns AB", orgnr=ORG_A, email="gammal@finns.example", phone="0243-9", notes="Viktig"
    )
    tags.set_tags(existing, ["Kund"])
    db.session.commit()
    rows = [_row(name="Finns AB", orgnr=ORG_A, city="Falun", status="wound_up", tags="Kund, Ny",
                 contact_name="Åsa Ek", sni_code="49410")]  # fmt: skip
    batch, counts = _import(users, rows, actions={2: "update"})
    db.session.refresh(existing)
    assert (existing.email, existing.phone, existing.notes) == ("gammal@finns.example", "0243-9", "Viktig")
    assert (existing.city, existing.status, existing.sni_code) == ("Falun", "wound_up", "49410")
    assert tags.tag_names(existing.id) == ["Kund", "Ny"]
    assert db.session.scalars(sa.select(ContactPerson.name)).all() == ["Åsa Ek"]
    # The same contact again is not added twice; a plain row keeps the status.
    rows = [_row(name="Finns AB", orgnr=ORG_A, contact_name="åsa  ek")]
    _import(users, rows, actions={2: "update"}, filename="igen.csv")
    db.session.refresh(existing)
    assert existing.status == "wound_up"
    assert _count(db, ContactPerson) == 1


def test_mapping_refusals(db, users):
    batch = importer.start_import(_csv(ROWS), "f.csv", actor=users["lots"])
    for mapping in ({"0": "namn"}, {"x": "name"}, {"8": "name"}, {"-1": "name"}):
        with pytest.raises(ValidationError) as exc:
            importer.set_mapping(batch, mapping, actor=users["lots"])
        assert exc.value.message == "Ogiltig kolumnkoppling."
    with pytest.raises(ValidationError) as exc:
        importer.set_mapping(batch, {"0": "name", "3": "name"}, actor=users["lots"])
    assert exc.value.message == "Fältet Namn är kopplat till två kolumner (Företagsnamn och Ort). Välj en."
    importer.set_mapping(batch, {"7": "name", "0": "", "1": "orgnr"}, actor=users["lots"])
    assert batch.mapping == {"7": "name", "1": "orgnr"}
    assert import_rows.analyse(batch).rows[0].values == {"name": "49410", "orgnr": ROWS[0][1]}


def test_a_cancelled_preview_is_closed_and_forgets_its_rows(db, users):
    batch = importer.start_import(_csv(ROWS), "f.csv", actor=users["lots"])
    importer.cancel_import(batch, actor=users["lots"])
    assert (batch.status, batch.rows) == ("cancelled", None)
    for call in (lambda: importer.cancel_import(batch, actor=users["lots"]),
                 lambda: importer.set_mapping(batch, {}, actor=users["lots"])):  # fmt: skip
        with pytest.raises(Conflict, match="^Importen är redan genomförd eller avbruten.$"):
            call()
    assert _count(db) == 0


def test_only_a_done_import_can_be_undone(db, users):
    batch = importer.start_import(_csv(ROWS), "f.csv", actor=users["lots"])
    with pytest.raises(Conflict) as exc:
        import_undo.undo_import(batch, actor=users["lots"])
    assert exc.value.message == "Bara en genomförd import kan ångras."


def test_undo_restores_every_field_and_records_who_and_when(db, users):
    from app.audit.models import AuditEvent
    from app.companies.models import CompanyCreateToken

    existing = make_company("Finns AB", orgnr=ORG_A, city="Borlänge", email="", website="", postcode="784 33")
    other = make_company("Andra AB", orgnr=ORG_B, city="Borlänge")
    db.session.add(CompanyCreateToken(token="formular-1", company_id=other.id))  # made by hand
    db.session.commit()
    rows = [_row(name="Finns AB", orgnr=ORG_A, city="Falun", email="ny@finns.example", website="finns.example",
                 contact_name="Åsa Ek"),
            _row(name="Andra AB", orgnr=ORG_B, city="Säter"),
            _row(name="Ny AB", contact_name="Bo Ek", tags="Ny")]  # fmt: skip
    batch, _ = _import(users, rows, actions={2: "update", 3: "update"}, filename="lista.csv")
    db.session.commit()
    counts = import_undo.undo_import(batch, actor=users["lots"], now=T_NOW)
    assert counts == importer.ImportCounts(created=1, updated=2)
    db.session.commit()
    db.session.refresh(existing)
    assert (existing.city, existing.email, existing.website, existing.postcode) == (
        "Borlänge",
        "",
        "",
        "784 33",
    )
    assert db.session.get(Company, other.id).city == "Borlänge"
    assert db.session.scalars(sa.select(Company.name).order_by(Company.id)).all() == ["Finns AB", "Andra AB"]
    assert _count(db, ContactPerson) == 0
    assert db.session.scalars(sa.select(CompanyCreateToken.token)).all() == ["formular-1"]
    assert (batch.status, batch.undone_at, batch.undone_by_id) == ("undone", T_NOW, users["lots"].id)
    undo = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "undo"))
    assert (undo.actor_id, undo.entity_type, undo.entity_id, undo.at) == (
        users["lots"].id,
        "import_batches",
        batch.id,
        T_NOW,
    )
    assert undo.summary == "Import av lista.csv ångrad: 1 borttagna, 2 återställda"
    deleted = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "delete"))
    assert deleted.summary == "Företaget Ny AB borttaget när importen ångrades"
    assert (deleted.actor_id, deleted.entity_type, deleted.at) == (users["lots"].id, "companies", T_NOW)
    assert deleted.entity_id is not None
    assert deleted.entity_id not in (existing.id, other.id)
    restored = db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.summary == "Företaget Finns AB återställt när importen ångrades"
        )
    )
    assert (restored.action, restored.actor_id, restored.entity_id) == (
        "update",
        users["lots"].id,
        existing.id,
    )
    assert restored.changes["city"] == ["Falun", "Borlänge"]


def _refused_undo(batch, users) -> str:
    with pytest.raises(Conflict) as exc:
        import_undo.undo_import(batch, actor=users["lots"])
    return exc.value.message


def test_undo_is_refused_when_an_imported_company_has_a_case(db, users):
    from tests.builders import cases as cf

    batch, _ = _import(users, [_row(name="Ny AB")])
    db.session.commit()
    company = db.session.scalar(sa.select(Company))
    cf.make_case(users["lots"], company=company, contact_person_id=None)
    db.session.commit()
    assert _refused_undo(batch, users) == (
        "Importen kan inte ångras eftersom något av de importerade företagen redan har kontakter, "
        "ärenden eller andra uppgifter kopplade till sig."
    )
    db.session.rollback()
    assert db.session.scalars(sa.select(Company.name)).all() == ["Ny AB"]
    assert db.session.get(ImportBatch, batch.id).status == "done"


def test_undo_is_refused_when_a_created_company_got_a_contact_person_of_its_own(db, users):
    from tests.builders.companies import make_contact_person

    batch, _ = _import(users, [_row(name="Ny AB", contact_name="Bo Ek")])
    db.session.commit()
    company = db.session.scalar(sa.select(Company))
    make_contact_person(company, "Eva Berg")
    db.session.commit()
    assert _refused_undo(batch, users) == (
        "Importen kan inte ångras eftersom följande företag har ändrats efter importen: Ny AB. "
        "Ändra dem för hand i stället, så att ingen annans ändring försvinner."
    )


def test_undo_refusal_names_ten_companies_and_counts_the_rest(db, users):
    def refusal(count: int) -> str:
        batch, _ = _import(
            users, [_row(name=f"Bolag {count}-{i:02d} AB") for i in range(count)], filename=f"{count}.csv"
        )
        db.session.commit()
        for company in db.session.scalars(sa.select(Company).where(Company.name.like(f"Bolag {count}-%"))):
            company.deleted_at = T_NOW
        db.session.commit()
        return _refused_undo(batch, users)

    ten = ", ".join(f"Bolag 10-{i:02d} AB" for i in range(10))
    assert f"efter importen: {ten}. Ändra" in refusal(10)
    first_ten = ", ".join(f"Bolag 11-{i:02d} AB" for i in range(10))
    assert f"efter importen: {first_ten} och 1 till. Ändra" in refusal(11)


def test_a_system_update_keeps_number_and_area_unless_the_file_gives_them(db, users):
    from app.audit.models import AuditEvent
    from tests.builders.companies import make_contact_person

    area_ids = [a.id for a in import_rows.import_areas()[:2]]
    numbered = make_company("Numrerat AB", orgnr=ORG_A, postcode="784 33", area_id=area_ids[0])
    unnumbered = make_company("Onumrerat AB", orgnr=None, postcode="784 34", area_id=area_ids[0])
    unnumbered.orgnr = None
    make_contact_person(make_company("Granne AB"), "Åsa Ek")  # the same name on another company
    db.session.commit()
    area_name = next(a.name for a in import_rows.import_areas() if a.id == area_ids[1])
    rows = [_row(name="Numrerat AB", postcode="78433", city="Falun", contact_name="Åsa Ek"),
            _row(name="Onumrerat AB", postcode="78434", area=area_name)]  # fmt: skip
    batch = importer.start_import(_csv(rows, headers=ALL_HEADERS), "jobb.csv", actor=None, system=True)
    counts = importer.run_import(batch, {2: "update", 3: "update"}, actor=None, system=True)
    assert (counts.updated, counts.created) == (2, 0)
    db.session.commit()
    db.session.refresh(numbered)
    db.session.refresh(unnumbered)
    assert (numbered.orgnr, numbered.area_id, numbered.city) == (ORG_A, area_ids[0], "Falun")
    assert (unnumbered.orgnr, unnumbered.area_id) == (None, area_ids[1])
    contact = db.session.scalar(sa.select(ContactPerson).where(ContactPerson.company_id == numbered.id))
    assert contact.name == "Åsa Ek"
    summaries = set(
        db.session.scalars(sa.select(AuditEvent.summary).where(AuditEvent.entity_type == "companies"))
    )
    assert "Företaget Numrerat AB uppdaterat av import (jobb.csv, rad 2)" in summaries


def test_an_update_by_a_user_is_audited_as_that_user(db, users):
    from app.audit.models import AuditEvent

    existing = make_company("Finns AB", orgnr=ORG_A)
    db.session.commit()
    _import(
        users,
        [_row(name="Finns AB", orgnr=ORG_A, city="Falun", contact_name="Åsa Ek")],
        actions={2: "update"},
    )
    db.session.flush()
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action.in_(["create", "update"]))
    ).all()
    assert {e.entity_type for e in events} >= {"companies", "contact_persons"}
    assert {e.actor_id for e in events} == {users["lots"].id}
    assert any(e.entity_id == existing.id and e.action == "update" for e in events)


def test_an_update_adds_a_new_contact_person_beside_the_company_s_own_and_undo_removes_only_that(db, users):
    existing = make_company("Finns AB", orgnr=ORG_A)
    from tests.builders.companies import make_contact_person

    own = make_contact_person(existing, "Per Lind")
    db.session.commit()
    batch, counts = _import(
        users, [_row(name="Finns AB", orgnr=ORG_A, contact_name="Åsa Ek")], actions={2: "update"}
    )
    assert (counts.created, counts.updated) == (0, 1)
    names = db.session.scalars(
        sa.select(ContactPerson.name)
        .where(ContactPerson.company_id == existing.id)
        .order_by(ContactPerson.name)
    ).all()
    assert names == ["Per Lind", "Åsa Ek"]  # a different person is added, not taken for the one there
    [row] = db.session.scalars(
        sa.select(importer.ImportRow).where(importer.ImportRow.batch_id == batch.id)
    ).all()
    assert (row.action, row.company_id, row.row_number) == ("updated", existing.id, 2)
    import_undo.undo_import(batch, actor=users["lots"])
    remaining = db.session.scalars(
        sa.select(ContactPerson.id).where(ContactPerson.company_id == existing.id)
    ).all()
    assert remaining == [own.id]


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _without_sheets(xlsx: bytes) -> bytes:
    """The same file with no <sheet> left in its workbook part (a workbook of no sheets)."""
    import re
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = re.sub(rb"<sheet [^>]*/>", b"", data)
            archive.writestr(info, data)
    return out.getvalue()


def test_an_empty_workbook_one_without_sheets_and_one_with_only_a_chart_are_refused_in_swedish(db, users):
    charts_only = Workbook()
    charts_only.remove(charts_only.active)
    charts_only.create_chartsheet("Diagram")
    cases = [
        (_saved(Workbook()), "Filen är tom. Den första raden ska innehålla kolumnrubriker."),
        (_without_sheets(_saved(Workbook())), "Excel-filen innehåller inget kalkylblad."),
        # No worksheet to read (openpyxl cannot even open it): the same clear refusal as a broken file.
        (_saved(charts_only),
         "Excel-filen kunde inte läsas. Den kan vara skadad eller inte vara en riktig .xlsx-fil."),
    ]  # fmt: skip
    for data, message in cases:
        with pytest.raises(ValidationError) as exc:
            importer.start_import(data, "tom.xlsx", actor=users["lots"])
        assert (exc.value.message, exc.value.field) == (message, "file")
    assert _count(db, ImportBatch) == 0


def test_an_update_matched_by_name_and_postcode_keeps_a_sole_trader_s_number(db, users):
    trader = make_company("Sörens Trädgårdstjänst", orgnr=SOLE_TRADER, postcode="784 33")
    db.session.commit()
    rows = [_row(name="Sörens Trädgårdstjänst", postcode="78433", city="Falun")]
    batch, counts = _import(users, rows, actions={2: "update"})
    assert counts.updated == 1
    db.session.refresh(trader)
    assert (trader.city, trader.orgnr, trader.orgnr_kind) == ("Falun", SOLE_TRADER, "personal_number")
