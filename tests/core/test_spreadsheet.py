"""Tests for app.core.spreadsheet (CSV/XLSX reading and injection-safe writing)."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from app.core.spreadsheet import (
    SpreadsheetError,
    Table,
    TooManyRows,
    iter_csv,
    neutralise_cell,
    read_table,
    write_csv,
    write_xlsx,
)

INJECTIONS = ["=1+1", "+46701234567", "-2", "@SUM(A1)", "\tx", "\rx"]


# --------------------------------------------------------------------------- reading CSV


def test_utf8_bom_semicolon_with_swedish_letters() -> None:
    text = "Namn;Orgnr;Ort\r\nÖster Åkeri AB;556036-0793;Borlänge\r\nÄngens Klädbod HB;;Borlänge\r\n"
    table = read_table(b"\xef\xbb\xbf" + text.encode("utf-8"), "foretag.csv")
    assert table.headers == ["Namn", "Orgnr", "Ort"]
    assert table.rows == [
        ["Öster Åkeri AB", "556036-0793", "Borlänge"],
        ["Ängens Klädbod HB", "", "Borlänge"],
    ]
    assert table.row_numbers == [2, 3]


def test_utf8_comma_without_bom_and_stripping() -> None:
    data = "name , orgnr\n  Åsens Optik AB , 5560360793 \n".encode()
    table = read_table(data, "export.CSV")
    assert table.headers == ["name", "orgnr"]
    assert table.rows == [["Åsens Optik AB", "5560360793"]]


def test_windows_1252_semicolon() -> None:
    data = "Namn;Ort\r\nÖster Åkeri AB;Borlänge\r\n".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # make sure the test really exercises the fallback
    table = read_table(data, "excel.csv")
    assert table.rows == [["Öster Åkeri AB", "Borlänge"]]


def test_utf16_tab_separated_from_excel_unicode_text() -> None:
    data = "Namn\tOrt\r\nÖster Åkeri AB\tBorlänge\r\n".encode("utf-16")
    table = read_table(data, "excel.txt")
    assert table.rows == [["Öster Åkeri AB", "Borlänge"]]


def test_tab_separated() -> None:
    table = read_table(b"a\tb\tc\n1\t2\t3\n", "data.tsv")
    assert table.headers == ["a", "b", "c"]
    assert table.rows == [["1", "2", "3"]]


def test_delimiter_sniffed_from_header_only() -> None:
    # The data row has more commas than semicolons; the header decides.
    data = "Namn;Anteckning\nÖster Åkeri AB;Åkeri, lager, logistik, frakt\n".encode()
    assert read_table(data, "x.csv").rows == [["Öster Åkeri AB", "Åkeri, lager, logistik, frakt"]]


def test_semicolon_wins_ties_and_single_column() -> None:
    assert read_table(b"a;b,c\n1;2,3\n", "x.csv").headers == ["a", "b,c"]
    assert read_table("Namn\nÖster Åkeri, AB\n".encode(), "x.csv").rows == [["Öster Åkeri, AB"]]


def test_quoted_delimiter_quote_and_newline() -> None:
    data = 'Namn;Anteckning;Ort\n"Kaffe; te AB";"Rad ett\nrad två, ""citat""";Borlänge\nB AB;x;y\n'.encode()
    table = read_table(data, "x.csv")
    assert table.rows[0] == ["Kaffe; te AB", 'Rad ett\nrad två, "citat"', "Borlänge"]
    # Numbered as a spreadsheet program shows the rows, not by physical line.
    assert table.row_numbers == [2, 3]


def test_quoted_header_with_delimiter_in_it() -> None:
    table = read_table(b'"Namn, fullst\xc3\xa4ndigt";Ort\nA;B\n', "x.csv")
    assert table.headers == ["Namn, fullständigt", "Ort"]


def test_blank_lines_dropped_and_row_numbers_kept() -> None:
    data = b"\n\nnamn;ort\n\nA;B\n;\n  ;  \nC;D\n"
    table = read_table(data, "x.csv")
    assert table.headers == ["namn", "ort"]
    assert table.rows == [["A", "B"], ["C", "D"]]
    assert table.row_numbers == [5, 8]


