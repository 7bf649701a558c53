"""Loading a repository: every file read, checked against its schema, and made a typed document.

What fails to load or fails its schema keeps its SB001/SB002 findings and is left out of the
corpus that reports, the calendar and rendering see; `left_out` names it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import msgspec

from sb_cli.core.doctypes import find
from sb_cli.core.model import Corpus, Document, Finding, Link, Position, Source
from sb_cli.core.organisation import organisation_from
from sb_cli.core.records import Organisation, Record, RecordError, to_record
from sb_cli.core.rules import schema
from sb_cli.core.rules.schema import SB001
from sb_cli.errors import UsageError
from sb_cli.io.cache import NO_CACHE, Cache, active, files_key, key
from sb_cli.io.loader import Loaded as LoadedFile
from sb_cli.io.loader import discover, load, parse_bytes, read_file
from sb_cli.io.repo import Settings
from sb_cli.io.schemas import validators


@dataclass(frozen=True)
class Loaded:
    corpus: Corpus
    problems: list[Finding]  # SB001 and SB002 findings of the files left out, and of organisation.yaml
    organisation: Source | None


def organisation(settings: Settings, schemas: dict[str, Any]) -> tuple[Organisation, Source | None, list[Finding]]:
    """The registry, with the findings of organisation.yaml itself (SB001, SB002)."""
    if not (settings.root / settings.documents).is_dir():
        raise UsageError(f"mappen {settings.documents}/ finns inte i {settings.root}")
    if not (settings.root / settings.organisation_path).exists():
        return Organisation(), None, [SB001.where(settings.organisation_path, None, None, "organisation.yaml saknas")]
    result = load(settings.root, settings.organisation_path, max_bytes=settings.max_file_bytes)
    if result.source is None:
        return Organisation(), None, [result.finding] if result.finding else []
    findings: list[Finding] = []
    if "organisation" in schemas:
        findings = list(schema.validate(result.source, schemas["organisation"], "organisation"))
    return organisation_from(result.source.data), result.source, findings


def typed(source: Source, schemas: dict[str, Any]) -> tuple[Document[Record] | None, list[Finding]]:
    """The document of a source that passes its schema, else None with the SB002 findings."""
    findings = list(schema.findings(source, schemas))
    if findings:
        return None, findings
    document = schema.to_document(source)
    if isinstance(document, Finding):
        return None, [document]
    return document, []


@dataclass(frozen=True)
class _Outcome:
    """One file loaded: its document, or the findings that left it out and the id it claims."""

    document: Document[Record] | None
    findings: list[Finding | None]
    claimed_id: str | None = None


def _load_document(settings: Settings, relpath: str, schemas: dict[str, Any], cache: Cache, made_with: str) -> _Outcome:
    raw = read_file(settings.root, relpath, max_bytes=settings.max_file_bytes)
    made_of = key("dokument", made_with, relpath, raw) if made_with and isinstance(raw, bytes) else None
    stored = cache.stored("dokument", made_of, partial(decoded_document, relpath)) if made_of else None
    if stored is not None:
        return _Outcome(stored, [])
    result = raw if isinstance(raw, LoadedFile) else parse_bytes(relpath, raw)
    if result.source is None:
        return _Outcome(None, [result.finding])
    document, findings = typed(result.source, schemas)
    if document is None:
        return _Outcome(None, list(findings), result.source.id or None)
    if made_of:
        cache.keep("dokument", made_of, document, encoded_document)
    return _Outcome(document, [])


def load_corpus(settings: Settings) -> Loaded:
    """Every document in full (for reports, the calendar and rendering). A document read before
    from the same bytes and schemas is taken from the run's cache (only sb publish keeps one)."""
    schemas = validators(settings.schema_dir())
    registry, organisation_source, problems = organisation(settings, schemas)
    documents: list[Document[Record]] = []
    left_out: list[str] = []
    unreadable: set[str] = set()
    cache = active()
    made_with = schemas_key(settings.schema_dir()) if cache is not NO_CACHE else ""
    for relpath in discover(settings.root, settings.documents):
        if relpath == settings.organisation_path:
            continue
        outcome = _load_document(settings, relpath, schemas, cache, made_with)
        if outcome.document is not None:
            documents.append(outcome.document)
            continue
        problems += [f for f in outcome.findings if f is not None]
        left_out.append(relpath)
        if outcome.claimed_id:
            unreadable.add(outcome.claimed_id)
    corpus = Corpus.of(tuple(documents), registry, left_out=tuple(left_out), unreadable_ids=frozenset(unreadable))
    return Loaded(corpus, problems, organisation_source)


def schemas_key(schema_dir: Path) -> str:
    """A key of the schemas that `validators` compiles."""
    return files_key(schema_dir, schema_dir.glob("*.schema.json"))


class _StoredDocument(msgspec.Struct, array_like=True):
    """A document as the cache keeps it: its record (by type), positions and links."""

    type: str
    record: bytes  # msgpack of the record
    positions: list[tuple[tuple[str | int, ...], Position]]
    links: list[Link]


_stored_document = msgspec.msgpack.Decoder(_StoredDocument)


def encoded_document(document: Document[Record]) -> bytes:
    """The document for the cache (msgspec's errors when msgpack cannot hold it)."""
    record = msgspec.msgpack.encode(document.record)
    stored = _StoredDocument(document.type, record, list(document.positions.items()), list(document.links))
    return msgspec.msgpack.encode(stored)


def decoded_document(relpath: str, data: bytes) -> Document[Record]:
    """The stored document (msgspec.DecodeError, or ValueError for a type sb no longer knows)."""
    stored = _stored_document.decode(data)
    entry = find(stored.type)
    if entry is None:
        raise ValueError(f"okänd dokumenttyp {stored.type}")
    record = msgspec.msgpack.decode(stored.record, type=entry.record)
    return Document(relpath, record, dict(stored.positions), tuple(stored.links))


# What the rules across documents never look at (texts, people, decisions), and the keys below the
# top level whose positions they point at (elsewhere a finding points at the nearest kept parent).
_NOT_COMPARED = frozenset(
    {
        "body",
        "description",
        "presenters",
        "attachments",
        "send_to",
        "attendance",
        "chair",
        "secretary",
        "adjusters",
        "distribution",
        "decisions",
        "proposed_decisions",
        "source",
        "adopted",
        "target_groups",
        "tags",
    }
)
_POINTED_AT = frozenset({"number", "follows_up", "deferred_to", "ref", "document", "letter"})


def slim(source: Source, document: Document[Record]) -> Document[Record]:
    """The document as the rules across documents need it: no texts, people or decisions, and
    positions only of the keys those rules point at. A fraction of the full size."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in _NOT_COMPARED}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    def kept(path: tuple[str | int, ...]) -> bool:
        top_level = len(path) == 1 or (len(path) == 2 and isinstance(path[1], int))
        return _NOT_COMPARED.isdisjoint(path) and (top_level or path[-1] in _POINTED_AT)

    try:
        record = to_record(strip(source.data))
    except RecordError:  # cannot happen for a valid record; keep the full one rather than fail
        return document
    positions = {path: at for path, at in source.positions.items() if kept(path)}
    return Document(source.path, record, positions, source.links)
