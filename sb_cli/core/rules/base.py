"""What every rule is made of: its registry entry, the context it runs in, and its findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from sb_cli.core.model import Corpus, Document, Finding, Severity, Source

if TYPE_CHECKING:
    from sb_cli.core.records import Record


class Scope(StrEnum):
    FILE = "file"  # every readable file, as written (before its schema): SB001, SB002, SB030
    DOCUMENT = "document"  # one schema-valid document, with the organisation and its git history
    CORPUS = "corpus"  # across documents: needs the others, or slim copies of them


class Compares(StrEnum):
    """What a rule across documents compares a document with: what a path-limited or
    --changed-since run must load besides the chosen files."""

    IDS = "ids"  # documents with the same id, and those it refers to or that refer to it
    MEETINGS = "meetings"  # the forum's other protocols of the same year


class Snapshot(Protocol):
    """A document's git history: (commit, record or None when that version is unreadable), oldest first."""

    def __call__(self, document: Document[Record]) -> list[tuple[str, Record | None]]: ...


@dataclass(frozen=True)
class Context:
    as_of: dt.date
    notice_window_days: int = 90
    # Whether a repository-relative path exists (links, SB031); None skips file links.
    path_exists: Callable[[str], bool] | None = None
    # What is wrong with the signed PDF beside a protocol (SB042): None when it has none; None skips.
    signed_pdf: Callable[[str], list[str] | None] | None = None
    # Git history of a document; None when it cannot be read (SB041 says why).
    history: Snapshot | None = None
    # Whether commit `later` descends from commit `earlier`; None: the history is one line.
    descends: Callable[[str, str], bool] | None = None
    # Only these paths get findings (and the per-document rules); None means all.
    selected: frozenset[str] | None = None

    def wants(self, path: str) -> bool:
        return self.selected is None or path in self.selected


FileCheck = Callable[[Source, Context], Iterable[Finding]]
CorpusCheck = Callable[[Corpus, Context], Iterable[Finding]]


@dataclass(frozen=True, eq=False)
class Rule:
    """One entry of the registry: everything sb says about a rule comes from here."""

    code: str
    severity: Severity
    title: str  # a short Swedish name
    description: str  # what the rule checks, in one or two Swedish sentences
    help: str  # what to do about a finding
    scope: Scope
    check: CorpusCheck | None = None  # None: found while loading and typing (SB001, SB002, SB041)
    compares: frozenset[Compares] = frozenset()
    # The part of a rule across documents that needs only the document itself: it runs where the
    # document is loaded, with the full record (e.g. SB004 for parties named in the attendance).
    check_each: CorpusCheck | None = None
    # A rule on the file as written, before its schema (SB030): it sees every readable file.
    check_file: FileCheck | None = None

    def at(self, document: Document[Any] | Source, message: str, *path: str | int, hint: str | None = None) -> Finding:
        """A finding at the position of the deepest known key along `path`."""
        position = document.position(*path)
        return Finding(
            self.code,
            self.severity,
            document.path,
            position.line,
            position.column,
            message,
            document=document.id,
            hint=hint,
        )

    def where(
        self,
        path: str,
        line: int | None,
        column: int | None,
        message: str,
        *,
        document: str | None = None,
        hint: str | None = None,
    ) -> Finding:
        return Finding(self.code, self.severity, path, line, column, message, document=document, hint=hint)
