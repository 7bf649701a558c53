"""`sb import`: an existing Word, PDF or text document as a draft sb document.

A reader (readers.py) turns the file into blocks of text; a recogniser per kind of document
(protocol.py, kallelse.py, styrdokument.py) finds its facts, and leaves out, with a note, what the
source does not say. draft.py writes the result as the file a person goes on editing."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from sb_cli.core.model import PAPER_TYPES, STYRDOKUMENT_TYPES
from sb_cli.core.records import Organisation
from sb_cli.errors import SbError
from sb_cli.importing.detect import meeting_type
from sb_cli.importing.source import Draft, Source

# An årshjul is a list of dated events, not a text: it is written by hand (sb new arshjul).
IMPORTABLE_TYPES = ("protokoll", "kallelse", *(t for t in STYRDOKUMENT_TYPES if t != "arshjul"), *PAPER_TYPES)


def recognise(
    source: Source, organisation: Organisation, *, doc_type: str | None = None, forum: str | None = None
) -> Draft:
    """The draft of `source` as `doc_type`, or as the kind of document it reads as."""
    source = printable(source)
    kind = doc_type or meeting_type(source)
    if kind == "protokoll":
        from sb_cli.importing.protocol import recognise_protocol

        return recognise_protocol(source, organisation, forum)
    if kind == "kallelse":
        from sb_cli.importing.kallelse import recognise_kallelse

        return recognise_kallelse(source, organisation, forum)
    if kind is not None and kind not in IMPORTABLE_TYPES:
        raise SbError(f"sb import kan inte läsa in dokumenttypen {kind}")
    from sb_cli.importing.styrdokument import recognise_styrdokument

    return recognise_styrdokument(source, organisation, kind)


# Control characters (a terminal's escapes, form feeds, NUL) carry nothing a reader sees, and YAML
# cannot hold them in a comment; tabs and line breaks stay.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def printable(source: Source) -> Source:
    def clean(text: str) -> str:
        return _CONTROL.sub(" ", text)

    blocks = tuple(
        replace(b, text=clean(b.text), rows=tuple(tuple(clean(c) for c in row) for row in b.rows))
        for b in source.blocks
    )
    return replace(source, blocks=blocks)


def read(path: Path) -> Source:
    from sb_cli.importing.readers import read_source

    return read_source(path)