def test_short_rows_padded_and_extra_cells_kept() -> None:
    table = read_table(b"a;b;c\n1\n1;2;3;;\n1;2;3;4\n", "x.csv")
    assert table.rows == [["1", "", ""], ["1", "2", "3"], ["1", "2", "3", "4"]]
    assert list(table.records())[2] == (4, {"a": "1", "b": "2", "c": "3"})


def test_empty_file_rejected() -> None:
    for data in (b"", b"\xef\xbb\xbf", b"\n \n;;\n"):
        with pytest.raises(SpreadsheetError, match="tom"):
            read_table(data, "x.csv")


def test_header_only_gives_no_rows() -> None:
    assert read_table(b"a;b\n", "x.csv") == Table(headers=["a", "b"], rows=[], row_numbers=[])


def test_binary_as_csv_rejected() -> None:
    with pytest.raises(SpreadsheetError):
        read_table(b"PK\x03\x04\x00\x00\x00binary", "x.csv")


@pytest.mark.parametrize("filename", ["data.pdf", "data", "data.json", ""])
def test_unknown_extension_rejected(filename: str) -> None:
    with pytest.raises(SpreadsheetError, match="Filtypen stöds inte"):
        read_table(b"a;b\n", filename)


def test_old_xls_rejected_with_advice() -> None:
    with pytest.raises(SpreadsheetError, match=r"\.xlsx"):
        read_table(b"\xd0\xcf\x11\xe0", "gammal.xls")


# --------------------------------------------------------------------------- reading XLSX


