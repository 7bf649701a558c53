"""`sb new` and `sb adjust`: the secretary's workflow from kallelse to justerat protocol."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sb_cli.cli import completion
from sb_cli.cli.common import AsOf, Root, open_corpus, parse_as_of, parse_day, refuse
from sb_cli.cli.helptext import examples
from sb_cli.errors import UsageError

if TYPE_CHECKING:
    from sb_cli.core.model import Corpus
    from sb_cli.core.records import Forum, Protocol
    from sb_cli.corpus import Loaded
    from sb_cli.io.repo import Settings

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
    from sb_cli.core.doctypes import TYPES, canonical_type
    from sb_cli.core.records import Kallelse, Protocol
    from sb_cli.io.yamlwrite import write_new

    kind = canonical_type(doc_type)
    if kind is None:
        raise UsageError(f"okänd dokumenttyp '{doc_type}'")
    entry = TYPES[kind]
    settings, loaded = open_corpus(root)
    documents = settings.root / settings.documents
    if entry.record is Kallelse:
        path, text = _kallelse(loaded, forum, date, documents)
    elif entry.record is Protocol:
        path, text = _protocol(loaded, source, settings, documents)
    elif entry.header:
        path, text = _styrdokument(loaded, kind, ident, title, owner, documents, parse_as_of(as_of), force=force)
    else:
        raise UsageError(f"sb new kan inte skapa {kind}", hint="kallelse, protokoll och styrdokumenttyperna går")
    write_new(path, text, force=force)
    typer.echo(str(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path))


def inside(documents: Path, *parts: str) -> Path:
    """A new file's path from validated parts (ids, ISO dates): each a plain name, and the whole
    inside the documents folder even where a folder on the way is a symbolic link."""
    from sb_cli.core.model import ID_CHARACTERS, is_valid_id

    for part in parts:
        if not is_valid_id(part.removesuffix(".yaml").removesuffix(".md")) or part in (".", ".."):
            raise UsageError(f"'{part}' kan inte bli en del av ett filnamn", hint=f"använd bara {ID_CHARACTERS}")
    target = documents.joinpath(*parts)
    if not target.resolve().is_relative_to(documents.resolve()):
        raise UsageError(f"{target} hamnar utanför {documents}", hint="en mapp på vägen är en länk ut ur repositoriet")
    return target


def _day(value: str | None, option: str) -> dt.date:
    if value is None:
        raise UsageError(f"{option} DATUM krävs")
    return parse_day(value, option)


def _forum(loaded: Loaded, forum_id: str | None) -> Forum:
    if forum_id is None:
        raise UsageError("--forum ID krävs för en kallelse")
    forum = loaded.corpus.organisation.forums.get(forum_id)
    if forum is not None:
        return forum
    registry = [p for p in loaded.problems if p.path.endswith("organisation.yaml")]
    if registry:
        refuse(registry, f"forumet '{forum_id}' kan inte läsas: rätta organisation.yaml först")
    known = ", ".join(sorted(loaded.corpus.organisation.forums)) or "inga"
    raise UsageError(f"okänt forum '{forum_id}'", hint=f"forumen är: {known}")


def _kallelse(loaded: Loaded, forum_id: str | None, date: str | None, documents: Path) -> tuple[Path, str]:
    from sb_cli.core.doctypes import KALLELSE
    from sb_cli.core.words import days
    from sb_cli.core.workflow import new_kallelse
    from sb_cli.io.yamlwrite import dump_new

    forum = _forum(loaded, forum_id)
    day = _day(date, "--date")
    target = inside(documents, KALLELSE.folder, forum.id, f"{day.isoformat()}.yaml")
    data = new_kallelse(_without(loaded.corpus, target, documents.parent), forum, day)
    notice = forum.agenda_notice_days if forum.agenda_notice_days is not None else 7
    text = dump_new(
        data,
        header=f"yaml-language-server: $schema=../../../schemas/document.schema.json\n"
        f"Kallelse och dagordning för {forum.name} {day}.",
        comments={
            "sent": f"Kallelsen ska skickas senast {data['sent']} ({days(notice)} före mötet); "
            f"ärenden anmäls senast {data['register_by']}.",
            "items": "Stående punkter först och sist; bordlagda punkter och beslut som ska "
            "återrapporteras har follows_up.",
        },
    )
    return target, text


def _without(corpus: Corpus, target: Path, root: Path) -> Corpus:
    """The corpus without the file a --force write replaces: a new kallelse never follows up its
    own earlier version."""
    from sb_cli.core.model import Corpus

    kept = tuple(d for d in corpus.documents if root / d.path != target)
    return Corpus.of(kept, corpus.organisation, left_out=corpus.left_out, unreadable_ids=corpus.unreadable_ids)


def _protocol(loaded: Loaded, source: Path | None, settings: Settings, documents: Path) -> tuple[Path, str]:
    from sb_cli.core.doctypes import PROTOKOLL
    from sb_cli.core.records import Kallelse
    from sb_cli.core.workflow import new_protocol
    from sb_cli.io.yamlwrite import dump_new

    if source is None:
        raise UsageError("--from KALLELSE krävs för ett protokoll")
    rel = settings.relpath(source)
    if rel in loaded.corpus.left_out:
        refuse([p for p in loaded.problems if p.path == rel], f"{rel} har fel: rätta kallelsen först")
    kallelse = next((d for d in loaded.corpus.documents if d.path == rel), None)
    if kallelse is None or not isinstance(kallelse.record, Kallelse):
        raise UsageError(f"{source} är ingen kallelse", hint="ange filen som sb new kallelse skrev")
    record = kallelse.record
    data = new_protocol(record, loaded.corpus.organisation.forums.get(record.forum))
    day = record.meeting.date
    text = dump_new(
        data,
        header="yaml-language-server: $schema=../../../schemas/document.schema.json\n"
        f"Protokoll från {rel}. Flytta frånvarande från present till absent, fyll i "
        "beslut och text, kör sb validate och justera med sb adjust.",
        comments={
            "attendance": "Förifyllt med forumets ledamöter den dagen.",
            "items": "Punkterna och numren kommer från kallelsen.",
        },
    )
    name = day.isoformat() if day else Path(rel).stem
    return inside(documents, PROTOKOLL.folder, record.forum, f"{name}.yaml"), text


def _styrdokument(
    loaded: Loaded,
    kind: str,
    ident: str | None,
    title: str | None,
    owner: str | None,
    documents: Path,
    as_of: dt.date,
    *,
    force: bool,
) -> tuple[Path, str]:
    from sb_cli.core.doctypes import TYPES
    from sb_cli.core.model import ID_CHARACTERS, is_valid_id
    from sb_cli.core.workflow import new_styrdokument
    from sb_cli.io.yamlwrite import dump_new

    corpus = loaded.corpus
    if not ident or not title or not owner:
        raise UsageError("--id, --title och --owner krävs för ett styrdokument")
    if not is_valid_id(ident):
        raise UsageError(f"id '{ident}' får bara innehålla {ID_CHARACTERS}")
    target = inside(documents, TYPES[kind].folder, f"{ident}.md")
    existing = corpus.by_id.get(ident)
    replacing = force and existing is not None and (documents.parent / existing.path) == target
    if existing is not None and not replacing:
        raise UsageError(f"id '{ident}' används redan i {existing.path}")
    if not corpus.organisation.knows(owner):
        raise UsageError(f"'{owner}' finns inte bland forumen eller parterna i organisation.yaml")
    data = new_styrdokument(kind, ident, title, owner, list(corpus.organisation.parties)[:6], as_of)
    front = dump_new(
        data,
        header="yaml-language-server: $schema=../../schemas/document.schema.json",
        comments={
            "status": "utkast → remiss → beslutad (fyll då i decided, valid_from och review_by)",
            "parties": "De parter överenskommelsen binder; ta bort dem som inte berörs.",
            "valid_until": "Fyll i: avtalstidens slut.",
        },
    )
    text = f"---\n{front}---\n\n# {title}\n\nSkriv texten här.\n"
    return target, text


def adjust(
    protocol: Annotated[Path, typer.Argument(metavar="PROTOKOLL", help="Protokollet som justeras.")],
    date: Annotated[str, typer.Option("--date", metavar="DATUM", help="Justeringsdatum.")],
    as_of: AsOf = None,
    root: Root = None,
) -> None:
    """Justera ett protokoll: sätt adjusted, men bara om protokollet validerar utan fel."""
    from sb_cli.io.repo import load_settings
    from sb_cli.io.yamlwrite import add_key

    day = _day(date, "--date")
    settings = load_settings(root, Path.cwd())
    if not protocol.exists():
        raise UsageError(f"{protocol} finns inte")
    rel, record = _valid_protocol(protocol, settings, parse_as_of(as_of))
    _check_adjustable(protocol, record, day)
    add_key(settings.root / rel, "adjusted", day.isoformat(), after="adjusters")
    typer.echo(f"{protocol} justerat {day}")


def _valid_protocol(protocol: Path, settings: Settings, as_of: dt.date) -> tuple[str, Protocol]:
    """The protocol in the file (and the file's path in the repository), when it validates without errors."""
    from sb_cli.core.model import Severity
    from sb_cli.core.records import Protocol
    from sb_cli.corpus import typed
    from sb_cli.io.loader import load
    from sb_cli.io.schemas import validators
    from sb_cli.validation import validate_repository

    report = validate_repository(settings, as_of=as_of, paths=[protocol])
    errors = [f for f in report.findings if f.severity == Severity.ERROR]
    if errors:
        refuse(report.findings, f"{protocol} justeras inte: rätta felen först")
    rel = settings.relpath(protocol)
    result = load(settings.root, rel, max_bytes=settings.max_file_bytes)
    document = typed(result.source, validators(settings.schema_dir()))[0] if result.source else None
    if document is None or not isinstance(document.record, Protocol):
        raise UsageError(f"{protocol} är inget protokoll")
    return rel, document.record


def _check_adjustable(protocol: Path, record: Protocol, day: dt.date) -> None:
    """A protocol is justerat once, and not before its meeting."""
    if record.meeting.date is not None and day < record.meeting.date:
        raise UsageError(f"justeringsdatumet {day} ligger före sammanträdet {record.meeting.date}")
    if record.adjusted is not None:
        raise UsageError(
            f"{protocol} justerades redan {record.adjusted}",
            hint="ett justerat protokoll ändras inte; SB040 vaktar det",
        )
