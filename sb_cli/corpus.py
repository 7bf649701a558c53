"""Loading a repository: every file read, checked against its schema, and made a typed document.

What fails to load or fails its schema keeps its SB001/SB002 findings and is left out of the
corpus that reports, the calendar and rendering see; `left_out` names it."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import msgspec

from sb_cli.core.doctypes import find
from sb_cli.core.model import Corpus, Document, Finding, Link, Path_, Position, Source
from sb_cli.core.organisation import organisation_from
from sb_cli.core.records import Organisation, Record, RecordError, to_record
from sb_cli.core.rules import schema
from sb_cli.core.rules.schema import SB001
from sb_cli.errors import UsageError
from sb_cli.io.cache import NO_CACHE, Cache, active, files_key, key, using
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


def _stored(
    settings: Settings, relpath: str, cache: Cache, made_with: str
) -> _Outcome | tuple[bytes | LoadedFile, str | None]:
    """The document as loaded before, from the cache; else the file's bytes and the cache key."""
    raw = read_file(settings.root, relpath, max_bytes=settings.max_file_bytes)
    made_of = key("dokument", made_with, relpath, raw) if made_with and isinstance(raw, bytes) else None
    stored = cache.stored("dokument", made_of, partial(decoded_document, relpath)) if made_of else None
    return _Outcome(stored, []) if stored is not None else (raw, made_of)


def _made(
    relpath: str, raw: bytes | LoadedFile, made_of: str | None, schemas: dict[str, Any], cache: Cache
) -> _Outcome:
    result = raw if isinstance(raw, LoadedFile) else parse_bytes(relpath, raw)
    if result.source is None:
        return _Outcome(None, [result.finding])
    document, findings = typed(result.source, schemas)
    if document is None:
        return _Outcome(None, list(findings), result.source.id or None)
    if made_of:
        cache.keep("dokument", made_of, document, encoded_document)
    return _Outcome(document, [])


Progress = Callable[[int, int], None]
"""Told how far a load has come: (files loaded, files in all)."""


def _outcomes(
    settings: Settings, relpaths: list[str], schemas: dict[str, Any], cache: Cache, made_with: str, progress: Progress
) -> list[_Outcome]:
    """Each file loaded, in order: from the cache when it was loaded before, else anew."""
    found = [_stored(settings, relpath, cache, made_with) for relpath in relpaths]
    new = [(relpath, *f) for relpath, f in zip(relpaths, found, strict=True) if not isinstance(f, _Outcome)]
    before = len(found) - len(new)
    progress(before, len(found))
    made = iter(_made_all(settings, new, schemas, cache, lambda count: progress(before + count, len(found))))
    return [f if isinstance(f, _Outcome) else next(made) for f in found]


