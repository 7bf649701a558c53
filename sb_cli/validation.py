"""`sb validate` as a library call: load the repository, run every rule, return the findings.

Two passes keep memory small and use every core: each file is loaded and checked on its own (in
worker processes when there are many), and only a slim copy without its texts is kept for the rules
that look across documents.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import Any

import msgspec

from sb_cli.core.model import REPOSITORY, Corpus, Document, Finding, Severity, Source, ordered
from sb_cli.core.records import Organisation, Protocol, Record, RecordError, to_record
from sb_cli.core.refs import referenced_ids
from sb_cli.core.rules import (
    Compares,
    Context,
    compared,
    corpus_checks,
    document_checks,
    forum_names,
    history,
    run,
    run_file,
    site_paths,
)
from sb_cli.core.rules.history import SB041
from sb_cli.corpus import Progress, decoded_document, encoded_document, organisation, schemas_key, slim, typed
from sb_cli.errors import UsageError
from sb_cli.io import git as gitio
from sb_cli.io.cache import NO_CACHE, active, key
from sb_cli.io.loader import Loaded, TooLarge, discover, parse_bytes, read_file, read_regular
from sb_cli.io.repo import Settings
from sb_cli.io.schemas import validators
from sb_cli.signing.repository import SignedPdfs

PARALLEL_FROM = 300  # files; below this a process pool costs more than it saves


@dataclass(frozen=True)
class Report:
    as_of: dt.date
    documents: int
    findings: list[Finding]
    paths: tuple[str, ...] = ()  # the files checked, sorted: `documents` of them
    strict: bool = False  # warnings fail too (sb validate --strict)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def fails(self, finding: Finding) -> bool:
        """Whether the finding makes the run fail (slutstatus 1)."""
        return finding.severity is Severity.ERROR or (self.strict and finding.severity is Severity.WARNING)

    @property
    def failed(self) -> bool:
        return any(self.fails(f) for f in self.findings)

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(f.severity.value for f in self.findings)
        return {s.value: counts.get(s.value, 0) for s in Severity}


@dataclass(frozen=True)
class Checked:
    """What checking one file gives: its slim document (None when it is left out), its findings,
    and the id it gives itself when it is left out."""

    path: str
    document: Document[Record] | None
    findings: list[Finding]
    unreadable_id: str | None = None


class _Checker:
    """Loads one file and runs the per-file and per-document rules on it. One per process:
    building it compiles the schemas, and the first check reads the git history.

    What checking a file gives is made of the file, the organisation, the schemas, the settings the
    rules read, the day, sb's own code and the git history (all of it named by the commit HEAD is
    at), so a check made before from the same is taken from the run's cache (only sb publish keeps
    one: sb validate in CI always checks anew)."""

    def __init__(
        self,
        settings: Settings,
        as_of: dt.date,
        registry: Organisation,
        schemas: dict[str, Any] | None = None,
        history: gitio.History | None = None,
    ) -> None:
        self.settings = settings
        self._history = history  # read once by the process that starts the workers
        self.organisation = registry
        self.as_of = as_of
        self._git = gitio.open_repository(settings.root)
        self.schemas = schemas if schemas is not None else validators(settings.schema_dir())
        commit = self._git.head if isinstance(self._git, gitio.Git) else f"ingen historik: {self._git.cause}"
        self.made_with = key(
            "prövning",
            f"{as_of}\0{settings.notice_window_days}\0{settings.max_file_bytes}\0{settings.documents}\0{commit}",
            schemas_key(settings.schema_dir()),
            msgspec.msgpack.encode(registry),
        )

    def history(self, read: gitio.ReadRecords | None = None) -> gitio.History | None:
        """The records' git history (None: git cannot show it), read on first use."""
        if self._history is None and isinstance(self._git, gitio.Git):
            self._history = gitio.History(self._git, self.settings.documents, read)
        return self._history

    @cached_property
    def context(self) -> Context:
        history = self.history()
        return Context(
            as_of=self.as_of,
            notice_window_days=self.settings.notice_window_days,
            history=history,
            descends=history.descends if history is not None else None,
        )

    def __call__(self, relpath: str, check: bool) -> Checked:
        raw = read_file(self.settings.root, relpath, max_bytes=self.settings.max_file_bytes)
        if isinstance(raw, Loaded):
            return Checked(relpath, None, [raw.finding] if raw.finding else [])
        return active().remembered(
            "prövad",
            key(self.made_with, relpath, raw, str(check)),
            lambda: self._checked(parse_bytes(relpath, raw), relpath, check),
            _encoded,
            partial(_decoded, relpath),
        )

    def remembered(self, relpath: str, check: bool) -> Checked | None:
        """The check of the file as made before, if the cache has it."""
        if active() is NO_CACHE:
            return None
        raw = read_file(self.settings.root, relpath, max_bytes=self.settings.max_file_bytes)
        if isinstance(raw, Loaded):
            return None
        return active().stored("prövad", key(self.made_with, relpath, raw, str(check)), partial(_decoded, relpath))

    def _checked(self, result: Loaded, relpath: str, check: bool) -> Checked:
        source = result.source
        if source is None:
            return Checked(relpath, None, [result.finding] if result.finding else [])
        if check:
            document, findings = check_source(source, self.schemas, self.organisation, self.context)
        else:
            document, findings = typed(source, self.schemas)[0], []
        if document is None:
            return Checked(relpath, None, findings, source.id)
        return Checked(relpath, slim(source, document), findings)


