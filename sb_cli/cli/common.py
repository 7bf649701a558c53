"""Options and helpers shared by the commands."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, cast

import typer

from sb_cli.errors import ExitCode, UsageError
from sb_cli.io.formats import Formats, OutputFormat
from sb_cli.reporters.formats import ROW_FORMATS, RowOptions, RowShow, RowWriter

if TYPE_CHECKING:
    from sb_cli.core.model import Finding
    from sb_cli.corpus import Loaded, Progress
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
RenderOut = Annotated[  # sb render and sb compare: files into ut/ unless told otherwise
    Path | None,
    typer.Option("--out", "-o", metavar="MAPP", help="Mapp för utdata. Standard: ut/ i repositoriets rot."),
]


def choices(formats: Formats[Any, Any], name: str) -> type[StrEnum]:
    """A --format option's choices: the family's names, as the shell completes them and the help shows them."""
    return cast("type[StrEnum]", StrEnum(name, [(format_name, format_name) for format_name in formats]))


if TYPE_CHECKING:
    RowFormat = str
else:
    RowFormat = choices(ROW_FORMATS, "RowFormat")


class Delimiter(StrEnum):
    comma = ","
    semicolon = ";"


Format = Annotated[
    RowFormat | None,
    typer.Option(
        "--format",
        "-f",
        help=f"Utdataformat: {ROW_FORMATS.described()}. Standard: table, eller med --out filändelsens format.",
    ),
]
Delimiting = Annotated[
    Delimiter | None,
    typer.Option(
        "--delimiter",
        metavar="TECKEN",
        help="Fältavgränsaren i CSV: , (standard) eller ; (som svensk Excel väntar sig).",
    ),
]
Out = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        metavar="FIL",
        help="Skriv till filen i stället för till standard ut. Formatet följer filändelsen "
        f"({ROW_FORMATS.suffix_list()}) om inte --format anges.",
    ),
]

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
    with counting_bar("Läser in") as update:
        loaded = load_corpus(settings, update)
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


def emit(
    rows: list[dict[str, Any]],
    columns: list[Column],
    title: str,
    output: str | None,
    *,
    delimiter: Delimiter | None = None,
    out: Path | None = None,
) -> None:
    """The rows in the chosen format, on stdout or (atomically) in the file `out`."""
    chosen = format_for(output, out)
    if delimiter is not None and chosen.name != "csv":
        raise UsageError("--delimiter gäller bara --format csv")
    if out is None and chosen.show is not None:
        chosen.show(rows, columns, title)
        return
    if out is None and chosen.binary and _is_terminal(sys.stdout):
        raise UsageError(
            f"{chosen.name} är ett binärt format och skrivs inte till terminalen",
            hint=f"ange --out FIL{chosen.suffix}, eller skicka utdata till en fil: > fil{chosen.suffix}",
        )
    data = chosen.write(rows, columns, title, RowOptions(delimiter=(delimiter or Delimiter.comma).value))
    if out is None:
        _to_stdout(data)
        return
    from sb_cli.core.words import count
    from sb_cli.io.atomic import write_atomic

    write_atomic(out, data)
    typer.echo(f"{count(len(rows), 'rad', 'rader')} skrivna till {out}", err=True)


def format_for(output: str | None, out: Path | None) -> OutputFormat[RowWriter, RowShow]:
    """The format asked for; without one, the file's suffix decides, and stdout gets a table."""
    if output is not None:
        return ROW_FORMATS[output]
    if out is None:
        return ROW_FORMATS["table"]
    found = ROW_FORMATS.by_suffix(out)
    if found is None:
        raise UsageError(
            f"formatet för {out} framgår inte av filändelsen",
            hint="ange --format, eller en fil som slutar på " + ROW_FORMATS.suffix_list(every=True),
        )
    return found


def _is_terminal(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty())


def _to_stdout(data: bytes) -> None:
    """The bytes as they are: no newline translation (CSV's CRLF stays CRLF on Windows too)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (an embedding program's)
        sys.stdout.write(data.decode("utf-8", "surrogateescape"))
        return
    buffer.write(data)
    buffer.flush()


@contextmanager
def progress_bar(label: str, *, shown: bool = True) -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar on stderr while long work runs, when `shown` and stderr is a terminal; the
    work calls update(name, done, total) after each step."""
    if not (shown and _is_terminal(sys.stderr)):
        yield lambda name, done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, TextColumn("{task.description}"), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=None)
        yield lambda name, done, total: bar.update(task, completed=done, total=total, description=name)


BAR_AFTER_S = 0.5  # work counted in files that ends sooner shows no bar


@contextmanager
def counting_bar(label: str) -> Iterator[Progress]:
    """A progress bar for work counted in files: the work calls update(done, total). It appears
    only once the work has taken BAR_AFTER_S with files still left (a run whose files all come
    from the cache shows none), and it is gone when the block ends."""
    began = time.monotonic()
    with ExitStack() as stack:
        shown: list[Callable[[str, int, int], None]] = []

        def update(done: int, total: int) -> None:
            if not shown:
                if done >= total or time.monotonic() - began < BAR_AFTER_S:
                    return
                shown.append(stack.enter_context(progress_bar(label)))
            shown[0]("", done, total)

        yield update
