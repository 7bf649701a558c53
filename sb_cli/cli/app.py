"""The `sb` command line. Parses options, calls the library, maps failures to exit codes.

Implementations are imported inside each command so that `sb --help` starts fast.
"""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sb_cli import __version__

app = typer.Typer(
    name="sb",
    help=(
        "Dokumentstyrning för Samverkan Blekinge: validera, rendera och bevaka styrdokument, "
        "kallelser och protokoll.\n\n"
        "Exempel:\n\n"
        "  sb validate                      # kontrollera alla dokument\n\n"
        "  sb validate --format github      # i CI: anteckningar i pull requesten\n\n"
        "  sb validate documents/protokoll  # bara en mapp"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sb {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Visa versionen och avsluta.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Visa hela felspårningen vid internt fel.")] = False,
) -> None:
    _state["debug"] = debug


def parse_as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.datetime.now(tz=dt.UTC).astimezone().date()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' är inget datum (ÅÅÅÅ-MM-DD)") from None


AsOf = Annotated[str | None, typer.Option("--as-of", metavar="DATUM",
                                          help="Räkna som om det vore detta datum (ÅÅÅÅ-MM-DD). Standard: i dag.")]
Root = Annotated[Path | None, typer.Option("--root", metavar="MAPP",
                                           help="Repositoriets rot. Standard: närmaste mapp uppåt med sb.toml eller documents/organisation.yaml.")]


class FindingFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    junit = "junit"
    sarif = "sarif"


@app.command(
    epilog=(
        "Exempel:\n\n"
        "  sb validate\n\n"
        "  sb validate --as-of 2026-11-22 --format json\n\n"
        "  sb validate --changed-since origin/main --format github\n\n"
        "  sb validate --strict documents/styrdokument/\n\n"
        "Slutstatus: 0 inga fel, 1 fel (eller varningar med --strict), 2 användningsfel."
    ),
)
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(metavar="[SÖKVÄG]...",
                                                      help="Filer eller mappar att rapportera om. Standard: alla dokument.")] = None,
    as_of: AsOf = None,
    strict: Annotated[bool, typer.Option("--strict", help="Varningar ger också slutstatus 1.")] = False,
    root: Root = None,
    output_format: Annotated[FindingFormat, typer.Option("--format", "-f", help="Utdataformat.")] = FindingFormat.text,
    changed_since: Annotated[str | None, typer.Option("--changed-since", metavar="REV",
                                                      help="Bara dokument ändrade sedan git-revisionen REV, och de som hänvisar till dem.")] = None,
) -> None:
    """Kontrollera alla dokument mot schemat och samverkans regler (SB001–SB040)."""
    from sb_cli.core.model import Severity
    from sb_cli.io.repo import load_settings
    from sb_cli.reporters.findings import REPORTERS
    from sb_cli.validation import validate_repository

    day = parse_as_of(as_of)
    settings = load_settings(root, Path.cwd())
    report = validate_repository(settings, as_of=day, paths=paths, changed_since=changed_since)
    output = REPORTERS[output_format.value](report)
    if output_format is FindingFormat.text and sys.stdout.isatty():
        _print_coloured(output)
    else:
        sys.stdout.write(output)
    failed = report.count(Severity.ERROR) > 0 or (strict and report.count(Severity.WARNING) > 0)
    raise typer.Exit(1 if failed else 0)


def _print_coloured(output: str) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    styles = {" fel: ": "red", " varning: ": "yellow", " info: ": "cyan", "    tips: ": "dim"}
    for line in output.rstrip("\n").split("\n"):
        style = next((s for marker, s in styles.items() if marker in line), "bold")
        console.print(Text(line, style=style))


def main() -> None:
    """Entry point: one place maps exceptions to exit codes (0, 1, 2; 130 when interrupted)."""
    from sb_cli.errors import SbError

    try:
        app(standalone_mode=False)
    except SbError as exc:
        typer.echo(f"sb: fel: {exc.message}", err=True)
        if exc.hint:
            typer.echo(f"    tips: {exc.hint}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("sb: avbrutet", err=True)
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the one place that turns crashes into exit 2
        _internal_error(exc)
    # typer with standalone_mode=False returns the exit code of typer.Exit
    sys.exit(0)


def _internal_error(exc: BaseException) -> None:
    import tempfile
    import traceback

    import click

    if isinstance(exc, click.exceptions.Exit):
        sys.exit(exc.exit_code)
    if isinstance(exc, click.ClickException):
        exc.show()
        sys.exit(2)
    if isinstance(exc, click.exceptions.Abort):
        typer.echo("sb: avbrutet", err=True)
        sys.exit(130)
    trace = "".join(traceback.format_exception(exc))
    if _state["debug"]:
        typer.echo(trace, err=True)
    else:
        log = Path(tempfile.gettempdir()) / "sb-fel.log"
        try:
            log.write_text(trace, "utf-8")
            where = f"; detaljer i {log}"
        except OSError:
            where = ""
        typer.echo(f"sb: internt fel: {exc}{where} (kör med --debug för att se dem)", err=True)
    sys.exit(2)
