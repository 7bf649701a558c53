"""Which kind of document a source is, from how it reads: a protocol has numbered points with
decisions, a kallelse announces a meeting and its agenda, anything else is a styrdokument or a
paper (the styrdokument recogniser tells which from its title and text)."""

from __future__ import annotations

import re

from sb_cli.core.doctypes import KALLELSE, PROTOKOLL
from sb_cli.importing.source import Source

_HEAD_LINES = 40  # the first page's lines, where a heading says what the document is
_POINT = re.compile(r"^\s*(§\s*\d+|\d+\s*\)\s*\.?)\s+\S")
_DECIDES = re.compile(r"\bbeslutar\b\s*+:?\s*$", re.IGNORECASE)  # possessive: spaces are read once
_ATT = re.compile(r"^\s*att\s+\S")
_PROTOCOL_HEADING = re.compile(r"^\s*(sammanträdes)?protokoll\b", re.IGNORECASE)
_NOTICE_HEADING = re.compile(r"^\s*(kallelse|dagordning|föredragningslista)\b", re.IGNORECASE)


def meeting_type(source: Source) -> str | None:
    """The protocol's type, the kallelse's, or None when the source is neither."""
    lines = [line for line in source.lines() if line.strip()]
    head = lines[:_HEAD_LINES]
    points = sum(1 for line in lines if _POINT.match(line))
    if _heads(_PROTOCOL_HEADING, head) or (points >= 2 and _decides(lines)):
        return PROTOKOLL.name
    if _heads(_NOTICE_HEADING, head) and points >= 1:
        return KALLELSE.name
    return None


def _heads(heading: re.Pattern[str], head: list[str]) -> bool:
    return any(heading.match(line) for line in head)


def _decides(lines: list[str]) -> bool:
    """A decision phrase ("… beslutar:") and an att-clause somewhere in the text."""
    return any(_DECIDES.search(line) for line in lines) and any(_ATT.match(line) for line in lines)
