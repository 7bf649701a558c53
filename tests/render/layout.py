"""A PDF's page layout as a reader of the printed page sees it: lines of text with their place and
weight, and the rules drawn on each page (PDFium, through pypdfium2). Used by test_layout.py for the
PDF that sb writes and for LibreOffice's PDF of the Word file."""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

MM = 72 / 25.4  # points per millimetre
# The page's running header and footer: "LSVO Sammanträdesprotokoll 2023-06-16", "… · sb 0.2.0 … 3 (8)".
FURNITURE = re.compile(r"^\S.* Sammanträdesprotokoll \d{4}-\d{2}(-\d{2})?$|· sb \d")


@dataclass
class Line:
    text: str
    top: float  # points from the page's top edge
    bottom: float
    left: float
    right: float
    bold: bool  # every letter in a bold or semibold face


@dataclass
class Page:
    number: int  # from 1
    lines: list[Line] = field(default_factory=list)  # the body, top to bottom, without header and footer
    furniture: list[Line] = field(default_factory=list)
    rules: list[tuple[float, float, float]] = field(default_factory=list)  # (top, left, width) of drawn lines

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def _bold(textpage: pdfium.PdfTextPage, index: int) -> bool:
    weight = pdfium_c.FPDFText_GetFontWeight(textpage.raw, index)
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, name, 256, ctypes.byref(flags))
    return weight >= 600 or re.search(rb"Bold|Semibold|Demi|Heavy|Black", name.value) is not None


def _lines(page: pdfium.PdfPage, height: float) -> list[Line]:
    """The page's characters grouped into lines by their baselines, left to right."""
    textpage = page.get_textpage()
    x, y = ctypes.c_double(), ctypes.c_double()
    chars = []
    for index in range(textpage.count_chars()):
        char = textpage.get_text_range(index, 1)
        if char in "\r\n":
            continue
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, ctypes.byref(x), ctypes.byref(y))
        left, bottom, right, top = textpage.get_charbox(index)
        chars.append((height - y.value, x.value, char, height - top, height - bottom, _bold(textpage, index)))
    rows: list[list[tuple[float, float, str, float, float, bool]]] = []
    for char in sorted(chars, key=lambda c: (round(c[0]), c[1])):
        if rows and abs(rows[-1][0][0] - char[0]) < 2:  # the same baseline
            rows[-1].append(char)
        else:
            rows.append([char])
    lines = []
    for row in rows:
        row.sort(key=lambda c: c[1])
        letters = [c for c in row if c[2].strip()]
        if not letters:
            continue
        lines.append(
            Line(
                text=" ".join("".join(c[2] for c in row).split()),
                top=min(c[3] for c in letters),
                bottom=max(c[4] for c in letters),
                left=letters[0][1],
                right=max(c[1] for c in letters),
                bold=all(c[5] for c in letters if c[2].isalnum()),
            )
        )
    return lines


def _rules(page: pdfium.PdfPage, height: float) -> list[tuple[float, float, float]]:
    """Horizontal lines drawn on the page (a signature line, a border), dotted ones joined."""
    segments = []
    for obj in page.get_objects():
        if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        left, bottom, right, top = obj.get_bounds() if hasattr(obj, "get_bounds") else obj.get_pos()
        if top - bottom < 3:
            segments.append((round(height - top, 0), left, right))
    rules: list[tuple[float, float, float]] = []
    for y in sorted({s[0] for s in segments}):
        parts = sorted((s[1], s[2]) for s in segments if s[0] == y)
        start, end = parts[0]
        for left, right in parts[1:]:
            if left - end > 12:
                rules.append((y, start, end - start))
                start = left
            end = max(end, right)
        rules.append((y, start, end - start))
    return rules


def read(path: Path) -> list[Page]:
    pdf = pdfium.PdfDocument(path)
    pages = []
    for number in range(len(pdf)):
        page = pdf[number]
        height = page.get_height()
        found = Page(number=number + 1, rules=_rules(page, height))
        for line in _lines(page, height):
            (found.furniture if FURNITURE.search(line.text) else found.lines).append(line)
        pages.append(found)
    return pages


def squeezed(text: str) -> str:
    """Text without white space or hyphens, to find a clause whatever the line breaks (PDFium reads a
    hyphen that ends a line as U+FFFE)."""
    return re.sub(r"[\s\u00ad\ufffe\-‐]", "", text)


def stranded_headings(pages: list[Page]) -> list[str]:
    """Bold lines (headings, decision phrases, list labels) among the last two lines of a page whose
    text goes on at the top of the next page (which then begins with a line that is not bold)."""
    return [
        f"s. {p.number}: {line.text}"
        for p, after in zip(pages, pages[1:], strict=False)
        if after.lines and not after.lines[0].bold
        for line in p.lines[-2:]
        if line.bold
    ]


def split_clauses(pages: list[Page], clauses: list[str]) -> list[str]:
    """The clauses that no single page holds whole."""
    texts = [squeezed(p.text) for p in pages]
    return [c for c in clauses if not any(squeezed(c) in t for t in texts)]


def signing_space(pages: list[Page], *, shortest: float = 60 * MM, longest: float = 100 * MM) -> list[float]:
    """For each signature line (a drawn line 6–10 cm long), the free space above it in millimetres:
    to the text above it on its page, or to the page's top edge."""
    spaces = []
    for page in pages:
        for top, left, width in page.rules:
            if shortest <= width <= longest:
                over = [line for line in page.lines + page.furniture if line.right > left and line.left < left + width]
                above = [line.bottom for line in over if line.bottom < top]
                spaces.append((top - max(above, default=0.0)) / MM)
    return spaces


def lonely_pages(pages: list[Page], parts: dict[str, set[str]]) -> list[str]:
    """The pages whose every line belongs to one of `parts` (the signatures, the distribution list)."""
    return [
        f"s. {p.number}: bara {name}"
        for p in pages
        for name, lines in parts.items()
        if p.lines and all(line.text in lines for line in p.lines)
    ]
