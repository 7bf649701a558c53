"""References between documents: "<id>", "<id> §61", "<id> 9" and "<id> §71a"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sb_cli.core.model import Corpus, Document, Path_

_REFERENCE = re.compile(r"^(?P<doc>[A-Za-z0-9][A-Za-z0-9._-]*)(?: +§? ?(?P<num>\d+) ?(?P<letter>[a-z])?)?$")


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


def item_label(document: Document, number: int, letter: str | None = None) -> str:
    """How a reference to this item is written: "LSVO-2023-06-16 §64" or "att-aldras-2024-02 9"."""
    sign = "§" if document.get("numbering") != "list" else ""
    return f"{document.id} {sign}{number}{letter or ''}"


def iter_items(document: Document) -> Iterator[tuple[Path_, dict[str, Any], int | None]]:
    """Every item and subitem of a meeting document: (path, item, number of the parent item)."""
    items = document.get("items")
    if not isinstance(items, list):
        return
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        number = item.get("number") if isinstance(item.get("number"), int) else None
        yield ("items", index), item, None
        subitems = item.get("subitems")
        if isinstance(subitems, list):
            for sub_index, sub in enumerate(subitems):
                if isinstance(sub, dict):
                    yield ("items", index, "subitems", sub_index), sub, number


def find_item(document: Document, number: int, letter: str | None) -> dict[str, Any] | None:
    for _path, item, parent in iter_items(document):
        if letter is None and parent is None and item.get("number") == number:
            return item
        if letter is not None and parent == number and item.get("letter") == letter:
            return item
    return None


def resolve(corpus: Corpus, text: str) -> str | None:
    """None when the reference resolves; otherwise why it does not (in Swedish)."""
    reference = parse_reference(text)
    if reference is None:
        return f"'{text}' är ingen giltig hänvisning (skriv t.ex. 'LSVO-2023-06-16 §64')"
    target = corpus.by_id.get(reference.document)
    if target is None:
        return f"hänvisningen '{text}' pekar på dokumentet '{reference.document}' som inte finns"
    if reference.number is None:
        return None
    if find_item(target, reference.number, reference.letter) is None:
        where = f"{reference.number}{reference.letter or ''}"
        return f"hänvisningen '{text}': dokumentet '{target.id}' har ingen punkt {where}"
    return None


def refers_to(text: Any, document: Document, number: int, letter: str | None) -> bool:
    if not isinstance(text, str):
        return False
    reference = parse_reference(text)
    return (
        reference is not None
        and reference.document == document.id
        and reference.number == number
        and reference.letter == letter
    )


def referenced_ids(document: Document) -> set[str]:
    """Ids of the documents this one points at (references, supersedes, links by id)."""
    texts: list[Any] = [document.get("decided", "ref"), document.get("supersedes"),
                        document.get("superseded_by")]
    followed = document.get("followed_up")
    if isinstance(followed, list):
        texts += [e.get("ref") for e in followed if isinstance(e, dict)]
    texts += [item.get("follows_up") for _p, item, _n in iter_items(document)]
    events = document.get("events")
    if isinstance(events, list):
        texts += [e.get("document") for e in events if isinstance(e, dict)]
    result: set[str] = set()
    for text in texts:
        for value in text if isinstance(text, list) else [text]:
            reference = parse_reference(value) if isinstance(value, str) else None
            if reference is not None:
                result.add(reference.document)
    return result
