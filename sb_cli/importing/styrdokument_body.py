"""A styrdokument's text as the parts of its Markdown body: headings with the level their numbering
gives them, paragraphs re-joined where extraction broke the lines, list items and tables."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Literal

from sb_cli.importing.source import Block, Source, is_page_furniture

PartKind = Literal["heading", "paragraph", "item", "table"]


@dataclass(frozen=True, slots=True)
class Part:
    kind: PartKind
    text: str = ""
    level: int = 0  # a heading's level (0 until levelled); an item's depth from 1
    number: str | None = None  # a heading's section number ("4.2.3"); an item's number or letter
    ordered: bool = False
    rows: tuple[tuple[str, ...], ...] = ()
    section: str | None = None  # the number of the section the part stands in


# "4.2.3 Ansvarsfördelning", "5 Bilaga: …"; the title begins with a capital letter or a quote.
NUMBERED = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2}){0,5})(?P<dot>\.?)\s+(?P<title>[A-ZÅÄÖ\"”“'(].*)$")
BULLET = re.compile(r"^[•▪◦●■□✓✔➢►*\-–\uf0b7\uf0a7]\s*(?P<text>\S.*)$")
ORDERED = re.compile(r"^\(?(?P<number>\d{1,2}|[a-zåäö])(?:[.)]|\s?/)\s+(?P<text>\S.*)$")
TOC_HEADING = re.compile(r"^(?:innehåll|innehållsförteckning):?$", re.IGNORECASE)
TOC_STYLE = re.compile(r"^(?:toc|innehåll|innehållsförteckning)\s*(?:\d|heading|rubrik)?$", re.IGNORECASE)
# Words a line cannot end on when its sentence is done.
GOES_ON = re.compile(
    r"\b(?:och|eller|samt|för|av|i|med|till|om|på|från|vid|inom|mot|kring|mellan|under|efter|enligt|utan|som|"
    r"att|en|ett|den|det|de|såsom|t\.ex\.|bl\.a\.)$|[-,–]$",
    re.IGNORECASE,
)
CONJUNCTIONS = ("och", "eller", "samt", "respektive", "resp", "till")
SENTENCE_END = (".", "!", "?", ":", ";", "”", '"')


def body_parts(source: Source) -> list[Part]:
    blocks = list(source.blocks)
    parts = _word_parts(blocks) if source.kind == "docx" else _line_parts(blocks)
    return _levelled(parts, styled=source.kind == "docx" and any(b.heading for b in blocks))


def plain_lines(parts: list[Part]) -> list[tuple[str, str | None]]:
    """Each part's text with its section, a table's rows one by one: what the facts are read from."""
    lines: list[tuple[str, str | None]] = []
    for part in parts:
        if part.kind == "table":
            lines += [("  ".join(" ".join(c.split()) for c in row if c.strip()), part.section) for row in part.rows]
        else:
            lines.append((part.text, part.section))
    return lines


# --- Word paragraphs ----------------------------------------------------------------------------


def _word_parts(blocks: list[Block]) -> list[Part]:
    styled = any(b.heading for b in blocks)
    parts: list[Part] = []
    sections = Sections()
    for block in blocks:
        text = " ".join(block.text.split())
        if block.rows:
            parts.append(Part("table", rows=block.rows))
        elif not _is_word_furniture(block, text):
            parts.append(_word_part(block, text, styled, sections))
    return parts


def _is_word_furniture(block: Block, text: str) -> bool:
    """An empty paragraph, a page header or footer, or a line of the table of contents."""
    return not text or is_page_furniture(text) or bool(TOC_STYLE.match(block.style)) or is_toc_line(block.text)


def _word_part(block: Block, text: str, styled: bool, sections: Sections) -> Part:
    numbered = NUMBERED.match(text)
    if block.heading:
        number = numbered["number"] if numbered else None
        return Part("heading", text, level=0 if number else block.heading, number=number)
    if block.bullet:
        return Part("item", text, level=_style_depth(block.style))
    if (ordered := ORDERED.match(text)) and "list" in block.style.casefold():
        return Part("item", ordered["text"], _style_depth(block.style), ordered["number"], ordered=True)
    if not styled and numbered and sections.accept(numbered):
        return Part("heading", text, number=numbered["number"])
    return Part("paragraph", text)


def _style_depth(style: str) -> int:
    match = re.search(r"(\d)$", style)
    return int(match[1]) if match else 1


# --- lines of text and PDF ----------------------------------------------------------------------


@dataclass
class _Open:
    """The paragraph or list item being gathered."""

    kind: PartKind
    lines: list[str]
    number: str | None = None
    ordered: bool = False
    blank: bool = False  # a blank line since the last line


class _Gatherer:
    def __init__(self, width: int, known: frozenset[str]) -> None:
        self.width, self.known = width, known
        self.parts: list[Part] = []
        self.open: _Open | None = None

    def close(self) -> None:
        if self.open is not None:
            text = self.open.lines[0]
            for line in self.open.lines[1:]:
                text = join_lines(text, line, self.known)
            kind, number, ordered = self.open.kind, self.open.number, self.open.ordered
            self.parts.append(Part(kind, text, level=1 if kind == "item" else 0, number=number, ordered=ordered))
        self.open = None

    def start(self, kind: PartKind, text: str, number: str | None = None, *, ordered: bool = False) -> None:
        self.close()
        self.open = _Open(kind, [text], number, ordered)

    def blank(self) -> None:
        if self.open is not None:
            self.open.blank = True

    def add(self, text: str) -> None:
        """The line continues the open part, or begins a paragraph."""
        if self.open is not None and self._continues(self.open, text):
            self.open.lines.append(text)
            self.open.blank = False
        else:
            self.start("paragraph", text)

    def _continues(self, open_part: _Open, text: str) -> bool:
        previous = open_part.lines[-1]
        ended = previous.endswith(SENTENCE_END)
        if not open_part.blank:
            return not (ended and len(previous) < 0.7 * self.width)
        if ended:
            return False
        return text[:1].islower() or (open_part.kind == "paragraph" and len(previous) >= 0.6 * self.width)


def _line_parts(blocks: list[Block]) -> list[Part]:
    entries = text_tables(_without_contents(blocks))
    texts = [" ".join(b.text.split()) for b in entries if not b.rows]
    gather = _Gatherer(_width(texts), words_of(texts))
    sections = Sections()
    i = 0
    while i < len(entries):
        block = entries[i]
        text = " ".join(block.text.split())
        if block.rows:
            gather.close()
            gather.parts.append(Part("table", rows=block.rows))
        elif not text:
            gather.blank()
        elif (numbered := NUMBERED.match(text)) and sections.accept(numbered):
            title, i = _heading_lines(entries, i, text, gather.known)
            gather.close()
            gather.parts.append(Part("heading", _without_note_mark(title), number=numbered["number"]))
        elif bullet := BULLET.match(text):
            gather.start("item", bullet["text"])
        elif ordered := ORDERED.match(text):
            gather.start("item", ordered["text"], ordered["number"], ordered=True)
        elif _lost_bullet(entries, i):
            gather.start("item", text)
        elif _is_heading(entries, i, text, gather):
            title, i = _heading_lines(entries, i, text, gather.known, level=block.heading)
            gather.close()
            gather.parts.append(Part("heading", title))
        else:
            gather.add(text)
        i += 1
    gather.close()
    return gather.parts


# --- tables in a text extraction ---------------------------------------------------------------

_CELL_GAP = re.compile(r"\s{2,}")
_COUNT_AT_END = re.compile(r"^(?P<rest>.*\S)\s+(?P<count>\d{1,3})$")
# An organisation that ends a table's first cell when no wider gap parts them ("… Karlskrona kommun 2").
_ORGANISATION_AT_END = re.compile(
    r"^(?P<rest>.*\S)\s+(?P<organisation>(?:Region|Landstinget)\s+[\wåäöÅÄÖ-]+|[\wåäöÅÄÖ-]+\s+kommun|Kommunerna|Kommun)$"
)
_MAX_ROW_LINES = 3


def text_tables(blocks: list[Block]) -> list[Block]:
    """The blocks with each table of a plain text extraction as one table block: a header line of
    three to six short column names apart by wide gaps ("Funktion     Organisation     Antal"), and
    the rows under it, each on one line or broken over a few, blank lines between groups of rows
    left out (seed 000's tables of members)."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        header = None if blocks[i].rows else _header_cells(blocks[i].text)
        found = _text_rows(blocks, i + 1, len(header)) if header else None
        if header and found:
            rows, i = found
            out.append(Block("", rows=(tuple(header), *rows), page=blocks[i - 1].page))
            continue
        out.append(blocks[i])
        i += 1
    return out


def _header_cells(text: str) -> list[str] | None:
    cells = _CELL_GAP.split(text.strip())
    names = 3 <= len(cells) <= 6 and all(
        len(cell.split()) <= 3 and cell[:1].isupper() and not cell.endswith((".", ",", ";", ":")) for cell in cells
    )
    return cells if names else None


def _text_rows(blocks: list[Block], start: int, width: int) -> tuple[list[tuple[str, ...]], int] | None:
    """The rows from `start` and the index after the table; None for fewer than two rows. Where the
    first row ends in a number, every row does ("Antal"): a line without one goes on in the next."""
    rows: list[tuple[str, ...]] = []
    counted: bool | None = None
    pending: list[str] = []
    end = i = start
    while i < len(blocks) and not blocks[i].rows:
        text = blocks[i].text.strip()
        i += 1
        if not text:
            if pending or (i < len(blocks) and not blocks[i].text.strip()):
                break
            continue
        if text.endswith(".") or len(text) > 120 or NUMBERED.match(text):
            break
        line = " ".join([*pending, text])
        if counted is None:
            counted = _COUNT_AT_END.match(line) is not None
        if counted and not _COUNT_AT_END.match(line):
            pending.append(text)
            if len(pending) >= _MAX_ROW_LINES:
                break
            continue
        cells = _row_cells(line, width, counted=counted)
        if cells is None:
            break
        rows.append(cells)
        pending, end = [], i
    return (rows, end) if len(rows) >= 2 else None


def _row_cells(line: str, width: int, *, counted: bool) -> tuple[str, ...] | None:
    """A row's cells: apart by wide gaps, a count and an organisation at the end split off where
    no gap parts them; None for a line that is no row."""
    cells = [" ".join(cell.split()) for cell in _CELL_GAP.split(line.strip())]
    if counted and len(cells) < width and (count := _COUNT_AT_END.match(cells[-1])):
        cells[-1:] = [count["rest"], count["count"]]
    if len(cells) < width and (organisation := _ORGANISATION_AT_END.match(cells[0])):
        cells[:1] = [organisation["rest"], organisation["organisation"]]
    if len(cells) < 2:
        return None
    if len(cells) > width:
        cells[: len(cells) - width + 1] = [" ".join(cells[: len(cells) - width + 1])]
    missing = [""] * (width - len(cells))
    return tuple(cells[:-1] + missing + cells[-1:] if counted else cells + missing)


def _without_note_mark(title: str) -> str:
    """ "3.4.1 Barn som far illa 1)": the footnote's number is not part of the heading."""
    return re.sub(r"\s+\d{1,2}\)$", "", title)


def _without_contents(blocks: list[Block]) -> list[Block]:
    """The blocks without page numbers and the table of contents: its heading, the lines with a
    page number after dot leaders, and numbered lines whose heading comes again further on."""
    texts = [" ".join(b.text.split()) for b in blocks]
    later = {t for t in texts if NUMBERED.match(t)}
    return [
        block
        for block, text in zip(blocks, texts, strict=True)
        if block.rows or not _is_contents_line(block, text, later)
    ]


def _is_contents_line(block: Block, text: str, later: set[str]) -> bool:
    listed = re.match(r"^(.*\S)\s+\d{1,3}$", text)
    return bool(
        is_page_furniture(text)
        or TOC_HEADING.match(text)
        or is_toc_line(block.text.rstrip())
        or (listed and NUMBERED.match(text) and listed[1] in later)
    )


def _heading_lines(entries: list[Block], i: int, title: str, known: frozenset[str], level: int = 0) -> tuple[str, int]:
    """A heading that goes on over the next line ("… från region" / "och kommun"), or the next
    lines of a PDF heading set in the same size; the index of its last line."""
    while i + 1 < len(entries) and not entries[i + 1].rows:
        following = " ".join(entries[i + 1].text.split())
        if not _heading_goes_on(entries, i, title, following, level):
            break
        title = join_lines(title, following, known)
        i += 1
    return title, i


def _heading_goes_on(entries: list[Block], i: int, title: str, following: str, level: int) -> bool:
    """The next line, short and not numbered or a list item, is set as the heading is, or the
    heading's last word or the line's lower-case start carries the sentence over."""
    if not following or NUMBERED.match(following) or BULLET.match(following) or len(following) > 80:
        return False
    same_size = level > 0 and entries[i + 1].heading == level and entries[i + 1].page == entries[i].page
    return bool(same_size or GOES_ON.search(title) or following[:1].islower())


def _lost_bullet(entries: list[Block], i: int) -> bool:
    """A list item whose bullet extraction dropped, leaving the space after it: a line that begins
    with one space, next to another such line."""

    def spaced(block: Block) -> bool:
        text = block.text
        return text.startswith(" ") and not text.startswith("  ") and not NUMBERED.match(text.strip())

    if not spaced(entries[i]):
        return False
    before = next((b for b in reversed(entries[:i]) if b.rows or b.text.strip()), None)
    after = next((b for b in entries[i + 1 :] if b.rows or b.text.strip()), None)
    return any(b is not None and not b.rows and spaced(b) for b in (before, after))


def _is_heading(entries: list[Block], i: int, text: str, gather: _Gatherer) -> bool:
    """A PDF line set as a heading, or a short line standing alone between sentences: no closing
    mark, a capital letter first, a blank line above and a capital letter or list below."""
    if entries[i].heading:
        return len(text) <= 150 and not text.endswith(".")
    shaped = _shaped_as_heading(text, gather.width)
    return shaped and _apart_from_above(entries, i, gather) and _starts_below(entries, i)


def _shaped_as_heading(text: str, width: float) -> bool:
    """Short, a capital letter first, and no mark or word that carries on into the next line."""
    short = len(text.split()) <= 10 and len(text) <= min(80, 0.75 * width)
    if not short or not text[:1].isupper():
        return False
    goes_on = text.endswith((".", ",", ";", ":", "!")) or GOES_ON.search(text) or re.search(r"\s\d{1,2}$", text)
    return not goes_on


def _apart_from_above(entries: list[Block], i: int, gather: _Gatherer) -> bool:
    """A finished sentence and a blank line above, or a list item set apart, or the start of the text
    (not right under a table)."""
    above = gather.open
    if above is None:
        return not (gather.parts and gather.parts[-1].kind == "table")
    if above.kind == "item" and above.blank:
        return True
    # A line that begins with a space begins a page in these extractions: as good as a blank line.
    parted = above.blank or entries[i].text.startswith(" ")
    return parted and above.lines[-1].endswith(SENTENCE_END)


def _starts_below(entries: list[Block], i: int) -> bool:
    """The next line with text begins with a capital letter, a digit or a bullet."""
    below = next((" ".join(b.text.split()) for b in entries[i + 1 :] if b.rows or b.text.strip()), None)
    return below is not None and (below[:1].isupper() or below[:1].isdigit() or BULLET.match(below) is not None)


def _width(texts: list[str]) -> int:
    """How long a full line is: the length that four lines in five stay within."""
    lengths = sorted(len(t) for t in texts if len(t) > 20)
    return lengths[int(0.8 * (len(lengths) - 1))] if lengths else 80


def words_of(texts: list[str]) -> frozenset[str]:
    return frozenset(w.casefold() for text in texts for w in re.findall(r"[\wåäöÅÄÖ]+", text))


def join_lines(first: str, second: str, known: frozenset[str]) -> str:
    """Two lines of one sentence as one. A lower-case word broken by a hyphen is mended; "SIP-" and
    "e-" keep the hyphen unless the whole word is found elsewhere in the source, and "hälso-" +
    "och sjukvård" keeps its space."""
    first, second = first.rstrip(), second.strip()
    if not first or not second:
        return first or second
    if first.endswith("-") and len(first) > 1 and first[-2].isalpha() and second[:1].islower():
        return _mend_hyphen(first, second, known)
    return f"{first} {second}"


def _mend_hyphen(first: str, second: str, known: frozenset[str]) -> str:
    word = second.split()[0]
    if word.strip(".,;:") in CONJUNCTIONS:
        return f"{first} {second}"
    head = re.search(r"[\wåäöÅÄÖ]+-$", first)
    broken = head[0][:-1] if head else ""
    if (broken + word).casefold().strip(".,;:”)") in known or (len(broken) > 1 and broken.islower()):
        return first[:-1] + second
    return first + second


# --- numbering and levels -----------------------------------------------------------------------


class Sections:
    """The section numbering read so far: a numbered line is a heading when its number can follow
    the last one, and a one-part number is written as the first one was ("4" or "4.")."""

    def __init__(self) -> None:
        self.last: tuple[int, ...] | None = None
        self.dotted: bool | None = None

    def accept(self, match: re.Match[str]) -> bool:
        number = _numbers(match["number"])
        dotted = bool(match["dot"])
        if len(number) == 1 and self.dotted is not None and dotted != self.dotted:
            return False
        if follows(number, self.last) is None:
            return False
        if len(number) == 1:
            self.dotted = dotted
        self.last = number
        return True


def _numbers(number: str) -> tuple[int, ...]:
    return tuple(int(n) for n in number.split("."))


def follows(number: tuple[int, ...], last: tuple[int, ...] | None) -> tuple[int, ...] | None:
    """The number when it can come after `last` in a document's section numbering: the next at
    some level ("2.1.5" → "2.2", "3"), or a first subsection, one or two levels down ("3" → "3.1.1")."""
    if last is None:
        ok = number[0] in (0, 1, 2) and _first_ones(number[1:])
    else:
        ok = _next_at_some_level(number, last) or _first_subsection(number, last)
    return number if ok else None


def _first_ones(rest: tuple[int, ...]) -> bool:
    return all(n == 1 for n in rest)


def _next_at_some_level(number: tuple[int, ...], last: tuple[int, ...]) -> bool:
    """ "2.1.5" → "2.2", "3", "2.2.1"."""
    for depth in range(len(last)):
        head = last[:depth] + (last[depth] + 1,)
        rest = number[depth + 1 :]
        if number[: depth + 1] == head and len(rest) <= 2 and _first_ones(rest):
            return True
    return False


def _first_subsection(number: tuple[int, ...], last: tuple[int, ...]) -> bool:
    """ "3" → "3.1", "3.1.1"."""
    rest = number[len(last) :]
    return number[: len(last)] == last and 1 <= len(rest) <= 2 and _first_ones(rest)


def _levelled(parts: list[Part], *, styled: bool) -> list[Part]:
    """Every heading's level: one below the nearest heading whose number begins its own ("3.1.1"
    under "3" is level 2, as a reader sees it); an unnumbered heading one below the last numbered
    one, or at its Word style's level; each part with the section it stands in."""
    numbered = any(p.kind == "heading" and p.number for p in parts)
    levels: dict[str, int] = {}
    last_level = 0
    section: str | None = None
    out = []
    for part in parts:
        if part.kind == "heading" and part.number:
            parent = next((levels[p] for p in _prefixes(part.number) if p in levels), 0)
            levels[part.number] = last_level = min(parent + 1, 6)
            section = part.number
            part = replace(part, level=last_level)
        elif part.kind == "heading":
            part = replace(part, level=_unnumbered_level(part, last_level, styled=styled, numbered=numbered))
        out.append(replace(part, section=section))
    return out


def _unnumbered_level(part: Part, last_level: int, *, styled: bool, numbered: bool) -> int:
    """Its Word style's level, else one below the last numbered heading (the top level, 1 or 2,
    before any)."""
    if styled and part.level:
        return part.level
    return min(last_level + 1, 6) if last_level else (1 if numbered else 2)


def _prefixes(number: str) -> Iterator[str]:
    pieces = number.split(".")
    for n in range(len(pieces) - 1, 0, -1):
        yield ".".join(pieces[:n])


# --- Markdown -----------------------------------------------------------------------------------


def markdown(parts: list[Part], *, title: str | None = None) -> str:
    """The parts as CommonMark (with tables) that sb's renderer reads back as the same headings,
    paragraphs, lists and tables; one paragraph a line."""
    chunks: list[str] = [f"# {inline(title)}"] if title else []
    items: list[str] = []
    indents: dict[int, int] = {}
    for part in parts:
        if part.kind != "item" and items:
            chunks.append("\n".join(items))
            items, indents = [], {}
        if part.kind == "heading":
            chunks.append(f"{'#' * part.level} {inline(part.text)}")
        elif part.kind == "paragraph":
            chunks.append(block_text(part.text))
        elif part.kind == "table":
            chunks.append(table(part.rows))
        else:
            items.append(_item(part, indents))
    if items:
        chunks.append("\n".join(items))
    return "\n\n".join(chunks) + "\n"


def _item(part: Part, indents: dict[int, int]) -> str:
    depth = max(1, part.level)
    indent = sum(indents.get(d, 2) for d in range(1, depth))
    if part.ordered and part.number and part.number.isdigit():
        marker = f"{part.number}."
    elif part.ordered and part.number:
        marker = f"- {part.number})"
    else:
        marker = "-"
    indents[depth] = len(marker.split(" ")[0]) + 1
    return f"{' ' * indent}{marker} {inline(part.text)}"


def table(rows: tuple[tuple[str, ...], ...]) -> str:
    """A table with its first row as the header; a cell's lines on one line, bullets kept."""
    width = max(len(row) for row in rows)
    cells = [[_cell(row[n]) if n < len(row) else "" for n in range(width)] for row in rows]
    if width == 1:
        return "\n\n".join(block_text(row[0]) for row in cells if row[0])
    lines = ["| " + " | ".join(cells[0]) + " |", "| " + " | ".join("---" for _ in range(width)) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
    return "\n".join(lines)


def _cell(text: str) -> str:
    joined = ""
    for line in (" ".join(part.split()) for part in text.split("\n")):
        if not line:
            continue
        if not joined:
            joined = line
        elif line.startswith("•") or joined.endswith(SENTENCE_END) or line[:1].isupper():
            joined += ("; " if not line.startswith("•") and not joined.endswith(SENTENCE_END) else " ") + line
        else:
            joined = join_lines(joined, line, frozenset())
    return inline(joined).replace("|", "\\|")


_INLINE_SPECIAL = re.compile(r"([\\`*\[\]<])|(?<![\wåäöÅÄÖ])_|_(?![\wåäöÅÄÖ])|&(?=#?\w+;)")
_BLOCK_START = re.compile(r"^(?:(#{1,6}|>|[-+*=]|~~~|```)(?=\s|$)|(\d{1,9})([.)])(?=\s|$))")


def is_toc_line(text: str) -> bool:
    """A line of a table of contents: a page number of one to three digits after a dot leader
    (". . ." or "...", at least three dots), an ellipsis or a tab, with any spaces between. A scan from
    the end, as the pattern `(?:(?:\\.\\s?){3,}|…+|\\t)\\s*\\d{1,3}$` would read it, in linear time (a
    regular expression tries every dot of a long leader as the leader's start)."""
    if text.endswith("\n"):
        text = text[:-1]
    start = _page_number_start(text)
    if start is None:
        return False
    stem = text[:start]
    head = stem.rstrip()
    return "\t" in stem[len(head) :] or head.endswith("…") or _leader_dots(head) >= 3


def _page_number_start(text: str) -> int | None:
    """Where the page number of one to three digits that ends the text begins, if it ends on one."""
    start = len(text)
    while start > 0 and len(text) - start < 4 and text[start - 1].isdecimal():
        start -= 1
    if not 1 <= len(text) - start <= 3 or (start > 0 and text[start - 1].isdecimal()):
        return None
    return start


def _leader_dots(head: str) -> int:
    """The dots of the leader that ends the text, single spaces between them allowed."""
    dots, at = 0, len(head) - 1
    while at >= 0 and head[at] == ".":
        dots += 1
        at -= 1
        if at >= 1 and head[at].isspace() and head[at - 1] == ".":
            at -= 1
    return dots


def inline(text: str) -> str:
    return _INLINE_SPECIAL.sub(lambda m: "\\" + m[0], " ".join(text.split()))


def block_text(text: str) -> str:
    """A paragraph that Markdown will not read as a heading, quote, list or rule."""
    escaped = inline(text)
    match = _BLOCK_START.match(escaped)
    if match and match[2]:
        return f"{match[2]}\\{match[3]}{escaped[match.end() :]}"
    if match:
        return "\\" + escaped
    return escaped
