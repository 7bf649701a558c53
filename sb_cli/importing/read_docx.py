"""Word files (.docx) as blocks: paragraphs and tables in body order, each paragraph with its
style, heading level and list numbering as Word shows it. python-docx (lxml, without entity
expansion or network access) parses the parts, after the archive's declared sizes are checked."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sb_cli.errors import SbError
from sb_cli.importing.bounds import check_word_text, unpacking_refusal
from sb_cli.importing.readers import furniture_key, read_bytes
from sb_cli.importing.source import Block, is_page_furniture

if TYPE_CHECKING:
    from lxml import etree

MAX_PARTS = 5_000
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*([1-9])$", re.IGNORECASE)
# Drawings, text boxes and deleted or moved-away text are not part of the running text.
_SKIPPED = {
    f"{W}{name}" for name in ("del", "moveFrom", "drawing", "pict", "instrText", "delText", "rPr", "pPr", "object")
} | {"{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"}


def read_docx(path: Path, *, max_unpacked: int) -> list[Block]:
    _check_package(path, max_unpacked)
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(str(path))
        styles = _Styles(document.styles.element)
        numbering = _Numbering(_numbering_element(document))
        furniture = _header_footer_texts(document)
        blocks = list(_body_blocks(document.element.body, styles, numbering))
    except (PackageNotFoundError, XMLSyntaxError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise _not_word(path, str(exc)) from None
    return _without_repeats(blocks, furniture)


def _without_repeats(blocks: list[Block], furniture: set[str]) -> list[Block]:
    """The body without page numbers, and without the copies of a page header's or footer's text
    that a converted document carries on every page; the first copy may be the title and stays."""
    seen: set[str] = set()
    kept = []
    for block in blocks:
        key = furniture_key(block.text)
        if not block.rows and (is_page_furniture(block.text) or (key in furniture and key in seen)):
            continue
        seen.add(key)
        kept.append(block)
    return kept


def _not_word(path: Path, reason: str) -> SbError:
    return SbError(
        f"{path}: kan inte läsas som Word-fil ({reason[:200]})",
        hint="öppna filen i Word och spara den igen som Word-dokument (.docx)",
    )


def _check_package(path: Path, max_unpacked: int) -> None:
    """Refuse an encrypted or old-format file, and a zip bomb, before any XML is parsed: the sizes
    are the ones the archive declares, and zipfile stops at the declared size when it reads."""
    with path.open("rb") as stream:
        head = stream.read(8)
    if head == _OLE_MAGIC:
        data = read_bytes(path)
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise SbError(f"{path}: Word-filen är krypterad (lösenordsskyddad)", hint="spara en kopia utan lösenord")
        raise SbError(f"{path}: är en äldre Word-fil (.doc), inte .docx", hint="spara om den i Word som .docx")
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(path, archive, max_unpacked)
    except zipfile.BadZipFile as exc:
        raise _not_word(path, str(exc)) from None


def _check_archive(path: Path, archive: zipfile.ZipFile, max_unpacked: int) -> None:
    infos = archive.infolist()
    unpacked = sum(info.file_size for info in infos)
    if len(infos) > MAX_PARTS or unpacked > max_unpacked:
        raise _not_word(path, f"delarna blir {unpacked / 1_000_000:.0f} MB uppackade; gränsen är "
                              f"{max_unpacked / 1_000_000:.0f} MB")  # fmt: skip
    for info in infos:
        bomb = unpacking_refusal(info.filename, info.compress_size, info.file_size)
        if bomb:
            raise _not_word(path, bomb)
    for info in infos:
        if info.filename.endswith((".xml", ".rels")) and _declares_entities(archive, info):
            raise _not_word(path, f"{info.filename} definierar egna XML-entiteter")
    check_word_text(path, archive, infos)


def _declares_entities(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    with archive.open(info) as part:
        head = part.read(4096)
    return b"<!DOCTYPE" in head or b"<!ENTITY" in head


def _numbering_element(document: Any) -> etree._Element | None:
    try:
        element: etree._Element = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return None
    return element


def _header_footer_texts(document: Any) -> set[str]:
    texts: set[str] = set()
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                     section.even_page_header, section.even_page_footer):  # fmt: skip
            if part.is_linked_to_previous:
                continue
            texts.update(furniture_key(p.text) for p in part.paragraphs if p.text.strip())
    return texts


@dataclass(frozen=True, slots=True)
class _Style:
    name: str
    based_on: str | None
    num_id: str | None
    ilvl: int | None
    outline: int | None


class _Styles:
    """Paragraph styles by id, with the heading level and list numbering they pass to paragraphs
    through their `basedOn` chain."""

    def __init__(self, root: etree._Element) -> None:
        from docx.styles import BabelFish

        self.styles: dict[str, _Style] = {}
        self.default: str | None = None
        for style in root.iter(f"{W}style"):
            if style.get(f"{W}type") != "paragraph":
                continue
            ident = style.get(f"{W}styleId") or ""
            name = BabelFish.internal2ui(_val(style.find(f"{W}name")) or ident)
            num = style.find(f"{W}pPr/{W}numPr")
            self.styles[ident] = _Style(
                name,
                _val(style.find(f"{W}basedOn")),
                _val(num.find(f"{W}numId")) if num is not None else None,
                _int(_val(num.find(f"{W}ilvl"))) if num is not None else None,
                _int(_val(style.find(f"{W}pPr/{W}outlineLvl"))),
            )
            if style.get(f"{W}default") in ("1", "true"):
                self.default = ident

    def chain(self, ident: str | None) -> Iterator[tuple[str, _Style]]:
        seen: set[str] = set()
        current = ident if ident in self.styles else self.default
        while current is not None and current in self.styles and current not in seen:
            seen.add(current)
            yield current, self.styles[current]
            current = self.styles[current].based_on

    def name(self, ident: str | None) -> str:
        return next((style.name for _, style in self.chain(ident)), "")

    def heading(self, ident: str | None, outline: int | None) -> int:
        for _, style in self.chain(ident):
            if match := _HEADING_STYLE.match(style.name):
                return min(int(match[1]), 6)
            if outline is None:
                outline = style.outline
        return min(outline + 1, 6) if outline is not None and outline < 9 else 0

    def numbering(self, ident: str | None) -> tuple[str, str, int | None] | None:
        """(style id, numId, ilvl) of the list the style belongs to."""
        for style_id, style in self.chain(ident):
            if style.num_id is not None:
                return style_id, style.num_id, style.ilvl
        return None


def _val(element: etree._Element | None) -> str | None:
    return element.get(f"{W}val") if element is not None else None


def _int(text: str | None) -> int | None:
    return int(text) if text is not None and text.lstrip("-").isdigit() else None


@dataclass(slots=True)
class _Level:
    fmt: str = "decimal"
    text: str = ""
    start: int | None = 1
    suffix: str = "tab"
    legal: bool = False
    style: str | None = None


@dataclass(slots=True)
class _Numbering:
    """Word's list numbering computed as Word shows it: counters per abstract list, lower levels
    restarting under a higher one, a list instance's start override restarting it."""

    root: etree._Element | None
    abstract_of: dict[str, str] = field(default_factory=dict)
    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)
    counters: dict[str, list[int | None]] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if self.root is None:
            return
        for abstract in self.root.iter(f"{W}abstractNum"):
            ident = abstract.get(f"{W}abstractNumId") or ""
            self.levels[ident] = {int(lvl.get(f"{W}ilvl") or 0): _level(lvl) for lvl in abstract.iter(f"{W}lvl")}
        for num in self.root.iter(f"{W}num"):
            ident = num.get(f"{W}numId") or ""
            self.abstract_of[ident] = _val(num.find(f"{W}abstractNumId")) or ""
            self.overrides[ident] = _start_overrides(num)

    def label(self, num_id: str, ilvl: int | None, style_id: str | None) -> tuple[str, bool, str] | None:
        """(label, is a bullet, suffix) for the next paragraph of the list, or None."""
        abstract = self.abstract_of.get(num_id)
        levels = self.levels.get(abstract or "")
        if abstract is None or not levels:
            return None
        if ilvl is None:
            ilvl = _styled_level(levels, style_id)
        level = levels.get(ilvl)
        if level is None:
            return None
        counters = self._counters(num_id, abstract)
        if level.fmt == "bullet":
            return level.text.strip(), True, level.suffix
        current = counters[ilvl]
        counters[ilvl] = self._start(num_id, abstract, ilvl) if current is None else current + 1
        for deeper in range(ilvl + 1, len(counters)):
            counters[deeper] = None
        return self._numbered(num_id, abstract, level, counters), False, level.suffix

    def _counters(self, num_id: str, abstract: str) -> list[int | None]:
        """The abstract list's counters, the levels a list instance overrides restarted when it begins."""
        counters = self.counters.setdefault(abstract, [None] * 10)
        if num_id not in self.started:
            self.started.add(num_id)
            for overridden in self.overrides.get(num_id, {}):
                counters[overridden] = None
        return counters

    def _numbered(self, num_id: str, abstract: str, level: _Level, counters: list[int | None]) -> str:
        """The level's text with each %n replaced by level n's counter in its format."""
        levels = self.levels[abstract]

        def number(match: re.Match[str]) -> str:
            n = int(match[1]) - 1
            value = counters[n] if counters[n] is not None else self._start(num_id, abstract, n)
            shown = levels.get(n, _Level())
            return _format_number(value or 0, "decimal" if level.legal else shown.fmt)

        return re.sub(r"%([1-9])", number, level.text)

    def _start(self, num_id: str, abstract: str, ilvl: int) -> int:
        if ilvl in self.overrides.get(num_id, {}):
            return self.overrides[num_id][ilvl]
        start = self.levels[abstract].get(ilvl, _Level()).start
        return 0 if start is None else start


