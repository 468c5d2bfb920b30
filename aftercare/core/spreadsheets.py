"""The one spreadsheet writer of the product: every XLSX Aftercare hands out is made here.

Text beginning with `=`, `+`, `@` or `-` is a formula to Excel and LibreOffice, and openpyxl
stores a string beginning with `=` as a formula cell. Names, ID numbers, goals and organisation
names come from people and partner files, so every text goes into a workbook as a text cell
(`text()`), which no spreadsheet program runs and which reads back exactly as written; `save()`
refuses a workbook that holds a formula cell all the same. A CSV file has no cell types: there
`safe()` puts an apostrophe before such a text, as spreadsheet programs expect.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_STARTS = "=+@\t\r"


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def safe(value):
    """A cell a spreadsheet will not run as a formula (text starting = + @, or - not a number)."""
    if (
        isinstance(value, str)
        and value
        and (value[0] in FORMULA_STARTS or (value[0] == "-" and not _number(value)))
    ):
        return "'" + value
    return value


def new_workbook() -> Workbook:
    """An empty workbook (no default sheet) for a layout with styles, widths and drop-down lists."""
    book = Workbook()
    book.remove(book.active)
    return book


def text(cell) -> None:
    """Make a cell holding a string a text cell, whatever the string begins with."""
    if isinstance(cell.value, str):
        cell.data_type = "s"


def append(sheet, values: Iterable) -> None:
    """A row of values, every string a text cell."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        text(cell)


def put(sheet, row: int, column: int, value):
    """One cell, a string as a text cell."""
    cell = sheet.cell(row=row, column=column, value=value)
    text(cell)
    return cell


def save(book: Workbook) -> bytes:
    """The workbook's bytes; a formula cell anywhere is a bug, refused rather than handed out."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    raise ValueError(
                        f"formula cell {sheet.title}!{cell.coordinate} in an exported workbook"
                    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_only(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    text(cell)
    return cell


def workbook(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """An XLSX with one sheet per (title, header, rows), written row by row (write-only mode)."""
    out = io.BytesIO()
    write_workbook(out, sheets)
    return out.getvalue()


def write_workbook(out, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]]) -> None:
    """The same, zipped straight into `out`, which need not be seekable (a sealed writer,
    aftercare.core.sealed): memory does not grow with the number of rows."""
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        heading = []
        for name in header:
            cell = _write_only(sheet, name)
            cell.font = bold
            heading.append(cell)
        sheet.append(heading)
        for row in rows:
            sheet.append([_write_only(sheet, value) for value in row])
    book.save(out)


def to_csv(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    out = io.BytesIO()
    write_csv(out, header, rows)
    return out.getvalue()


class _Utf8:
    """A text sink for csv.writer that passes UTF-8 to a binary file in blocks."""

    BLOCK = 64 * 1024

    def __init__(self, out):
        self.out, self.parts, self.pending = out, [], 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.pending += len(text)
        if self.pending >= self.BLOCK:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            self.out.write("".join(self.parts).encode("utf-8"))
            self.parts, self.pending = [], 0


def write_csv(out, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    """CSV to a binary file, row by row: memory does not grow with the number of rows."""
    sink = _Utf8(out)
    writer = csv.writer(sink, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe(v) for v in row])
    sink.flush()
