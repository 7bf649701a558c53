"""SB005 for a forum's names in organisation.yaml: a name that ends before it begins, or names whose
days overlap or stand out of order (SPEC 3.4: a forum holds one name at a time, oldest first)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sb_cli.core.model import Finding, Source
from sb_cli.core.organisation import name_period_problems
from sb_cli.core.records import ForumName, RecordError, to_forum_name
from sb_cli.core.rules.dates import SB005


def forum_name_periods(source: Source) -> Iterator[Finding]:
    """SB005 at the date that contradicts the others, for each forum of organisation.yaml as
    written; an entry its schema refuses is left to SB002."""
    forums = source.data.get("forums")
    for forum_index, forum in enumerate(forums if isinstance(forums, list) else []):
        names = forum.get("names") if isinstance(forum, dict) else None
        readable = _readable(names if isinstance(names, list) else [])
        entries = [entry for _index, entry in readable]
        for position, key, message in name_period_problems(entries):
            index = readable[position][0]
            yield SB005.at(
                source,
                message,
                "forums",
                forum_index,
                "names",
                index,
                key,
                hint="skriv namnen äldst först, med datum bara där en källa visar dem",
            )


def _readable(names: list[Any]) -> list[tuple[int, ForumName]]:
    """Each entry that reads as a name, with its index in the file."""
    readable: list[tuple[int, ForumName]] = []
    for index, entry in enumerate(names):
        try:
            readable.append((index, to_forum_name(entry)))
        except RecordError:
            continue
    return readable
