"""New documents and justering as files: where `sb new` puts a kallelse, a protocol or a
styrdokument and what it writes there, and what `sb adjust` checks before it justerar. The command
line and the editor (`sb edit`) both call these; the content itself comes from core/workflow.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sb_cli.core.doctypes import KALLELSE, PROTOKOLL, TYPES
from sb_cli.core.model import ID_CHARACTERS, Corpus, Document, Severity, is_valid_id
from sb_cli.core.records import Forum, Kallelse, Protocol, Record
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
    if forum_id is None:
        raise UsageError("--forum ID krävs för en kallelse")
    forum = loaded.corpus.organisation.forums.get(forum_id)
    if forum is not None:
        return forum
    registry = [p for p in loaded.problems if p.path.endswith("organisation.yaml")]
    if registry:
        raise Refused(registry, f"forumet '{forum_id}' kan inte läsas: rätta organisation.yaml först")
    known = ", ".join(sorted(loaded.corpus.organisation.forums)) or "inga"
    raise UsageError(f"okänt forum '{forum_id}'", hint=f"forumen är: {known}")


def kallelse_file(
    loaded: Loaded,
    forum: Forum,
    day: dt.date,
    documents: Path,
    *,
    planned_sent: bool = True,
    start: str | None = None,
    place: str | None = None,
) -> tuple[Path, str]:
    """The path and text of a new kallelse: standing items, deferred items and decisions due.
    `planned_sent`: `sent` holds the last day to send it (`sb new`); without it, `sent` is left for
    the day it goes out (the editor's button), and the comment names the last day."""
    from sb_cli.core.words import days
    from sb_cli.core.workflow import new_kallelse
    from sb_cli.io.yamlwrite import dump_new

    target = inside(documents, KALLELSE.folder, forum.id, f"{day.isoformat()}.yaml")
    data = new_kallelse(_without(loaded.corpus, target, documents.parent), forum, day)
    data["meeting"].update((key, value) for key, value in (("start", start), ("place", place)) if value)
    notice = forum.agenda_notice_days if forum.agenda_notice_days is not None else 7
    deadline = f"Kallelsen ska skickas senast {data['sent']} ({days(notice)} före mötet); "
    comments = {
        "sent": deadline + f"ärenden anmäls senast {data['register_by']}.",
        "items": "Stående punkter först och sist; bordlagda punkter och beslut som ska återrapporteras har follows_up.",
    }
    if not planned_sent:
        del data["sent"]
        comments["register_by"] = deadline + "sent fylls i den dag den skickas."
    text = dump_new(
        data,
        header=SCHEMA_COMMENT.format(up="../../../") + f"\nKallelse och dagordning för {forum.name} {day}.",
        comments=comments,
    )
    return target, text


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
    if record.meeting.date is not None and day < record.meeting.date:
        raise UsageError(f"justeringsdatumet {day} ligger före sammanträdet {record.meeting.date}")
    if record.adjusted is not None:
        raise UsageError(
            f"{shown} justerades redan {record.adjusted}", hint="ett justerat protokoll ändras inte; SB040 vaktar det"
        )
    return record


def adjust(settings: Settings, rel: str, day: dt.date, as_of: dt.date, *, shown: str = "") -> None:
    """Justera the protocol in `rel`: `adjusted: DAY` after its adjusters, nothing else changed."""
    from sb_cli.io.yamlwrite import add_key

    adjustable_protocol(settings, rel, day, as_of, shown=shown)
    add_key(settings.root / rel, "adjusted", day.isoformat(), after="adjusters")