def _xlsx(rows: list[list[object]], extra_sheet: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Företag"
    for row in rows:
        sheet.append(row)
    if extra_sheet:
        workbook.create_sheet("Annat").append(["ska inte läsas"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_round_trip_with_types() -> None:
    data = _xlsx(
        [
            ["Namn", "Orgnr", "Anställda", "Omsättning", "Informerad", "Tid", "Nyckel", "Tom"],
            [
                "Öster Åkeri AB",
                5560360793,
                42,
                1234.5,
                datetime.date(2024, 3, 1),
                datetime.datetime(2024, 3, 1, 14, 30),
                True,
                None,
            ],
            [],
            ["  Åsens Optik AB  ", "556036-0793", 3.0, 0.1, datetime.datetime(2024, 5, 6), None, False, None],
        ],  # fmt: skip
        extra_sheet=True,
    )
    table = read_table(data, "foretag.xlsx")
    assert table.headers == ["Namn", "Orgnr", "Anställda", "Omsättning", "Informerad", "Tid", "Nyckel", "Tom"]
    assert table.rows == [
        ["Öster Åkeri AB", "5560360793", "42", "1234.5", "2024-03-01", "2024-03-01 14:30", "ja", ""],
        ["Åsens Optik AB", "556036-0793", "3", "0.1", "2024-05-06", "", "nej", ""],
    ]
    assert table.row_numbers == [2, 4]


def test_xlsx_formula_gives_cached_value_not_formula() -> None:
    # openpyxl does not compute formulas, so the cached value is empty; the point is
    # that the formula text itself is never returned.
    table = read_table(_xlsx([["a", "b"], [1, "=A2*2"]]), "x.xlsx")
    assert table.rows == [["1", ""]]


def test_corrupt_xlsx_rejected() -> None:
    with pytest.raises(SpreadsheetError, match="Excel-filen kunde inte läsas"):
        read_table(b"this is not a zip file", "x.xlsx")
    truncated = _xlsx([["a"], ["b"]])[:200]
    with pytest.raises(SpreadsheetError):
        read_table(truncated, "x.xlsx")


def test_zip_without_workbook_rejected() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hej")
    with pytest.raises(SpreadsheetError):
        read_table(buffer.getvalue(), "x.xlsx")


def test_empty_xlsx_rejected() -> None:
    with pytest.raises(SpreadsheetError, match="tom"):
        read_table(_xlsx([]), "x.xlsx")


# --------------------------------------------------------------------------- writing


@pytest.mark.parametrize("value", INJECTIONS)
def test_neutralise_cell_prefixes_dangerous_text(value: str) -> None:
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-2, -2),
        (3.5, 3.5),
        (None, ""),
        (True, "ja"),
        (False, "nej"),
        (datetime.date(2024, 1, 2), "2024-01-02"),
        ("Öster Åkeri AB", "Öster Åkeri AB"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise_cell_leaves_safe_values(value: object, expected: object) -> None:
    assert neutralise_cell(value) == expected


def test_write_csv_format() -> None:
    data = write_csv(["Namn", "Ort"], [["Öster Åkeri AB", "Borlänge"], ["A; B", 'Säger "hej"']])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text == 'Namn;Ort\r\nÖster Åkeri AB;Borlänge\r\n"A; B";"Säger ""hej"""\r\n'


def test_write_csv_neutralises_every_cell_including_headers() -> None:
    data = write_csv(["=HYPERLINK(1)", "b"], [[value, 1] for value in INJECTIONS])
    table = read_table(data, "export.csv")
    assert table.headers[0] == "'=HYPERLINK(1)"
    assert [row[0] for row in table.rows] == ["'" + value for value in INJECTIONS]
    for line in data.decode("utf-8-sig").split("\r\n")[1:]:
        assert not line.startswith(("=", "+", "-", "@"))


def test_write_csv_numbers_use_decimal_comma() -> None:
    assert write_csv(["x", "y"], [[1.5, -2]]).decode("utf-8-sig") == "x;y\r\n1,5;-2\r\n"


def test_write_csv_round_trips_through_reader() -> None:
    rows = [["Öster Åkeri AB", "Rad ett\nrad två"], ["Åsens Optik AB", ""]]
    table = read_table(write_csv(["Namn", "Anteckning"], rows), "x.csv")
    assert table.rows == rows


def test_iter_csv_streams_from_generator() -> None:
    rows = ([str(i), "x"] for i in range(3))
    chunks = list(iter_csv(["a", "b"], rows))
    assert len(chunks) == 4
    assert b"".join(chunks) == write_csv(["a", "b"], [[str(i), "x"] for i in range(3)])


def _read_back(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_write_xlsx_neutralises_formulas() -> None:
    data = write_xlsx(["Värde", "Nummer"], ([value, 7] for value in INJECTIONS), sheet_title="Företag")
    workbook = _read_back(data)
    sheet = workbook["Företag"]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    values = [sheet.cell(row=i, column=1).value for i in range(2, len(INJECTIONS) + 2)]
    assert all(isinstance(v, str) and v.startswith("'") for v in values)
    # What matters is the apostrophe. A CR survives only if openpyxl escapes it (&#13;, which it
    # does when lxml is installed – the e-arkiv export needs lxml); written raw, XML parsing turns
    # it into LF.
    for value, read in zip(INJECTIONS, values, strict=True):
        assert read in ("'" + value, "'" + value.replace("\r", "\n"))
    assert sheet.cell(row=2, column=2).value == 7


def test_write_xlsx_header_bold_frozen_and_round_trip() -> None:
    rows = [["Öster Åkeri AB", 5560360793, datetime.date(2024, 1, 2)], ["Åsens Optik AB", None, None]]
    data = write_xlsx(["Namn", "Orgnr", "Datum"], rows)
    sheet = _read_back(data)["Export"]
    assert [c.value for c in sheet[1]] == ["Namn", "Orgnr", "Datum"]
    assert all(c.font.bold for c in sheet[1])
    assert not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    table = read_table(data, "export.xlsx")
    assert table.rows == [["Öster Åkeri AB", "5560360793", "2024-01-02"], ["Åsens Optik AB", "", ""]]


def test_write_xlsx_strips_control_characters_and_sanitises_title() -> None:
    long_title = "Företag [2024]: alla/nya och mycket långa namn"
    data = write_xlsx(["a"], [["fel\x00tecken\x07"]], sheet_title=long_title)
    workbook = _read_back(data)
    title = workbook.sheetnames[0]
    assert len(title) <= 31
    assert not set(title) & set("[]:*?/\\")
    assert workbook[title]["A2"].value == "feltecken"


# --------------------------------------------------------------------------- large and hostile uploads


def _bomb_xlsx(rows: int, columns: int = 3) -> bytes:
    """A tiny .xlsx whose one sheet inflates to `rows` rows (the XML repeats and zips well)."""
    # Rows and cells without an "r" attribute are valid and make the XML one repeated string.
    row = "<row>" + "".join(f"<c><v>{i}</v></c>" for i in range(columns)) + "</row>"
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + row * rows
        + "</sheetData></worksheet>"
    )
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def _peak_memory(fn) -> tuple[int, object]:
    import tracemalloc

    tracemalloc.start()
    try:
        try:
            result = fn()
        except SpreadsheetError as exc:
            result = exc
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()


def test_a_two_million_row_csv_stops_at_the_row_limit_with_flat_memory(tmp_path) -> None:
    path = tmp_path / "stor.csv"
    with path.open("wb") as out:
        out.write(b"Namn;Ort\n")
        out.write(b"a;b\n" * 2_000_000)  # 8 MB, 2 M rows
    with path.open("rb") as stream:
        peak, result = _peak_memory(lambda: read_table(stream, "stor.csv", max_rows=20_000))
    assert isinstance(result, TooManyRows)
    assert str(result) == "Filen har fler än 20000 rader. Dela upp den i flera filer."
    # Reading it whole held the text and 2 M row lists: hundreds of MB. Row by row, the
    # 20 000 kept rows are all that grows.
    assert peak < 25 * 1024 * 1024, f"{peak / 1e6:.0f} MB"


def test_an_inflating_xlsx_stops_at_the_row_limit_with_flat_memory() -> None:
    # Scaled down from the real limit (20 000 rows) so the suite stays fast under tracemalloc:
    # the property is the same – reading stops at the limit, whatever the sheet inflates to.
    data = _bomb_xlsx(100_000)
    assert len(data) < 30_000  # small on the wire, 100 000 rows inside
    peak, result = _peak_memory(lambda: read_table(io.BytesIO(data), "liten.xlsx", max_rows=2_000))
    assert isinstance(result, TooManyRows)
    # Row by row this peaks near 10 MB; loading the sheet whole (read_only=False) peaks above 100 MB.
    assert peak < 40 * 1024 * 1024, f"{peak / 1e6:.0f} MB"


def test_row_limit_counts_data_rows_only() -> None:
    data = b"Namn\n\n" + b"x\n" * 3 + b"\n\n"
    assert len(read_table(data, "f.csv", max_rows=3).rows) == 3
    with pytest.raises(TooManyRows):
        read_table(data + b"y\n", "f.csv", max_rows=3)
    assert len(read_table(_bomb_xlsx(4), "f.xlsx", max_rows=3).rows) == 3
    with pytest.raises(TooManyRows):
        read_table(_bomb_xlsx(5), "f.xlsx", max_rows=3)


def test_a_row_wider_than_the_column_limit_is_refused() -> None:
    from app.core.spreadsheet import MAX_COLUMNS

    ok = ";".join(["x"] * MAX_COLUMNS).encode()
    assert len(read_table(b"A\n" + ok + b"\n", "f.csv").rows[0]) == MAX_COLUMNS
    with pytest.raises(SpreadsheetError, match=f"Rad 2 har fler än {MAX_COLUMNS} kolumner"):
        read_table(b"A\n" + ok + b";y\n", "f.csv")


def test_an_upload_stream_is_left_open_for_the_caller(tmp_path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes("Namn;Ort\nÅsa AB;Borlänge\n".encode("cp1252"))
    with path.open("rb") as stream:
        table = read_table(stream, "f.csv")
        assert not stream.closed
    assert table.rows == [["Åsa AB", "Borlänge"]]


# --------------------------------------------------------------------------- details a reader relies on


def test_every_text_cell_is_written_as_a_plain_string_cell() -> None:
    import re

    data = write_xlsx(["Namn", "Antal"], [["=1+1", 3], ["Åsa", 4.5]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    types = {
        ref: re.search(r' t="([^"]*)"', attrs)[1]
        for ref, attrs in re.findall(r'<c r="([A-Z]+\d+)"([^>]*)>', sheet)
    }
    # Excel opens only known cell types: text as an inline string, numbers as "n".
    assert types == {
        "A1": "inlineStr",
        "B1": "inlineStr",
        "A2": "inlineStr",
        "B2": "n",
        "A3": "inlineStr",
        "B3": "n",
    }
    assert "<f>" not in sheet


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("", "Export"),
        (None, "Export"),
        ("[]:*?/\\", "Export"),
        ("'Citerat'", "Citerat"),
        ("'Box X'", "Box X"),
        ("a/b:c", "a b c"),
        (" ' Kvartal 1 ' ", "Kvartal 1"),
        ("x" * 40, "x" * 31),
    ],
)
def test_sheet_titles_are_what_excel_accepts(title, expected) -> None:
    data = write_xlsx(["a"], [["b"]], sheet_title=title)
    assert _read_back(data).sheetnames == [expected]


def test_records_pair_each_row_with_its_number_and_headers() -> None:
    from app.core.spreadsheet import Table

    table = Table(["Namn", "Ort"], [["A", "B", "extra"], ["C", "D"]], [2, 5])
    assert list(table.records()) == [(2, {"Namn": "A", "Ort": "B"}), (5, {"Namn": "C", "Ort": "D"})]
    # Row numbers that do not match the rows are a programming error, not silently cut short.
    with pytest.raises(ValueError, match="zip"):
        list(Table(["Namn"], [["A"], ["B"]], [2]).records())


# --------------------------------------------------------------------------- each refusal and cell, exactly


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"a;b\n", "gammal.XLS", "Filformatet .xls (Excel 97–2003) stöds inte. Spara filen som .xlsx eller CSV och försök igen."),
        (b"a;b\n", "utan-punkt", "Filtypen stöds inte. Ladda upp en CSV-fil (.csv) eller en Excel-fil (.xlsx)."),
        (b"\n \n;;\n", "tom.csv", "Filen är tom. Den första raden ska innehålla kolumnrubriker."),
        (b"a;b\nx\x00y;z\n", "nul.csv", "Filen verkar inte vara en textfil (CSV). Kontrollera att rätt fil valdes."),
        (b"\xff\xfe" + "a;b\n".encode("utf-16-le") + b"\x00\xd8", "trasig.csv", "Filen kunde inte läsas: ogiltig UTF-16-text."),
        (b"PK\x03\x04 inte en zip", "trasig.xlsx", "Excel-filen kunde inte läsas. Den kan vara skadad eller inte vara en riktig .xlsx-fil."),
    ],
)  # fmt: skip
def test_each_unreadable_file_gets_its_message(data, filename, message) -> None:
    with pytest.raises(SpreadsheetError) as exc:
        read_table(data, filename)
    assert str(exc.value) == message


def test_a_csv_parse_error_names_its_line(monkeypatch) -> None:
    import csv

    from app.core import spreadsheet

    real_reader = csv.reader

    class Strict:
        """csv.reader that fails on the third record, as the csv module does for a bad row."""

        def __init__(self, text, **kwargs):
            self._rows = real_reader(text, **kwargs)
            self.line_num = 0

        def __iter__(self):
            return self

        def __next__(self):
            row = next(self._rows)
            self.line_num += 1
            if self.line_num == 3:
                raise csv.Error("field larger than field limit")
            return row

    monkeypatch.setattr(spreadsheet.csv, "reader", Strict)
    with pytest.raises(SpreadsheetError) as exc:
        read_table(b"a;b\n1;2\n3;4\n", "f.csv")
    assert str(exc.value) == "Filen kunde inte tolkas som CSV (rad 3)."


def test_extensions_are_read_case_and_space_insensitively() -> None:
    assert read_table(b"a;b\n1;2\n", " Lista.CSV ").rows == [["1", "2"]]
    assert read_table(b"a\tb\n1\t2\n", "lista.txt").rows == [["1", "2"]]
    with pytest.raises(SpreadsheetError, match="Filtypen"):
        read_table(b"a;b\n", "")


def test_a_bom_left_in_the_first_header_cell_is_dropped() -> None:
    table = read_table("\ufeff\ufeffNamn;Ort\nA;B\n".encode(), "f.csv")
    assert table.headers == ["Namn", "Ort"]


def test_too_many_columns_message_names_the_row() -> None:
    from app.core.spreadsheet import MAX_COLUMNS

    wide = ";".join(["x"] * (MAX_COLUMNS + 1)).encode()
    with pytest.raises(SpreadsheetError) as exc:
        read_table(wide + b"\n", "f.csv")
    assert str(exc.value) == f"Rad 1 har fler än {MAX_COLUMNS} kolumner. Kontrollera att rätt fil valdes."


def test_too_many_rows_says_the_limit() -> None:
    with pytest.raises(TooManyRows) as exc:
        read_table(b"a\n1\n2\n", "f.csv", max_rows=1)
    assert str(exc.value) == "Filen har fler än 1 rader. Dela upp den i flera filer."
    assert read_table(b"a\n1\n", "f.csv", max_rows=1).rows == [["1"]]


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("a,b;c,d", ","),
        ("a;b,c;d", ";"),
        ("a\tb\tc;d", "\t"),
        ('"a;b;c",d', ","),  # delimiters inside quotes do not count
        ("\r\n\r\na,b", ","),  # leading blank lines are skipped
        ("a b c", ";"),  # spaces are no delimiter
        ("a;b\nc,d,e,f", ";"),  # only the header line counts
        ("", ";"),
    ],
)
def test_the_delimiter_comes_from_the_header_line(header, delimiter) -> None:
    from app.core.spreadsheet import _sniff_delimiter

    assert _sniff_delimiter(header) == delimiter


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "ja"),
        (False, "nej"),
        (datetime.datetime(2024, 1, 2), "2024-01-02"),
        (datetime.datetime(2024, 1, 2, 10, 30), "2024-01-02 10:30"),
        (datetime.datetime(2024, 1, 2, 10, 30, 15), "2024-01-02 10:30:15"),
        (datetime.date(2024, 1, 2), "2024-01-02"),
        (datetime.time(8, 5), "08:05:00"),
        (5560360793.0, "5560360793"),
        (12.5, "12.5"),
        (7, "7"),
        ("Åsa", "Åsa"),
    ],
)
def test_xlsx_cells_read_as_a_swedish_user_typed_them(value, text) -> None:
    from app.core.spreadsheet import _xlsx_cell_text

    assert _xlsx_cell_text(value) == text


