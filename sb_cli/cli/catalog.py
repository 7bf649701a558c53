"""`sb list`, `sb show` and `sb calendar`."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sb_cli.cli import completion
from sb_cli.cli.common import AsOf, Delimiting, Format, Out, Root, emit, open_corpus, parse_as_of, refuse
from sb_cli.cli.helptext import examples
from sb_cli.errors import UsageError

if TYPE_CHECKING:
    from sb_cli.core.model import Document
    from sb_cli.core.records import Record
    from sb_cli.corpus import Loaded
    from sb_cli.io.repo import Settings

LIST_EPILOG = examples(
    "sb list",
    "sb list --type overenskommelse --party karlskrona",
    'sb list --status "löper ut" --out avtal.xlsx',
    "sb list --status review_overdue --format json",
)


def list_documents(
    doc_type: Annotated[
        str | None, typer.Option("--type", metavar="TYP", help="Dokumenttyp, t.ex. rutin eller protocol.")
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option("--owner", metavar="ID", help="Ägare (forum eller part).", autocompletion=completion.owner_ids),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="Läget som tabellen visar det (gäller, utkast, löper ut, upphört, upphävd, revision försenad, "
            "justerat) eller som JSON (in_force, draft, expiring, expired, repealed, review_overdue), "
            "eller status (remiss, beslutad, upphavd).",
        ),
    ] = None,
    party: Annotated[
        str | None,
        typer.Option("--party", metavar="ID", help="Part som dokumentet binder.", autocompletion=completion.party_ids),
    ] = None,
    as_of: AsOf = None,
    root: Root = None,
    output: Format = None,
    delimiter: Delimiting = None,
    out: Out = None,
) -> None:
    """Lista dokumenten med deras läge."""
    from sb_cli.core import catalog as core
    from sb_cli.core.doctypes import aliases, canonical_type, names

    day = parse_as_of(as_of)
    chosen_type = None
    if doc_type is not None:
        chosen_type = canonical_type(doc_type)
        if chosen_type is None:
            raise UsageError(
                f"okänd dokumenttyp '{doc_type}'",
                hint=f"typerna är: {', '.join(names())} (eller på engelska: {', '.join(aliases())})",
            )
    wanted = None
    if status is not None:
        wanted = core.status_filter(status)
        if wanted is None:
            raise UsageError(f"okänt läge eller okänd status '{status}'", hint=f"--status tar: {_status_words()}")
    settings, loaded = open_corpus(root)
    corpus = loaded.corpus
    if owner is not None:
        owner = _known(owner, core.known_owners(corpus), "ägare", "ägarna (forum och parter) är")
    if party is not None:
        party = _known(party, core.known_parties(corpus), "part", "parterna är")
    rows = core.listing(
        corpus, day, settings.notice_window_days, doc_type=chosen_type, owner=owner, status_=wanted, party=party
    )
    from sb_cli.reporters.tables import Column

    emit(
        rows,
        [
            Column("id", "Id"),
            Column("type", "Typ"),
            Column("title", "Titel", wide=True),
            Column("owner", "Ägare"),
            Column("version", "Version"),
            Column("date", "Datum", date=True),
            Column("state", "Läge", styled=True),
        ],
        f"Dokument (per {day})",
        output,
        delimiter=delimiter,
        out=out,
    )


def _status_words() -> str:
    from sb_cli.core.catalog import STATUS_WORDS

    return ", ".join(STATUS_WORDS)


def _known(given: str, known: list[str], what: str, listed: str) -> str:
    """The registered id `given` names (case aside), or a usage error that lists the ids."""
    import difflib

    from sb_cli.core.catalog import resolve

    found = resolve(given, known)
    if found is not None:
        return found
    close = difflib.get_close_matches(given, known, n=1)
    guess = f"menade du {close[0]}? " if close else ""
    ids = ", ".join(known) if known else "(inga i organisation.yaml)"
    raise UsageError(f"okänd {what} '{given}'", hint=f"{guess}{listed}: {ids}")


SHOW_EPILOG = examples("sb show LSVO-2023-06-16", "sb show overenskommelse-malgrupper-2023 --format json")


class CardFormat(StrEnum):
    """What `sb show` writes: the card for people, or JSON."""

    text = "text"
    json = "json"


def show(
    document_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Dokumentets id, eller sökvägen till filen.", autocompletion=completion.document_ids
        ),
    ],
    as_of: AsOf = None,
    root: Root = None,
    output: Annotated[
        CardFormat, typer.Option("--format", "-f", help="text (kortet, standard) eller json.")
    ] = CardFormat.text,
) -> None:
    """Visa ett dokuments kort: läge, datum, hänvisningar och git-historik."""
    from sb_cli.core.catalog import card
    from sb_cli.io import git as gitio

    day = parse_as_of(as_of)
    settings, loaded = open_corpus(root)
    corpus = loaded.corpus
    document = _shown_document(document_id, settings, loaded)
    result = card(corpus, document, day, settings.notice_window_days)
    git = gitio.open_repository(settings.root)
    result["history"] = gitio.file_log(git, document.path) if isinstance(git, gitio.Git) else None
    if output is CardFormat.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    _print_card(result)


def _shown_document(document_id: str, settings: Settings, loaded: Loaded) -> Document[Record]:
    """The document an id or a file path names, or the findings that keep it from being shown."""
    document = loaded.corpus.by_id.get(document_id)
    if document is None and Path(document_id).exists():
        document = _document_at(settings.relpath(Path(document_id)), loaded)
    if document is None:
        left_out = [p for p in loaded.problems if p.document == document_id]
        if left_out:
            refuse(left_out, f"{document_id} kan inte visas: rätta felen först")
        raise UsageError(f"inget dokument med id '{document_id}'", hint="sb list visar alla id")
    return document


def _document_at(rel: str, loaded: Loaded) -> Document[Record] | None:
    """The document in the file `rel`; a file left out for its errors is refused with them."""
    document = next((d for d in loaded.corpus.documents if d.path == rel), None)
    if document is None and rel in loaded.corpus.left_out:
        refuse([p for p in loaded.problems if p.path == rel], f"{rel} kan inte visas: rätta felen först")
    return document


# The card's labels for the header's keys (SPEC §3), every key of every document type.
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
    "corrections": "Rättad avskrift",
    "forum": "Forum",
    "meeting": "Möte",
    "numbering": "Numrering",
    "chair": "Ordförande",
    "secretary": "Sekreterare",
    "adjusters": "Justerare",
    "adjusted": "Justerat",
    "announced": "Anslaget",
    "distribution": "Sändlista",
    "date": "Datum",
    "author": "Författare",
    "presenters": "Föredragande",
    "proposed_decisions": "Förslag till beslut",
    "sent": "Skickad",
    "reply_by": "Svara senast",
    "register_by": "Anmäl ärenden senast",
    "year": "År",
}
# The words inside a value: "datum 2023-06-16, början 08.15", "av LSVO", "uppsägningstid 12 månader".
PARTS = {
    "date": "datum",
    "start": "början",
    "end": "slut",
    "place": "plats",
    "by": "av",
    "ref": "hänvisning",
    "party": "part",
    "diarienummer": "diarienummer",
    "notice_months": "uppsägningstid",
    "renewal_months": "förlängs med",
    "responsible": "ansvarig",
    "due": "senast",
    "note": "rättelse",
    "source": "källa",
}
UNKNOWN = {"date": "okänt", "start": "okänd", "end": "okänt", "place": "okänd"}  # said when the source is silent
CLOCKS = ("start", "end")
MONTHS = ("notice_months", "renewal_months")
WORDS = {"numbering": {"paragraph": "paragraf", "list": "punkt"}, "status": {"upphavd": "upphävd"}}


def _value(key: str, value: Any) -> str:
    """A header value as the card says it, in Swedish: "datum 2023-06-16, början 08.15, slut 12.00,
    plats via Teams"; "av LSVO, datum okänt"; "var 12:e månad, av LSVO och PSVO"."""
    from sb_cli.reporters.tables import cell

    if isinstance(value, dict):
        return _parts(value)
    if key == "adjusted" and value is True:
        return "justerat (datum okänt)"
    if isinstance(value, list | tuple):
        if any(isinstance(v, dict) for v in value):
            return "; ".join(_value(key, v) for v in value)
        return ", ".join(_value(key, v) for v in value)
    if isinstance(value, str):
        return cell(WORDS.get(key, {}).get(value, value))
    return cell(value)


