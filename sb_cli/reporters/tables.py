"""Reporters for rows (reports, `sb list`): table, json, csv and markdown from one column list."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sb_cli.reporters.escape import csv_cell, visible

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
    "förlängning": "cyan",
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


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    heading: str
    styled: bool = False  # coloured by value in the table format
    wide: bool = False  # long text: wrapped in the table format (json, csv and markdown keep it whole)


def cell(value: Any, keep: str = "\n") -> str:
    """A value as a table shows it, controls written out (a line break may stay, see `keep`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list):
        return ", ".join(cell(v, keep) for v in value)
    return visible(STATE_NAMES.get(value, value) if isinstance(value, str) else str(value), keep=keep)


def as_json(rows: Sequence[Row], columns: Sequence[Column], title: str) -> str:
    return json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"


def as_csv(rows: Sequence[Row], columns: Sequence[Column], title: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.heading for c in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(c.key), cell(row.get(c.key), keep="\n\r")) for c in columns])
    return out.getvalue()


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


def print_table(rows: Sequence[Row], columns: Sequence[Column], title: str) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    # Text objects throughout: what documents say is never read as rich markup.
    console = Console()
    if not rows:
        console.print(Text.assemble((title, "bold"), ": inget att rapportera."))
        return
    table = Table(title=escape(title), title_justify="left", header_style="bold")
    for column in columns:
        if column.wide:
            table.add_column(column.heading, min_width=12)
        else:  # short values (ids, dates, states) stay on one line
            longest = max(len(cell(row.get(column.key))) for row in rows)
            table.add_column(column.heading, no_wrap=True, min_width=min(longest, 24))
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column.key)
            text = Text(cell(value))
            if column.styled and isinstance(value, str) and value in STATE_STYLES:
                text.stylize(STATE_STYLES[value])  # the text only, not the cell's padding
            cells.append(text)
        table.add_row(*cells)
    console.print(table)


WRITERS = {"json": as_json, "csv": as_csv, "markdown": as_markdown}
