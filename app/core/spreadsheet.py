"""Reading uploaded CSV/XLSX files and writing safe CSV/XLSX exports.

Reading (:func:`read_table`) turns an upload into a :class:`Table` of stripped
strings, whatever Swedish Excel, LibreOffice or a web service produced:

* CSV in UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode-text")
  or Windows-1252 (Excel's plain "CSV" on Swedish Windows);
* delimiter ``;`` (Swedish Excel), ``,`` or tab, sniffed from the header line;
* XLSX via openpyxl (first worksheet, cached values rather than formulas).

Writing (:func:`write_csv`, :func:`iter_csv`, :func:`write_xlsx`) neutralises
every cell against CSV/formula injection as OWASP advises: a text that starts
with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading
apostrophe, so a spreadsheet program shows it as text instead of running it.
The cost is that e.g. a phone number "+46 ..." is exported as "'+46 ...".

Reading streams: an upload is read from its file object row by row (CSV through
a text wrapper, XLSX with openpyxl's read-only mode), never as one string, and
with ``max_rows`` reading stops at the first row beyond the limit – so memory
stays flat and a file that inflates to a million rows costs as much as one that
stops at the limit. Rows wider than :data:`MAX_COLUMNS` are refused.

This module knows nothing about Flask or the database. Callers must limit the
upload size before calling :func:`read_table`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import decimal
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

__all__ = [
    "CSV_DELIMITERS",
    "SpreadsheetError",
    "Table",
    "TooManyRows",
    "iter_csv",
    "neutralise_cell",
    "read_table",
    "write_csv",
    "write_xlsx",
]

CSV_DELIMITERS = (";", ",", "\t")  # in order of preference when counts tie
CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
# An XLSX is a zip file; refuse archives that would inflate to more than this,
# so that a small "zip bomb" upload cannot exhaust memory.
MAX_XLSX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
# No import has more than a few dozen columns; a row of thousands of cells is a broken or
# hostile file, and 20 000 of them would not fit in memory.
MAX_COLUMNS = 200
_ENCODING_PROBE_CHUNK = 1024 * 1024
_SNIFF_CHARS = 64 * 1024

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Control characters that XML 1.0 – and therefore XLSX – cannot contain.
_ILLEGAL_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

Number = int | float | decimal.Decimal


class SpreadsheetError(ValueError):
    """The file cannot be read. ``str(error)`` is a message for the user (in the request's
    language; Swedish without a request)."""


class TooManyRows(SpreadsheetError):
    """The file has more data rows than ``max_rows``; reading stopped there."""

    def __init__(self, max_rows: int) -> None:
        super().__init__(
            _("Filen har fler än %(max_rows)s rader. Dela upp den i flera filer.", max_rows=max_rows)
        )
        self.max_rows = max_rows


@dataclass
class Table:
    """A sheet of text cells.

    ``headers`` are the stripped cells of the first non-blank row. Each entry of
    ``rows`` is one later non-blank row, in file order, with stripped string
    cells; rows shorter than the header are padded with ``""``, empty cells
    beyond the header are dropped, and non-empty extra cells are kept (so a row
    can be longer than ``headers`` – callers may report that). ``row_numbers[i]``
    is the 1-based row number of ``rows[i]`` as a spreadsheet program shows it
    (the header row of an ordinary file is 1), for messages like "Rad 7: …".
    """

    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int] = field(default_factory=list)

    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield ``(row_number, {header: cell})`` per row; extra cells are ignored."""
        for number, row in zip(self.row_numbers, self.rows, strict=True):
            yield number, dict(zip(self.headers, row, strict=False))


# --------------------------------------------------------------------------- reading


def read_table(data: bytes | IO[bytes], filename: str, *, max_rows: int | None = None) -> Table:
    """Parse an uploaded CSV or XLSX file; the extension of ``filename`` decides which.

    ``data`` is the file's bytes or a seekable binary file object (an upload's stream), which
    is read in chunks from the start. With ``max_rows``, :class:`TooManyRows` is raised at the
    first non-blank data row beyond it, before the rest of the file is parsed.

    Raises :class:`SpreadsheetError` with a Swedish message for an unsupported
    extension, an unreadable or corrupt file, or a file without a header row.
    """
    stream: IO[bytes] = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    extension = _extension(filename)
    if extension in CSV_EXTENSIONS:
        row_iter = _csv_rows(stream)
    elif extension in XLSX_EXTENSIONS:
        row_iter = _xlsx_rows(stream)
    elif extension == ".xls":
        raise SpreadsheetError(
            _("Filformatet .xls (Excel 97–2003) stöds inte. Spara filen som .xlsx eller CSV och försök igen.")
        )
    else:
        raise SpreadsheetError(
            _("Filtypen stöds inte. Ladda upp en CSV-fil (.csv) eller en Excel-fil (.xlsx).")
        )
    with contextlib.closing(row_iter):
        return _build_table(row_iter, max_rows)


