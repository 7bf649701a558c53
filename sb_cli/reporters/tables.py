"""Reporters for rows (reports, `sb list`): table, json, csv and markdown from one column list.

A table keeps every cell whole. Text columns wrap at word boundaries, and nothing is ever cut: a
word (an id, a date, a reference) never breaks. When the terminal is too narrow for that, each row
is printed as a record of "heading value" lines instead, as psql's expanded display does. Output
that goes to a file or a pipe is as wide as its content, unless COLUMNS says otherwise.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from sb_cli.reporters.escape import csv_cell, visible

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

Row = dict[str, Any]

# Colours for the states of documents, decisions and duties in the table format.
STATE_STYLES = {
    "expired": "red",
    "review_overdue": "red",
    "expiring": "yellow",
    "in_force": "green",
    "draft": "dim",
    "repealed": "dim",
    "öppen": "red",
    "tappad": "red",
    "saknas": "red",
    "protokoll saknas": "yellow",
    "väntar": "yellow",
    "pågår": "yellow",
    "inget datum": "dim",
    "uppföljt": "green",
    "uppfyllt": "green",
    "uppsägning": "yellow",
    "förlängs": "cyan",
    "upphör": "red",
    "upphörde": "red",
}
STATE_NAMES = {
    "draft": "utkast",
    "in_force": "gäller",
    "review_overdue": "revision försenad",
    "expiring": "löper ut",
    "expired": "upphört",
    "repealed": "upphävd",
}
DELIMITERS = (",", ";")  # ";" for Swedish Excel, where the comma is the decimal sign


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    heading: str
    styled: bool = False  # coloured by value in the table format
    wide: bool = False  # long text: wrapped in the table format (json, csv and markdown keep it whole)
    date: bool = False  # ISO dates (ÅÅÅÅ-MM-DD): date cells in a spreadsheet


def cell(value: Any, keep: str = "\n") -> str:
    """A value as a table shows it, controls written out (a line break may stay, see `keep`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list | tuple):
        return ", ".join(cell(v, keep) for v in value)
    return visible(STATE_NAMES.get(value, value) if isinstance(value, str) else str(value), keep=keep)


def as_json(rows: Sequence[Row], columns: Sequence[Column], title: str) -> str:
    return json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"


def as_csv(rows: Sequence[Row], columns: Sequence[Column], title: str, *, delimiter: str = ",") -> str:
    """RFC 4180 with a byte order mark: CRLF line ends, and the BOM tells Excel and LibreOffice that
    the file is UTF-8 (without it Excel on Windows reads "Händelse" as "HÃ¤ndelse")."""
    if delimiter not in DELIMITERS:
        raise ValueError(f"delimiter {delimiter!r}")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([c.heading for c in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(c.key), cell(row.get(c.key), keep="\n\r")) for c in columns])
    return "\ufeff" + out.getvalue()


