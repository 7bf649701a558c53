"""`sb validate`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sb_cli.cli.common import AsOf, Root, choices, counting_bar, parse_as_of
from sb_cli.cli.helptext import examples
from sb_cli.errors import ExitCode
from sb_cli.reporters.formats import FINDING_FORMATS

if TYPE_CHECKING:
    FindingFormat = str
else:
    FindingFormat = choices(FINDING_FORMATS, "FindingFormat")

EPILOG = examples(
    "sb validate",
    "sb validate --as-of 2026-11-22 --format json",
    "sb validate --changed-since origin/main --format github",
    "sb validate --strict documents/styrdokument/",
    note="Slutstatus: 0 inga fel, 1 fel (eller varningar med --strict), 2 användningsfel, 3 internt fel.",
)


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="[SÖKVÄG]...", help="Filer eller mappar att rapportera om. Standard: alla dokument."),
    ] = None,
    as_of: AsOf = None,
    strict: Annotated[bool, typer.Option("--strict", help="Varningar ger också slutstatus 1.")] = False,
    root: Root = None,
    output_format: Annotated[
        FindingFormat, typer.Option("--format", "-f", help=f"Utdataformat: {FINDING_FORMATS.described()}.")
    ] = "text",
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            metavar="REV",
            help="Bara dokument ändrade sedan git-revisionen REV, och de som hänvisar till dem.",
        ),
    ] = None,
) -> None:
    """Kontrollera alla dokument mot schemat och samverkans regler (SB001–SB041)."""
    from sb_cli.io.repo import load_settings
    from sb_cli.validation import validate_repository

    day = parse_as_of(as_of)
    settings = load_settings(root, Path.cwd())
    with counting_bar("Kontrollerar") as update:
        report = validate_repository(
            settings, as_of=day, paths=paths, changed_since=changed_since, strict=strict, progress=update
        )
    chosen = FINDING_FORMATS[output_format]
    output = chosen.write(report)
    if chosen.show is not None:
        chosen.show(output)
    else:
        sys.stdout.write(output)
    raise typer.Exit(ExitCode.FINDINGS if report.failed else ExitCode.OK)
