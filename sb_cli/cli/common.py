"""Options and helpers shared by the commands."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sb_cli.io.repo import Settings
    from sb_cli.reporters.tables import Column
    from sb_cli.validation import Loaded

AsOf = Annotated[str | None, typer.Option(
    "--as-of", metavar="DATUM", help="Räkna som om det vore detta datum (ÅÅÅÅ-MM-DD). Standard: i dag.")]
Root = Annotated[Path | None, typer.Option(
    "--root", metavar="MAPP",
    help="Repositoriets rot. Standard: närmaste mapp uppåt med sb.toml eller documents/organisation.yaml.")]


class RowFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


Format = Annotated[RowFormat, typer.Option("--format", "-f", help="Utdataformat.")]


def parse_as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.datetime.now(tz=dt.UTC).astimezone().date()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' är inget datum (ÅÅÅÅ-MM-DD)", param_hint="--as-of") from None


def open_corpus(root: Path | None) -> tuple[Settings, Loaded]:
    """The repository's settings and every document in it; files that do not load are reported."""
    from sb_cli.io.repo import load_settings
    from sb_cli.validation import load_corpus

    settings = load_settings(root, Path.cwd())
    loaded = load_corpus(settings)
    if loaded.problems:
        typer.echo(f"sb: {len(loaded.problems)} filer kunde inte läsas och är inte med "
                   "(kör sb validate för detaljer)", err=True)
    return settings, loaded


def emit(rows: list[dict], columns: list[Column], title: str, output: RowFormat) -> None:
    from sb_cli.reporters.tables import WRITERS, print_table

    if output is RowFormat.table:
        print_table(rows, columns, title)
    else:
        sys.stdout.write(WRITERS[output.value](rows, columns, title))