def test_neutralised_values_of_each_type() -> None:
    import decimal

    assert neutralise_cell(datetime.datetime(2024, 1, 2, 10, 30)) == "2024-01-02 10:30:00"
    assert neutralise_cell(datetime.date(2024, 1, 2)) == "2024-01-02"
    assert neutralise_cell(datetime.time(8, 5)) == "08:05:00"
    assert neutralise_cell(decimal.Decimal("1.50")) == decimal.Decimal("1.50")
    assert neutralise_cell(-3) == -3
    assert (neutralise_cell(None), neutralise_cell(True), neutralise_cell(False)) == ("", "ja", "nej")
    assert (
        write_csv(["a", "b"], [[decimal.Decimal("1.50"), 2.25]]).decode("utf-8-sig") == "a;b\r\n1,50;2,25\r\n"
    )


def test_an_xlsx_without_sheets_or_too_big_inside_is_refused(monkeypatch) -> None:
    from app.core import spreadsheet

    data = _bomb_xlsx(10)
    monkeypatch.setattr(spreadsheet, "MAX_XLSX_UNCOMPRESSED_BYTES", 100)
    with pytest.raises(SpreadsheetError) as exc:
        read_table(data, "stor.xlsx")
    assert str(exc.value) == "Excel-filen är för stor för att läsas in."


