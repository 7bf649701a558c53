"""Options and helpers shared by the commands."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from sb_cli.errors import ExitCode

if TYPE_CHECKING:
    from sb_cli.core.model import Finding
    from sb_cli.corpus import Loaded
    from sb_cli.io.repo import Settings
    from sb_cli.reporters.tables import Column

AsOf = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATUM", help="Räkna som om det vore detta datum (ÅÅÅÅ-MM-DD). Standard: i dag."),
]
Root = Annotated[
    Path | None,
    typer.Option(
        "--root",
        metavar="MAPP",
        help="Repositoriets rot. Standard: närmaste mapp uppåt med sb.toml eller documents/organisation.yaml.",
    ),
]


class RowFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


Format = Annotated[RowFormat, typer.Option("--format", "-f", help="Utdataformat.")]

EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2999, 12, 31)  # dates sb computes with


def parse_as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.datetime.now(tz=dt.UTC).astimezone().date()
    return parse_day(value, "--as-of")


def parse_day(value: str, option: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' är inget datum (ÅÅÅÅ-MM-DD)", param_hint=option) from None
    if not EARLIEST <= day <= LATEST:
        raise typer.BadParameter(f"{value} ligger utanför åren {EARLIEST.year}–{LATEST.year}", param_hint=option)
    return day


def open_corpus(root: Path | None) -> tuple[Settings, Loaded]:
    """The repository's settings and every document in it; files left out are named on stderr."""
    from sb_cli.corpus import load_corpus
    from sb_cli.io.repo import load_settings

    settings = load_settings(root, Path.cwd())
    loaded = load_corpus(settings)
    note_problems(loaded.problems)
    return settings, loaded


def note_problems(problems: Sequence[Finding]) -> None:
    """One line per file that is left out (or, for organisation.yaml, read in part)."""
    from sb_cli.core.model import ordered
    from sb_cli.reporters.escape import line
    from sb_cli.reporters.findings import location, readable

    first: dict[str, Finding] = {}
    for finding in ordered(list(problems)):
        first.setdefault(finding.path, finding)
    for path, found in sorted(first.items()):
        finding = readable(found)
        what = "läses bara delvis" if path.endswith("/organisation.yaml") else "är inte med"
        typer.echo(
            line(
                f"sb: {finding.path} {what}: {location(finding)}: {finding.code} {finding.message} "
                "(kör sb validate för alla fel)"
            ),
            err=True,
        )


def refuse(findings: Sequence[Finding], message: str) -> NoReturn:
    """Print the findings that stop a command, say why on stderr, and exit 1."""
    from sb_cli.reporters.findings import finding_lines

    typer.echo("".join(line + "\n" for f in findings for line in finding_lines(f)), nl=False)
    typer.echo(f"sb: {message}", err=True)
    raise typer.Exit(ExitCode.FINDINGS)


def emit(rows: list[dict[str, Any]], columns: list[Column], title: str, output: RowFormat) -> None:
    from sb_cli.reporters.tables import WRITERS, print_table

    if output is RowFormat.table:
        print_table(rows, columns, title)
    else:
        sys.stdout.write(WRITERS[output.value](rows, columns, title))