def _parts(value: dict[str, Any]) -> str:
    from sb_cli.reporters.tables import cell

    said: list[str] = []
    if value.get("text") is not None:  # a decision: its text first, then who and when
        said.append(cell(value["text"]))
    if value.get("every_months") is not None:
        said.append(_every(value["every_months"]))
    said += [
        words
        for key, part in value.items()
        if key not in ("text", "every_months") and (words := _said_part(key, part)) is not None
    ]
    return ", ".join(said) or "okänt"


def _said_part(key: str, part: Any) -> str | None:
    """ "datum 2023-06-16", "början 08.15", "datum okänt"; None for an empty part the card leaves out."""
    label = PARTS.get(key, key)
    if part is None or part in ([], ()):
        return f"{label} {UNKNOWN[key]}" if key in UNKNOWN else None
    return f"{label} {_shown_part(key, part)}"


def _shown_part(key: str, part: Any) -> str:
    from sb_cli.core.words import count
    from sb_cli.reporters.tables import cell

    if key in CLOCKS and isinstance(part, str):
        return part.replace(":", ".")
    if key in MONTHS and isinstance(part, int):
        return count(part, "månad", "månader")
    if isinstance(part, list | tuple):
        names = [cell(p) for p in part]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]
    return cell(part)


def _every(months: Any) -> str:
    """ "varje månad", "var 3:e månad", "var 12:e månad", "var 2:a månad" (Swedish ordinals)."""
    if months == 1:
        return "varje månad"
    suffix = "a" if isinstance(months, int) and months % 10 in (1, 2) and months % 100 not in (11, 12) else "e"
    return f"var {months}:{suffix} månad"