def _start_overrides(num: etree._Element) -> dict[int, int]:
    """The level each start override of a list instance restarts, and where."""
    starts = {}
    for override in num.iter(f"{W}lvlOverride"):
        start = _int(_val(override.find(f"{W}startOverride")))
        if start is not None:
            starts[int(override.get(f"{W}ilvl") or 0)] = start
    return starts


def _styled_level(levels: dict[int, _Level], style_id: str | None) -> int:
    """The level a paragraph style is tied to, for a paragraph that names no level."""
    return next((n for n, level in levels.items() if style_id and level.style == style_id), 0)


def _level(lvl: etree._Element) -> _Level:
    return _Level(
        fmt=_val(lvl.find(f"{W}numFmt")) or "decimal",
        text=_val(lvl.find(f"{W}lvlText")) or "",
        start=_int(_val(lvl.find(f"{W}start"))) if lvl.find(f"{W}start") is not None else 1,
        suffix=_val(lvl.find(f"{W}suff")) or "tab",
        legal=lvl.find(f"{W}isLgl") is not None,
        style=_val(lvl.find(f"{W}pStyle")),
    )


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "none":
        return ""
    return str(value)


def _roman(value: int) -> str:
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip
    out = ""
    for number, letters in numerals:
        count, value = divmod(value, number)
        out += letters * count
    return out


