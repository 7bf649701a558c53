"""Recognising a styrdokument in a source (and the papers with a Markdown body: tjänsteskrivelse,
föredragning, årsrapport): the title, the type, the header facts the text states, and the text
as Markdown. A fact the source does not state is named in `Draft.missing`, never guessed."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from sb_cli.core.doctypes import TYPES, is_agreement, where
from sb_cli.core.records import Organisation, Paper
from sb_cli.errors import SbError
from sb_cli.importing.source import Block, Draft, Source, slug
from sb_cli.importing.styrdokument_body import body_parts, join_lines, markdown, plain_lines
from sb_cli.importing.styrdokument_facts import (
    HEADER_ZONE,
    Found,
    Reading,
    dated_label,
    decided_of,
    owner_of,
    parties_of,
    sentence,
    signature_of,
    term_of,
    validity_of,
    version_of,
)

MISSING = "saknas i källan"


def _type_words() -> Iterator[tuple[re.Pattern[str], str]]:
    """The word a document calls itself by, with or without a prefix ("samverkansöverenskommelse")
    and in any inflection ("överenskommelsen", "riktlinjerna"), for each type of the table."""
    for entry in TYPES.values():
        for stem, ending in entry.words:
            yield re.compile(rf"\b\w*{stem}(?:{ending})?\b", re.IGNORECASE), entry.name


_SELF = re.compile(r"\b(?:detta är (?:en|ett)|denna|detta|i denna|i detta)\s+(\w+)", re.IGNORECASE)


# Labels of a document header ("Dokumentägare: LSVO", or a table of them, as sb writes it).
LABELS = {
    "dokumenttyp": "type", "typ av dokument": "type",
    "dokumentnamn": "title", "titel": "title",
    "dokumentägare": "owner", "ägare": "owner",
    "dokumentansvarig": "contact", "kontaktperson": "contact", "ansvarig": "contact",
    "version": "version", "versionsnummer": "version",
    "beslutad av": "decided_by", "beslutat av": "decided_by", "fastställd av": "decided_by",
    "godkänd av": "decided_by", "beslutsinstans": "decided_by",
    "beslutsdatum": "decided_date", "beslutad": "decided_date", "fastställd": "decided_date",
    "godkänd": "decided_date", "datum för beslut": "decided_date",
    "giltig från": "valid_from", "gäller från": "valid_from", "giltig fr.o.m.": "valid_from",
    "giltig till": "valid_until", "gäller till": "valid_until", "giltig t.o.m.": "valid_until",
    "giltighetstid": "validity", "avtalstid": "validity",
    "revideras senast": "review_by", "revideras": "review_by", "nästa revidering": "review_by",
    "diarienummer": "diarienummer", "dnr": "diarienummer", "diarienr": "diarienummer",
    "parter": "parties",
    "uppsägning": "term", "uppsägningstid": "term",
    "datum": "date", "författare": "author", "handläggare": "author",
}  # fmt: skip
_LABEL_LINE = re.compile(r"^(?P<label>[A-Za-zÅÄÖåäö .]{2,30}?)\s*:\s*(?P<value>\S.*)$")


def recognise_styrdokument(source: Source, organisation: Organisation, doc_type: str | None = None) -> Draft:
    recognised = where(header=True) + where(record=Paper)
    if doc_type is not None and doc_type not in recognised:
        raise SbError(f"{source.name}: typen '{doc_type}' är inget styrdokument", hint="ange en av " + ", ".join(
            recognised))  # fmt: skip
    reading = read(source)
    kind, kind_note = _kind(reading, doc_type)
    draft = Draft(type=kind, data={})
    _title(draft, reading, kind)
    if kind in where(record=Paper):
        _paper_header(draft, reading, organisation)
    else:
        _styrdokument_header(draft, reading, organisation)
    if kind_note:
        draft.notes[("type",)] = kind_note
    include_title = reading.title is not None and not any(p.kind == "heading" and p.number for p in reading.parts)
    draft.body = markdown(reading.parts, title=reading.title.value if include_title and reading.title else None)
    draft.summary = _summary(draft, reading)
    return draft


# --- reading ------------------------------------------------------------------------------------


def read(source: Source) -> Reading:
    """The source's parts (headings, paragraphs, list items, tables) with the header facts taken
    out of them: the title, a table of header labels and label lines near the top."""
    blocks = list(source.blocks)
    title, kind_hint, blocks = _take_title(source, blocks)
    labels: dict[str, Found] = {}
    kept = _without_label_tables(blocks, labels)
    parts = body_parts(Source(source.name, source.kind, tuple(kept)))
    lines = plain_lines(parts)
    _read_label_lines(kept, labels)
    if title is None and "title" in labels:
        title = labels["title"]
    return Reading(source, parts, lines, labels, title, kind_hint)


_Taken = tuple[Found | None, str | None, list[Block]]
_SUBTITLE_STYLES = ("subtitle", "underrubrik")


def _take_title(source: Source, blocks: list[Block]) -> _Taken:
    """The title and the type a subtitle names; the blocks without them."""
    return _TITLE_READERS.get(source.kind, _text_title)(blocks)


def _docx_title(blocks: list[Block]) -> _Taken:
    """A Word file marks its title with the style Title (Rubrik), and a subtitle may name the type."""
    at = next((i for i, block in enumerate(blocks[:8]) if block.style.casefold() in ("title", "rubrik")), None)
    if at is None:
        return None, None, blocks
    block, rest = blocks[at], blocks[:at] + blocks[at + 1 :]
    hint = next((_type_in(b.text) for b in rest[:3] if _is_subtitle(b)), None)
    rest = [b for b in rest if not (_is_subtitle(b) and _type_in(b.text))]
    return Found(" ".join(block.text.split()), block.text), hint, rest


def _is_subtitle(block: Block) -> bool:
    return block.style.casefold() in _SUBTITLE_STYLES


def _pdf_title(blocks: list[Block]) -> _Taken:
    """A PDF's title is the run of unnumbered top-level headings on its first page; a line above
    them that names a type is the type."""
    lines = _opening_lines(blocks)
    taken = _title_headings(lines)
    if not taken:
        return None, None, blocks
    text = " ".join(" ".join(blocks[i].text.split()) for i in taken)
    hint, typed = _type_above(lines[:6], taken[0])
    gone = set(taken) | typed
    return Found(text, text), hint, [b for i, b in enumerate(blocks) if i not in gone]


def _title_headings(lines: list[tuple[int, Block]]) -> list[int]:
    """The indexes of the first page's unnumbered top-level headings, if they follow each other."""
    if not lines:
        return []
    page = lines[0][1].page
    taken = [i for i, b in lines[:12] if b.heading == 1 and b.page == page and not _NUMBERED.match(b.text.strip())]
    return taken if taken and taken == list(range(taken[0], taken[0] + len(taken))) else []