class _Stored(msgspec.Struct, array_like=True):
    """A Checked as the cache keeps it."""

    findings: list[Finding]
    document: bytes | None  # corpus.encoded_document of the slim document
    unreadable_id: str | None


_stored = msgspec.msgpack.Decoder(_Stored)


def _encoded(checked: Checked) -> bytes:
    document = encoded_document(checked.document) if checked.document is not None else None
    return msgspec.msgpack.encode(_Stored(checked.findings, document, checked.unreadable_id))


def _decoded(relpath: str, data: bytes) -> Checked:
    stored = _stored.decode(data)
    document = decoded_document(relpath, stored.document) if stored.document is not None else None
    return Checked(relpath, document, stored.findings, stored.unreadable_id)


def check_source(
    source: Source, schemas: dict[str, Any], registry: Organisation, context: Context
) -> tuple[Document[Record] | None, list[Finding]]:
    """Every rule that looks at one file: the file rules, its schema, and (when it passes) the
    per-document rules. The document comes back for the rules across documents."""
    document, findings = typed(source, schemas)
    findings += run_file(source, context)
    if document is not None:
        findings += run(Corpus.of((document,), registry), context, document_checks())
    return document, ordered(findings)


_worker: _Checker | None = None


def _start_worker(settings: Settings, as_of: dt.date, registry: Organisation, history: gitio.History | None) -> None:
    global _worker
    _worker = _Checker(settings, as_of, registry, history=history)


def _work(job: tuple[str, bool]) -> Checked:
    assert _worker is not None
    return _worker(*job)


