"""What each page of the editor shows, as plain data for its template: pure functions over the
loaded repository, so the pages are tested without a server."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sb_cli.core import reports
from sb_cli.core.model import Corpus, Document, Finding, Position
from sb_cli.core.records import Forum, Kallelse, Protocol
from sb_cli.edit.schemaform import Path_, Schemas, label, name_of


@dataclass
class MeetingRow:
    date: dt.date
    kallelse: Document[Kallelse] | None = None
    protocol: Document[Protocol] | None = None
    open_decisions: int = 0

    @property
    def kallelse_state(self) -> str:
        if self.kallelse is None:
            return "saknas"
        return "skickad" if self.kallelse.record.sent is not None else "utkast"

    @property
    def protocol_state(self) -> str:
        if self.protocol is None:
            return "saknas"
        return "justerat" if self.protocol.record.adjusted is not None else "utkast"


@dataclass
class ForumRow:
    forum: Forum
    meetings: list[MeetingRow] = field(default_factory=list)


def forums(corpus: Corpus, as_of: dt.date) -> list[ForumRow]:
    """Each forum with its meetings, newest first: the kallelse, the protocol and the decisions
    still open (`sb report decisions --open`)."""
    open_by_protocol = Counter(row["protocol"] for row in reports.decisions(corpus, as_of, open_only=True))
    by_meeting: dict[tuple[str, dt.date], MeetingRow] = {}
    for document in corpus.meetings():
        day = document.record.meeting.date
        if day is None:
            continue
        row = by_meeting.setdefault((document.record.forum, day), MeetingRow(day))
        if isinstance(document.record, Protocol):
            row.protocol = Document(document.path, document.record, document.positions, document.links)
            row.open_decisions = open_by_protocol.get(document.record.id, 0)
        elif isinstance(document.record, Kallelse):
            row.kallelse = Document(document.path, document.record, document.positions, document.links)
    grouped: defaultdict[str, list[MeetingRow]] = defaultdict(list)
    for (forum_id, _day), row in by_meeting.items():
        grouped[forum_id].append(row)
    return [
        ForumRow(forum, sorted(grouped.get(forum.id, []), key=lambda r: r.date, reverse=True))
        for forum in corpus.organisation.forums.values()
    ]


def coordinator(corpus: Corpus, as_of: dt.date, window: int) -> dict[str, list[dict[str, Any]]]:
    """The coordinator's three views, from the same functions as `sb report`."""
    return {
        "expiring": reports.expiring(corpus, as_of, window),
        "overdue": reports.overdue(corpus, as_of),
        "decisions": reports.decisions(corpus, as_of, open_only=True),
    }


@dataclass(frozen=True)
class Placed:
    """A finding with the form field it concerns (None: the document as a whole)."""

    finding: Finding
    field: str | None
    label: str


def placed(
    findings: list[Finding],
    positions: dict[Path_, Position],
    schemas: Schemas,
    doc_type: str,
    body_line: int | None = None,
) -> list[Placed]:
    """Each finding beside the field on its line: the deepest key written on that line, else the
    nearest one above it; in a Markdown document's text, the text."""
    by_line: dict[int, Path_] = {}
    for keys, position in positions.items():
        current = by_line.get(position.line)
        if current is None or len(keys) > len(current):
            by_line[position.line] = keys
    lines = sorted(by_line)
    result = []
    for finding in findings:
        in_body = body_line is not None and finding.line is not None and finding.line >= body_line
        path = ("body",) if in_body else _nearest(by_line, lines, finding.line)
        field_name = name_of(path) if path else None
        result.append(Placed(finding, field_name, label(schemas, doc_type, path) if path else "Dokumentet"))
    return result


def _nearest(by_line: dict[int, Path_], lines: list[int], line: int | None) -> Path_ | None:
    if line is None:
        return None
    above = [n for n in lines if n <= line]
    return by_line[above[-1]] if above else None