def _type_above(lines: list[tuple[int, Block]], title_at: int) -> tuple[str | None, set[int]]:
    """The type the first line above the title names, and the lines above it that name that type."""
    above = [(i, kind) for i, b in lines if i < title_at and (kind := _type_in(b.text))]
    if not above:
        return None, set()
    hint = above[0][1]
    return hint, {i for i, kind in above if kind == hint}


def _text_title(blocks: list[Block]) -> _Taken:
    """A plain text's title is its first line, unless that reads as a sentence or a numbered
    heading; a short lower-case line under it continues it."""
    lines = _opening_lines(blocks)
    if not lines or not _may_be_title(first := lines[0][1].text.strip()):
        return None, None, blocks
    taken = [lines[0][0]]
    after = lines[0][0] + 1
    if after < len(blocks) and _continues_title(first, blocks[after].text.strip()):
        taken.append(after)
    text = " ".join(" ".join(blocks[i].text.split()) for i in taken)
    return Found(text, text), None, [b for i, b in enumerate(blocks) if i not in taken]


def _opening_lines(blocks: list[Block]) -> list[tuple[int, Block]]:
    return [(i, b) for i, b in enumerate(blocks[:30]) if b.text.strip() or b.rows]


def _may_be_title(first: str) -> bool:
    sentence_like = len(first) > 100 or first.endswith((".", ":", ",")) or first[:1].islower()
    return not _NUMBERED.match(first) and not sentence_like