class _FileChecker:
    """Loads and checks files: a few in this process, many in a pool of worker processes."""

    def __init__(self, settings: Settings, as_of: dt.date, registry: Organisation, schemas: dict[str, Any]) -> None:
        self._arguments = (settings, as_of, registry)
        self._schemas = schemas
        self._local: _Checker | None = None  # built once, on first use

    def check(self, jobs: list[tuple[str, bool]]) -> Iterator[Checked]:
        if self._local is None:
            self._local = _Checker(*self._arguments, self._schemas)
        local, left = self._local, []
        for job in jobs:
            found = local.remembered(*job)
            if found is None:
                left.append(job)
            else:
                yield found
        workers = min(os.cpu_count() or 1, 8)
        if len(left) < PARALLEL_FROM or workers < 2:
            for relpath, check in left:
                yield local(relpath, check)
            return
        from concurrent.futures import ProcessPoolExecutor

        history = None
        if any(check for _, check in left):  # the history is read once, its files spread over the workers
            with ProcessPoolExecutor(workers) as readers:
                history = local.history(partial(_spread, readers.map, workers))
        with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(*self._arguments, history)) as pool:
            yield from pool.map(_work, left, chunksize=max(16, len(left) // (workers * 16)))


def _spread(
    map_: Callable[..., Iterator[list[Record | None]]], workers: int, files: list[tuple[str, bytes]]
) -> list[Record | None]:
    """`gitio.records_of` over many files, in parts read side by side by the workers."""
    count = workers * 4
    size = max(1, (len(files) + count - 1) // count)
    parts = [files[start : start + size] for start in range(0, len(files), size)]
    return [record for part in map_(gitio.records_of, parts) for record in part]


@dataclass
class _Gathered:
    """What the first pass keeps: the findings so far and a slim copy of each readable document."""

    files: list[str]
    registry: Organisation
    checker: _FileChecker
    findings: list[Finding]
    documents: dict[str, Document[Record]] = field(default_factory=dict)
    unreadable: set[str] = field(default_factory=set)

    def check(self, paths: list[str], with_rules: bool, progress: Progress | None = None) -> None:
        for done, checked in enumerate(self.checker.check([(p, with_rules) for p in paths]), 1):
            if progress is not None:
                progress(done, len(paths))
            self.findings.extend(checked.findings)
            if checked.document is not None:
                self.documents[checked.path] = checked.document
            if checked.unreadable_id:
                self.unreadable.add(checked.unreadable_id)

    def corpus(self) -> Corpus:
        order = {relpath: index for index, relpath in enumerate(self.files)}
        documents = tuple(sorted(self.documents.values(), key=lambda d: order[d.path]))
        return Corpus.of(documents, self.registry, unreadable_ids=frozenset(self.unreadable))


def _check_chosen(
    settings: Settings, gathered: _Gathered, chosen: set[str], changed_since: str | None, with_organisation: bool
) -> set[str]:
    """Only the chosen files and those that may matter to them are parsed, not all of them; the
    files whose findings are reported are returned."""
    files = gathered.files
    gathered.check(sorted(chosen & set(files)), True)
    gathered.check(_mentioning(settings, files, gathered.documents), False)
    selected = _with_referring(gathered.corpus(), chosen, changed_since is not None)
    if with_organisation and changed_since is None and settings.organisation_path in chosen:
        selected |= {settings.organisation_path}
    referring = sorted((selected - chosen) & set(files))
    gathered.check(referring, True)
    gathered.check(_mentioning(settings, files, gathered.documents, about=referring), False)
    return selected


def _git_findings(
    settings: Settings,
    git: gitio.Git | gitio.Unavailable,
    changed_since: str | None,
    corpus: Corpus,
    findings: list[Finding],
    selected: set[str] | None,
) -> list[Finding]:
    """SB040 when a revision is given, or SB041 when a full run cannot read the history."""
    if isinstance(git, gitio.Git) and changed_since is not None:
        return records_since(settings, git, changed_since, corpus, findings)
    if isinstance(git, gitio.Unavailable) and selected is None:
        return [SB041.where(REPOSITORY, None, None, f"{git.cause}: SB040 kontrolleras inte", hint=git.fix)]
    return []


def validate_repository(
    settings: Settings,
    *,
    as_of: dt.date,
    paths: list[Path] | None = None,
    changed_since: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> Report:
    """`sb validate`: the findings of every file, or of the files chosen by `paths` and
    `changed_since` and those that may matter to them. `progress` is told how far the check of
    every file has come: (files checked, files in all)."""
    schemas = validators(settings.schema_dir())
    registry, organisation_source, problems = organisation(settings, schemas)
    git = gitio.open_repository(settings.root)
    files = [p for p in discover(settings.root, settings.documents) if p != settings.organisation_path]
    chosen = _chosen(settings, files, paths, changed_since, git)

    gathered = _Gathered(files, registry, _FileChecker(settings, as_of, registry, schemas), list(problems))
    if organisation_source is not None:
        gathered.findings += site_paths.reserved_forum_ids(organisation_source)
        gathered.findings += forum_names.forum_name_periods(organisation_source)
    selected = None
    if chosen is None:
        gathered.check(files, True, progress)
    else:
        selected = _check_chosen(settings, gathered, chosen, changed_since, organisation_source is not None)
    context = Context(
        as_of=as_of,
        notice_window_days=settings.notice_window_days,
        path_exists=lambda relpath: (settings.root / relpath).exists(),
        signed_pdf=SignedPdfs(settings),
        selected=frozenset(selected) if selected is not None else None,
    )
    findings = gathered.findings + run(gathered.corpus(), context, corpus_checks())
    if selected is not None:
        findings = [f for f in findings if f.path in selected]
    findings += _git_findings(settings, git, changed_since, gathered.corpus(), findings, selected)
    checked = sorted({*files, settings.organisation_path} if selected is None else selected)
    return Report(as_of, len(checked), ordered(findings), tuple(checked), strict)


def _chosen(
    settings: Settings,
    files: list[str],
    paths: list[Path] | None,
    changed_since: str | None,
    git: gitio.Git | gitio.Unavailable,
) -> set[str] | None:
    """The files asked about: PATH arguments and/or what changed since a revision (None: all)."""
    if not paths and changed_since is None:
        return None
    every = [*files, settings.organisation_path]
    chosen = _named(settings, every, paths) if paths else None
    if changed_since is not None:
        changed = _changed(settings, every, changed_since, git)
        chosen = changed if chosen is None else chosen & changed
    return chosen


def _named(settings: Settings, every: list[str], paths: list[Path]) -> set[str]:
    """The files the PATH arguments name, or that lie in the folders they name."""
    chosen: set[str] = set()
    for path in paths:
        rel = settings.relpath(path)
        chosen.update(p for p in every if p == rel or rel in ("", ".") or p.startswith(rel + "/"))
    return chosen


def _changed(settings: Settings, every: list[str], revision: str, git: gitio.Git | gitio.Unavailable) -> set[str]:
    """The files changed since `revision`; all of them when organisation.yaml changed."""
    if isinstance(git, gitio.Unavailable):
        raise UsageError(f"--changed-since kräver git-historik: {git.cause}", hint=git.fix)
    changed, _ = gitio.changed_since(git, revision, settings.documents, every)
    changed &= set(every)
    if settings.organisation_path in changed:  # every document depends on the registry
        changed = set(every)
    return changed


def records_since(
    settings: Settings, git: gitio.Git, revision: str, corpus: Corpus, found: list[Finding]
) -> list[Finding]:
    """SB040 for each record `revision` holds that is gone now (a record is repealed, not deleted) or
    differs from that copy of the same id, wherever either file lies; none where SB040 already spoke."""
    spoken = {f.path for f in found if f.code == history.SB040.code}
    findings: list[Finding] = []
    for path, then in gitio.records_at(git, revision):
        now = corpus.by_id.get(then.id)
        if now is None:
            gone = history.removed(path, then, revision) if then.id not in corpus.unreadable_ids else None
            if gone is not None and path not in spoken:
                findings.append(gone)
            continue
        current = _current_record(settings, now.path)
        if current is not None and now.path not in spoken:
            findings += history.differs_from(*current, then, revision)
    return findings


def _current_record(settings: Settings, relpath: str) -> tuple[Source, Record] | None:
    raw = read_file(settings.root, relpath, max_bytes=settings.max_file_bytes)
    source = parse_bytes(relpath, raw).source if isinstance(raw, bytes) else None
    if source is None:
        return None
    try:
        return source, to_record(source.data, source.body)
    except RecordError:
        return None


_Mention = Callable[[bytes], bool]


def _mentioning(
    settings: Settings, files: list[str], loaded: dict[str, Document[Record]], about: list[str] | None = None
) -> list[str]:
    """The files not yet loaded whose text mentions what the rules across documents compare the
    documents `about` (default: all loaded) with (see `Compares` in the registry): their ids and the
    ids they refer to, and their forum together with their meeting year (and the years they defer
    items to). A conservative text filter: it may pick too many files, never too few."""
    documents = [loaded[p] for p in (about if about is not None else loaded) if p in loaded]
    tests = [test for kind in sorted(compared()) if (test := _MENTIONS[kind](documents)) is not None]
    if not tests:
        return []
    return [path for path in files if path not in loaded and _mentions(settings, path, tests)]


def _mentions(settings: Settings, relpath: str, tests: list[_Mention]) -> bool:
    try:
        raw = read_regular(settings.root / relpath, settings.max_file_bytes)
    except TooLarge:  # never loaded (SB001 when chosen)
        return False
    except OSError:  # let the loader report it
        return True
    return any(test(raw) for test in tests)


def _id_mention(documents: list[Document[Record]]) -> _Mention | None:
    """A text naming the documents' ids, the ids they refer to or their links to other documents."""
    words = {word for document in documents for word in _ids_of(document)} - {""}
    if not words:
        return None
    pattern = re.compile(b"|".join(re.escape(w.encode()) for w in sorted(words)))
    return lambda raw: pattern.search(raw) is not None


def _ids_of(document: Document[Record]) -> set[str]:
    links = {link.target for link in document.links if "/" not in link.target}
    return {document.id, *referenced_ids(document.record)} | links


def _meeting_mention(documents: list[Document[Record]]) -> _Mention | None:
    """A text naming a protocol's forum and one of its years: its meeting's and those it defers items to."""
    marks = sorted({mark for document in documents for mark in _meeting_marks(document.record)})
    if not marks:
        return None
    return lambda raw: any(forum in raw and year in raw for forum, year in marks)


def _meeting_marks(record: Record) -> set[tuple[bytes, bytes]]:
    held = record.meeting.when if isinstance(record, Protocol) else None
    if not isinstance(record, Protocol) or held is None:
        return set()
    deferred = {p.deferred_to.year for item in record.items for p in (item, *item.subitems) if p.deferred_to}
    return {(record.forum.encode(), f"{year}-".encode()) for year in {held.year} | deferred}


_MENTIONS: dict[Compares, Callable[[list[Document[Record]]], _Mention | None]] = {
    Compares.IDS: _id_mention,
    Compares.MEETINGS: _meeting_mention,
}


def _with_referring(corpus: Corpus, chosen: set[str], add_referring: bool) -> set[str]:
    """With --changed-since, the documents that refer to a changed one are checked too."""
    if not add_referring:
        return set(chosen)
    changed_ids = {d.id for d in corpus.documents if d.path in chosen}
    return set(chosen) | {d.path for d in corpus.documents if referenced_ids(d.record) & changed_ids}