def _body_blocks(body: etree._Element, styles: _Styles, numbering: _Numbering) -> Iterator[Block]:
    for element in body:
        if element.tag == f"{W}p":
            block = _paragraph_block(element, styles, numbering)
            if block.text.strip():
                yield block
        elif element.tag == f"{W}tbl":
            rows = _table_rows(element, styles, numbering)
            if rows:
                yield Block("", rows=rows)
        elif element.tag in (f"{W}sdt", f"{W}customXml"):
            content = element.find(f"{W}sdtContent")
            yield from _body_blocks(content if content is not None else element, styles, numbering)


def _paragraph_block(p: etree._Element, styles: _Styles, numbering: _Numbering) -> Block:
    style_id = _val(p.find(f"{W}pPr/{W}pStyle"))
    outline = _int(_val(p.find(f"{W}pPr/{W}outlineLvl")))
    text = paragraph_text(p)
    list_style, num_id, ilvl = _list_of(p, styles.numbering(style_id))
    bullet = False
    found = numbering.label(num_id or "", ilvl, list_style) if num_id not in (None, "0") and text.strip() else None
    if found:
        label, bullet, suffix = found
        if not bullet and label:
            text = label + ("" if suffix == "nothing" else " ") + text.lstrip()
    return Block(text, style=styles.name(style_id), heading=styles.heading(style_id, outline), bullet=bullet)