def _continues_title(first: str, second: str) -> bool:
    if not second or second.endswith("."):
        return False
    return len(first) + len(second) < 200 and not _NUMBERED.match(second) and second[:1].islower()


_TITLE_READERS = {"docx": _docx_title, "pdf": _pdf_title}


_NUMBERED = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+\S")


def _without_label_tables(blocks: list[Block], labels: dict[str, Found]) -> list[Block]:
    """The blocks but the tables of header labels, whose labels go into `labels`."""
    kept: list[Block] = []
    for block in blocks:
        if block.rows and _is_label_table(block.rows):
            for row in block.rows:
                _add_label(labels, row[0], _joined(_cell_lines(row[1:])))
        else:
            kept.append(block)
    return kept


def _read_label_lines(blocks: list[Block], labels: dict[str, Found]) -> None:
    """Label lines ("Dokumentägare: LSVO") near the top or the end of the text, into `labels`."""
    raw = [" ".join(line.split()) for block in blocks if not block.rows for line in block.text.split("\n")]
    raw = [line for line in raw if line]
    for text in raw[:HEADER_ZONE] + raw[-HEADER_ZONE:]:
        match = _LABEL_LINE.match(text)
        if match:
            _add_label(labels, match["label"], match["value"])


def _is_label_table(rows: tuple[tuple[str, ...], ...]) -> bool:
    known = sum(1 for row in rows if len(row) >= 2 and _label_key(row[0]) is not None)
    return known >= 2 and known * 2 >= len(rows)


def _label_key(label: str) -> str | None:
    return LABELS.get(" ".join(label.split()).strip(" :").casefold())


def _add_label(labels: dict[str, Found], label: str, value: str) -> None:
    key = _label_key(label)
    value = " ".join(value.split())
    if key is not None and value and key not in labels:
        labels[key] = Found(value, f"{' '.join(label.split()).strip(' :')}: {value}")


def _joined(lines: list[str]) -> str:
    text = ""
    for line in lines:
        text = join_lines(text, line, frozenset())
    return text


def _cell_lines(cells: Iterable[str]) -> list[str]:
    return [line.strip() for cell in cells for line in cell.split("\n") if line.strip()]


# --- the type and the title ---------------------------------------------------------------------


def _type_in(text: str) -> str | None:
    for pattern, kind in _type_words():
        if pattern.search(text):
            return kind
    return None


def _kind(reading: Reading, doc_type: str | None) -> tuple[str, str | None]:
    """The type given, else the one the header, title or subtitle names, else the one the text
    calls itself ("denna överenskommelse"); the word a text opens with is a guess and says so."""
    if doc_type is not None:
        return doc_type, None
    for finder in (_named_kind, _self_named_kind, _opening_kind):
        found = finder(reading)
        if found is not None:
            return found
    raise SbError(
        f"{reading.source.name}: dokumenttypen framgår inte av texten",
        hint="ange den med --type, t.ex. --type riktlinje",
    )


def _named_kind(reading: Reading) -> tuple[str, str | None] | None:
    """The type the header's Dokumenttyp, the title or a subtitle names."""
    for found in (reading.labels.get("type"), reading.title):
        if found is not None and (kind := _type_in(found.value)):
            return kind, None
    return (reading.kind_hint, None) if reading.kind_hint else None


def _self_named_kind(reading: Reading) -> tuple[str, str | None] | None:
    """The type the text calls itself by ("denna överenskommelse")."""
    for text, section in reading.lines:
        for match in _SELF.finditer(text):
            kind = _type_in(match[1])
            if kind:
                return kind, Found(kind, sentence(text, match.start()), section).note("Typen är tagen ur texten. ")
    return None


