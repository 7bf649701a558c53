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
from pathlib import Path
from typing import Any

from sb_cli.core.model import Corpus, Document, Finding, Organisation, Severity
from sb_cli.core.organisation import organisation_from
from sb_cli.core.refs import referenced_ids
from sb_cli.core.rules import Context, corpus_rules, document_rules, run
from sb_cli.core.rules.records import NOT_GIT
from sb_cli.core.rules.schema import check_organisation
from sb_cli.errors import UsageError
from sb_cli.io import git as gitio
from sb_cli.io.loader import discover, load, parse_bytes
from sb_cli.io.repo import Settings
from sb_cli.io.schemas import validators

PARALLEL_FROM = 300  # files; below this a process pool costs more than it saves


@dataclass(frozen=True)
class Report:
    as_of: dt.date
    documents: int
    findings: list[Finding]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(f.severity.value for f in self.findings)
        return {s.value: counts.get(s.value, 0) for s in Severity}


@dataclass(frozen=True)
class Loaded:
    corpus: Corpus
    organisation: Document | None
    problems: list[Finding]  # SB001 findings of files that could not be loaded


def _organisation(settings: Settings) -> tuple[Document | None, list[Finding]]:
    if not (settings.root / settings.documents).is_dir():
        raise UsageError(f"mappen {settings.documents}/ finns inte i {settings.root}")
    if not (settings.root / settings.organisation_path).exists():
        return None, [Finding("SB001", Severity.ERROR, settings.organisation_path, None, None,
                              "organisation.yaml saknas")]
    result = load(settings.root, settings.organisation_path, max_bytes=settings.max_file_bytes)
    return result.document, [result.finding] if result.finding else []


def load_corpus(settings: Settings) -> Loaded:
    """Every document in full (for reports and rendering)."""
    organisation_doc, problems = _organisation(settings)
    documents: list[Document] = []
    for relpath in discover(settings.root, settings.documents):
        if relpath == settings.organisation_path:
            continue
        result = load(settings.root, relpath, max_bytes=settings.max_file_bytes)
        if result.finding is not None:
            problems.append(result.finding)
        elif result.document is not None:
            documents.append(result.document)
    organisation = organisation_from(organisation_doc.data if organisation_doc else None)
    return Loaded(Corpus.of(tuple(documents), organisation), organisation_doc, problems)


class _Checker:
    """Loads one file and runs the per-document rules on it. One per process: building it reads the
    git history and compiles the schemas."""

    def __init__(self, settings: Settings, as_of: dt.date, organisation: Organisation,
                 schemas: dict[str, Any] | None = None) -> None:
        self.settings = settings
        self.organisation = organisation
        repo = gitio.open_repository(settings.root)
        history = (gitio.History(repo, settings.root, settings.documents,
                                 lambda relpath, raw: parse_bytes(relpath, raw).document) if repo else None)
        self.context = Context(as_of=as_of, notice_window_days=settings.notice_window_days,
                               schemas=schemas if schemas is not None else validators(settings.schema_dir()),
                               history=history)

    def __call__(self, relpath: str, check: bool) -> tuple[Document | None, list[Finding]]:
        result = load(self.settings.root, relpath, max_bytes=self.settings.max_file_bytes)
        if result.document is None:
            return None, [result.finding] if result.finding else []
        findings: list[Finding] = []
        if check:
            corpus = Corpus.of((result.document,), self.organisation)
            findings = run(corpus, self.context, document_rules())
        return result.document.slim(), findings


_worker: _Checker | None = None


def _start_worker(settings: Settings, as_of: dt.date, organisation: Organisation) -> None:
    global _worker
    _worker = _Checker(settings, as_of, organisation)


def _work(job: tuple[str, bool]) -> tuple[str, Document | None, list[Finding]]:
    assert _worker is not None
    return (job[0], *_worker(*job))