def _extension(filename: str) -> str:
    name = (filename or "").strip().lower()
    dot = name.rfind(".")
    return name[dot:] if dot >= 0 else ""


def _build_table(numbered_rows: Iterable[tuple[int, list[str]]], max_rows: int | None = None) -> Table:
    headers: list[str] | None = None
    rows: list[list[str]] = []
    row_numbers: list[int] = []
    for number, raw in numbered_rows:
        cells = [cell.strip() for cell in raw]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue  # blank line
        if len(cells) > MAX_COLUMNS:
            raise SpreadsheetError(
                _(
                    "Rad %(number)s har fler än %(max_columns)s kolumner. Kontrollera att rätt fil valdes.",
                    number=number,
                    max_columns=MAX_COLUMNS,
                )
            )
        if headers is None:
            # Excel sometimes leaves a BOM in the first cell of a re-saved file.
            cells[0] = cells[0].lstrip("\ufeff").strip()
            headers = cells
            continue
        if max_rows is not None and len(rows) >= max_rows:
            raise TooManyRows(max_rows)
        if len(cells) < len(headers):
            cells.extend([""] * (len(headers) - len(cells)))
        rows.append(cells)
        row_numbers.append(number)
    if headers is None:
        raise SpreadsheetError(_("Filen är tom. Den första raden ska innehålla kolumnrubriker."))
    return Table(headers=headers, rows=rows, row_numbers=row_numbers)


