"""`sb list`, `sb show` and `sb calendar`."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from sb_cli.cli.common import AsOf, Format, Root, RowFormat, emit, open_corpus, parse_as_of, refuse
from sb_cli.errors import UsageError

LIST_EPILOG = (
    "Exempel:\n\n  sb list\n\n  sb list --type overenskommelse --party karlskrona\n\n"
    "  sb list --status review_overdue --format json"
)


def list_documents(
    doc_type: Annotated[
        str | None, typer.Option("--type", metavar="TYP", help="Dokumenttyp, t.ex. rutin eller protocol.")
    ] = None,
    owner: Annotated[str | None, typer.Option("--owner", metavar="ID", help="Ägare (forum eller part).")] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="utkast, remiss, beslutad, upphavd eller ett läge som in_force, expiring, review_overdue.",
        ),
    ] = None,
    party: Annotated[str | None, typer.Option("--party", metavar="ID", help="Part som dokumentet binder.")] = None,
    as_of: AsOf = None,
    root: Root = None,
    output: Format = RowFormat.table,
) -> None:
    """Lista dokumenten med deras läge."""
    from sb_cli.core.catalog import listing
    from sb_cli.core.model import canonical_type

    day = parse_as_of(as_of)
    chosen_type = None
    if doc_type is not None:
        chosen_type = canonical_type(doc_type)
        if chosen_type is None:
            raise UsageError(f"okänd dokumenttyp '{doc_type}'")
    settings, loaded = open_corpus(root)
    rows = listing(
        loaded.corpus, day, settings.notice_window_days, doc_type=chosen_type, owner=owner, status_=status, party=party
    )
    from sb_cli.reporters.tables import Column

    emit(
        rows,
        [
            Column("id", "Id"),
            Column("type", "Typ"),
            Column("title", "Titel", False, True),
            Column("owner", "Ägare"),
            Column("version", "Version"),
            Column("date", "Datum"),
            Column("state", "Läge", True),
        ],
        f"Dokument (per {day})",
        output,
    )


SHOW_EPILOG = "Exempel:\n\n  sb show LSVO-2023-06-16\n\n  sb show overenskommelse-malgrupper-2023 --format json"


def show(
    document_id: Annotated[str, typer.Argument(metavar="ID", help="Dokumentets id, eller sökvägen till filen.")],
    as_of: AsOf = None,
    root: Root = None,
    output: Annotated[RowFormat, typer.Option("--format", "-f", help="table (kort) eller json.")] = RowFormat.table,
) -> None:
    """Visa ett dokuments kort: läge, datum, hänvisningar och git-historik."""
    from sb_cli.core.catalog import card
    from sb_cli.io import git as gitio

    day = parse_as_of(as_of)
    settings, loaded = open_corpus(root)
    corpus = loaded.corpus
    document = corpus.by_id.get(document_id)
    if document is None and Path(document_id).exists():
        rel = settings.relpath(Path(document_id))
        document = next((d for d in corpus.documents if d.path == rel), None)
        if document is None and rel in corpus.left_out:
            refuse([p for p in loaded.problems if p.path == rel], f"{rel} kan inte visas: rätta felen först")
    if document is None:
        left_out = [p for p in loaded.problems if p.document == document_id]
        if left_out:
            refuse(left_out, f"{document_id} kan inte visas: rätta felen först")
        raise UsageError(f"inget dokument med id '{document_id}'", hint="sb list visar alla id")
    result = card(corpus, document, day, settings.notice_window_days)
    git = gitio.open_repository(settings.root)
    result["history"] = gitio.file_log(git, document.path) if isinstance(git, gitio.Git) else None
    if output is RowFormat.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    _print_card(result)


LABELS = {
    "type": "Typ",
    "owner": "Ägare",
    "contact": "Ansvarig",
    "status": "Status",
    "version": "Version",
    "parties": "Parter",
    "decided": "Beslutad",
    "valid_from": "Giltig från",
    "valid_until": "Avtalstid till",
    "review_by": "Revideras senast",
    "term": "Villkor",
    "terminated": "Uppsagd",
    "adopted": "Antagen",
    "supersedes": "Ersätter",
    "superseded_by": "Ersatt av",
    "follow_up": "Uppföljning",
    "followed_up": "Uppföljd",
    "diarienummer": "Diarienummer",
    "target_groups": "Målgrupper",
    "tags": "Taggar",
    "forum": "Forum",
    "meeting": "Möte",
    "numbering": "Numrering",
    "chair": "Ordförande",
    "secretary": "Sekreterare",
    "adjusters": "Justerare",
    "adjusted": "Justerat",
    "distribution": "Sändlista",
    "date": "Datum",
    "author": "Författare",
    "sent": "Skickad",
    "year": "År",
}


def _value(value: Any) -> str:
    """Nested header values as "by LSVO, date 2021-03-05"; unknown values as "okänt"."""
    if value is None:
        return "okänt"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_value(v) for v in value)
    from sb_cli.reporters.tables import cell

    return cell(value)


def _print_card(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from sb_cli.reporters.escape import visible
    from sb_cli.reporters.tables import STATE_STYLES, cell

    # Text objects throughout: what documents and commits say is never read as rich markup.
    console = Console(highlight=False)
    header = result["header"]
    console.print(Text(visible(str(header.get("title"))), style="bold"))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    state = result["state"]
    lines: list[tuple[str, str]] = [("Id", result["id"]), ("Fil", result["path"])]
    states = {"Läge": STATE_STYLES.get(state, "")}
    lines.append(("Läge", cell(state)))
    lines += [(LABELS.get(key, key), _value(value)) for key, value in header.items() if key not in ("id", "title")]
    lines += [
        ("Gäller till", cell(result["effective_end"])),
        ("Säg upp senast", cell(result["next_notice_deadline"])),
        ("Punkter", cell(result["items"])),
        ("Hänvisar till", cell(result["references_out"])),
        ("Hänvisas från", cell(result["references_in"])),
    ]
    for key, value in lines:
        if value not in ("", None):
            facts.add_row(Text(key), Text(value, style=states.get(key, "")))
    console.print(facts)
    history = result["history"]
    if history is None:
        console.print(Text("Ingen git-historik (inte ett git-repositorium).", style="dim"))
        return
    table = Table(title="Historik", title_justify="left", header_style="bold")
    for heading in ("Commit", "Datum", "Författare", "Version", "Status", "Meddelande"):
        table.add_column(heading)
    for entry in history:
        texts = (
            entry["commit"],
            entry["date"],
            entry["author"],
            cell(entry["version"]),
            cell(entry["status"]),
            entry["message"],
        )
        table.add_row(*(Text(visible(str(t))) for t in texts))
    console.print(table)


CALENDAR_EPILOG = (
    "Exempel:\n\n  sb calendar --out samverkan.ics\n\n  sb calendar --out 2027.ics --year 2027\n\n"
    "Varje händelse har ett fast UID: importera filen igen så uppdateras händelserna."
)


def calendar(
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FIL.ics", help="Kalenderfilen som skrivs.")],
    year: Annotated[
        int | None,
        typer.Option(
            "--year", metavar="ÅR", min=1900, max=2999, help="År för årshjulets händelser. Standard: året för --as-of."
        ),
    ] = None,
    as_of: AsOf = None,
    root: Root = None,
) -> None:
    """Skriv uppsägningsfrister, avtalsslut, revisioner, möten och årshjulet till en .ics-fil."""
    from sb_cli.core.calendar import events
    from sb_cli.io.atomic import write_atomic
    from sb_cli.io.ics import to_ics

    day = parse_as_of(as_of)
    _, loaded = open_corpus(root)
    found = events(loaded.corpus, day, year)
    stamp = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    write_atomic(out, to_ics(found, stamp))
    typer.echo(f"{len(found)} händelser skrivna till {out}", err=True)
