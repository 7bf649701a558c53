"""How far sb import lets a file grow: what a Word file's parts and a PDF's streams may unpack to,
checked before they are read and without unpacking them whole, and how many paragraphs, lines,
table cells, characters and pages a document may hold. The child process that reads the file
(render_seconds, render_memory_mb) bounds the rest."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sb_cli.core.words import number
from sb_cli.errors import SbError

# A part or stream may unpack to at most a hundred times its packed size once it is over a megabyte, as
# Apache POI's ZipSecureFile allows: text and fonts pack three to twenty times, a bomb a thousand.
MAX_RATIO = 100
RATIO_GRACE = 1_000_000
# What a governance document holds at most (a thousand pages hold some 30 000 paragraphs and 3 million
# characters): more would make a draft no one reviews, and the recognisers' work grows with it.
MAX_ELEMENTS = 100_000  # paragraphs, lines and table cells
MAX_CHARACTERS = 10_000_000
MAX_PAGES = 5_000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SPLIT = "dela upp dokumentet och importera delarna var för sig"


def check_extent(path: Path, elements: int, characters: int) -> None:
    """Refuse a document with more paragraphs, lines and table cells, or more characters, than a
    governance document holds."""
    if elements > MAX_ELEMENTS:
        raise SbError(
            f"{path}: dokumentet har fler än {number(MAX_ELEMENTS)} stycken, rader och tabellceller "
            "(gränsen för sb import)",
            hint=_SPLIT,
        )
    if characters > MAX_CHARACTERS:
        raise SbError(
            f"{path}: dokumentet har fler än {number(MAX_CHARACTERS)} tecken text (gränsen för sb import)",
            hint=_SPLIT,
        )


def unpacking_refusal(part: str, packed: int, unpacked: int) -> str | None:
    """Why a part (of a Word file) or stream (of a PDF) that unpacks from `packed` to `unpacked`
    bytes is refused as a bomb; None when it is not."""
    if unpacked > RATIO_GRACE and unpacked > MAX_RATIO * max(packed, 1):
        return f"{part} packas upp mer än {MAX_RATIO} gånger sin packade storlek; gränsen är {MAX_RATIO} gånger"
    return None


def check_pages(path: Path, pages: int) -> None:
    if pages > MAX_PAGES:
        raise SbError(f"{path}: PDF-filen har fler än {number(MAX_PAGES)} sidor (gränsen för sb import)", hint=_SPLIT)


# --- Word ----------------------------------------------------------------------------------------


def check_word_text(path: Path, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Count the paragraphs, table cells and characters of every XML part as a stream, before
    python-docx holds all its parts in memory at once; an element is dropped once it is counted."""
    from lxml import etree

    elements = characters = 0
    for info in infos:
        if not info.filename.endswith(".xml"):
            continue
        with archive.open(info) as part:
            try:
                for _event, element in etree.iterparse(
                    part, tag=(f"{_W}p", f"{_W}tc", f"{_W}t"), resolve_entities=False, no_network=True
                ):
                    if element.tag == f"{_W}t":
                        characters += len(element.text or "")
                    else:
                        elements += 1
                    element.clear()
                    while element.getprevious() is not None:
                        del element.getparent()[0]
                    check_extent(path, elements, characters)
            except etree.XMLSyntaxError:
                continue  # python-docx says so if the part is one it reads


# --- PDF -----------------------------------------------------------------------------------------


def check_pdf_streams(path: Path, pdf: Any, max_unpacked: int) -> None:
    """Refuse a bomb before pdfium inflates it: every stream that pdfium may unpack to read the text
    (not images, not attached files) and that is packed with Flate alone, unpacked piece by piece
    and counted, never held whole."""
    import pikepdf

    unpacked = 0
    for stream in pdf.objects:
        stages = _flate_stages(stream) if isinstance(stream, pikepdf.Stream) else 0
        if not stages:
            continue
        try:
            raw = stream.read_raw_bytes()
        except pikepdf.PdfError:
            continue  # pdfium reads what it can of a damaged stream, or says so
        size = 0
        for piece in _inflated(raw, stages):
            size += len(piece)
            bomb = unpacking_refusal(f"objekt {stream.objgen[0]}", len(raw), size)
            if bomb is None and unpacked + size > max_unpacked:
                bomb = f"strömmarna blir mer än {max_unpacked / 1_000_000:g} MB uppackade"
            if bomb:
                raise SbError(f"{path}: PDF-filen kan inte läsas in: {bomb}", hint=_BOMB_HINT)
        unpacked += size


_BOMB_HINT = "en vanlig PDF-fil packas inte upp så mycket; exportera dokumentet som PDF igen från originalet"
_FLATE = ("/FlateDecode", "/Fl")
_PIECE = 1 << 20


def _flate_stages(stream: Any) -> int:
    """How many times the stream is packed with Flate; 0 for an image, an attached file, an
    unpacked stream or one with another filter (the child process's memory limit bounds those)."""
    import pikepdf

    if stream.get("/Subtype") == pikepdf.Name.Image or stream.get("/Type") == pikepdf.Name.EmbeddedFile:
        return 0
    filters = stream.get("/Filter")
    names = [filters] if isinstance(filters, pikepdf.Name) else list(filters or [])
    return len(names) if names and all(str(name) in _FLATE for name in names) else 0


def _inflated(raw: bytes, stages: int) -> Iterator[bytes]:
    """The stream unpacked `stages` times, a megabyte at most at a time."""
    pieces: Iterator[bytes] = iter([raw])
    for _ in range(stages):
        pieces = _inflate(pieces)
    return pieces


def _inflate(pieces: Iterator[bytes]) -> Iterator[bytes]:
    inflater = zlib.decompressobj()
    try:
        for piece in pieces:
            data = piece
            while data and not inflater.eof:
                out = inflater.decompress(data, _PIECE)
                yield out
                data = inflater.unconsumed_tail
                while len(out) == _PIECE and not data and not inflater.eof:  # output held back
                    out = inflater.decompress(b"", _PIECE)
                    yield out
    except zlib.error:
        return  # damaged data: pdfium stops where it does