def _encoding(stream: IO[bytes]) -> str:
    """UTF-16 if the file has that BOM, else UTF-8 (BOM optional) if the whole file decodes as
    UTF-8 – checked chunk by chunk, so memory stays flat – else Windows-1252."""
    stream.seek(0)
    if stream.read(2) in (b"\xff\xfe", b"\xfe\xff"):
        stream.seek(0)
        return "utf-16"
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(_ENCODING_PROBE_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        # Not UTF-8, so most likely Excel's "CSV (semikolonavgränsad)" on Swedish Windows.
        encoding = "cp1252"
    stream.seek(0)
    return encoding


def _sniff_delimiter(text: str) -> str:
    """Pick the delimiter that occurs most often in the header line (outside quotes).

    Only the header is used: data rows may contain commas in free text. On a
    tie (including a one-column file) the order of ``CSV_DELIMITERS`` decides,
    so ``;`` – Swedish Excel's choice – wins.
    """
    counts = dict.fromkeys(CSV_DELIMITERS, 0)
    in_quotes = False
    seen_content = False
    for char in text:
        if char == '"':
            in_quotes = not in_quotes
            seen_content = True
        elif not in_quotes:
            if char in "\r\n":
                if seen_content:
                    break
                continue  # leading blank lines
            if char in counts:
                counts[char] += 1
            if not char.isspace() or char == "\t":
                seen_content = True
    return max(CSV_DELIMITERS, key=lambda d: (counts[d], -CSV_DELIMITERS.index(d)))


_NOT_TEXT = _l("Filen verkar inte vara en textfil (CSV). Kontrollera att rätt fil valdes.")


def _csv_rows(stream: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    encoding = _encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    reader = None
    try:
        delimiter = _sniff_delimiter(text.read(_SNIFF_CHARS))
        text.seek(0)
        reader = csv.reader(text, delimiter=delimiter, strict=False)
        # Number by record rather than physical line: a quoted cell with a line break
        # is still one row in Excel, and that is the number the user will look for.
        for number, row in enumerate(reader, start=1):
            if any("\x00" in cell for cell in row):
                raise SpreadsheetError(str(_NOT_TEXT))
            yield number, row
    except UnicodeDecodeError as exc:
        if encoding == "utf-16":
            raise SpreadsheetError(_("Filen kunde inte läsas: ogiltig UTF-16-text.")) from exc
        raise SpreadsheetError(
            _('Filens teckenkodning känns inte igen. Spara den som "CSV UTF-8" och försök igen.')
        ) from exc
    except csv.Error as exc:
        # (Since Python 3.11 the csv module reads NUL bytes; the check above refuses them.)
        line = reader.line_num if reader is not None else 1
        raise SpreadsheetError(_("Filen kunde inte tolkas som CSV (rad %(line)s).", line=line)) from exc
    finally:
        text.detach()  # the caller's stream stays open


def _xlsx_rows(stream: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    # Imported lazily: openpyxl is slow to import and only needed for XLSX.
    from openpyxl import load_workbook

    corrupt = _("Excel-filen kunde inte läsas. Den kan vara skadad eller inte vara en riktig .xlsx-fil.")
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNCOMPRESSED_BYTES:
                raise SpreadsheetError(_("Excel-filen är för stor för att läsas in."))
        stream.seek(0)
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except SpreadsheetError:
        raise
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, KeyError...)
        raise SpreadsheetError(corrupt) from exc
    try:
        if not workbook.worksheets:
            raise SpreadsheetError(_("Excel-filen innehåller inget kalkylblad."))
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(min_row=1, values_only=True)
        number = 0
        while True:
            # In read-only mode openpyxl yields empty tuples for missing rows from min_row on,
            # so counting gives the sheet's own row numbers. Rows are parsed one at a time:
            # the caller stops reading at its row limit.
            try:
                values = next(rows, None)
            except Exception as exc:
                raise SpreadsheetError(corrupt) from exc
            if values is None:
                break
            number += 1
            if len(values) > MAX_COLUMNS and any(v is not None for v in values[MAX_COLUMNS:]):
                raise SpreadsheetError(
                    _(
                        "Rad %(number)s har fler än %(max_columns)s kolumner. Kontrollera att rätt fil valdes.",
                        number=number,
                        max_columns=MAX_COLUMNS,
                    )
                )
            yield number, [_xlsx_cell_text(value) for value in values[:MAX_COLUMNS]]
    finally:
        workbook.close()


def _xlsx_cell_text(value: Any) -> str:
    """Render a cell value as text the way a Swedish user typed it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float):
        # Excel stores every number as a float; 5560360793 must not become "5560360793.0".
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


# --------------------------------------------------------------------------- writing


def neutralise_cell(value: Any) -> str | Number:
    """Make one cell value safe for CSV/XLSX export.

    Numbers (int, float, Decimal; not bool) pass through unchanged. ``None``
    becomes ``""``, booleans ``"ja"``/``"nej"``, dates ISO text, anything else
    ``str(value)``. A text starting with ``=``, ``+``, ``-``, ``@``, tab or
    carriage return gets a leading apostrophe (OWASP "CSV injection").
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int | float | decimal.Decimal):
        return value
    if isinstance(value, datetime.date | datetime.time):
        text = value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
    else:
        text = str(value)
    if text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


def _csv_text(value: str | Number) -> str:
    if isinstance(value, str):
        return value
    # The file is semicolon-separated for Swedish Excel, which also expects a decimal comma.
    return str(value).replace(".", ",")


def iter_csv(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """Yield the CSV export chunk by chunk (one per row) for streaming responses.

    Format: UTF-8 with BOM (so Excel detects the encoding), ``;`` as delimiter,
    CRLF line ends, minimal quoting, every cell passed through
    :func:`neutralise_cell`.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)

    def line(values: Sequence[Any]) -> bytes:
        writer.writerow([_csv_text(neutralise_cell(value)) for value in values])
        chunk = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return chunk.encode("utf-8")

    yield "\ufeff".encode() + line(headers)
    for row in rows:
        yield line(row)


def write_csv(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """Return the whole CSV export as bytes; see :func:`iter_csv` for the format."""
    return b"".join(iter_csv(headers, rows))


def write_xlsx(headers: Sequence[Any], rows: Iterable[Sequence[Any]], sheet_title: str = "Export") -> bytes:
    """Return an XLSX workbook with one sheet: bold, frozen header row, then ``rows``.

    Every cell goes through :func:`neutralise_cell` and every text cell is
    stored as a string, never as a formula. Control characters that XLSX
    cannot hold are removed. ``rows`` is consumed once, row by row
    (openpyxl's write-only mode), so a generator is fine.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_safe_sheet_title(sheet_title))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value: Any, font: Font | None = None) -> WriteOnlyCell:
        safe = neutralise_cell(value)
        if isinstance(safe, str):
            safe = _ILLEGAL_XML_CHARS.sub("", safe)
        result = WriteOnlyCell(sheet, value=safe)
        if isinstance(safe, str):
            # Belt and braces: openpyxl turns any text starting with "=" into a formula.
            result.data_type = "s"
        if font is not None:
            result.font = font
        return result

    sheet.append([cell(header, bold) for header in headers])
    for row in rows:
        sheet.append([cell(value) for value in row])

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _safe_sheet_title(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of ``[]:*?/\\``, not empty."""
    cleaned = _SHEET_TITLE_FORBIDDEN.sub(" ", title or "").strip().strip("'")[:31].strip()
    return cleaned or "Export"
