"""What the public site holds (SPEC §8), as pure functions over the corpus.

Justerade protocols in their public version, kallelser from their `sent` date, styrdokument that
are `beslutad` or `upphavd`; never a draft, never a document with errors. `public_corpus` is the
published documents with every withheld point taken out: the registers, the feed and the calendar
are made from it, so a withheld point cannot reach them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import msgspec

from sb_cli.core.doctypes import Published, find
from sb_cli.core.meetings import earliest_day, when_order
from sb_cli.core.model import Corpus, Document
from sb_cli.core.records import Item, Kallelse, Protocol, Record, Styrdokument, Subitem, When
from sb_cli.render.markdown import Block, Heading


@dataclass(frozen=True)
class Meeting:
    forum: str
    date: When  # the day, or only the month when the source gives no day
    kallelse: Document[Kallelse] | None
    protocol: Document[Protocol] | None

    @property
    def folder(self) -> str:
        """`<forum>/<YYYY-MM-DD>`, or `<forum>/<YYYY-MM>` for a meeting whose day is unknown (SPEC §8)."""
        return f"{self.forum}/{self.date.isoformat()}"

    @property
    def order(self) -> tuple[dt.date, int]:
        """Sort key: a month after every known day of that month (as core.meetings.meeting_order)."""
        return when_order(self.date)


@dataclass(frozen=True)
class Selection:
    meetings: list[Meeting]
    documents: list[Document[Styrdokument]]
    left_out: list[tuple[str, str]]  # (path, why), for the user

    def published(self) -> list[Document[Any]]:
        found: list[Document[Any]] = list(self.documents)
        for meeting in self.meetings:
            found += [d for d in (meeting.kallelse, meeting.protocol) if d is not None]
        return found


@dataclass
class _Screen:
    """Keeps a due document unless it has errors; those it notes, for the user."""

    invalid: frozenset[str]
    left_out: set[tuple[str, str]] = field(default_factory=set)

    def __call__(self, document: Document[Any]) -> bool:
        if document.path in self.invalid:
            self.left_out.add((document.path, "har fel (sb validate)"))
            return False
        return True


def select(corpus: Corpus, as_of: dt.date, invalid: Iterable[str] = ()) -> Selection:
    """What is published per `as_of`; documents in `invalid` (paths with errors) are left out."""
    usable = _Screen(frozenset(invalid))
    documents = [d for d in corpus.styrdokument() if _styrdokument_due(d) and usable(d)]
    protocols = _by_meeting(corpus.protocols(), lambda p: _protocol_due(p, as_of), usable)
    kallelser = _by_meeting(corpus.kallelser(), lambda k: _kallelse_due(k, as_of), usable)
    meetings = [
        Meeting(forum, day, kallelser.get((forum, day)), protocols.get((forum, day)))
        for forum, day in sorted({*protocols, *kallelser}, key=lambda meeting: (meeting[0], when_order(meeting[1])))
    ]
    return Selection(meetings, sorted(documents, key=lambda d: d.id), sorted(usable.left_out))


_MeetingDocument = TypeVar("_MeetingDocument", Document[Protocol], Document[Kallelse])


def _by_meeting(
    documents: Iterable[_MeetingDocument],
    due: Callable[[_MeetingDocument], tuple[str, When] | None],
    usable: _Screen,
) -> dict[tuple[str, When], _MeetingDocument]:
    """The usable documents that are due, by their meeting (forum, date); a later one wins."""
    return {key: d for d in documents if (key := due(d)) is not None and usable(d)}


def _styrdokument_due(document: Document[Styrdokument]) -> bool:
    return _published(document, Published.DECIDED) and document.record.status in ("beslutad", "upphavd")


def _protocol_due(protocol: Document[Protocol], as_of: dt.date) -> tuple[str, When] | None:
    """The meeting of a protocol published per `as_of`: justerat and held by then; None if not yet.
    One justerat on a day the source does not give (`adjusted: true`) is justerat by any day after."""
    record = protocol.record
    day = record.meeting.when
    if not _published(protocol, Published.ADJUSTED) or day is None:
        return None
    return (record.forum, day) if record.adjusted_by(as_of) and earliest_day(day) <= as_of else None


def _kallelse_due(kallelse: Document[Kallelse], as_of: dt.date) -> tuple[str, When] | None:
    """The meeting of a kallelse published per `as_of`: sent by then; None if not yet."""
    record = kallelse.record
    sent, day = record.sent, record.meeting.when
    if not _published(kallelse, Published.SENT) or sent is None or day is None:
        return None
    return (record.forum, day) if sent <= as_of else None


def _published(document: Document[Any], when: Published) -> bool:
    """Whether the table publishes the document's type `when` (SPEC §8)."""
    entry = find(document.type)
    return entry is not None and entry.published is when


def public_corpus(corpus: Corpus, selection: Selection) -> Corpus:
    """The published documents, each meeting's withheld points (public: false) removed."""
    documents: list[Document[Record]] = []
    for document in selection.published():
        record = document.record
        if isinstance(record, Protocol | Kallelse):
            items = tuple(_public_item(i) for i in record.items if i.public)
            record = msgspec.structs.replace(record, items=items)
        documents.append(Document(document.path, record, document.positions, document.links))
    return Corpus.of(tuple(documents), corpus.organisation)