def as_markdown(rows: Sequence[Row], columns: Sequence[Column], title: str) -> str:
    def escape(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [
        f"## {title}",
        "",
        "| " + " | ".join(c.heading for c in columns) + " |",
        "|" + "|".join(" --- " for _ in columns) + "|",
    ]
    lines += ["| " + " | ".join(escape(cell(row.get(c.key))) for c in columns) + " |" for row in rows]
    if not rows:
        lines.append("")
        lines.append("*Inget att rapportera.*")
    return "\n".join(lines) + "\n"


# --- the table format --------------------------------------------------------------------------------

UNBOUNDED = 1_000_000  # a console this wide never wraps what it prints
WIDE_MINIMUM = 16  # a wrapped text column narrower than this (or its longest word) gives way to records


def output_width(stream: TextIO | None = None) -> int | None:
    """How wide output may be: COLUMNS when it is set, the terminal's width, or None (as wide as the
    content) when the output goes to a file or a pipe."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    stream = stream or sys.stdout
    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return None


def console(width: int | None, file: TextIO | None = None, *, plain: bool = False) -> Console:
    """A rich console `width` wide (None: unbounded), never reading markup into what it prints."""
    from rich.console import Console

    if plain:
        return Console(file=file, width=width or UNBOUNDED, color_system=None, highlight=False, emoji=False)
    return Console(file=file, width=width or UNBOUNDED, highlight=False, emoji=False)


def print_table(rows: Sequence[Row], columns: Sequence[Column], title: str) -> None:
    """The rows on stdout: a table, or records when the terminal is too narrow to keep cells whole."""
    width = output_width()
    render(console(width), rows, columns, title, width)


def table_text(rows: Sequence[Row], columns: Sequence[Column], title: str) -> str:
    """The table as plain text for a file: as wide as its content, no colours, no trailing spaces."""
    out = io.StringIO()
    render(console(None, out, plain=True), rows, columns, title, None)
    return "".join(line.rstrip() + "\n" for line in out.getvalue().splitlines())


def render(out: Console, rows: Sequence[Row], columns: Sequence[Column], title: str, width: int | None) -> None:
    from rich.text import Text

    # Text objects throughout: what documents say is never read as rich markup.
    if not rows:
        out.print(Text.assemble((title, "bold"), ": inget att rapportera."))
        return
    texts = [[cell(row.get(c.key)) for c in columns] for row in rows]
    widths = layout(columns, texts, None if width is None else width - extra_width(len(columns)))
    out.print(Text(title, style="bold"))
    if widths is not None:
        _print_grid(out, rows, columns, texts, widths)
    else:
        assert width is not None  # an unbounded table always fits
        _print_records(out, rows, columns, texts, width)


def extra_width(count: int) -> int:
    """What a table of `count` columns needs besides its cells: a space after each cell and a blank
    divider between columns."""
    return 2 * count - 1


def layout(columns: Sequence[Column], texts: Sequence[Sequence[str]], room: int | None) -> list[int] | None:
    """The width of each column when the cells together may take `room` characters (None: any), or
    None when no table that narrow keeps every word whole.

    Columns give way in this order: long headings wrap; text columns wrap down to WIDE_MINIMUM
    (or their longest word); then short values of several words ("protokoll saknas") wrap. An id,
    a date or a number is one word and never breaks."""
    steps = [_column_steps(column, [row[index] for row in texts]) for index, column in enumerate(columns)]
    natural, heading_floor, wide_floor, word_floor = ([step[k] for step in steps] for k in range(4))
    if room is None or sum(natural) <= room:
        return natural
    widths = natural
    for floor in (heading_floor, wide_floor, word_floor):
        widths = _lower(widths, floor, room)
        if sum(widths) <= room:
            return widths
    return None


def _column_steps(column: Column, values: list[str]) -> tuple[int, int, int, int]:
    """A column's natural width and its floor at each step of giving way: headings wrapped, text
    wrapped, short values wrapped."""
    from rich.cells import cell_len

    def words(text: str) -> list[int]:
        return [cell_len(w) for w in text.split()] or [0]

    longest = max((cell_len(line) for text in values for line in text.split("\n")), default=0)
    word = max([*words(column.heading), *(w for text in values for w in words(text))])
    natural = max(longest, cell_len(column.heading), 1)
    if column.wide:
        wide_floor = max(word, min(natural, WIDE_MINIMUM))
        return natural, natural, wide_floor, wide_floor
    heading_floor = max(longest, *words(column.heading), 1)
    return natural, heading_floor, heading_floor, max(word, 1)


def _lower(widths: list[int], floor: list[int], room: int) -> list[int]:
    """The widest columns narrowed to a common ceiling, none below its floor, until they fit `room`
    (or reach their floors); the ceiling is the highest that fits, and what is left over of `room`
    goes to the columns it narrowed."""

    def capped(ceiling: int) -> list[int]:
        return [max(f, min(w, ceiling)) for w, f in zip(widths, floor, strict=True)]

    low, high = 0, max(widths)
    if sum(capped(low)) > room:
        return capped(low)
    while low < high:  # the highest ceiling that fits
        middle = (low + high + 1) // 2
        if sum(capped(middle)) <= room:
            low = middle
        else:
            high = middle - 1
    result = capped(low)
    spare = room - sum(result)
    for index, width in enumerate(result):
        if spare and width < widths[index] and width == low:
            result[index] += 1
            spare -= 1
    return result


def _styled(value: Any, text: str, column: Column) -> Text:
    from rich.text import Text

    shown = Text(text)
    if column.styled and isinstance(value, str) and value in STATE_STYLES:
        shown.stylize(STATE_STYLES[value])  # the text only, not the cell's padding
    return shown


def _print_grid(
    out: Console, rows: Sequence[Row], columns: Sequence[Column], texts: Sequence[Sequence[str]], widths: list[int]
) -> None:
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table

    wraps = any(
        "\n" in text or cell_len(text) > width for row in texts for text, width in zip(row, widths, strict=True)
    )
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 1, 0, 0),
        header_style="bold",
        show_lines=wraps,  # a blank line between rows when a row takes several lines
    )
    for column, width in zip(columns, widths, strict=True):
        table.add_column(column.heading, width=width, overflow="fold")
    for row, shown in zip(rows, texts, strict=True):
        table.add_row(*(_styled(row.get(c.key), text, c) for c, text in zip(columns, shown, strict=True)))
    out.print(table)


def _print_records(
    out: Console, rows: Sequence[Row], columns: Sequence[Column], texts: Sequence[Sequence[str]], width: int
) -> None:
    """Each row as "heading value" lines, the first value in bold, a blank line between rows."""
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    label = min(max(cell_len(c.heading) for c in columns), max(width // 3, 1))
    for row, shown in zip(rows, texts, strict=True):
        record = Table.grid(padding=(0, 2, 0, 0))
        record.add_column(width=label, overflow="fold", style="bold")
        record.add_column(max_width=max(width - label - 2, 1), overflow="fold")
        for index, (column, text) in enumerate(zip(columns, shown, strict=True)):
            if text:
                value = _styled(row.get(column.key), text, column)
                if index == 0:
                    value.stylize("bold")
                record.add_row(Text(column.heading), value)
        out.print()
        out.print(record)
