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
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Any

import msgspec

from sb_cli.core.model import REPOSITORY, Corpus, Document, Finding, Severity, Source, ordered
from sb_cli.core.records import Organisation, Protocol, Record
from sb_cli.core.refs import referenced_ids
from sb_cli.core.rules import Compares, Context, compared, corpus_checks, document_checks, history, run, run_file
from sb_cli.core.rules.history import SB041
from sb_cli.corpus import decoded_document, encoded_document, organisation, schemas_key, slim, typed
from sb_cli.errors import UsageError
from sb_cli.io import git as gitio
from sb_cli.io.cache import NO_CACHE, active, key
from sb_cli.io.loader import Loaded, TooLarge, discover, parse_bytes, read_file, read_regular
from sb_cli.io.repo import Settings
from sb_cli.io.schemas import validators

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
        self, settings: Settings, as_of: dt.date, registry: Organisation, schemas: dict[str, Any] | None = None
    ) -> None:
        self.settings = settings
        self.organisation = registry
        self.as_of = as_of
        self._git = gitio.open_repository(settings.root)
        self.schemas = schemas if schemas is not None else validators(settings.schema_dir())
        history = self._git.head if isinstance(self._git, gitio.Git) else f"ingen historik: {self._git.cause}"
        self.made_with = key(
            "prövning",
            f"{as_of}\0{settings.notice_window_days}\0{settings.max_file_bytes}\0{settings.documents}\0{history}",
            schemas_key(settings.schema_dir()),
            msgspec.msgpack.encode(registry),
        )

    @cached_property
    def context(self) -> Context:
        git = self._git
        history = gitio.History(git, self.settings.documents) if isinstance(git, gitio.Git) else None
        return Context(as_of=self.as_of, notice_window_days=self.settings.notice_window_days, history=history)

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


