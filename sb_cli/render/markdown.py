"""Markdown to a small typed block model that every writer (Word, typst, HTML, Markdown) understands.

The templates see the same blocks as JSON: {"type": "heading", "level": n, "inlines": [...]},
{"type": "paragraph", ...}, {"type": "list", "ordered": bool, "start": n, "items": [[block, ...], ...]},
{"type": "table", "header": [...], "rows": [...]}, {"type": "quote", "blocks": [...]},
{"type": "code", "text": str}, {"type": "rule"}; inlines {"text", "bold", "italic", "code", "link",
"break"} (a hard line break has "break": true).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from msgspec import Struct, field

# Characters Word (XML 1.0), PDF text and UTF-8 cannot carry (controls, non-characters, lone
# surrogates); they are dropped from rendered text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    return _CONTROL.sub("", text)


class Inline(Struct, frozen=True, kw_only=True):
    text: str = ""
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None
    hard_break: bool = field(default=False, name="break")

    def same_format(self, other: Inline) -> bool:
        return (self.bold, self.italic, self.code, self.link) == (other.bold, other.italic, other.code, other.link)


Inlines = tuple[Inline, ...]


class _Block(Struct, frozen=True, kw_only=True, tag_field="type"):
    pass


class Heading(_Block, frozen=True, kw_only=True, tag="heading"):
    level: int
    inlines: Inlines


class Paragraph(_Block, frozen=True, kw_only=True, tag="paragraph"):
    inlines: Inlines


class ListBlock(_Block, frozen=True, kw_only=True, tag="list"):
    ordered: bool
    start: int = 1
    items: tuple[tuple[Block, ...], ...] = ()


class Table(_Block, frozen=True, kw_only=True, tag="table"):
    header: tuple[Inlines, ...] = ()
    rows: tuple[tuple[Inlines, ...], ...] = ()


class Quote(_Block, frozen=True, kw_only=True, tag="quote"):
    blocks: tuple[Block, ...] = ()


class Code(_Block, frozen=True, kw_only=True, tag="code"):
    text: str


class Divider(_Block, frozen=True, kw_only=True, tag="rule"):
    pass


Block = Heading | Paragraph | ListBlock | Table | Quote | Code | Divider
Blocks = tuple[Block, ...]


def parse(text: str | None) -> Blocks:
    return _parsed(text) if text else ()


# A protocol's text is parsed for its view and again for each of its extracts' views; the blocks
# are immutable, so one parse serves them all.
@lru_cache(maxsize=4096)
def _parsed(text: str) -> Blocks:
    blocks, _ = _blocks(_parser().parse(clean(text)), 0, None)
    return blocks


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")


def _blocks(tokens: list[Any], index: int, closing: str | None) -> tuple[Blocks, int]:
    blocks: list[Block] = []
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if closing is not None and kind == closing:
            return tuple(blocks), index + 1
        if kind == "heading_open":
            blocks.append(Heading(level=int(token.tag[1]), inlines=_inlines(tokens[index + 1].children or [])))
            index += 3
        elif kind == "paragraph_open":
            blocks.append(Paragraph(inlines=_inlines(tokens[index + 1].children or [])))
            index += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            start = int(token.attrs.get("start", 1)) if ordered else 1
            items, index = _list_items(tokens, index + 1, kind.replace("_open", "_close"))
            blocks.append(ListBlock(ordered=ordered, start=start, items=items))
        elif kind == "blockquote_open":
            inner, index = _blocks(tokens, index + 1, "blockquote_close")
            blocks.append(Quote(blocks=inner))
        elif kind == "table_open":
            table, index = _table(tokens, index + 1)
            blocks.append(table)
        elif kind in ("fence", "code_block"):
            blocks.append(Code(text=token.content.rstrip("\n")))
            index += 1
        elif kind == "hr":
            blocks.append(Divider())
            index += 1
        else:
            index += 1
    return tuple(blocks), index


def _list_items(tokens: list[Any], index: int, closing: str) -> tuple[tuple[Blocks, ...], int]:
    items: list[Blocks] = []
    while index < len(tokens) and tokens[index].type != closing:
        if tokens[index].type == "list_item_open":
            # Tight lists hide their paragraphs; the inline tokens are still there.
            inner, index = _blocks(tokens, index + 1, "list_item_close")
            items.append(inner)
        else:
            index += 1
    return tuple(items), index + 1


def _table(tokens: list[Any], index: int) -> tuple[Table, int]:
    header: list[Inlines] = []
    rows: list[tuple[Inlines, ...]] = []
    row: list[Inlines] = []
    in_head = False
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            if in_head:
                header.extend(row)
            else:
                rows.append(tuple(row))
        elif token.type == "inline":
            row.append(_inlines(token.children or []))
        index += 1
    return Table(header=tuple(header), rows=tuple(rows)), index + 1


def _inlines(children: list[Any]) -> Inlines:
    result: list[Inline] = []
    bold = italic = 0
    link: str | None = None
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline") and child.content:
            result.append(
                Inline(text=child.content, bold=bold > 0, italic=italic > 0, code=kind == "code_inline", link=link)
            )
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            link = _safe_link(child.attrs.get("href"))
        elif kind == "link_close":
            link = None
        elif kind == "softbreak":
            result.append(Inline(text=" ", link=link))
        elif kind == "hardbreak":
            result.append(Inline(hard_break=True))
    return _merge(result)


_SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")


def _safe_link(href: Any) -> str | None:
    """Links go out as written, except schemes that could run code (javascript:, data:, …)."""
    if not isinstance(href, str):
        return None
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", href)
    return href if scheme is None or href.lower().startswith(_SAFE_SCHEMES) else None


def _merge(inlines: list[Inline]) -> Inlines:
    """Join neighbours with the same formatting, so writers make fewer runs."""
    merged: list[Inline] = []
    for inline in inlines:
        last = merged[-1] if merged else None
        if last and not last.hard_break and not inline.hard_break and last.same_format(inline):
            merged[-1] = Inline(
                text=last.text + inline.text, bold=last.bold, italic=last.italic, code=last.code, link=last.link
            )
        else:
            merged.append(inline)
    return tuple(merged)


def plain(inlines: Inlines) -> str:
    return "".join("\n" if i.hard_break else i.text for i in inlines)


def text_of(blocks: Blocks) -> str:
    """All the text in blocks, for tests and search."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Heading | Paragraph):
            parts.append(plain(block.inlines))
        elif isinstance(block, ListBlock):
            parts += [text_of(item) for item in block.items]
        elif isinstance(block, Table):
            parts += [plain(c) for c in block.header] + [plain(c) for r in block.rows for c in r]
        elif isinstance(block, Quote):
            parts.append(text_of(block.blocks))
        elif isinstance(block, Code):
            parts.append(block.text)
    return "\n".join(parts)
