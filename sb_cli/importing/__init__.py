"""`sb import`: an existing Word, PDF or text document as a draft sb document.

A reader (readers.py) turns the file into blocks of text; a recogniser per kind of document
(protocol.py, kallelse.py, styrdokument.py) finds its facts, and leaves out, with a note, what the
source does not say. draft.py writes the result as the file a person goes on editing."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sb_cli.core import doctypes
from sb_cli.core.records import Kallelse, Organisation, Protocol, Record
from sb_cli.errors import SbError
from sb_cli.importing.detect import meeting_type
from sb_cli.importing.source import Draft, Source, slug

if TYPE_CHECKING:
    from sb_cli.render.isolation import Limits

# The recognisers of a meeting's own documents, tried before the styrdokument recogniser.
_MEETING_RECORDS: tuple[type[Record], ...] = (Protocol, Kallelse)


def importable_types() -> tuple[str, ...]:
    """The types the table says `sb import` reads, a meeting's own documents first (protocol,
    kallelse), as the recognisers are tried."""

    def tried(name: str) -> int:
        record = doctypes.TYPES[name].record
        return _MEETING_RECORDS.index(record) if record in _MEETING_RECORDS else len(_MEETING_RECORDS)

    return tuple(sorted(doctypes.where(importable=True), key=tried))


IMPORTABLE_TYPES = importable_types()


def recognise(
    source: Source, organisation: Organisation, *, doc_type: str | None = None, forum: str | None = None
) -> Draft:
    """The draft of `source` as `doc_type`, or as the kind of document it reads as; always with an
    id (from the file's name where the source names none) and, for a meeting, a `meeting`."""
    draft = _recognised(source, organisation, doc_type, forum)
    _with_id(draft, source.name)
    _with_meeting(draft)
    return draft


def _recognised(source: Source, organisation: Organisation, doc_type: str | None, forum: str | None) -> Draft:
    source = printable(source)
    kind = doc_type or meeting_type(source)
    entry = doctypes.find(kind)
    if entry is not None and entry.record is Protocol:
        from sb_cli.importing.protocol import recognise_protocol

        return recognise_protocol(source, organisation, forum)
    if entry is not None and entry.record is Kallelse:
        from sb_cli.importing.kallelse import recognise_kallelse

        return recognise_kallelse(source, organisation, forum)
    if kind is not None and kind not in importable_types():
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


def _with_id(draft: Draft, name: str) -> None:
    """A draft whose source names no id gets one from the file's name, said in a note."""
    if draft.data.get("id"):
        return
    data = {"id": slug(Path(name).stem) or "importerat-dokument", **draft.data}
    draft.data.clear()
    draft.data.update(data)
    draft.notes[("id",)] = "Id:t är bildat av filnamnet; byt det mot ett som följer repositoriets namngivning."


def _with_meeting(draft: Draft) -> None:
    """A protocol or kallelse always names its meeting; a date the source lacks is written as
    unknown (null), as the shipped protocol of seed 002 does."""
    entry = doctypes.find(draft.type)
    if entry is None or not entry.of_meeting or isinstance(draft.data.get("meeting"), dict):
        return
    data: dict[str, object] = {}
    for key, value in draft.data.items():
        data[key] = value
        if key == "forum":
            data["meeting"] = {"date": None}
    data.setdefault("meeting", {"date": None})
    draft.data.clear()
    draft.data.update(data)
    draft.notes.setdefault(("meeting",), "Mötesdatum saknas i källan; fyll i date, start, end och place.")


def read(path: Path) -> Source:
    from sb_cli.importing.readers import read_source

    return read_source(path)


def draft_of(path: Path, organisation: Organisation, doc_type: str | None, forum: str | None) -> Draft:
    """The file read and recognised (in this process)."""
    return recognise(read(path), organisation, doc_type=doc_type, forum=forum)


# What the child processes of `import_draft` start with, imported once (the PDF reader's pdfium
# is left to each child, which starts it anew).
_PRELOADED = ("sb_cli.importing", "sb_cli.importing.readers", "sb_cli.importing.read_docx",
              "sb_cli.importing.read_pdf", "docx", "lxml.etree", "pikepdf")  # fmt: skip


def import_draft(
    path: Path, organisation: Organisation, *, doc_type: str | None, forum: str | None, limits: Limits
) -> Draft:
    """`draft_of` in a child process under the render workers' limits (render_seconds and
    render_memory_mb in sb.toml): a file from outside may unpack or run to any size, and pdfium
    aborts the whole process when an allocation fails."""
    from sb_cli.render.isolation import OverLimit, run_limited

    try:
        return run_limited(draft_of, (path, organisation, doc_type, forum), limits, preload=_PRELOADED)
    except OverLimit as over:
        raise _over_limit(path, over.reason, limits) from None


def _over_limit(path: Path, reason: str, limits: Limits) -> SbError:
    if reason == "time":
        return SbError(
            f"{path}: läsningen av filen tog mer än {limits.seconds} sekunder och avbröts "
            f"(render_seconds = {limits.seconds} i sb.toml)",
            hint="dela upp dokumentet, eller höj render_seconds i sb.toml om det verkligen är så stort",
        )
    if reason == "memory":
        return SbError(
            f"{path}: läsningen av filen krävde mer minne än {limits.memory_mb} MB och avbröts "
            f"(render_memory_mb = {limits.memory_mb} i sb.toml)",
            hint="dela upp dokumentet, eller höj render_memory_mb i sb.toml om det verkligen är så stort",
        )
    return SbError(
        f"{path}: läsningen av filen avbröts av ett fel som avslutade processen",
        hint="spara om dokumentet från originalet och försök igen",
    )