def _list_of(
    p: etree._Element, list_of: tuple[str, str, int | None] | None
) -> tuple[str | None, str | None, int | None]:
    """(list style, numId, level) of the list the paragraph is in: its own numbering, where it
    names one, over its style's."""
    own = p.find(f"{W}pPr/{W}numPr")
    if own is None:
        return list_of if list_of else (None, None, None)
    num_id, ilvl = _val(own.find(f"{W}numId")), _int(_val(own.find(f"{W}ilvl")))
    if list_of is None:
        return None, num_id, ilvl
    return list_of[0], list_of[1] if num_id is None else num_id, ilvl


def _table_rows(table: etree._Element, styles: _Styles, numbering: _Numbering) -> tuple[tuple[str, ...], ...]:
    """The cells' text row by row; a horizontally merged cell counts once, a vertically merged
    cell's continuation is empty, and a cell's paragraphs are its lines ("• " before a bullet)."""
    rows = []
    for tr in table.iter(f"{W}tr"):
        if tr.getparent() is not table:
            continue
        cells = [_cell_text(tc, styles, numbering) for tc in tr.findall(f"{W}tc")]
        if any(cell.strip() for cell in cells):
            rows.append(tuple(cells))
    return tuple(rows)


def _cell_text(tc: etree._Element, styles: _Styles, numbering: _Numbering) -> str:
    merged = tc.find(f"{W}tcPr/{W}vMerge")
    if merged is not None and merged.get(f"{W}val") != "restart":
        return ""
    lines = []
    for p in tc.iter(f"{W}p"):
        block = _paragraph_block(p, styles, numbering)
        if block.text.strip():
            lines.append(("• " if block.bullet else "") + block.text.strip())
    return "\n".join(lines)


def paragraph_text(p: etree._Element) -> str:
    """A paragraph's visible text: runs, hyperlinks, fields' results and inserted text, but not
    deleted text, field codes, hidden runs or the contents of drawings and text boxes."""
    parts: list[str] = []

    def walk(element: etree._Element) -> None:
        for child in element:
            tag = child.tag
            if tag in _SKIPPED or not isinstance(tag, str):
                continue
            if tag == f"{W}t":
                parts.append(child.text or "")
            elif tag in (f"{W}tab", f"{W}ptab"):
                parts.append("\t")
            elif tag == f"{W}br":
                parts.append("" if child.get(f"{W}type") in ("page", "column") else "\n")
            elif tag == f"{W}cr":
                parts.append("\n")
            elif tag == f"{W}noBreakHyphen":
                parts.append("-")
            elif tag == f"{W}r" and _hidden(child):
                continue
            else:
                walk(child)

    walk(p)
    return "".join(parts)


def _hidden(run: etree._Element) -> bool:
    vanish = run.find(f"{W}rPr/{W}vanish")
    return vanish is not None and vanish.get(f"{W}val") not in ("0", "false")
