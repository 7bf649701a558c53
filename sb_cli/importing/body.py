"""An item's text as Markdown: paragraphs, bullet and numbered lists, short headings in bold."""

from __future__ import annotations

import re

from sb_cli.importing.meeting import join_broken
from sb_cli.importing.source import CELL_MARK

BULLET = re.compile(r"^[•▪◦●*\-–]\s+(\S.*)$")
NUMBERED = re.compile(r"^(\d{1,2})[.)]\s+(\S.*)$")
SUBITEM = re.compile(r"^([a-z])\s?/\s*(\S.*)$")
SENTENCE_END = (".", "!", "?", ":", "”", '"', "»", ")")


def to_markdown(lines: list[str], width: int, known: frozenset[str]) -> str:
    """Paragraphs, bullet and numbered lists, tables, and short headings in bold. A blank line ends a
    paragraph only after a sentence's end or a short line: extraction also leaves blank lines
    between the lines of one paragraph (seed 002)."""
    blocks: list[tuple[str, list[str]]] = []  # ("p" | "li" | "ol" | "table", lines)
    gap = False
    for line in lines:
        if not line:
            gap = bool(blocks)
            continue
        bullet, numbered = BULLET.match(line), NUMBERED.match(line)
        if CELL_MARK in line:
            if blocks and blocks[-1][0] == "table" and not gap:
                blocks[-1][1].append(line)
            else:
                blocks.append(("table", [line]))
        elif bullet:
            blocks.append(("li", [f"- {bullet[1]}"]))
        elif numbered:
            blocks.append(("ol", [f"{numbered[1]}. {numbered[2]}"]))
        elif not blocks or _ends_block(blocks[-1], line, gap, width):
            blocks.append(("p", [line]))
        else:
            _extend(blocks[-1][1], line, known)
        gap = False
    return _render(blocks)


def _ends_block(block: tuple[str, list[str]], line: str, gap: bool, width: int) -> bool:
    """Whether `line` begins a new paragraph after `block`. A line in lower case never does."""
    kind, lines = block
    last = lines[-1]
    if kind == "table":
        return True
    if line[:1].islower():
        return False
    if kind == "p" and len(lines) == 1 and _heading_like(last):
        return True
    if gap:
        return kind != "p" or len(last) < 0.7 * width or last.rstrip().endswith(SENTENCE_END)
    return kind == "p" and len(last) < 0.6 * width and last.rstrip().endswith((".", ":", "!", "?"))


def _heading_like(line: str) -> bool:
    if SUBITEM.match(line) or not line[:1].isupper():
        return False
    return (len(line) <= 40 and line.endswith(":")) or (
        len(line) <= 60 and not line.endswith(SENTENCE_END + (",", ";"))
    )


def _extend(lines: list[str], line: str, known: frozenset[str]) -> None:
    """A line added to a paragraph; a word broken at the end of the line before is mended there."""
    last = lines[-1]
    if last.endswith("-") and line[:1].islower():
        word, _, rest = line.partition(" ")
        lines[-1] = join_broken(last, word, known)
        if not rest:
            return
        line = rest
    lines.append(line)


def _render(blocks: list[tuple[str, list[str]]]) -> str:
    out: list[str] = []
    for i, (kind, lines) in enumerate(blocks):
        after_list = i > 0 and blocks[i - 1][0] in ("li", "ol")
        if out and not (kind in ("li", "ol") and after_list and blocks[i - 1][0] == kind):
            out.append("")
        if kind == "table":
            out += table(lines)
            continue
        if kind == "p" and len(lines) == 1 and _heading_like(lines[0]) and i + 1 < len(blocks):
            out.append(f"**{lines[0]}**")
            continue
        indent = {"li": "  ", "ol": "   "}.get(kind, "")
        out += [lines[0], *(indent + line for line in lines[1:])]
    return "\n".join(out) + "\n" if out else ""


def table(lines: list[str]) -> list[str]:
    """Table rows (cells apart by CELL) as a Markdown table, the first row its header."""
    rows = [[" ".join(cell.split()).replace("|", "\\|") for cell in line.split(CELL_MARK)] for line in lines]
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    return out + ["| " + " | ".join(row) + " |" for row in rows[1:]]
