"""Rows as an Excel workbook (`--format xlsx`): what a coordinator sorts and filters.

Dates are date cells and numbers are numbers, so they sort and filter as such; the header row is
bold and frozen, with an autofilter, and repeated on every printed page, which is landscape and
one page wide; columns are as wide as their content (up to a limit, beyond
which text wraps). Text from documents is always a text cell: one that starts like a formula
(= + - @) is stored as text with Excel's text prefix, so it is shown as written and never evaluated,
not even after the cell is edited.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from sb_cli.io.reproducible import zip_bytes, zip_entries
from sb_cli.reporters.escape import could_be_formula
from sb_cli.reporters.tables import Column, Row, cell

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "yyyy-mm-dd"  # the Swedish short date (ÅÅÅÅ-MM-DD)
MAX_WIDTH = 60  # a column wider than this wraps its text
MAX_TEXT = 32_767  # the most characters Excel holds in a cell
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def sheet_name(title: str) -> str:
    """The report's title without "(per …)", as Excel allows a sheet name: 31 characters, no []:*?/\\."""
    name = title.split(" (", 1)[0] or title
    name = _SHEET_FORBIDDEN.sub("-", name).strip("'")[:31].strip()
    return name or "Rapport"


def value_of(value: Any, column: Column) -> tuple[Any, str]:
    """The cell's value and its kind: "date", "number" or "text" (None: an empty cell)."""
    if value is None or value == [] or value == ():
        return None, "empty"
    if isinstance(value, bool):
        return ("ja" if value else "nej"), "text"
    if isinstance(value, int | float):
        return value, "number"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value, "date"
    written = _written_date(value) if column.date else None
    if written is not None:
        return written, "date"
    return cell(value)[:MAX_TEXT], "text"


def _written_date(value: Any) -> dt.date | None:
    """The date a text in ISO form names, if it names one."""
    if not (isinstance(value, str) and _ISO_DATE.match(value)):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def as_xlsx(rows: Sequence[Row], columns: Sequence[Column], title: str, *, created: dt.datetime) -> bytes:
    """The workbook's bytes; the same rows, title and `created` give the same bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_name(title)
    when = created.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    book.properties.title = title
    book.properties.creator = "sb"
    book.properties.language = "sv-SE"
    book.properties.created = book.properties.modified = when

    bold = Font(bold=True)
    widths = [len(c.heading) + 3 for c in columns]  # + the filter button
    for index, column in enumerate(columns, start=1):
        heading = sheet.cell(row=1, column=index, value=column.heading)
        heading.data_type = "s"
        heading.font = bold
    top = Alignment(vertical="top")
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            value, kind = value_of(row.get(column.key), column)
            if kind == "empty":
                continue
            target = sheet.cell(row=number, column=index)
            target.value = value
            target.alignment = top
            needed = _CELL_WRITERS[kind](target, value, row.get(column.key))
            widths[index - 1] = max(widths[index - 1], needed)
    _finish(sheet, columns, len(rows), widths, title)
    last = get_column_letter(max(len(columns), 1))
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    return _written(book, when)


def _date_cell(target: Cell | MergedCell, value: Any, raw: Any) -> int:
    target.number_format = DATE_FORMAT
    return len(DATE_FORMAT) + 2


def _number_cell(target: Cell | MergedCell, value: Any, raw: Any) -> int:
    return len(str(value)) + 2


def _text_cell(target: Cell | MergedCell, value: Any, raw: Any) -> int:
    from openpyxl.styles import Alignment

    target.data_type = "s"  # never a formula, whatever it starts with
    if could_be_formula(raw, value):
        target.quotePrefix = True
    longest = max(len(line) for line in value.split("\n"))
    if "\n" in value or longest + 2 > MAX_WIDTH:
        target.alignment = Alignment(vertical="top", wrap_text=True)
    return longest + 2


# Each kind of cell's format, and the width of column it needs.
_CELL_WRITERS: dict[str, Callable[[Cell | MergedCell, Any, Any], int]] = {
    "date": _date_cell,
    "number": _number_cell,
    "text": _text_cell,
}


def _finish(sheet: Worksheet, columns: Sequence[Column], count: int, widths: list[int], title: str) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width, MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"  # the header on every printed page
    if sheet.oddHeader is not None:
        sheet.oddHeader.center.text = title.replace("&", "&&")  # & starts a field code in a page header
    # Printed across: every column on one landscape page wide, as many pages down as the rows need.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    assert sheet.sheet_properties.pageSetUpPr is not None
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _written(book: Any, when: dt.datetime) -> bytes:
    """The workbook saved, with `when` as the time of every part of the zip file (openpyxl would
    stamp the file with the clock, so no two runs would give the same bytes)."""
    from openpyxl.writer.excel import ExcelWriter

    first = io.BytesIO()
    with zipfile.ZipFile(first, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return zip_bytes(zip_entries(first.getvalue()), timestamp=calendar.timegm(when.timetuple()))
