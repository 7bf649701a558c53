"""Frozen records shared by loading, rules and reporting."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

Path_ = tuple[str | int, ...]  # a key path inside a document, e.g. ("items", 3, "decisions")

STYRDOKUMENT_TYPES = (
    "ledningssystem", "overenskommelse", "avtal", "riktlinje", "rutin", "processbeskrivning",
    "uppdragsbeskrivning", "verksamhetsplan", "handlingsplan", "projektplan", "arshjul",
)
MEETING_TYPES = ("kallelse", "protokoll", "foredragning", "tjansteskrivelse", "arsrapport")
DOCUMENT_TYPES = STYRDOKUMENT_TYPES + MEETING_TYPES
AGREEMENT_TYPES = ("overenskommelse", "avtal")

# A document id as schemas/common.schema.json allows it; such an id is also a safe file name.
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
ID_CHARACTERS = "A–Z, a–z, 0–9, punkt, bindestreck och understreck"


def is_valid_id(ident: str) -> bool:
    return _ID.fullmatch(ident) is not None


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


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

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line or 0, self.column or 0, self.code)


class Position(NamedTuple):  # a tuple: many per document, cheap to build and to pickle
    line: int  # 1-based
    column: int  # 1-based


# What the rules across documents never look at (texts, people, decisions), and the keys below the
# top level whose positions they point at (elsewhere a finding points at the nearest kept parent).
_NOT_COMPARED = frozenset({"body", "title_note", "description", "presenters", "attachments", "send_to", "text",
                           "attendance", "chair", "secretary", "adjusters", "distribution", "decisions"})
_POINTED_AT = frozenset({"number", "follows_up", "deferred_to", "ref", "document", "letter"})


@dataclass(frozen=True, slots=True)
class Document:
    """One loaded file: its header data, key positions and (for Markdown) its body."""

    path: str  # relative to the repository root, POSIX separators
    data: dict[str, Any]
    positions: dict[Path_, Position]
    body: str | None = None  # Markdown body of a .md file
    body_line: int = 1  # line of the body's first line in the file
    strings: tuple[tuple[Path_, str, int], ...] = ()  # every string scalar: path, text, first line
    links: tuple[tuple[str, int, int | None], ...] = ()  # Markdown link targets: target, line, column

    @property
    def id(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) else None

    @property
    def type(self) -> str | None:
        value = self.data.get("type")
        return value if isinstance(value, str) else None

    @property
    def is_styrdokument(self) -> bool:
        return self.type in STYRDOKUMENT_TYPES

    def slim(self) -> Document:
        """The document as the rules across documents need it: no texts, people or decisions, and
        positions only of the keys those rules point at. A fraction of the full size."""
        def strip(value: Any) -> Any:
            if isinstance(value, dict):
                return {k: strip(v) for k, v in value.items() if k not in _NOT_COMPARED}
            if isinstance(value, list):
                return [strip(v) for v in value]
            return value

        def kept(path: Path_) -> bool:
            top_level = len(path) == 1 or (len(path) == 2 and isinstance(path[1], int))
            return _NOT_COMPARED.isdisjoint(path) and (top_level or path[-1] in _POINTED_AT)

        positions = {path: at for path, at in self.positions.items() if kept(path)}
        return Document(self.path, strip(self.data), positions, None, self.body_line, (), self.links)

    def position(self, *path: str | int) -> Position:
        """The position of the deepest known key along `path` (the document start if none)."""
        for end in range(len(path), 0, -1):
            found = self.positions.get(tuple(path[:end]))
            if found is not None:
                return found
        return self.positions.get((), Position(1, 1))

    def date(self, *path: str | int) -> dt.date | None:
        return parse_date(self.get(*path))

    def get(self, *path: str | int) -> Any:
        value: Any = self.data
        for key in path:
            if isinstance(value, dict) and isinstance(key, str):
                value = value.get(key)
            elif isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
                value = value[key]
            else:
                return None
        return value


def parse_date(value: Any) -> dt.date | None:
    """An ISO date string as a date; None for anything else (the schema reports bad dates)."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Member:
    name: str
    party: str
    title: str | None = None
    role: str | None = None
    votes: bool = True
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def serves_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


@dataclass(frozen=True, slots=True)
class Party:
    id: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class Forum:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    decision_phrase: str | None = None
    numbering: str = "paragraph"
    agenda_notice_days: int | None = None
    meetings_min: int | None = None
    meetings_max: int | None = None
    quorum_per: str | None = None
    members: tuple[Member, ...] = ()
    standing_items: tuple[dict[str, Any], ...] = ()

    def roster(self, day: dt.date) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.serves_on(day))

    @property
    def phrase(self) -> str:
        return self.decision_phrase or f"{self.name} beslutar"


@dataclass(frozen=True, slots=True)
class Organisation:
    parties: dict[str, Party] = field(default_factory=dict)
    forums: dict[str, Forum] = field(default_factory=dict)

    def knows(self, ident: str) -> bool:
        return ident in self.parties or ident in self.forums

    def name_of(self, ident: str) -> str:
        """The forum's or party's name, or the id itself when neither is registered."""
        known = self.forums.get(ident) or self.parties.get(ident)
        return known.name if known else ident


@dataclass(frozen=True, slots=True)
class Corpus:
    """Every document of a repository, and its organisation registry."""

    documents: tuple[Document, ...]
    organisation: Organisation
    by_id: dict[str, Document] = field(default_factory=dict)

    @classmethod
    def of(cls, documents: tuple[Document, ...], organisation: Organisation) -> Corpus:
        by_id: dict[str, Document] = {}
        for doc in documents:
            if doc.id is not None:
                by_id.setdefault(doc.id, doc)
        return cls(documents, organisation, by_id)

    def protocols(self, forum: str | None = None) -> list[Document]:
        return [
            d for d in self.documents
            if d.type == "protokoll" and (forum is None or d.get("forum") == forum)
        ]

# English names accepted wherever a type is given (SPEC §7).
TYPE_ALIASES = {
    "protocol": "protokoll", "agenda": "kallelse", "agreement": "overenskommelse", "contract": "avtal",
    "routine": "rutin", "guideline": "riktlinje", "process": "processbeskrivning",
    "commission": "uppdragsbeskrivning", "operational-plan": "verksamhetsplan",
    "action-plan": "handlingsplan", "project-plan": "projektplan", "annual-report": "arsrapport",
    "memo": "tjansteskrivelse", "decision-paper": "foredragning", "annual-cycle": "arshjul",
    "management-system": "ledningssystem",
}


def canonical_type(name: str) -> str | None:
    """The type of SPEC §3.2 for a Swedish or English type name; None when unknown."""
    name = name.strip().lower()
    name = TYPE_ALIASES.get(name, name)
    return name if name in DOCUMENT_TYPES else None
