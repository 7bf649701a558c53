"""PDF files as blocks, one line each, with its page: the characters' positions (pdfium, through
pypdfium2) rebuild the lines, tell the columns of a label table apart, mark the lines set as
headings and find the page furniture. pikepdf tells an encrypted or damaged file first."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sb_cli.errors import SbError
from sb_cli.importing.bounds import check_extent, check_pages, check_pdf_streams
from sb_cli.importing.readers import furniture_key
from sb_cli.importing.source import Block, is_page_furniture

# A first segment that is a list or paragraph mark, not a table's label: "att", "§ 61", "a/", "1.", "•".
_MARKER = re.compile(r"^(?:att|§\s?\d+|[a-zåäö][/).]|\(?\d{1,3}[.)]?|\d+(?:\.\d+)+\.?|[•▪◦●■□*\-–\uf0b7\uf0a7])$")
ALIGN = 3.0  # points a column's lines may stray from its left edge
CELL_MARGINS = 12.0  # points between one column's text and the next: the cells' inner margins


@dataclass(frozen=True, slots=True)
class _Segment:
    x0: float
    x1: float
    text: str


@dataclass(frozen=True, slots=True)
class _Line:
    page: int
    top: float
    segments: tuple[_Segment, ...]
    size: float
    bold: bool
    pitch: float  # the page's usual distance from one line to the next
    page_height: float

    @property
    def text(self) -> str:
        return " ".join(segment.text for segment in self.segments)


def read_pdf(path: Path, *, max_unpacked: int) -> list[Block]:
    _check_pdf(path, max_unpacked)
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise SbError("PDF-läsaren pypdfium2 saknas", hint="installera den: pip install pypdfium2") from None
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise _not_pdf(path, str(exc)) from None
    try:
        pages = _pages(path, document)
        pictures = not any(pages) and any(_has_pictures(document[n]) for n in range(len(document)))
    finally:
        document.close()
    if not any(pages):
        _refuse_textless(path, pictures)
    return _pdf_blocks(_without_furniture(pages))


def _pages(path: Path, document: Any) -> list[list[_Line]]:
    """Each page's lines, refusing a document with more pages, lines or characters than sb imports."""
    check_pages(path, len(document))
    pages: list[list[_Line]] = []
    lines = characters = 0
    for n in range(len(document)):
        pages.append(_page_lines(document[n], n + 1))
        lines += len(pages[-1])
        characters += sum(len(line.text) for line in pages[-1])
        check_extent(path, lines, characters)
    return pages


def _check_pdf(path: Path, max_unpacked: int) -> None:
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            check_pdf_streams(path, pdf, max_unpacked)
    except pikepdf.PasswordError:
        raise SbError(
            f"{path}: PDF-filen är krypterad (lösenordsskyddad)", hint="spara en kopia utan lösenord"
        ) from None
    except pikepdf.PdfError as exc:
        raise _not_pdf(path, str(exc)) from None


def _not_pdf(path: Path, reason: str) -> SbError:
    return SbError(
        f"{path}: kan inte läsas som PDF-fil ({reason[:200]})",
        hint="öppna filen och spara eller exportera den som PDF igen",
    )


def _refuse_textless(path: Path, pictures: bool) -> None:
    if pictures:
        raise SbError(
            f"{path}: PDF-filen har inget textlager; sb läser inte inskannade dokument",
            hint="importera originalet (.docx) eller låt ett program med textigenkänning (OCR) göra en PDF med text",
        )
    raise SbError(f"{path}: dokumentet innehåller ingen text", hint="kontrollera att det är rätt fil")


def _has_pictures(page: Any) -> bool:
    import pypdfium2.raw as raw

    return any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]))


@dataclass(slots=True)
class _Word:
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    text: str


_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"})


def _page_words(page: Any) -> list[_Word]:
    """The page's characters as words: a space, a step to another line or a gap ends a word.
    Positions are measured from the page's top edge, as a reader sees it."""
    import ctypes

    import pypdfium2.raw as raw

    height = float(page.get_height())
    textpage = page.get_textpage()
    words: list[_Word] = []
    box = raw.FS_RECTF()
    current: _Word | None = None
    for i in range(textpage.count_chars()):
        code = raw.FPDFText_GetUnicode(textpage.raw, i)
        char = chr(code).translate(_LIGATURES)
        if current is not None and code in (0x02, 0xAD):  # a hyphen where the line was broken
            current.text += "-"
            continue
        if char.isspace() or not char or raw.FPDFText_IsGenerated(textpage.raw, i) == 1:
            current = None
            continue
        raw.FPDFText_GetLooseCharBox(textpage.raw, i, ctypes.byref(box))
        size = round(float(raw.FPDFText_GetFontSize(textpage.raw, i)), 1)
        x0, x1, top, bottom = float(box.left), float(box.right), height - float(box.top), height - float(box.bottom)
        bold = raw.FPDFText_GetFontWeight(textpage.raw, i) >= 600
        if current is None or _apart(current, x0, top, size):
            current = _Word(x0, x1, top, bottom, size, bold, char)
            words.append(current)
        else:
            current.x1, current.text = max(current.x1, x1), current.text + char
            current.bold = current.bold and bold
    textpage.close()
    return words


