"""Reading a Word, PDF or text file into the blocks the recognisers work on, and refusing the files
sb cannot read faithfully: too large, encrypted, damaged, scanned without a text layer, or empty.
Word files are read in read_docx.py, PDF files in read_pdf.py. Nothing here writes a file."""

from __future__ import annotations

import re
from pathlib import Path

from sb_cli.errors import SbError, os_error_message
from sb_cli.importing.bounds import check_extent
from sb_cli.importing.source import Block, Source, SourceKind

MAX_BYTES = 20_000_000
UNPACKED_PER_PACKED = 10  # a Word file's parts, a PDF's streams may unpack to ten times the size limit, no more
KINDS: dict[str, SourceKind] = {".docx": "docx", ".pdf": "pdf", ".txt": "txt"}


def read_source(path: Path, *, max_bytes: int = MAX_BYTES) -> Source:
    """The file's text as blocks in reading order; an `SbError` for a file sb will not read."""
    kind = KINDS.get(path.suffix.casefold())
    if kind is None:
        shown = path.suffix or "utan filändelse"
        raise SbError(
            f"{path}: filtypen ({shown}) kan inte importeras",
            hint="sb importerar .docx, .pdf och .txt; spara om dokumentet i något av de formaten",
        )
    _check_size(path, max_bytes)
    if kind == "txt":
        blocks = _read_txt(path)
    elif kind == "docx":
        from sb_cli.importing.read_docx import read_docx

        blocks = read_docx(path, max_unpacked=max_bytes * UNPACKED_PER_PACKED)
    else:
        from sb_cli.importing.read_pdf import read_pdf

        blocks = read_pdf(path, max_unpacked=max_bytes * UNPACKED_PER_PACKED)
    check_extent(path, *_extent(blocks))
    if not any(block.text.strip() or any(cell.strip() for row in block.rows for cell in row) for block in blocks):
        raise SbError(f"{path}: dokumentet innehåller ingen text", hint="kontrollera att det är rätt fil")
    return Source(path.name, kind, tuple(blocks))


def _check_size(path: Path, max_bytes: int) -> None:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise SbError(os_error_message(error), hint="kontrollera sökvägen") from None
    if not path.is_file():
        raise SbError(f"{path}: är ingen vanlig fil", hint="ange ett Word-, PDF- eller textdokument")
    if size > max_bytes:
        raise SbError(
            f"{path}: filen är större än {max_bytes / 1_000_000:g} MB",
            hint="spara dokumentet utan bilder eller dela upp det",
        )
    if size == 0:
        raise SbError(f"{path}: filen är tom", hint="kontrollera att det är rätt fil")


def _extent(blocks: list[Block]) -> tuple[int, int]:
    """The paragraphs, lines and table cells, and the characters, of the blocks."""
    cells = [[cell for row in block.rows for cell in row] for block in blocks]
    elements = sum(len(c) or bool(block.text) for block, c in zip(blocks, cells, strict=True))
    characters = sum(len(block.text) for block in blocks) + sum(len(cell) for c in cells for cell in c)
    return elements, characters


# --- text files ---------------------------------------------------------------------------------


def _read_txt(path: Path) -> list[Block]:
    data = read_bytes(path)
    text = decode_text(data)
    if text is None:
        raise SbError(f"{path}: är ingen textfil", hint="importera originalet (.docx eller .pdf) i stället")
    check_extent(path, _line_breaks(text), len(text))
    return [Block(line.rstrip()) for line in text.splitlines()]


def _line_breaks(text: str) -> int:
    """The lines `str.splitlines` would make, counted without making them."""
    return sum(text.count(mark) for mark in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029") - text.count("\r\n")


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise SbError(os_error_message(error)) from None


def decode_text(data: bytes) -> str | None:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; otherwise Windows-1252, and Latin-1 for the
    bytes Windows-1252 leaves undefined. None for binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def furniture_key(text: str) -> str:
    """The text with its numbers blanked, so that "Sida 3" and "Sida 4" count as one."""
    return re.sub(r"\d+", "#", " ".join(text.split())).casefold()