def _start_worker(settings: Settings, as_of: dt.date, registry: Organisation) -> None:
    global _worker
    _worker = _Checker(settings, as_of, registry)


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

        with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=self._arguments) as pool:
            yield from pool.map(_work, left, chunksize=max(16, len(left) // (workers * 16)))


def validate_repository(
    settings: Settings,
    *,
    as_of: dt.date,
    paths: list[Path] | None = None,
    changed_since: str | None = None,
    strict: bool = False,
) -> Report:
    schemas = validators(settings.schema_dir())
    registry, organisation_source, problems = organisation(settings, schemas)
    git = gitio.open_repository(settings.root)
    files = [p for p in discover(settings.root, settings.documents) if p != settings.organisation_path]
    chosen, removed = _chosen(settings, files, paths, changed_since, git)

    file_checker = _FileChecker(settings, as_of, registry, schemas)
    findings: list[Finding] = list(problems)
    slim_documents: dict[str, Document[Record]] = {}
    unreadable: set[str] = set()

    def check(paths: list[str], with_rules: bool) -> None:
        for checked in file_checker.check([(p, with_rules) for p in paths]):
            findings.extend(checked.findings)
            if checked.document is not None:
                slim_documents[checked.path] = checked.document
            if checked.unreadable_id:
                unreadable.add(checked.unreadable_id)

    def corpus() -> Corpus:
        order = {relpath: index for index, relpath in enumerate(files)}
        documents = tuple(sorted(slim_documents.values(), key=lambda d: order[d.path]))
        return Corpus.of(documents, registry, unreadable_ids=frozenset(unreadable))

    selected = None
    if chosen is None:
        check(files, True)
    else:
        # Only the chosen files and those that may matter to them are parsed, not all of them.
        check(sorted(chosen & set(files)), True)
        check(_mentioning(settings, files, slim_documents), False)
        selected = _with_referring(corpus(), chosen, changed_since is not None)
        if organisation_source is not None and changed_since is None and settings.organisation_path in chosen:
            selected |= {settings.organisation_path}
        referring = sorted((selected - chosen) & set(files))
        check(referring, True)
        check(_mentioning(settings, files, slim_documents, about=referring), False)
    context = Context(
        as_of=as_of,
        notice_window_days=settings.notice_window_days,
        path_exists=lambda relpath: (settings.root / relpath).exists(),
        selected=frozenset(selected) if selected is not None else None,
    )
    findings += run(corpus(), context, corpus_checks())
    if selected is not None:
        findings = [f for f in findings if f.path in selected]
    if isinstance(git, gitio.Git) and changed_since is not None:
        findings += removed_records(git, changed_since, removed, corpus())
    if isinstance(git, gitio.Unavailable) and selected is None:
        findings.append(SB041.where(REPOSITORY, None, None, f"{git.cause}: SB040 kontrolleras inte", hint=git.fix))
    checked = sorted({*files, settings.organisation_path} if selected is None else selected)
    return Report(as_of, len(checked), ordered(findings), tuple(checked), strict)


def _chosen(
    settings: Settings,
    files: list[str],
    paths: list[Path] | None,
    changed_since: str | None,
    git: gitio.Git | gitio.Unavailable,
) -> tuple[set[str] | None, list[str]]:
    """The files asked about: PATH arguments and/or what changed since a revision (None: all), and
    the documents removed since that revision."""
    removed: list[str] = []
    if not paths and changed_since is None:
        return None, removed
    every = [*files, settings.organisation_path]
    chosen: set[str] | None = None
    if paths:
        chosen = set()
        for path in paths:
            rel = settings.relpath(path)
            chosen.update(p for p in every if p == rel or rel in ("", ".") or p.startswith(rel + "/"))
    if changed_since is not None:
        if isinstance(git, gitio.Unavailable):
            raise UsageError(f"--changed-since kräver git-historik: {git.cause}", hint=git.fix)
        changed, removed = gitio.changed_since(git, changed_since, settings.documents, every)
        changed &= set(every)
        if settings.organisation_path in changed:  # every document depends on the registry
            changed = set(every)
        chosen = changed if chosen is None else chosen & changed
    return chosen, removed


def removed_records(git: gitio.Git, revision: str, removed: list[str], corpus: Corpus) -> list[Finding]:
    """SB040 for the records that were in `revision` and are gone now (a record is repealed, not deleted)."""
    found = []
    for relpath, raw in gitio.read_at(git, revision, removed).items():
        record = gitio.record_of(relpath, raw) if raw is not None else None
        if record is not None and record.id not in corpus.by_id and record.id not in corpus.unreadable_ids:
            gone = history.removed(relpath, record, revision)
            if gone is not None:
                found.append(gone)
    return found


def _mentioning(
    settings: Settings, files: list[str], loaded: dict[str, Document[Record]], about: list[str] | None = None
) -> list[str]:
    """The files not yet loaded whose text mentions what the rules across documents compare the
    documents `about` (default: all loaded) with (see `Compares` in the registry): their ids and the
    ids they refer to, and their forum together with their meeting year (and the years they defer
    items to). A conservative text filter: it may pick too many files, never too few."""
    documents = [loaded[p] for p in (about if about is not None else loaded) if p in loaded]
    wanted = compared()
    words: set[str] = set()
    meetings: set[tuple[bytes, bytes]] = set()
    for document in documents:
        if Compares.IDS in wanted:
            words |= {document.id, *referenced_ids(document.record)}
            words |= {link.target for link in document.links if "/" not in link.target}
        record = document.record
        if Compares.MEETINGS in wanted and isinstance(record, Protocol) and record.meeting.date is not None:
            years = {record.meeting.date.year} | {
                p.deferred_to.year for item in record.items for p in (item, *item.subitems) if p.deferred_to
            }
            meetings |= {(record.forum.encode(), f"{year}-".encode()) for year in years}
    words.discard("")
    if not words and not meetings:
        return []
    pattern = re.compile(b"|".join(re.escape(w.encode()) for w in sorted(words))) if words else None
    found = []
    for relpath in files:
        if relpath in loaded:
            continue
        try:
            raw = read_regular(settings.root / relpath, settings.max_file_bytes)
        except TooLarge:  # never loaded (SB001 when chosen)
            continue
        except OSError:
            found.append(relpath)  # let the loader report it
            continue
        if (pattern is not None and pattern.search(raw)) or any(f in raw and y in raw for f, y in sorted(meetings)):
            found.append(relpath)
    return found


def _with_referring(corpus: Corpus, chosen: set[str], add_referring: bool) -> set[str]:
    """With --changed-since, the documents that refer to a changed one are checked too."""
    if not add_referring:
        return set(chosen)
    changed_ids = {d.id for d in corpus.documents if d.path in chosen}
    return set(chosen) | {d.path for d in corpus.documents if referenced_ids(d.record) & changed_ids}