def _apart(word: _Word, x0: float, top: float, size: float) -> bool:
    """A character on another line than the word, after a gap, or far back to its left."""
    return abs(top - word.top) > 0.5 * size or x0 - word.x1 > 0.25 * size or x0 < word.x1 - size


def _page_lines(page: Any, number: int) -> list[_Line]:
    """The page's words grouped into lines (words whose heights overlap), each line cut into
    segments where the gap between two words is wider than a space."""
    words = sorted(_page_words(page), key=lambda w: (w.top, w.x0))
    groups: list[list[_Word]] = []
    for word in words:
        if groups and _same_line(groups[-1], word):
            groups[-1].append(word)
        else:
            groups.append([word])
    tops = [min(w.top for w in group) for group in groups]
    steps = [b - a for a, b in zip(tops, tops[1:], strict=False) if b - a > 1]
    pitch = statistics.median(steps) if steps else 14.0
    height = float(page.get_height())
    page.close()
    return [_line(group, number, top, pitch, height) for group, top in zip(groups, tops, strict=True)]


def _same_line(group: list[_Word], word: _Word) -> bool:
    top, bottom = min(w.top for w in group), max(w.bottom for w in group)
    overlap = min(bottom, word.bottom) - max(top, word.top)
    return overlap > 0.5 * min(bottom - top, word.bottom - word.top)


def _line(group: list[_Word], page: int, top: float, pitch: float, height: float) -> _Line:
    group.sort(key=lambda w: w.x0)
    sizes = Counter[float]()
    for word in group:
        sizes[word.size] += len(word.text)
    size = sizes.most_common(1)[0][0]
    segments: list[list[_Word]] = []
    for word in group:
        if segments and word.x0 - segments[-1][-1].x1 <= max(0.9 * size, 5.0):
            segments[-1].append(word)
        else:
            segments.append([word])
    return _Line(
        page,
        top,
        tuple(_Segment(s[0].x0, s[-1].x1, " ".join(w.text for w in s)) for s in segments),
        size,
        all(word.bold for word in group),
        pitch,
        height,
    )