def _print_card(result: dict[str, Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    from sb_cli.reporters.escape import visible
    from sb_cli.reporters.tables import STATE_STYLES, Column, cell, console, output_width, render

    # Text objects throughout: what documents and commits say is never read as rich markup.
    width = output_width()
    out = console(width)
    header = result["header"]
    out.print(Text(visible(str(header.get("title"))), style="bold"))
    state = result["state"]
    lines: list[tuple[str, str]] = [("Id", result["id"]), ("Fil", result["path"])]
    states = {"Läge": STATE_STYLES.get(state, "")}
    lines.append(("Läge", cell(state)))
    lines += [(LABELS.get(key, key), _value(key, value)) for key, value in header.items() if key not in ("id", "title")]
    lines += [
        ("Gäller till", cell(result["effective_end"])),
        ("Säg upp senast", cell(result["next_notice_deadline"])),
        ("Punkter", cell(result["items"])),
        ("Hänvisar till", cell(result["references_out"])),
        ("Hänvisas från", cell(result["references_in"])),
    ]
    shown = [(key, value) for key, value in lines if value not in ("", None)]
    label = max(len(key) for key, _ in shown)
    for key, value in shown:  # a grid per line: no line is padded to the longest value
        fact = Table.grid(padding=(0, 2, 0, 0))
        fact.add_column(style="bold", width=label, no_wrap=True)
        fact.add_column(overflow="fold")
        fact.add_row(Text(key), Text(visible(value, keep="\n"), style=states.get(key, "")))
        out.print(fact)
    history = result["history"]
    if history is None:
        out.print(Text("Ingen git-historik (inte ett git-repositorium).", style="dim"))
        return
    columns = [
        Column("commit", "Commit"),
        Column("date", "Datum"),
        Column("author", "Författare"),
        Column("version", "Version"),
        Column("status", "Status"),
        Column("message", "Meddelande", wide=True),
    ]
    rows = [{**entry, "status": WORDS["status"].get(entry["status"], entry["status"])} for entry in history]
    out.print()
    render(out, rows, columns, "Historik", width)


CALENDAR_EPILOG = examples(
    "sb calendar --out samverkan.ics",
    "sb calendar --out 2027.ics --year 2027",
    note="Varje händelse har ett fast UID: importera filen igen så uppdateras händelserna.",
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
    from sb_cli.core.calendar import events, sequenced
    from sb_cli.io.atomic import write_atomic
    from sb_cli.io.ics import change_times, to_ics

    day = parse_as_of(as_of)
    settings, loaded = open_corpus(root)
    found = events(loaded.corpus, day, year, reminder_days=settings.reminder_days, domain=settings.site_host)
    sources = [path for event in found for path in event.sources]
    found = sequenced(found, change_times(settings.root, settings.documents, sources))
    stamp = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    write_atomic(out, to_ics(found, stamp, name=settings.site_title))
    typer.echo(f"{len(found)} händelser skrivna till {out}", err=True)