def test_a_wide_xlsx_row_is_refused_but_empty_cells_beyond_the_limit_are_not() -> None:
    from app.core.spreadsheet import MAX_COLUMNS

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Namn"])
    sheet.append(["Åsa AB"])
    sheet.cell(row=3, column=MAX_COLUMNS + 2, value="för långt ut")
    out = io.BytesIO()
    workbook.save(out)
    # Rows 1 and 2 are padded with empty cells up to the widest row: that is no refusal.
    with pytest.raises(SpreadsheetError) as exc:
        read_table(out.getvalue(), "bred.xlsx")
    assert str(exc.value) == f"Rad 3 har fler än {MAX_COLUMNS} kolumner. Kontrollera att rätt fil valdes."
    sheet.delete_rows(3)
    out = io.BytesIO()
    workbook.save(out)
    assert read_table(out.getvalue(), "smal.xlsx").rows == [["Åsa AB"]]


def test_the_uncompressed_size_limit_is_inclusive(monkeypatch) -> None:
    from app.core import spreadsheet

    data = _bomb_xlsx(10)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        size = sum(info.file_size for info in archive.infolist())
    monkeypatch.setattr(spreadsheet, "MAX_XLSX_UNCOMPRESSED_BYTES", size)
    assert len(read_table(data, "precis.xlsx").rows) == 9
    monkeypatch.setattr(spreadsheet, "MAX_XLSX_UNCOMPRESSED_BYTES", size - 1)
    with pytest.raises(SpreadsheetError, match="för stor"):
        read_table(data, "precis.xlsx")


