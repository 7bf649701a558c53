"""What loading, rules and reporting share: findings, loaded files and typed documents, the corpus."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar, cast

if TYPE_CHECKING:
    from sb_cli.core.records import (
        Arshjul,
        Kallelse,
        Organisation,
        Paper,
        Protocol,
        Record,
        Styrdokument,
    )

Path_ = tuple[str | int, ...]  # a key path inside a document, e.g. ("items", 3, "decisions")

# A document id as schemas/common.schema.json allows it; such an id is also a safe file name.
ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}"
_ID = re.compile(ID_PATTERN)
ID_CHARACTERS = "A–Z, a–z, 0–9, punkt, bindestreck och understreck"


def is_valid_id(ident: str) -> bool:
    return _ID.fullmatch(ident) is not None


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


REPOSITORY = "."  # the path of a finding about the repository as a whole, not one file (SB041)


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    path: str
    line: int | None
    column: int | None
    message: str
    document: str | None = None
    hint: str | None = None

    def sort_key(self) -> tuple[str, int, int, str, str, str, str, str]:
        """Path, line, column, code and message (SPEC §5); the rest only breaks remaining ties."""
        return (
            self.path,
            self.line or 0,
            self.column or 0,
            self.code,
            self.message,
            self.severity.value,
            self.document or "",
            self.hint or "",
        )


def ordered(findings: list[Finding]) -> list[Finding]:
    """Without duplicates, in the order of SPEC §5: the same input always gives the same output."""
    return sorted(set(findings), key=Finding.sort_key)


class Position(NamedTuple):  # a tuple: many per document, cheap to build and to pickle
    line: int  # 1-based
    column: int  # 1-based


class Link(NamedTuple):
    target: str
    line: int
    column: int | None


def position_in(positions: Mapping[Path_, Position], path: Path_) -> Position:
    """The position of the deepest known key along `path` (the document start if none)."""
    for end in range(len(path), 0, -1):
        found = positions.get(path[:end])
        if found is not None:
            return found
    return positions.get((), Position(1, 1))


@dataclass(frozen=True, slots=True)
class Source:
    """One loaded file as written: its data, the position of every key, and (for Markdown) its body.
    Only the schema check and the privacy check read it; everything else reads the typed record."""

    path: str  # relative to the repository root, POSIX separators
    data: dict[str, Any]
    positions: dict[Path_, Position]
    body: str | None = None  # Markdown body of a .md file
    body_line: int = 1  # line of the body's first line in the file
    strings: tuple[tuple[Path_, str, int], ...] = ()  # every string scalar: path, text, first line
    links: tuple[Link, ...] = ()  # Markdown link targets
    text: str = ""  # the whole file as read (comments, keys, everything)

    @property
    def id(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) else None

    @property
    def type(self) -> str | None:
        value = self.data.get("type")
        return value if isinstance(value, str) else None

    def position(self, *path: str | int) -> Position:
        return position_in(self.positions, path)


R = TypeVar("R", bound="Record")
T = TypeVar("T", bound="Record")


@dataclass(frozen=True, slots=True)
class Document(Generic[R]):
    """A schema-valid document: its typed record, where each key stands in the file, its links."""

    path: str
    record: R
    positions: Mapping[Path_, Position]
    links: tuple[Link, ...] = ()

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def type(self) -> str:
        return self.record.type

    def position(self, *path: str | int) -> Position:
        return position_in(self.positions, path)


def of_type(documents: tuple[Document[Record], ...] | list[Document[Record]], kind: type[T]) -> list[Document[T]]:
    return [cast("Document[T]", d) for d in documents if isinstance(d.record, kind)]


@dataclass(frozen=True)
class Corpus:
    """Every schema-valid document of a repository, and its organisation registry.

    `left_out` names the files that could not be read or failed their schema; `unreadable_ids` the
    ids those files give themselves, so that a reference to one is not reported as dangling."""

    documents: tuple[Document[Record], ...]
    organisation: Organisation
    left_out: tuple[str, ...] = ()
    unreadable_ids: frozenset[str] = frozenset()
    by_id: dict[str, Document[Record]] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        documents: tuple[Document[Record], ...],
        organisation: Organisation,
        *,
        left_out: tuple[str, ...] = (),
        unreadable_ids: frozenset[str] = frozenset(),
    ) -> Corpus:
        by_id: dict[str, Document[Record]] = {}
        for document in documents:
            by_id.setdefault(document.id, document)
        return cls(documents, organisation, left_out, unreadable_ids, by_id)

    def protocols(self, forum: str | None = None) -> list[Document[Protocol]]:
        from sb_cli.core.records import Protocol

        return [d for d in of_type(self.documents, Protocol) if forum is None or d.record.forum == forum]

    def kallelser(self) -> list[Document[Kallelse]]:
        from sb_cli.core.records import Kallelse

        return of_type(self.documents, Kallelse)

    def styrdokument(self) -> list[Document[Styrdokument]]:
        from sb_cli.core.records import Styrdokument

        return of_type(self.documents, Styrdokument)

    def arshjul(self) -> list[Document[Arshjul]]:
        from sb_cli.core.records import Arshjul

        return of_type(self.documents, Arshjul)

    def meetings(self) -> list[Document[Protocol | Kallelse]]:
        """Protocols and kallelser: everything that is about a meeting and has items."""
        from sb_cli.core.records import Kallelse, Protocol

        return [
            cast("Document[Protocol | Kallelse]", d)
            for d in self.documents
            if isinstance(d.record, Protocol | Kallelse)
        ]

    def papers(self) -> list[Document[Paper]]:
        from sb_cli.core.records import Paper

        return of_type(self.documents, Paper)
