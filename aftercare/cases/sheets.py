"""Reading a spreadsheet (.xlsx or .csv) into rows of text, within the import's limits.

A file is refused as a whole, with a message the user can act on, when it is not a
spreadsheet, is too large, unpacks to too much, or has too many rows. Line numbers are the
row numbers the user's spreadsheet program shows.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from aftercare.core.errors import DomainError

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
# Rows read at all, empty ones included (a template comes with a thousand numbered empty rows).
MAX_LINES = 4 * MAX_ROWS
# A 5 MB .xlsx is a zip that could unpack to gigabytes; real ones of 5,000 rows unpack to a few MB.
# The sizes are the zip's own record of each part, checked before anything is unpacked. openpyxl
# holds the shared strings (every distinct text of the workbook) in memory even in read-only
# mode: they get a tighter limit, which keeps a worker's memory within bounds.
MAX_UNZIPPED_BYTES = 40 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 8 * 1024 * 1024
MAX_CELL_CHARS = 32_767  # Excel's own limit: a longer cell was not written by a spreadsheet program
MAX_COLUMNS = 100
KINDS = ("xlsx", "csv")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and password-protected .xlsx
# What openpyxl raises for a file that is not a workbook or is a damaged one.
UNREADABLE_WORKBOOK = (
    InvalidFileException,
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    TypeError,
    ParseError,
    OSError,
)


class ImportRefused(DomainError):
    """The file as a whole cannot be imported: not a spreadsheet, too large, too many rows."""


def kind_of(filename: str) -> str:
    kind = Path(filename).suffix.lower().lstrip(".")
    if kind not in KINDS:
        raise ImportRefused(_("The file must be a spreadsheet saved as .xlsx or as .csv."))
    return kind


def _xlsx_rows(content: bytes, worksheet: str | None = None) -> Iterator[tuple[int, tuple]]:
    if content.startswith(OLE_MAGIC):
        raise ImportRefused(
            _(
                "This is an old Excel (.xls) or a password-protected workbook. "
                "Save it as .xlsx without a password, or as CSV UTF-8."
            )
        )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
        unzipped = sum(info.file_size for info in parts)
        shared = sum(
            info.file_size for info in parts if info.filename.lower().endswith("sharedstrings.xml")
        )
        if unzipped > MAX_UNZIPPED_BYTES or shared > MAX_SHARED_STRINGS_BYTES:
            raise ImportRefused(
                _(
                    "This workbook unpacks to far more than its cases "
                    "need. Save the cases alone in a new workbook."
                )
            )
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except UNREADABLE_WORKBOOK as exc:
        raise ImportRefused(
            _("This file is not an Excel workbook (.xlsx), or it is damaged.")
        ) from exc
    try:
        if worksheet is not None and worksheet not in workbook.sheetnames:
            raise ImportRefused(
                _("The workbook has no sheet named “%(name)s”.") % {"name": worksheet}
            )
        sheet = workbook[worksheet] if worksheet is not None else workbook.worksheets[0]
        # In read-only mode rows come from 1 with the gaps filled, so the count is the row number.
        yield from enumerate(
            sheet.iter_rows(max_row=MAX_LINES + 1, max_col=MAX_COLUMNS, values_only=True), start=1
        )
    except UNREADABLE_WORKBOOK as exc:
        raise ImportRefused(
            _("This workbook is damaged: open it in Excel or LibreOffice and save it again.")
        ) from exc
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    if b"\x00" in content or content.startswith(OLE_MAGIC) or content.startswith(b"PK\x03\x04"):
        raise ImportRefused(_("This file is not a CSV spreadsheet."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            _(
                "This file is not a UTF-8 CSV file. In Excel choose “CSV UTF-8”, "
                "in LibreOffice the UTF-8 character set, or upload the .xlsx."
            )
        ) from exc
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        # A record per spreadsheet row, even where a quoted cell holds line breaks.
        yield from enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1
        )
    except csv.Error as exc:
        raise ImportRefused(
            _("This CSV file cannot be read: %(problem)s") % {"problem": exc}
        ) from exc


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number or a year typed into a number cell
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()  # a datetime from a date cell
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


@dataclass
class Sheet:
    header_line: int
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line, cells as text), blank rows left out


def read_sheet(content: bytes, kind: str, worksheet: str | None = None) -> Sheet:
    """The header row (the first row with anything in it) and the rows under it, as text,
    from the first sheet of a workbook or the one named `worksheet`."""
    if len(content) > MAX_BYTES:
        raise ImportRefused(_("The file is larger than 5 MB. Split it into smaller files."))
    if kind not in KINDS:
        raise ImportRefused(_("The file must be a spreadsheet saved as .xlsx or as .csv."))
    header_line, headers, rows = 0, [], []
    for line, cells in _xlsx_rows(content, worksheet) if kind == "xlsx" else _csv_rows(content):
        if line > MAX_LINES:
            raise ImportRefused(
                _(
                    "The sheet has more than %(max)s rows, empty ones "
                    "included. Copy the cases alone into a new sheet."
                )
                % {"max": f"{MAX_LINES:,}"}
            )
        texts = [_text(cell) for cell in cells[:MAX_COLUMNS]]
        if any(len(text) > MAX_CELL_CHARS for text in texts):
            raise ImportRefused(
                _(
                    "A cell on line %(line)s holds more than %(max)s "
                    "characters, more than a spreadsheet cell can."
                )
                % {"line": line, "max": f"{MAX_CELL_CHARS:,}"}
            )
        if not any(texts):
            continue
        if not header_line:
            header_line, headers = line, texts
            continue
        rows.append((line, texts))
        if len(rows) > MAX_ROWS:
            raise ImportRefused(
                _(
                    "The file has more than %(max)s rows of cases. "
                    "Split it into files of at most %(max)s rows."
                )
                % {"max": f"{MAX_ROWS:,}"}
            )
    if not header_line:
        raise ImportRefused(_("The file is empty."))
    return Sheet(header_line, headers, rows)