def test_too_many_rows_carries_its_limit() -> None:
    with pytest.raises(TooManyRows) as exc:
        read_table(b"a\n1\n2\n3\n", "f.csv", max_rows=2)
    assert exc.value.max_rows == 2


def _rewritten(xlsx: bytes, part: str, change) -> bytes:
    """`xlsx` with one of its zip parts changed by `change(bytes) -> bytes`."""
    source, out = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            archive.writestr(info, change(data) if info.filename == part else data)
    return out.getvalue()


def test_a_workbook_of_no_sheets_and_a_sheet_broken_halfway_get_their_messages() -> None:
    import re

    no_sheets = _rewritten(
        _xlsx([["Namn"], ["Åsa AB"]]), "xl/workbook.xml", lambda d: re.sub(rb"<sheet [^>]*/>", b"", d)
    )
    with pytest.raises(SpreadsheetError) as exc:
        read_table(no_sheets, "x.xlsx")
    assert str(exc.value) == "Excel-filen innehåller inget kalkylblad."
    # The sheet's XML breaks after its rows begin: openpyxl fails while the rows are read.
    broken = _rewritten(
        _xlsx([["Namn"], ["Åsa AB"]]),
        "xl/worksheets/sheet1.xml",
        lambda d: d.replace(b"</sheetData>", b"<row r='9'><c"),
    )
    with pytest.raises(SpreadsheetError) as exc:
        read_table(broken, "x.xlsx")
    assert (
        str(exc.value)
        == "Excel-filen kunde inte läsas. Den kan vara skadad eller inte vara en riktig .xlsx-fil."
    )


