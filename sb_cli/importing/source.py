"""What every reader gives the recognisers: the source document as a sequence of blocks (lines of a
text file or PDF page, paragraphs of a Word file, tables), and the draft they make of it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

SourceKind = Literal["docx", "pdf", "txt"]


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph or line of the source, or one table (then `rows` holds its cells and `text`
    is empty). Word's automatic numbering is written into `text` ("1).", "§61", "a/") as a reader
    of the document would see it."""

    text: str
    style: str = ""  # the Word paragraph style's name ("Heading 2", "List Bullet"); "" elsewhere
    heading: int = 0  # 1–6 when the style or outline level makes it a heading, else 0
    bullet: bool = False  # a bulleted list paragraph whose bullet is not in `text`
    rows: tuple[tuple[str, ...], ...] = ()
    page: int = 0  # the PDF page it stands on (1-based), 0 when unknown


@dataclass(frozen=True, slots=True)
class Source:
    name: str  # the file's name, for messages
    kind: SourceKind
    blocks: tuple[Block, ...]

    def lines(self) -> list[str]:
        """The text, one string per line; a table row becomes its cells joined by two spaces."""
        out: list[str] = []
        for block in self.blocks:
            if block.rows:
                out.extend("  ".join(cell for cell in row if cell.strip()) for row in block.rows)
            else:
                out.extend(block.text.split("\n"))
        return out


# Between the cells of a table row in the lines a protocol is read from (layout.prepared_lines): a
# space to the text readers, so that a row reads as its cells, and a mark to the body, which writes
# the rows as a Markdown table.
CELL_MARK = "\x1f"
CELL = f" {CELL_MARK} "


def row_line(row: tuple[str, ...]) -> str:
    """A table row as one line, each cell's lines joined by a space; but a row under a label
    ("Närvarande:") keeps its lines, one person or fact a line, as a reader reads them."""
    if row and row[0].rstrip().endswith(":"):
        return CELL.join(row)
    return CELL.join(" ".join(cell.split()) for cell in row)


@dataclass(slots=True)
class Draft:
    """A recogniser's result: the document's keys in the order a person would write them (dates as
    ISO text, clock times as "08:15"), a Markdown body for a styrdokument, and what to tell the user."""

    type: str
    data: dict[str, Any]
    body: str | None = None  # Markdown after the front matter; None for a YAML-only document
    # YAML comments, keyed by the path to the key or list entry they stand above:
    # ("meeting",), ("attendance", "others", 3), ("items", 4, "decisions").
    notes: dict[tuple[str | int, ...], str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # Swedish names of facts not found: "justeringsdatum"
    summary: list[str] = field(default_factory=list)  # Swedish counts: "12 paragrafer", "35 beslut"


# "Sida 7", "Sida 7 av 12", "5(12)", "5 (12)", "- 5 -": page numbers that extraction leaves mid-text.
PAGE_FURNITURE = re.compile(
    r"\s*(sida\s+\d+(\s*(av|/)\s*\d+)?|\d+\s*\(\s*\d+\s*\)|[-–]\s*\d+\s*[-–])\s*", re.IGNORECASE
)


def is_page_furniture(line: str) -> bool:
    return PAGE_FURNITURE.fullmatch(line) is not None


def slug(text: str) -> str:
    """An id from a title: ASCII letters, digits and hyphens, at most 80 characters, cut between words."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    ident = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if len(ident) > 80:
        ident = ident[:81].rsplit("-", 1)[0] if "-" in ident[:81] else ident[:80]
    return ident.strip("-")