def _opening_kind(reading: Reading) -> tuple[str, str | None] | None:
    """The first type word near the top of the text: a guess, and the note says so."""
    for text, section in reading.lines[:HEADER_ZONE]:
        words = [(m.start(), kind) for pattern, kind in _type_words() if (m := pattern.search(text))]
        if words:
            at, kind = min(words)
            note = Found(kind, sentence(text, at), section).note("Typen är gissad ur textens början: ")
            return kind, note + "; kontrollera den."
    return None


def _title(draft: Draft, reading: Reading, kind: str) -> None:
    if reading.title is not None:
        draft.data["id"] = slug(reading.title.value)
        draft.data["type"] = kind
        draft.data["title"] = reading.title.value
    else:
        draft.data["type"] = kind
        draft.missing.append("dokumentnamn")
        draft.notes[("title",)] = f"Dokumentnamnet {MISSING}; skriv det som det står på dokumentets framsida."


# --- header facts -------------------------------------------------------------------------------


def _styrdokument_header(draft: Draft, reading: Reading, organisation: Organisation) -> None:
    data, notes = draft.data, draft.notes
    owner = owner_of(reading, organisation)
    _put(draft, "owner", owner, "dokumentägare")
    if contact := reading.labels.get("contact"):
        data["contact"], notes[("contact",)] = contact.value, contact.note()
    data["status"] = "utkast"
    notes[("status",)] = "Ett inläst dokument är ett utkast tills det har granskats."
    _put(draft, "version", version_of(reading), "version")
    if is_agreement(draft.type):
        _put(draft, "parties", parties_of(reading, organisation), "parter")
    _put(draft, "decided", decided_of(reading, organisation), "beslut")
    if "decided" not in data and (signed := signature_of(reading)):
        notes[("decided",)] += f' Källan är undertecknad "{signed}" men säger inte vem som beslutade den.'

    start, end = validity_of(reading)
    _put(draft, "valid_from", start, "giltig från")
    if is_agreement(draft.type) or end is not None:
        _put(draft, "valid_until", end, "giltig till")
    review = dated_label(reading, "review_by")
    if review is not None:
        data["review_by"], notes[("review_by",)] = review.value, review.note()
    term = term_of(reading)
    if term is not None:
        data["term"], notes[("term",)] = term.value, term.note()
    if number := reading.labels.get("diarienummer"):
        data["diarienummer"], notes[("diarienummer",)] = number.value, number.note()


def _paper_header(draft: Draft, reading: Reading, organisation: Organisation) -> None:
    _put(draft, "owner", owner_of(reading, organisation), "dokumentägare eller forum")
    author = reading.labels.get("author")
    _put(draft, "author", author, "författare")
    _put(draft, "date", dated_label(reading, "date"), "datum")
    if number := reading.labels.get("diarienummer"):
        draft.data["diarienummer"], draft.notes[("diarienummer",)] = number.value, number.note()


def _put(draft: Draft, key: str, found: Found | None, name: str) -> None:
    if found is None:
        draft.missing.append(name)
        draft.notes[(key,)] = f"{name[0].upper()}{name[1:]} {MISSING}."
    else:
        draft.data[key] = found.value
        draft.notes[(key,)] = found.note()


def _summary(draft: Draft, reading: Reading) -> list[str]:
    headings = sum(1 for part in reading.parts if part.kind == "heading")
    tables = sum(1 for part in reading.parts if part.kind == "table")
    return [f"{headings} rubriker", f"{tables} tabeller", *_validity_summary(draft.data), *_term_summary(draft.data)]


def _validity_summary(data: dict[str, Any]) -> list[str]:
    if "valid_from" in data and "valid_until" in data:
        return [f"giltig {data['valid_from']}–{data['valid_until']}"]
    if "valid_from" in data:
        return [f"giltig från {data['valid_from']}"]
    return [f"giltig till {data['valid_until']}"] if "valid_until" in data else []


def _term_summary(data: dict[str, Any]) -> list[str]:
    term = data.get("term") or {}
    notice = [f"uppsägning {term['notice_months']} månader"] if "notice_months" in term else []
    return notice + ([f"förlängning {term['renewal_months']} månader"] if "renewal_months" in term else [])
