"""New documents and justering as files: where `sb new` puts a kallelse, a protocol or a
styrdokument and what it writes there, and what `sb adjust` checks before it justerar. The command
line and the editor (`sb edit`) both call these; the content itself comes from core/workflow.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sb_cli.core.doctypes import KALLELSE, PROTOKOLL, TYPES
from sb_cli.core.meetings import earliest_day
from sb_cli.core.model import ID_CHARACTERS, Corpus, Document, Severity, is_valid_id
from sb_cli.core.organisation import forum_name, forums_called
from sb_cli.core.records import Forum, Kallelse, Organisation, Protocol, Record
from sb_cli.corpus import Loaded, typed
from sb_cli.errors import Refused, UsageError
from sb_cli.io.repo import Settings

SCHEMA_COMMENT = "yaml-language-server: $schema={up}schemas/document.schema.json"


def inside(documents: Path, *parts: str) -> Path:
    """A new file's path from validated parts (ids, ISO dates): each a plain name, and the whole
    inside the documents folder even where a folder on the way is a symbolic link."""
    for part in parts:
        if not is_valid_id(part.removesuffix(".yaml").removesuffix(".md")) or part in (".", ".."):
            raise UsageError(f"'{part}' kan inte bli en del av ett filnamn", hint=f"använd bara {ID_CHARACTERS}")
    target = documents.joinpath(*parts)
    if not target.resolve().is_relative_to(documents.resolve()):
        raise UsageError(f"{target} hamnar utanför {documents}", hint="en mapp på vägen är en länk ut ur repositoriet")
    return target


def forum_of(loaded: Loaded, forum_id: str | None) -> Forum:
    """The forum that --forum (or the editor's form) names: its id, any name or alias, any case."""
    if forum_id is None:
        raise UsageError("--forum ID krävs för en kallelse")
    organisation = loaded.corpus.organisation
    found = forums_called(organisation, forum_id)
    if len(found) == 1:
        return found[0]
    if found:
        ids = ", ".join(f.id for f in found)
        raise UsageError(f"'{forum_id}' kan vara flera forum: {ids}", hint="ange forumets id")
    registry = [p for p in loaded.problems if p.path.endswith("organisation.yaml")]
    if registry:
        raise Refused(registry, f"forumet '{forum_id}' kan inte läsas: rätta organisation.yaml först")
    raise UsageError(f"okänt forum '{forum_id}'", hint=forums_hint(organisation))


def forums_hint(organisation: Organisation) -> str:
    """The forums a --forum option takes, each with its name."""
    known = ", ".join(f"{f.id} ({f.name})" for f in sorted(organisation.forums.values(), key=lambda f: f.id))
    return f"forumen är: {known or 'inga'}; ange id, namn eller annat namn"


def kallelse_file(
    loaded: Loaded,
    forum: Forum,
    day: dt.date,
    documents: Path,
    *,
    as_of: dt.date | None = None,
    start: str | None = None,
    place: str | None = None,
) -> tuple[Path, str, list[str]]:
    """The path and text of a new kallelse (standing items, deferred items and decisions due), and
    what has already passed by `as_of`. `sent` is left for the day it goes out, and the time and
    place not given are commented placeholders: a kallelse never states what no one has said."""
    from sb_cli.core.words import days
    from sb_cli.core.workflow import new_kallelse
    from sb_cli.io.yamlwrite import dump_new

    target = inside(documents, KALLELSE.folder, forum.id, f"{day.isoformat()}.yaml")
    data = new_kallelse(_without(loaded.corpus, target, documents.parent), forum, day)
    data["meeting"].update((key, value) for key, value in (("start", start), ("place", place)) if value)
    send_by = data.pop("sent")  # the last day to send it; `sent` records the day it went out (SB022)
    notice = forum.agenda_notice_days if forum.agenda_notice_days is not None else 7
    comments = {
        "register_by": f"Kallelsen ska skickas senast {send_by} ({days(notice)} före mötet); skriv sent: "
        "ÅÅÅÅ-MM-DD den dag den skickas. register_by är sista dag att anmäla ärenden.",
        "items": "Stående punkter först och sist; bordlagda punkter och beslut som ska återrapporteras har follows_up.",
    }
    text = dump_new(
        data,
        header=SCHEMA_COMMENT.format(up="../../../") + f"\nKallelse och dagordning för {forum_name(forum, day)} {day}.",
        comments=comments,
    )
    late = passed_deadlines({**data, "send_by": send_by}, as_of) if as_of is not None else []
    return target, _with_placeholders(text, data["meeting"]), late


# Commented lines for the time and place of a new kallelse, under `meeting:`.
_PLACEHOLDERS = {"start": '"TT:MM"', "end": '"TT:MM"', "place": '""'}

# The deadlines of a kallelse that a warning names, in the words of the warning.
_DEADLINES = {
    "register_by": "sista dag att anmäla ärenden (register_by)",
    "reply_by": "sista dag att svara (reply_by)",
    "send_by": "sista dag att skicka kallelsen",
}


def _with_placeholders(text: str, meeting: dict[str, Any]) -> str:
    """`text` with a commented `key: value` under `meeting:` for each of start, end and place not given."""
    missing = [f"  # {key}: {value}\n" for key, value in _PLACEHOLDERS.items() if key not in meeting]
    lines = text.splitlines(keepends=True)
    at = next((index for index, line in enumerate(lines) if line == "meeting:\n"), None)
    if not missing or at is None:
        return text
    at += 1
    while at < len(lines) and lines[at].startswith("  "):
        at += 1
    note = "  # Tid och plats: ta bort # och fyll i (sb validate varnar med SB027 tills start och place finns).\n"
    return "".join([*lines[:at], note, *missing, *lines[at:]])


def passed_deadlines(kallelse: dict[str, Any], as_of: dt.date) -> list[str]:
    """A Swedish warning for each deadline of a kallelse (ISO dates under the keys of _DEADLINES)
    that lies before `as_of`."""
    warnings = []
    for key, words in _DEADLINES.items():
        value = kallelse.get(key)
        if value is not None and dt.date.fromisoformat(str(value)) < as_of:
            warnings.append(f"{words}, {value}, har redan passerat (per {as_of.isoformat()})")
    return warnings


def _without(corpus: Corpus, target: Path, root: Path) -> Corpus:
    """The corpus without the file a --force write replaces: a new kallelse never follows up its
    own earlier version."""
    kept = tuple(d for d in corpus.documents if root / d.path != target)
    return Corpus.of(kept, corpus.organisation, left_out=corpus.left_out, unreadable_ids=corpus.unreadable_ids)


def kallelse_at(loaded: Loaded, rel: str) -> Document[Kallelse]:
    """The kallelse in the file `rel`, when it can be read."""
    if rel in loaded.corpus.left_out:
        raise Refused([p for p in loaded.problems if p.path == rel], f"{rel} har fel: rätta kallelsen först")
    kallelse = next((d for d in loaded.corpus.documents if d.path == rel), None)
    if kallelse is None or not isinstance(kallelse.record, Kallelse):
        raise UsageError(f"{rel} är ingen kallelse", hint="ange filen som sb new kallelse skrev")
    return Document(kallelse.path, kallelse.record, kallelse.positions, kallelse.links)


def protocol_file(loaded: Loaded, kallelse: Document[Kallelse], documents: Path) -> tuple[Path, str]:
    """The path and text of a protocol from its kallelse: its items, attendance from the roster."""
    from sb_cli.core.workflow import new_protocol
    from sb_cli.io.yamlwrite import dump_new

    record = kallelse.record
    data = new_protocol(record, loaded.corpus.organisation.forums.get(record.forum))
    day = record.meeting.date
    text = dump_new(
        data,
        header=SCHEMA_COMMENT.format(up="../../../") + f"\nProtokoll från {kallelse.path}. Flytta frånvarande "
        "från present till absent, fyll i beslut och text, kör sb validate och justera med sb adjust.",
        comments={
            "attendance": "Förifyllt med forumets ledamöter den dagen.",
            "items": "Punkterna och numren kommer från kallelsen.",
        },
    )
    name = day.isoformat() if day else Path(kallelse.path).stem
    return inside(documents, PROTOKOLL.folder, record.forum, f"{name}.yaml"), text


def styrdokument_file(
    loaded: Loaded, kind: str, ident: str, title: str, owner: str, documents: Path, as_of: dt.date, *, force: bool
) -> tuple[Path, str]:
    """The path and text of a new styrdokument in draft, with a header that validates."""
    from sb_cli.core.workflow import new_styrdokument
    from sb_cli.io.yamlwrite import dump_new

    corpus = loaded.corpus
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
        header=SCHEMA_COMMENT.format(up="../../"),
        comments={
            "status": "utkast → remiss → beslutad (fyll då i decided, valid_from och review_by)",
            "parties": "De parter överenskommelsen binder; ta bort dem som inte berörs.",
            "valid_until": "Fyll i: avtalstidens slut.",
        },
    )
    return target, f"---\n{front}---\n\n# {title}\n\nSkriv texten här.\n"