def _public_item(item: Item) -> Item:
    return msgspec.structs.replace(item, subitems=tuple(s for s in item.subitems if s.public))


def withheld_texts(selection: Selection, *, shortest: int = 16) -> list[str]:
    """The texts of every withheld point of a published meeting, whitespace folded, that no
    published file may hold: its body, its decisions, and its title unless `public_title`. Texts
    shorter than `shortest` are left out, since a short title ("Övrigt") also stands elsewhere."""
    texts: set[str] = set()
    for meeting in selection.meetings:
        for document in (meeting.kallelse, meeting.protocol):
            if document is None:
                continue
            for point in _withheld(document.record.items):
                parts = [point.body, *(d.text for d in (*point.decisions, *point.proposed_decisions))]
                if not point.public_title:
                    parts.append(point.title)
                texts |= {folded(t) for t in parts if t and len(folded(t)) >= shortest}
    return sorted(texts)


def _withheld(items: tuple[Item, ...]) -> Iterator[Item | Subitem]:
    for item in items:
        if not item.public:
            yield item
            yield from item.subitems
        else:
            yield from (s for s in item.subitems if not s.public)


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def mandate(blocks: list[Block] | tuple[Block, ...], names: Iterable[str]) -> list[Block]:
    """A forum's mandate from the ledningssystem: the "Uppdrag" part under the first heading that
    names the forum (by id or name) and has one, or nothing."""
    wanted = [re.compile(rf"(?<![\w-]){re.escape(n)}(?![\w-])") for n in names if n]
    for start, block in enumerate(blocks):
        if isinstance(block, Heading) and any(name.search(_text(block)) for name in wanted):
            found = _part(_part(blocks, start), None, "uppdrag")
            if found:
                return found
    return []


def _part(blocks: list[Block] | tuple[Block, ...], start: int | None, title: str = "") -> list[Block]:
    """The blocks under the heading at `start` (or under the first heading called `title`), up to
    the next heading of its level or above."""
    if start is None:
        start = next(
            (i for i, b in enumerate(blocks) if isinstance(b, Heading) and _text(b).strip().lower() == title), None
        )
        if start is None:
            return []
    level = _level(blocks[start])
    section: list[Block] = []
    for block in blocks[start + 1 :]:
        if isinstance(block, Heading) and block.level <= level:
            break
        section.append(block)
    return section


def _level(block: Block) -> int:
    return block.level if isinstance(block, Heading) else 0


def _text(heading: Heading) -> str:
    return "".join(i.text for i in heading.inlines)


# The decision register (SPEC §8 beslut/): each att-clause's state in words, and the clauses grouped
# as a reader looks for them: by forum, meeting and §, each meeting's deferred points beside them.
STATES = {"oppet": "Öppet", "uppfoljt": "Uppföljt", "vantar": "Väntar", "utan-tidsgrans": "Utan tidsgräns"}


def decision_state(row: dict[str, Any]) -> str:
    """The register's state (a key of STATES) of a row of core.reports.decisions."""
    status = row.get("status")
    if status == "uppföljt":
        return "uppfoljt"
    if status == "väntar":
        return "vantar"
    if status == "inget datum":
        return "utan-tidsgrans"
    return "oppet"  # öppen, tappad, protokoll saknas: nothing says it was done


def state_words(row: dict[str, Any], day: Callable[[str], str]) -> str:
    """What the register says of a row's state, without the follow-up's link (the page adds it);
    `day` writes an ISO date for the reader."""
    state, due = decision_state(row), row.get("due")
    if state == "uppfoljt":
        return "uppföljt i"
    if state == "vantar":
        return f"väntar till {day(due)}" if due else "väntar"
    if state == "utan-tidsgrans":
        return "utan tidsgräns"
    if row.get("kind") == "bordlagd":  # its day is in the row's own words ("flyttad till …")
        if row.get("status") == "tappad":
            return "öppet: togs inte upp vid det sammanträdet"
        return "öppet: protokollet från det sammanträdet är inte publicerat"
    return f"öppet, skulle vara gjort senast {day(due)}" if due else "öppet"


@dataclass(frozen=True)
class DecisionPoint:
    """A § of a published protocol in the register, with its att-clauses (rows of core.reports.decisions)."""

    reference: str  # "LSVO-2023-06-16 §61"
    title: str
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class DecisionMeeting:
    protocol: str
    forum: str
    meeting: str  # ISO, as the rows give it
    points: list[DecisionPoint]
    deferred: list[dict[str, Any]]  # the rows of its deferred points


def decision_meetings(rows: Iterable[dict[str, Any]]) -> list[DecisionMeeting]:
    """The rows of core.reports.decisions by meeting (in their order) and §: att-clauses under
    their §, deferrals (kind "bordlagd") on their own list."""
    meetings: dict[str, DecisionMeeting] = {}
    for row in rows:
        found = meetings.get(row["protocol"])
        if found is None:
            found = DecisionMeeting(row["protocol"], row["forum"], row.get("meeting") or "", [], [])
            meetings[row["protocol"]] = found
        if row.get("kind") == "bordlagd":
            found.deferred.append(row)
        elif found.points and found.points[-1].reference == row["reference"]:
            found.points[-1].rows.append(row)
        else:
            found.points.append(DecisionPoint(row["reference"], row.get("item") or "", [row]))
    return list(meetings.values())
