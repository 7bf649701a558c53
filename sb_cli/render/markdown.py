"""Markdown to a small typed block model that every writer (Word, typst, HTML, Markdown) understands.

The templates see the same blocks as JSON: {"type": "heading", "level": n, "inlines": [...]},
{"type": "paragraph", ...}, {"type": "list", "ordered": bool, "start": n, "items": [[block, ...], ...]},
{"type": "table", "header": [...], "rows": [...]}, {"type": "quote", "blocks": [...]},
{"type": "code", "text": str}, {"type": "rule"}; inlines {"text", "bold", "italic", "code", "link",
"break"} (a hard line break has "break": true).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any, Literal

from msgspec import Struct, field
from msgspec.structs import replace

# Characters Word (XML 1.0), PDF text and UTF-8 cannot carry (controls, non-characters, lone
# surrogates); they are dropped from rendered text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    return _CONTROL.sub("", text)


Change = Literal["", "ins", "del"]


class Inline(Struct, frozen=True, kw_only=True):
    text: str = ""
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None
    hard_break: bool = field(default=False, name="break")
    change: Change = ""  # in a comparison (sb compare): "ins" for text added, "del" for text removed

    def same_format(self, other: Inline) -> bool:
        return (self.bold, self.italic, self.code, self.link, self.change) == (
            other.bold,
            other.italic,
            other.code,
            other.link,
            other.change,
        )


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


def as_html(text: str) -> str:
    """The text as HTML, for a preview: raw HTML in it is shown as text, unsafe links are not links."""
    html: str = _parser().render(clean(text))
    return html


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")


def _blocks(tokens: list[Any], index: int, closing: str | None) -> tuple[Blocks, int]:
    blocks: list[Block] = []
    while index < len(tokens):
        kind = tokens[index].type
        if closing is not None and kind == closing:
            return tuple(blocks), index + 1
        reader = _BLOCK_READERS.get(kind)
        if reader is None:
            index += 1
            continue
        block, index = reader(tokens, index)
        blocks.append(block)
    return tuple(blocks), index


# One reader per kind of block token: (tokens, the index of the block's first token) -> the block
# and the index after it.
def _heading(tokens: list[Any], index: int) -> tuple[Block, int]:
    return Heading(level=int(tokens[index].tag[1]), inlines=_inlines(tokens[index + 1].children or [])), index + 3


def _paragraph(tokens: list[Any], index: int) -> tuple[Block, int]:
    return Paragraph(inlines=_inlines(tokens[index + 1].children or [])), index + 3


def _list(tokens: list[Any], index: int) -> tuple[Block, int]:
    token = tokens[index]
    ordered = token.type == "ordered_list_open"
    start = int(token.attrs.get("start", 1)) if ordered else 1
    items, index = _list_items(tokens, index + 1, token.type.replace("_open", "_close"))
    return ListBlock(ordered=ordered, start=start, items=items), index


def _quote(tokens: list[Any], index: int) -> tuple[Block, int]:
    inner, index = _blocks(tokens, index + 1, "blockquote_close")
    return Quote(blocks=inner), index


def _table_block(tokens: list[Any], index: int) -> tuple[Block, int]:
    return _table(tokens, index + 1)


def _code(tokens: list[Any], index: int) -> tuple[Block, int]:
    return Code(text=tokens[index].content.rstrip("\n")), index + 1


def _divider(tokens: list[Any], index: int) -> tuple[Block, int]:
    return Divider(), index + 1


_BLOCK_READERS: dict[str, Callable[[list[Any], int], tuple[Block, int]]] = {
    "heading_open": _heading,
    "paragraph_open": _paragraph,
    "bullet_list_open": _list,
    "ordered_list_open": _list,
    "blockquote_open": _quote,
    "table_open": _table_block,
    "fence": _code,
    "code_block": _code,
    "hr": _divider,
}


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


# Emphasis opens and closes: which format, and by how much its depth changes.
_FORMAT_MARKS = {
    "strong_open": ("bold", 1),
    "strong_close": ("bold", -1),
    "em_open": ("italic", 1),
    "em_close": ("italic", -1),
}


def _inlines(children: list[Any]) -> Inlines:
    result: list[Inline] = []
    depth = {"bold": 0, "italic": 0}
    link: str | None = None
    for child in children:
        kind = child.type
        if kind in _FORMAT_MARKS:
            name, step = _FORMAT_MARKS[kind]
            depth[name] += step
        elif kind in ("link_open", "link_close"):
            link = _safe_link(child.attrs.get("href")) if kind == "link_open" else None
        elif (inline := _inline(child, depth, link)) is not None:
            result.append(inline)
    return merged(result)


def _inline(child: Any, depth: dict[str, int], link: str | None) -> Inline | None:
    """The text of an inline token, as formatted where it stands; None for a token without text."""
    kind = child.type
    if kind in ("text", "code_inline"):
        code = kind == "code_inline"
        return (
            Inline(text=child.content, bold=depth["bold"] > 0, italic=depth["italic"] > 0, code=code, link=link)
            if child.content
            else None
        )
    if kind == "softbreak":
        return Inline(text=" ", link=link)
    return Inline(hard_break=True) if kind == "hardbreak" else None


_SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")


def _safe_link(href: Any) -> str | None:
    """Links go out as written, except schemes that could run code (javascript:, data:, …)."""
    if not isinstance(href, str):
        return None
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", href)
    return href if scheme is None or href.lower().startswith(_SAFE_SCHEMES) else None


def merged(inlines: list[Inline]) -> Inlines:
    """Join neighbours with the same formatting, so writers make fewer runs."""
    joined: list[Inline] = []
    for inline in inlines:
        last = joined[-1] if joined else None
        if last and not last.hard_break and not inline.hard_break and last.same_format(inline):
            joined[-1] = replace(last, text=last.text + inline.text)
        else:
            joined.append(inline)
    return tuple(joined)


def plain(inlines: Inlines) -> str:
    return "".join("\n" if i.hard_break else i.text for i in inlines)


def inlines_in(blocks: Sequence[Block]) -> Iterator[Inlines]:
    """Every sequence of inlines in the blocks, in the order they are printed."""
    for block in blocks:
        if isinstance(block, Heading | Paragraph):
            yield block.inlines
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from inlines_in(item)
        elif isinstance(block, Table):
            yield from block.header
            for row in block.rows:
                yield from row
        elif isinstance(block, Quote):
            yield from inlines_in(block.blocks)


def text_of(blocks: Blocks) -> str:
    """All the text in blocks, for tests and search."""
    return "\n".join(part for block in blocks for part in _TEXTS_OF[type(block)](block))


_TEXTS_OF: dict[type[Block], Callable[[Any], list[str]]] = {
    Heading: lambda block: [plain(block.inlines)],
    Paragraph: lambda block: [plain(block.inlines)],
    ListBlock: lambda block: [text_of(item) for item in block.items],
    Table: lambda block: [plain(c) for c in block.header] + [plain(c) for r in block.rows for c in r],
    Quote: lambda block: [text_of(block.blocks)],
    Code: lambda block: [block.text],
    Divider: lambda block: [],
}
