"""`sb validate` as a library call: load the repository, run every rule, return the findings."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sb_cli.core.model import Corpus, Document, Finding, Severity
from sb_cli.core.organisation import organisation_from
from sb_cli.core.refs import referenced_ids
from sb_cli.core.rules import Context, run
from sb_cli.io import git as gitio
from sb_cli.io.loader import discover, load, parse_bytes
from sb_cli.io.repo import Settings
from sb_cli.io.schemas import validators
from sb_cli.errors import UsageError


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


def load_corpus(settings: Settings) -> Loaded:
    root = settings.root
    if not (root / settings.documents).is_dir():
        raise UsageError(f"mappen {settings.documents}/ finns inte i {root}")
    documents: list[Document] = []
    problems: list[Finding] = []
    organisation_doc: Document | None = None
    for relpath in discover(root, settings.documents):
        result = load(root, relpath, max_bytes=settings.max_file_bytes)
        if result.finding is not None:
            problems.append(result.finding)
        elif relpath == settings.organisation_path:
            organisation_doc = result.document
        elif result.document is not None:
            documents.append(result.document)
    if organisation_doc is None and not any(f.path == settings.organisation_path for f in problems):
        problems.append(Finding("SB001", Severity.ERROR, settings.organisation_path, None, None,
                                "organisation.yaml saknas"))
    organisation = organisation_from(organisation_doc.data if organisation_doc else None)
    return Loaded(Corpus.of(tuple(documents), organisation), organisation_doc, problems)


def validate_repository(
    settings: Settings,
    *,
    as_of: dt.date,
    paths: list[Path] | None = None,
    changed_since: str | None = None,
) -> Report:
    loaded = load_corpus(settings)
    corpus = loaded.corpus
    repo = gitio.open_repository(settings.root)
    selected = _selection(settings, loaded, paths, changed_since, repo)
    history = None
    if repo is not None:
        history = gitio.History(repo, settings.root, settings.documents,
                                lambda relpath, raw: parse_bytes(relpath, raw).document)
    context = Context(
        as_of=as_of,
        notice_window_days=settings.notice_window_days,
        schemas=validators(settings.schema_dir()),
        path_exists=lambda relpath: (settings.root / relpath).exists(),
        history=history,
        selected=selected,
        organisation_document=loaded.organisation,
    )
    findings = run(corpus, context)
    problems = [f for f in loaded.problems if selected is None or f.path in selected]
    total = len(corpus.documents) + (1 if loaded.organisation else 0) + len(loaded.problems)
    checked = total if selected is None else len(selected)
    return Report(as_of, checked, sorted(problems + findings, key=Finding.sort_key))


def _selection(settings: Settings, loaded: Loaded, paths: list[Path] | None,
               changed_since: str | None, repo: object) -> frozenset[str] | None:
    if not paths and changed_since is None:
        return None
    every = [d.path for d in loaded.corpus.documents] + [f.path for f in loaded.problems]
    if loaded.organisation is not None:
        every.append(loaded.organisation.path)
    chosen: set[str] = set()
    for path in paths or []:
        absolute = path.resolve()
        if not absolute.exists():
            raise UsageError(f"{path} finns inte")
        try:
            rel = absolute.relative_to(settings.root).as_posix()
        except ValueError:
            raise UsageError(f"{path} ligger utanför repositoriet {settings.root}") from None
        chosen.update(p for p in every if p == rel or rel in ("", ".") or p.startswith(rel + "/"))
    if changed_since is not None:
        if repo is None:
            raise UsageError("--changed-since kräver ett git-repositorium")
        changed = gitio.changed_since(repo, settings.root, changed_since) & set(every)
        if settings.organisation_path in changed:
            return None if not paths else frozenset(chosen)
        changed_ids = {d.id for d in loaded.corpus.documents if d.path in changed}
        referring = {d.path for d in loaded.corpus.documents if referenced_ids(d) & changed_ids}
        since = changed | referring
        chosen = since if not paths else chosen & since
    return frozenset(chosen)
