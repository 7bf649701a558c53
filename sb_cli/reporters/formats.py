"""The two families of report formats, one table each: findings (`sb validate`) and rows (`sb report`,
`sb list`). Adding a format is one entry here and its writer.

The CLI reads these tables when it starts, so each writer imports its module only when it runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sb_cli.io.formats import Formats, OutputFormat
from sb_cli.io.reproducible import made_at

if TYPE_CHECKING:
    from sb_cli.reporters.tables import Column
    from sb_cli.validation import Report

# --- findings ----------------------------------------------------------------------------------------

FindingWriter = Callable[["Report"], str]
FindingShow = Callable[[str], None]


def _text(report: Report) -> str:
    from sb_cli.reporters.findings import readable_report, text

    return text(readable_report(report))


def _json(report: Report) -> str:
    from sb_cli.reporters.findings import as_json, readable_report

    return as_json(readable_report(report))


def _github(report: Report) -> str:
    from sb_cli.reporters.findings import github, readable_report

    return github(readable_report(report))


def _junit(report: Report) -> str:
    from sb_cli.reporters.findings import junit, readable_report

    return junit(readable_report(report))


def _sarif(report: Report) -> str:
    """SARIF makes the texts readable itself: its URIs name each file byte for byte."""
    from sb_cli.reporters.findings import sarif

    return sarif(report)


def _show_text(output: str) -> None:
    from sb_cli.reporters.findings import show_text

    show_text(output)


# Each writer takes the report as validation made it.
FINDING_FORMATS: Formats[FindingWriter, FindingShow] = Formats(
    OutputFormat("text", ".txt", "rader att läsa", _text, show=_show_text),
    OutputFormat("json", ".json", "för program", _json),
    OutputFormat("github", ".log", "anteckningar i GitHub Actions", _github),
    OutputFormat("junit", ".xml", "testrapport för GitLab och Jenkins", _junit),
    OutputFormat("sarif", ".sarif", "för GitHub code scanning", _sarif),
)

# --- rows ----------------------------------------------------------------------------------------------

Rows = Sequence[dict[str, Any]]
Columns = Sequence["Column"]


@dataclass(frozen=True, slots=True)
class RowOptions:
    """What some row formats take besides the rows: every writer gets them and uses what it needs."""

    delimiter: str = ","  # CSV's field separator
    made_at: Callable[[], int] = field(default=made_at)  # when a file says it was made (xlsx)


RowWriter = Callable[[Rows, Columns, str, RowOptions], bytes]
RowShow = Callable[[Rows, Columns, str], None]


def _table(rows: Rows, columns: Columns, title: str, options: RowOptions) -> bytes:
    from sb_cli.reporters.tables import table_text

    return table_text(rows, columns, title).encode("utf-8")


def _rows_json(rows: Rows, columns: Columns, title: str, options: RowOptions) -> bytes:
    from sb_cli.reporters.tables import as_json

    return as_json(rows, columns, title).encode("utf-8")


def _csv(rows: Rows, columns: Columns, title: str, options: RowOptions) -> bytes:
    from sb_cli.reporters.tables import as_csv

    return as_csv(rows, columns, title, delimiter=options.delimiter).encode("utf-8")


def _markdown(rows: Rows, columns: Columns, title: str, options: RowOptions) -> bytes:
    from sb_cli.reporters.tables import as_markdown

    return as_markdown(rows, columns, title).encode("utf-8")


def _xlsx(rows: Rows, columns: Columns, title: str, options: RowOptions) -> bytes:
    import datetime as dt

    from sb_cli.reporters.xlsx import as_xlsx

    return as_xlsx(rows, columns, title, created=dt.datetime.fromtimestamp(options.made_at(), tz=dt.UTC))


def _print_table(rows: Rows, columns: Columns, title: str) -> None:
    """On standard out the table fits the terminal (see tables.print_table)."""
    from sb_cli.reporters.tables import print_table

    print_table(rows, columns, title)


ROW_FORMATS: Formats[RowWriter, RowShow] = Formats(
    OutputFormat("table", ".txt", "tabell", _table, show=_print_table),
    OutputFormat("json", ".json", "för program", _rows_json),
    OutputFormat("csv", ".csv", "för kalkylprogram", _csv),
    OutputFormat("markdown", ".md", "Markdown-tabell", _markdown, more_suffixes=(".markdown",)),
    OutputFormat("xlsx", ".xlsx", "Excel-fil", _xlsx, binary=True),
)