def next_version(data: dict[str, Any]) -> dict[str, Any]:
    """A decided styrdokument as the draft of its next version: status utkast, the next major
    version ("1.0" → "2.0", "2.3" → "3.0"), and no decision yet. The decided version stays in git."""
    draft = {key: value for key, value in data.items() if key != "decided"}
    version = str(data.get("version", ""))
    major = version.split(".", 1)[0]
    draft["version"] = f"{int(major) + 1}.0" if major.isdigit() else f"{version}-ny" if version else "0.1"
    draft["status"] = "utkast"
    return draft


def adjustable_protocol(settings: Settings, rel: str, day: dt.date, as_of: dt.date, *, shown: str = "") -> Protocol:
    """The protocol in the file `rel`, when it may be justerat on `day`: it validates without
    errors, it is not justerat already, and the day is not before its meeting. `shown`: the file
    as the user named it, for the messages."""
    shown = shown or rel
    if day > as_of:
        raise UsageError(
            f"justeringsdatumet {day} ligger efter {as_of}: ett protokoll justeras inte i förväg",
            hint="ange dagen då protokollet justerades (med --as-of: en dag till och med den dagen)",
        )
    from sb_cli.io.loader import load
    from sb_cli.io.schemas import validators
    from sb_cli.validation import validate_repository

    report = validate_repository(settings, as_of=as_of, paths=[settings.root / rel])
    if any(f.severity == Severity.ERROR for f in report.findings):
        raise Refused(report.findings, f"{shown} justeras inte: rätta felen först")
    result = load(settings.root, rel, max_bytes=settings.max_file_bytes)
    document: Document[Record] | None = (
        typed(result.source, validators(settings.schema_dir()))[0] if result.source else None
    )
    if document is None or not isinstance(document.record, Protocol):
        raise UsageError(f"{shown} är inget protokoll")
    record = document.record
    held = record.meeting.when
    if held is not None and day < earliest_day(held):
        raise UsageError(f"justeringsdatumet {day} ligger före sammanträdet {held.isoformat()}")
    if record.is_adjusted:
        when = record.adjusted_on or "(datum okänt)"
        raise UsageError(
            f"{shown} justerades redan {when}", hint="ett justerat protokoll ändras inte; SB040 vaktar det"
        )
    return record


def adjust(settings: Settings, rel: str, day: dt.date, as_of: dt.date, *, shown: str = "") -> None:
    """Justera the protocol in `rel`: `adjusted: DAY` after its adjusters, nothing else changed."""
    from sb_cli.io.yamlwrite import add_key

    adjustable_protocol(settings, rel, day, as_of, shown=shown)
    add_key(settings.root / rel, "adjusted", day.isoformat(), after="adjusters")
