"""`sb announce`: record the day a justerat protocol of a nämnd was posted on the notice board."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sb_cli.cli.common import AsOf, Root, open_corpus, parse_as_of, parse_day, refuse
from sb_cli.cli.helptext import examples
from sb_cli.errors import Refused

EPILOG = examples(
    "sb announce documents/protokoll/KS/2026-12-04.yaml --date 2026-12-10",
    note="Bara för forum med announce: true i organisation.yaml. Anslaget tas ned tidigast dagen efter "
    "att de tre veckorna för överklagande gått ut; sb publish visar det på anslagstavlan.",
)


def announce(
    protocol: Annotated[Path, typer.Argument(metavar="PROTOKOLL", help="Det justerade protokollet.")],
    date: Annotated[
        str | None,
        typer.Option("--date", metavar="DATUM", help="Dagen då justeringen anslogs (standard: --as-of eller i dag)."),
    ] = None,
    as_of: AsOf = None,
    root: Root = None,
) -> None:
    """Anslå ett justerat protokoll: skriv dagen då justeringen tillkännagavs på anslagstavlan."""
    from sb_cli import announcing

    as_of_day = parse_as_of(as_of)
    day = parse_day(date, "--date") if date is not None else as_of_day
    settings, loaded = open_corpus(root)
    try:
        warning = announcing.announce(settings, loaded, settings.relpath(protocol), day, as_of_day, shown=str(protocol))
    except Refused as stopped:
        refuse(stopped.findings, stopped.message)
    if warning:
        typer.echo(f"sb: varning: {warning}", err=True)
    typer.echo(f"{protocol} anslaget {day}")