def test_a_nul_byte_in_a_utf8_csv_is_refused_as_not_text() -> None:
    with pytest.raises(SpreadsheetError) as exc:
        read_table("Namn;Ort\r\nÅsa\x00AB;Borlänge\r\n".encode(), "x.csv")
    assert str(exc.value) == "Filen verkar inte vara en textfil (CSV). Kontrollera att rätt fil valdes."


def test_a_line_of_spaces_before_the_header_does_not_hide_its_delimiter() -> None:
    table = read_table(b"   \r\nNamn,Ort\r\nBergs Bygg AB,Borl\xc3\xa4nge\r\n", "x.csv")
    assert (table.headers, table.rows) == (["Namn", "Ort"], [["Bergs Bygg AB", "Borlänge"]])


def test_only_the_bom_is_taken_off_the_first_header() -> None:
    table = read_table("\ufeffXML-id;Namn\r\nX1;Åsa AB\r\n".encode(), "x.csv")
    assert table.headers == ["XML-id", "Namn"]


def test_an_xlsx_is_read_row_by_row_and_reading_stops_at_the_row_limit() -> None:
    # The sheet's XML breaks after its fifth data row. Read row by row (openpyxl's read-only
    # mode), the limit of two rows is reached before the break: the file is refused as too long.
    # A reader that parses the whole sheet first would fail on the break instead.
    rows = [["Namn"]] + [[f"Företag {i} AB"] for i in range(5)]
    data = _rewritten(
        _xlsx(rows), "xl/worksheets/sheet1.xml", lambda d: d.replace(b"</sheetData>", b"<row r='9'><c")
    )
    with pytest.raises(TooManyRows) as exc:
        read_table(data, "lang.xlsx", max_rows=2)
    assert str(exc.value) == "Filen har fler än 2 rader. Dela upp den i flera filer."


def test_bytes_that_are_neither_utf8_nor_windows_1252_get_advice() -> None:
    # 0x81 is undefined in Windows-1252 and invalid as UTF-8.
    with pytest.raises(SpreadsheetError) as exc:
        read_table(b"Namn;Ort\r\nA\x81B;Borl\xe4nge\r\n", "x.csv")
    assert (
        str(exc.value) == 'Filens teckenkodning känns inte igen. Spara den som "CSV UTF-8" och försök igen.'
    )
