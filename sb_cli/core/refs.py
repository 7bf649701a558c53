"""References between documents: "<id>", "<id> §61", "<id> 9" and "<id> §71a"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from sb_cli.core.model import Corpus, Path_
from sb_cli.core.records import Arshjul, Item, Kallelse, Protocol, Record, Styrdokument, Subitem

_REFERENCE = re.compile(r"^(?P<doc>[A-Za-z0-9][A-Za-z0-9._-]*)(?: +§? ?(?P<num>\d+) ?(?P<letter>[a-z])?)?$")

Meetingish = Protocol | Kallelse


@dataclass(frozen=True, slots=True)
class Reference:
    document: str
    number: int | None = None
    letter: str | None = None


def parse_reference(text: str) -> Reference | None:
    match = _REFERENCE.match(text.strip())
    if match is None:
        return None
    number = match["num"]
    return Reference(match["doc"], int(number) if number else None, match["letter"])


def item_label(record: Meetingish, number: int, letter: str | None = None) -> str:
    """How a reference to this item is written: "LSVO-2023-06-16 §64" or "att-aldras-2024-02 9"."""
    sign = "§" if record.numbering != "list" else ""
    return f"{record.id} {sign}{number}{letter or ''}"


class Point(NamedTuple):
    """An item or a subitem, with where it stands in the file and how it is referred to. A tuple:
    the rules across documents make one for every item of every protocol."""

    path: Path_
    point: Item | Subitem
    number: int  # the item's number (a subitem's parent's)
    letter: str | None  # a subitem's letter

    @property
    def is_subitem(self) -> bool:
        return self.letter is not None


def iter_items(record: Meetingish) -> Iterator[Point]:
    """Every item and subitem of a protocol or kallelse, in document order."""
    for index, item in enumerate(record.items):
        yield Point(("items", index), item, item.number, None)
        for sub_index, sub in enumerate(item.subitems):
            yield Point(("items", index, "subitems", sub_index), sub, item.number, sub.letter)


def points_with(record: Meetingish, key: str) -> Iterator[Point]:
    """The items and subitems whose `key` is set, in document order: `iter_items` filtered, without
    making a point of every item (the rules across documents ask this of every protocol)."""
    for index, item in enumerate(record.items):
        if getattr(item, key):
            yield Point(("items", index), item, item.number, None)
        for sub_index, sub in enumerate(item.subitems):
            if getattr(sub, key):
                yield Point(("items", index, "subitems", sub_index), sub, item.number, sub.letter)


def find_item(record: Meetingish, number: int, letter: str | None) -> Item | Subitem | None:
    return next(
        (p.point for p in iter_items(record) if p.number == number and p.letter == letter),
        None,
    )


def resolve(corpus: Corpus, text: str) -> str | None:
    """None when the reference resolves; otherwise why it does not (in Swedish)."""
    reference = parse_reference(text)
    if reference is None:
        return f"'{text}' är ingen giltig hänvisning (skriv t.ex. 'LSVO-2023-06-16 §64')"
    target = corpus.by_id.get(reference.document)
    if target is None:
        if reference.document in corpus.unreadable_ids:
            return None  # its own SB001/SB002 findings say what is wrong with it
        return f"hänvisningen '{text}' pekar på dokumentet '{reference.document}' som inte finns"
    if reference.number is None:
        return None
    record = target.record
    if not isinstance(record, Protocol | Kallelse) or find_item(record, reference.number, reference.letter) is None:
        where = f"{reference.number}{reference.letter or ''}"
        return f"hänvisningen '{text}': dokumentet '{target.id}' har ingen punkt {where}"
    return None


def refers_to(text: str | None, target: str, number: int, letter: str | None) -> bool:
    """Whether the reference `text` names item `number` (`letter`) of document `target`."""
    if text is None:
        return False
    reference = parse_reference(text)
    return reference == Reference(target, number, letter)


def references(record: Record) -> list[str]:
    """Every reference a document makes, as written (refs, supersedes, follow-ups, årshjul documents)."""
    texts: list[str | None] = []
    if isinstance(record, Styrdokument):
        texts += [record.decided.ref if record.decided else None, *record.supersedes, *record.superseded_by]
        texts += [entry.ref for entry in record.followed_up]
    if isinstance(record, Arshjul):
        texts += [event.document for event in record.events]
    if isinstance(record, Protocol | Kallelse):
        texts += [p.point.follows_up for p in iter_items(record)]
    return [t for t in texts if t]


def referenced_ids(record: Record) -> set[str]:
    """Ids of the documents this one points at."""
    found = (parse_reference(text) for text in references(record))
    return {reference.document for reference in found if reference is not None}