def _made_all(
    settings: Settings,
    new: list[tuple[str, bytes | LoadedFile, str | None]],
    schemas: dict[str, Any],
    cache: Cache,
    made: Callable[[int], None],
) -> list[_Outcome]:
    """The new files loaded (`made` is told how many so far): here, or by a pool of worker
    processes when there are many (the first start on a large repository)."""
    workers = min(os.cpu_count() or 1, 8)
    if len(new) < PARALLEL_FROM or workers < 2:
        outcomes = []
        for relpath, raw, made_of in new:
            outcomes.append(_made(relpath, raw, made_of, schemas, cache))
            made(len(outcomes))
        return outcomes
    from concurrent.futures import ProcessPoolExecutor

    size = max(8, len(new) // (workers * 8))
    parts = [new[start : start + size] for start in range(0, len(new), size)]
    with ProcessPoolExecutor(
        workers, initializer=_start_loader, initargs=(settings.schema_dir(), cache.folder)
    ) as pool:
        shipped: list[_Outcome | bytes] = []
        for part in pool.map(_ship, parts):
            shipped += part
            made(len(shipped))
        return [_received(relpath, outcome) for (relpath, _, _), outcome in zip(new, shipped, strict=True)]


PARALLEL_FROM = 200  # new files; below this a process pool costs more than it saves
_loader_schemas: dict[str, Any] = {}
_loader_cache = NO_CACHE


def _start_loader(schema_dir: Path, cache_folder: Path | None) -> None:
    global _loader_cache
    _loader_schemas.update(validators(schema_dir))
    _loader_cache = Cache(cache_folder)  # a worker started afresh (not forked) has none of its own


def _ship(part: list[tuple[str, bytes | LoadedFile, str | None]]) -> list[_Outcome | bytes]:
    """A worker's part: the files loaded (and kept in the cache, which the worker writes too), each
    sent back as the cache keeps it, which is quicker to send than the document itself."""
    cache = _loader_cache
    shipped: list[_Outcome | bytes] = []
    with using(cache), cache.batched():
        for relpath, raw, made_of in part:
            outcome = _made(relpath, raw, None, _loader_schemas, cache)
            if outcome.document is None:
                shipped.append(outcome)
                continue
            try:
                data = encoded_document(outcome.document)
            except (TypeError, ValueError, OverflowError):  # msgpack cannot hold it: sent as it is
                shipped.append(outcome)
                continue
            if made_of:
                cache.put("dokument", made_of, data)
            shipped.append(data)
    return shipped


def _received(relpath: str, shipped: _Outcome | bytes) -> _Outcome:
    return shipped if isinstance(shipped, _Outcome) else _Outcome(decoded_document(relpath, shipped), [])


@contextmanager
def collector_paused() -> Iterator[None]:
    """Loading makes millions of small objects and no cycles among them; Python's cycle collector
    would walk them all again and again as they are made, and after, as long as they are kept
    (the editor keeps them for hours). So it is paused, and what was made is put out of its way."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def load_corpus(settings: Settings, progress: Progress | None = None) -> Loaded:
    """Every document in full (for reports, the calendar and rendering). A document read before
    from the same bytes and schemas is taken from the run's cache (sb publish and sb edit keep
    one). `progress` is told how far the load has come as it goes."""
    with collector_paused():
        return _load_corpus(settings, progress or _untold)


def _untold(done: int, total: int) -> None:
    return None


def _load_corpus(settings: Settings, progress: Progress) -> Loaded:
    schemas = validators(settings.schema_dir())
    registry, organisation_source, problems = organisation(settings, schemas)
    documents: list[Document[Record]] = []
    left_out: list[str] = []
    unreadable: set[str] = set()
    cache = active()
    made_with = schemas_key(settings.schema_dir()) if cache is not NO_CACHE else ""
    relpaths = [p for p in discover(settings.root, settings.documents) if p != settings.organisation_path]
    for relpath, outcome in zip(
        relpaths, _outcomes(settings, relpaths, schemas, cache, made_with, progress), strict=True
    ):
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
    positions: msgspec.Raw  # list[tuple[Path_, Position]], read only when asked for
    links: list[Link]


_stored_document = msgspec.msgpack.Decoder(_StoredDocument)
_stored_positions = msgspec.msgpack.Decoder(list[tuple[tuple[str | int, ...], Position]])


class StoredPositions(Mapping[Path_, Position]):
    """The positions of a document from the cache, decoded on first use: most documents are
    shown or reported on without ever pointing at a key, and positions are most of a record's size."""

    __slots__ = ("_raw", "_decoded")

    def __init__(self, raw: bytes) -> None:
        self._raw = raw
        self._decoded: dict[Path_, Position] | None = None

    def _positions(self) -> dict[Path_, Position]:
        if self._decoded is None:
            try:
                self._decoded = dict(_stored_positions.decode(self._raw))
            except msgspec.DecodeError:  # a damaged cache: findings then point at the file's start
                self._decoded = {}
        return self._decoded

    def __getitem__(self, path: Path_) -> Position:
        return self._positions()[path]

    def __iter__(self) -> Iterator[Path_]:
        return iter(self._positions())

    def __len__(self) -> int:
        return len(self._positions())

    def __reduce__(self) -> tuple[type[StoredPositions], tuple[bytes]]:
        return StoredPositions, (self._raw,)

    def encoded(self) -> msgspec.Raw:
        return msgspec.Raw(self._raw)


def encoded_document(document: Document[Record]) -> bytes:
    """The document for the cache (msgspec's errors when msgpack cannot hold it)."""
    record = msgspec.msgpack.encode(document.record)
    positions = document.positions
    raw = (
        positions.encoded()
        if isinstance(positions, StoredPositions)
        else msgspec.Raw(msgspec.msgpack.encode(list(positions.items())))
    )
    return msgspec.msgpack.encode(_StoredDocument(document.type, record, raw, list(document.links)))


def decoded_document(relpath: str, data: bytes) -> Document[Record]:
    """The stored document (msgspec.DecodeError, or ValueError for a type sb no longer knows)."""
    stored = _stored_document.decode(data)
    entry = find(stored.type)
    if entry is None:
        raise ValueError(f"okänd dokumenttyp {stored.type}")
    record = msgspec.msgpack.decode(stored.record, type=entry.record)
    return Document(relpath, record, StoredPositions(bytes(stored.positions)), tuple(stored.links))


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