def _without_furniture(pages: list[list[_Line]]) -> list[_Line]:
    """Every line but page numbers and the running heads and feet: lines near a page's top or
    bottom edge whose text, numbers aside, recurs on at least half of the pages (two at least)."""

    def edge(line: _Line, i: int, count: int) -> bool:
        near = line.top < 0.12 * line.page_height or line.top > 0.88 * line.page_height
        return near and (i < 3 or i >= count - 3)

    counts = Counter[str]()
    for lines in pages:
        counts.update({furniture_key(line.text) for i, line in enumerate(lines) if edge(line, i, len(lines))})
    needed = max(2, (len(pages) + 1) // 2)
    return [
        line
        for lines in pages
        for i, line in enumerate(lines)
        if not is_page_furniture(line.text)
        and not (edge(line, i, len(lines)) and counts[furniture_key(line.text)] >= needed)
    ]


def _pdf_blocks(lines: list[_Line]) -> list[Block]:
    levels = _heading_levels(lines)
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if blocks and i and _paragraph_gap(lines[i - 1], line):
            blocks.append(Block("", page=line.page))
        table = _table_at(lines, i)
        if table is not None:
            end, rows = table
            blocks.append(Block("", rows=rows, page=line.page))
            i = end
            continue
        blocks.append(Block(line.text, heading=levels.get(i, 0), page=line.page))
        i += 1
    return blocks


def _paragraph_gap(above: _Line, line: _Line) -> bool:
    """More space than a line of the larger of the two sizes needs: a new paragraph."""
    spacing = max(line.pitch, 1.25 * max(above.size, line.size))
    return above.page == line.page and line.top - above.top > 1.35 * spacing


def _heading_levels(lines: list[_Line]) -> dict[int, int]:
    """Lines set larger than the body text, level 1 for the largest size; a short line wholly in
    bold at the body's size is one level below the smallest larger size."""
    body = _body_size(lines)
    if body is None:
        return {}
    larger = sorted({line.size for line in lines if line.size > body + 0.4}, reverse=True)
    levels: dict[int, int] = {}
    for i, line in enumerate(lines):
        if line.size in larger:
            levels[i] = min(larger.index(line.size) + 1, 6)
        elif _bold_heading(line, body):
            levels[i] = min(len(larger) + 1, 6)
    return levels


def _body_size(lines: list[_Line]) -> float | None:
    """The size most of the text is set in."""
    sizes = Counter[float]()
    for line in lines:
        sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else None


def _bold_heading(line: _Line, body: float) -> bool:
    """A short line wholly in bold at the body's size, without a closing mark."""
    return line.bold and abs(line.size - body) <= 0.4 and len(line.text) <= 90 and line.text[-1:] not in ".,;"


def _table_at(lines: list[_Line], start: int) -> tuple[int, tuple[tuple[str, ...], ...]] | None:
    """A table beginning at `start`: lines whose segments stand in the columns that the first
    line's segments open, a new row where the first column begins again after a gap. The first
    segment must be a label, not a list mark; at least two lines must reach past the first column."""
    first = lines[start]
    if len(first.segments) < 2 or _MARKER.match(first.segments[0].text):
        return None
    columns = [segment.x0 for segment in first.segments]
    rows, reaching, end = _gather_rows(lines, start, columns, colons=first.segments[0].text.endswith(":"))
    if reaching < 2:
        return None
    return end, tuple(tuple(_cell(parts, column) for column, parts in enumerate(row)) for row in rows)


def _gather_rows(
    lines: list[_Line], start: int, columns: list[float], *, colons: bool
) -> tuple[list[list[list[str]]], int, int]:
    """The table's rows (each cell's parts), how many lines reach past the first column, and the
    index after its last line. A last row of one line with text in the first column only is the
    text under the table ("LSVO beslutar"), not a row."""
    rows: list[list[list[str]]] = []
    reaching, end = 0, start
    label: str | None = None  # the first column's text on the line above
    filled: set[int] = set()  # the columns the current row's first line has text in
    right: dict[int, float] = {}  # where the current row's text ends, column by column
    above: dict[int, str] = {}  # the current row's last line of text, column by column
    lone_label_at: int | None = None
    edge = max(s.x1 for line in lines if line.page == lines[start].page for s in line.segments)
    for i in range(start, len(lines)):
        line = lines[i]
        placed = _place(line, columns)
        new_page, gap = _space_above(lines, start, i)
        if placed is None or _ends_table(line, placed, new_page, gap, columns):
            break
        here = {n for n, segment in enumerate(placed) if segment is not None}
        wrapped = not colons and _wraps_cells(line, here, filled, gap) and not _fits_above(line, columns, right, edge)
        lone_label_at = None
        if i == start or (not wrapped and _starts_row(line, placed[0], label, colons, gap)):
            rows.append([[] for _ in columns])
            filled, right, above = here, {}, {}
            lone_label_at = i if here == {0} and not colons else None
        elif wrapped:
            placed = [_wrapped(s, above.get(n, ""), right.get(n, 0.0), _limit(columns, n, edge), line.size)
                      for n, s in enumerate(placed)]  # fmt: skip
        _add_cells(rows[-1], placed)
        right.update(_right_edges(line, columns))
        above.update({n: segment.strip() for n, segment in enumerate(placed) if segment is not None})
        reaching += any(segment is not None for segment in placed[1:])
        label, end = placed[0], i + 1
    if lone_label_at is not None and len(rows) > 2:
        rows.pop()
        end = lone_label_at
    return rows, reaching, end


def _right_edges(line: _Line, columns: list[float]) -> dict[int, float]:
    edges: dict[int, float] = {}
    for segment in line.segments:
        column = max((n for n, x in enumerate(columns) if segment.x0 >= x - ALIGN), default=0)
        edges[column] = max(edges.get(column, 0.0), segment.x1)
    return edges


def _fits_above(line: _Line, columns: list[float], right: dict[int, float], edge: float) -> bool:
    """Whether the first word of some segment of the line would have fitted on the line above in
    its column: then the line was not wrapped there, and begins something of its own."""
    for segment in line.segments:
        column = max((n for n, x in enumerate(columns) if segment.x0 >= x - ALIGN), default=0)
        above = right.get(column)
        if above is None:
            return True
        word = segment.text.split()[0]
        width = (segment.x1 - segment.x0) * len(word) / max(len(segment.text), 1)
        if above + 0.3 * line.size + width <= _limit(columns, column, edge):
            return True
    return False


def _limit(columns: list[float], column: int, edge: float) -> float:
    """Where a column's text ends: before the next column's, less the cells' inner margins."""
    return columns[column + 1] - CELL_MARGINS if column + 1 < len(columns) else edge


def _wrapped(segment: str | None, above: str, right: float, limit: float, size: float) -> str | None:
    """A wrapped cell's next line, marked to be joined to the line above: with a space ("\t"), or
    without one ("\v") where the line above is a single word that filled the cell, broken where it
    did not fit ("föräldraskapsstödsprog" / "ram")."""
    if segment is None:
        return None
    text = segment.lstrip("\t")
    broken = " " not in above.strip() and right >= limit - size and text[:1].islower()
    return ("\v" if broken else "\t") + text


def _space_above(lines: list[_Line], start: int, i: int) -> tuple[bool, float]:
    """Whether line `i` of a table begins a new page, and else the distance from the line above."""
    if i == start:
        return False, 0.0
    if lines[i - 1].page != lines[i].page:
        return True, 0.0
    return False, lines[i].top - lines[i - 1].top


def _ends_table(line: _Line, placed: list[str | None], new_page: bool, gap: float, columns: list[float]) -> bool:
    """A signature's space may part a cell's lines; a label after such a gap, or on a new page,
    begins other text, unless the new page's line fills the table's columns as a row does (a
    table broken over pages after its header)."""
    if new_page and bool(placed[0]):
        return not _fills_columns(line, columns)
    return gap > (2.5 if placed[0] else 5.0) * line.pitch


def _fills_columns(line: _Line, columns: list[float]) -> bool:
    """Two segments or more, each beginning where a column begins."""
    starts = [segment.x0 for segment in line.segments]
    return len(starts) >= 2 and all(any(abs(x - column) <= ALIGN for column in columns) for x in starts)


def _wraps_cells(line: _Line, here: set[int], filled: set[int], gap: float) -> bool:
    """A line of a table without labels that goes on with the row above: text in fewer of the
    columns than the row's first line, set as close as the lines of one paragraph. A cell too
    narrow for a name wraps it this way, and the name stays one ("Christina" / "Wieslander")."""
    return bool(here) and here < filled and gap <= 1.2 * line.pitch


def _starts_row(line: _Line, first_cell: str | None, label: str | None, colons: bool, gap: float) -> bool:
    """Text in the first column begins a row, unless it goes on with the label above it."""
    return bool(first_cell) and (not _label_goes_on(label, colons) or gap > 1.3 * line.pitch)


def _add_cells(row: list[list[str]], placed: list[str | None]) -> None:
    for column, segment in enumerate(placed):
        if segment is not None:
            row[column].append(segment)


_GOES_ON = re.compile(r"(?:\b(?:och|eller|samt)|[-,])$", re.IGNORECASE)


def _label_goes_on(label: str | None, colons: bool) -> bool:
    """Whether a label continues on the next line: where labels end with a colon, until the colon;
    elsewhere only after a word or mark that cannot end one."""
    if label is None:
        return False
    return not label.endswith(":") if colons else _GOES_ON.search(label) is not None


def _place(line: _Line, columns: list[float]) -> list[str | None] | None:
    """The line's text column by column; a segment indented within its column (a hanging
    indent) is marked with a leading tab. None when a segment crosses into the next column."""
    placed: list[str | None] = [None] * len(columns)
    for segment in line.segments:
        column = max((n for n, x in enumerate(columns) if segment.x0 >= x - ALIGN), default=None)
        if column is None:
            return None
        if column + 1 < len(columns) and segment.x1 > columns[column + 1] - 1:
            return None
        before = placed[column]
        indented = "\t" if segment.x0 > columns[column] + ALIGN else ""
        placed[column] = (before + " " if before else indented) + segment.text
    return placed


def _cell(parts: list[str], column: int) -> str:
    """The first column's lines are one label; elsewhere each line stands, but an indented one
    continues the line above it."""
    lines: list[str] = []
    for part in parts:
        if lines and part.startswith("\v"):
            lines[-1] += part.strip()
        elif lines and (column == 0 or part.startswith("\t")):
            lines[-1] = _joined(lines[-1], part.strip())
        else:
            lines.append(part.strip())
    return "\n".join(lines)


def _joined(first: str, second: str) -> str:
    if first.endswith("-") and second[:1].islower() and second.split()[0] not in ("och", "eller", "samt"):
        return first + second
    return f"{first} {second}"
