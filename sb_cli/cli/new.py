"""`sb new` and `sb adjust`: the secretary's workflow from kallelse to justerat protocol."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from sb_cli.cli import completion
from sb_cli.cli.common import AsOf, Root, open_corpus, parse_as_of, parse_day, refuse
from sb_cli.cli.helptext import examples
from sb_cli.errors import Refused, UsageError

NEW_EPILOG = examples(
    "sb new kallelse --forum LSVO --date 2026-12-04",
    "sb new protokoll --from documents/kallelse/LSVO/2026-12-04.yaml",
    'sb new rutin --id rutin-avvikelser --title "Avvikelser" --owner LSVO',
    'sb new agreement --id avtal-fou-2025 --title "FoU-avtal" --owner LSVO',
    note="Skriver aldrig över en befintlig fil utan --force. Skriver ut sökvägen till den nya filen.",
)
ADJUST_EPILOG = examples(
    "sb adjust documents/protokoll/LSVO/2026-12-04.yaml --date 2026-12-09",
    note="Protokollet justeras bara om det validerar utan fel. Därefter vaktar SB040 det.",
)


def new(
    doc_type: Annotated[
        str,
        typer.Argument(
            metavar="TYP", help="kallelse, protokoll eller en styrdokumenttyp (svenska eller engelska namn)."
        ),
    ],
    forum: Annotated[
        str | None,
        typer.Option("--forum", metavar="ID", help="Forum (för kallelse).", autocompletion=completion.forum_ids),
    ] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="DATUM", help="Mötesdatum (för kallelse).")] = None,
    source: Annotated[
        Path | None, typer.Option("--from", metavar="KALLELSE", help="Kallelsen som protokollet utgår från.")
    ] = None,
    ident: Annotated[str | None, typer.Option("--id", metavar="ID", help="Id för ett nytt styrdokument.")] = None,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TITEL", help="Titel för ett nytt styrdokument.")
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner", metavar="ID", help="Dokumentägare (forum eller part).", autocompletion=completion.owner_ids
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Skriv över en befintlig fil.")] = False,
    as_of: AsOf = None,
    root: Root = None,
) -> None:
    """Skapa en ny kallelse, ett protokoll från en kallelse, eller ett styrdokument att fylla i."""
    from sb_cli import drafting
    from sb_cli.core.doctypes import TYPES, canonical_type
    from sb_cli.core.records import Kallelse, Protocol
    from sb_cli.io.yamlwrite import write_new

    kind = canonical_type(doc_type)
    if kind is None:
        raise UsageError(f"okänd dokumenttyp '{doc_type}'")
    entry = TYPES[kind]
    settings, loaded = open_corpus(root)
    documents = settings.root / settings.documents
    try:
        if entry.record is Kallelse:
            chosen = drafting.forum_of(loaded, forum)
            day = _day(date, "--date")
            path, text, late = drafting.kallelse_file(loaded, chosen, day, documents, as_of=parse_as_of(as_of))
            for warning in late:
                typer.echo(f"sb: varning: {warning}", err=True)
        elif entry.record is Protocol:
            if source is None:
                raise UsageError("--from KALLELSE krävs för ett protokoll")
            kallelse = drafting.kallelse_at(loaded, settings.relpath(source))
            path, text = drafting.protocol_file(loaded, kallelse, documents)
        elif entry.header:
            if not ident or not title or not owner:
                raise UsageError("--id, --title och --owner krävs för ett styrdokument")
            as_of_day = parse_as_of(as_of)
            path, text = drafting.styrdokument_file(
                loaded, kind, ident, title, owner, documents, as_of_day, force=force
            )
        else:
            raise UsageError(f"sb new kan inte skapa {kind}", hint="kallelse, protokoll och styrdokumenttyperna går")
    except Refused as stopped:
        refuse(stopped.findings, stopped.message)
    write_new(path, text, force=force)
    typer.echo(str(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path))


def _day(value: str | None, option: str) -> dt.date:
    if value is None:
        raise UsageError(f"{option} DATUM krävs")
    return parse_day(value, option)


def adjust(
    protocol: Annotated[Path, typer.Argument(metavar="PROTOKOLL", help="Protokollet som justeras.")],
    date: Annotated[str, typer.Option("--date", metavar="DATUM", help="Justeringsdatum.")],
    as_of: AsOf = None,
    root: Root = None,
) -> None:
    """Justera ett protokoll: sätt adjusted, men bara om protokollet validerar utan fel."""
    from sb_cli import drafting
    from sb_cli.io.repo import load_settings

    day = _day(date, "--date")
    settings = load_settings(root, Path.cwd())
    if not protocol.exists():
        raise UsageError(f"{protocol} finns inte")
    try:
        drafting.adjust(settings, settings.relpath(protocol), day, parse_as_of(as_of), shown=str(protocol))
    except Refused as stopped:
        refuse(stopped.findings, stopped.message)
    typer.echo(f"{protocol} justerat {day}")