class _FileChecker:
    """Loads and checks files: a few in this process, many in a pool of worker processes."""

    def __init__(self, settings: Settings, as_of: dt.date, organisation: Organisation,
                 schemas: dict[str, Any]) -> None:
        self._arguments = (settings, as_of, organisation)
        self._schemas = schemas
        self._local: _Checker | None = None  # built once, on first use

    def check(self, jobs: list[tuple[str, bool]]) -> Iterator[tuple[str, Document | None, list[Finding]]]:
        workers = min(os.cpu_count() or 1, 8)
        if len(jobs) < PARALLEL_FROM or workers < 2:
            if self._local is None:
                self._local = _Checker(*self._arguments, self._schemas)
            for relpath, check in jobs:
                yield (relpath, *self._local(relpath, check))
            return
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=self._arguments) as pool:
            yield from pool.map(_work, jobs, chunksize=max(16, len(jobs) // (workers * 16)))


def validate_repository(
    settings: Settings,
    *,
    as_of: dt.date,
    paths: list[Path] | None = None,
    changed_since: str | None = None,
) -> Report:
    organisation_doc, problems = _organisation(settings)
    organisation = organisation_from(organisation_doc.data if organisation_doc else None)
    repo = gitio.open_repository(settings.root)
    files = [p for p in discover(settings.root, settings.documents) if p != settings.organisation_path]
    chosen = _chosen(settings, files, paths, changed_since, repo)

    schemas = validators(settings.schema_dir())
    file_checker = _FileChecker(settings, as_of, organisation, schemas)
    findings: list[Finding] = list(problems)
    slim: dict[str, Document] = {}

    def check(paths: list[str], with_rules: bool) -> None:
        for relpath, document, found in file_checker.check([(p, with_rules) for p in paths]):
            findings.extend(found)
            if document is not None:
                slim[relpath] = document

    selected = None
    if chosen is None:
        check(files, True)
    else:
        # Only the chosen files and those that may matter to them are parsed, not all of them.
        check(sorted(chosen & set(files)), True)
        check(_mentioning(settings, files, slim), False)
        selected = _with_referring(Corpus.of(tuple(slim.values()), organisation), chosen,
                                   changed_since is not None)
        if organisation_doc is not None and changed_since is None and settings.organisation_path in chosen:
            selected |= {settings.organisation_path}
        referring = sorted((selected - chosen) & set(files))
        check(referring, True)
        check(_mentioning(settings, files, slim, about=referring), False)
    order = {relpath: index for index, relpath in enumerate(files)}
    corpus = Corpus.of(tuple(sorted(slim.values(), key=lambda d: order[d.path])), organisation)
    if organisation_doc is not None:
        findings += check_organisation(organisation_doc, schemas)
    context = Context(as_of=as_of, notice_window_days=settings.notice_window_days,
                      path_exists=lambda relpath: (settings.root / relpath).exists(),
                      selected=frozenset(selected) if selected is not None else None)
    findings += run(corpus, context, corpus_rules())
    if selected is not None:
        findings = [f for f in findings if f.path in selected]
    if repo is None and selected is None:
        findings.append(NOT_GIT)
    checked = len(files) + 1 if selected is None else len(selected)
    return Report(as_of, checked, sorted(set(findings), key=Finding.sort_key))


def _chosen(settings: Settings, files: list[str], paths: list[Path] | None, changed_since: str | None,
            repo: Any) -> set[str] | None:
    """The files asked about: PATH arguments and/or what changed since a revision. None: all."""
    if not paths and changed_since is None:
        return None
    every = [*files, settings.organisation_path]
    chosen: set[str] | None = None
    if paths:
        chosen = set()
        for path in paths:
            rel = settings.relpath(path)
            chosen.update(p for p in every if p == rel or rel in ("", ".") or p.startswith(rel + "/"))
    if changed_since is not None:
        if repo is None:
            raise UsageError("--changed-since kräver ett git-repositorium")
        changed = gitio.changed_since(repo, settings.root, changed_since) & set(every)
        if settings.organisation_path in changed:  # every document depends on the registry
            changed = set(every)
        chosen = changed if chosen is None else chosen & changed
    return chosen


def _mentioning(settings: Settings, files: list[str], loaded: dict[str, Document],
                about: list[str] | None = None) -> list[str]:
    """The files not yet loaded whose text mentions what the rules across documents would compare
    with the documents `about` (default: all loaded): their ids and the ids they refer to (SB003,
    SB030, SB031, and who refers to them), and their forum together with their meeting year
    (SB020, SB024). A conservative text filter: it may pick too many files, never too few."""
    documents = [loaded[p] for p in (about if about is not None else loaded) if p in loaded]
    words: set[str] = set()
    meetings: set[tuple[bytes, bytes]] = set()
    for document in documents:
        words |= {document.id or "", *referenced_ids(document)}
        words |= {target for target, _line, _column in document.links if "/" not in target}
        forum, day = document.get("forum"), document.date("meeting", "date")
        if isinstance(forum, str) and day is not None:
            meetings.add((forum.encode(), f"{day.year}-".encode()))
    words.discard("")
    if not words and not meetings:
        return []
    pattern = re.compile(b"|".join(re.escape(w.encode()) for w in sorted(words))) if words else None
    found = []
    for relpath in files:
        if relpath in loaded:
            continue
        file = settings.root / relpath
        try:
            if file.stat().st_size > settings.max_file_bytes:  # never loaded (SB001 when chosen)
                continue
            raw = file.read_bytes()
        except OSError:
            found.append(relpath)  # let the loader report it
            continue
        if (pattern is not None and pattern.search(raw)) or any(f in raw and y in raw for f, y in meetings):
            found.append(relpath)
    return found


def _with_referring(corpus: Corpus, chosen: set[str], add_referring: bool) -> set[str]:
    """With --changed-since, the documents that refer to a changed one are checked too."""
    if not add_referring:
        return set(chosen)
    changed_ids = {d.id for d in corpus.documents if d.path in chosen}
    return set(chosen) | {d.path for d in corpus.documents if referenced_ids(d) & changed_ids}
