"""Markdown to a small block model that every writer (Word, typst, HTML) understands.

Blocks:  {"type": "heading", "level": n, "inlines": [...]}, {"type": "paragraph", "inlines": [...]},
         {"type": "list", "ordered": bool, "start": n, "items": [[block, ...], ...]},
         {"type": "table", "header": [[inline, ...], ...], "rows": [[[inline, ...], ...], ...]},
         {"type": "quote", "blocks": [...]}, {"type": "code", "text": str}, {"type": "rule"}
Inlines: {"text": str, "bold": bool, "italic": bool, "code": bool, "link": str | None},
         {"break": True} for a hard line break.
"""

from __future__ import annotations

import re
from typing import Any

Block = dict[str, Any]
Inline = dict[str, Any]

# Characters Word (XML 1.0), PDF text and UTF-8 cannot carry (controls, non-characters, lone
# surrogates); they are dropped from rendered text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    return _CONTROL.sub("", text)


def parse(text: str | None) -> list[Block]:
    from markdown_it import MarkdownIt

    if not text:
        return []
    md = MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")
    tokens = md.parse(clean(text))
    blocks, _ = _blocks(tokens, 0, None)
    return blocks


def _blocks(tokens: list[Any], index: int, closing: str | None) -> tuple[list[Block], int]:
    blocks: list[Block] = []
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if closing is not None and kind == closing:
            return blocks, index + 1
        if kind == "heading_open":
            blocks.append({"type": "heading", "level": int(token.tag[1]),
                           "inlines": _inlines(tokens[index + 1].children or [])})
            index += 3
        elif kind == "paragraph_open":
            blocks.append({"type": "paragraph", "inlines": _inlines(tokens[index + 1].children or [])})
            index += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            start = int(token.attrs.get("start", 1)) if ordered else 1
            items, index = _list_items(tokens, index + 1, kind.replace("_open", "_close"))
            blocks.append({"type": "list", "ordered": ordered, "start": start, "items": items})
        elif kind == "blockquote_open":
            inner, index = _blocks(tokens, index + 1, "blockquote_close")
            blocks.append({"type": "quote", "blocks": inner})
        elif kind == "table_open":
            table, index = _table(tokens, index + 1)
            blocks.append(table)
        elif kind in ("fence", "code_block"):
            blocks.append({"type": "code", "text": token.content.rstrip("\n")})
            index += 1
        elif kind == "hr":
            blocks.append({"type": "rule"})
            index += 1
        else:
            index += 1
    return blocks, index


def _list_items(tokens: list[Any], index: int, closing: str) -> tuple[list[list[Block]], int]:
    items: list[list[Block]] = []
    while index < len(tokens) and tokens[index].type != closing:
        if tokens[index].type == "list_item_open":
            # Tight lists hide their paragraphs; the inline tokens are still there.
            inner, index = _blocks(tokens, index + 1, "list_item_close")
            items.append(inner)
        else:
            index += 1
    return items, index + 1


def _table(tokens: list[Any], index: int) -> tuple[Block, int]:
    header: list[list[Inline]] = []
    rows: list[list[list[Inline]]] = []
    row: list[list[Inline]] = []
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
            (header.extend(row) if in_head else rows.append(row))
        elif token.type == "inline":
            row.append(_inlines(token.children or []))
        index += 1
    return {"type": "table", "header": header, "rows": rows}, index + 1


def _inlines(children: list[Any]) -> list[Inline]:
    result: list[Inline] = []
    bold = italic = 0
    link: str | None = None
    for child in children:
        kind = child.type
        if kind == "text":
            result.append({"text": child.content, "bold": bold > 0, "italic": italic > 0,
                           "code": False, "link": link})
        elif kind == "code_inline":
            result.append({"text": child.content, "bold": bold > 0, "italic": italic > 0,
                           "code": True, "link": link})
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
            result.append({"text": " ", "bold": False, "italic": False, "code": False, "link": link})
        elif kind == "hardbreak":
            result.append({"break": True})
    return _merge(result)


_SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")


def _safe_link(href: Any) -> str | None:
    """Links go out as written, except schemes that could run code (javascript:, data:, …)."""
    if not isinstance(href, str):
        return None
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", href)
    return href if scheme is None or href.lower().startswith(_SAFE_SCHEMES) else None


def _merge(inlines: list[Inline]) -> list[Inline]:
    """Join neighbours with the same formatting, so writers make fewer runs."""
    merged: list[Inline] = []
    for inline in inlines:
        last = merged[-1] if merged else None
        if (last and "text" in last and "text" in inline
                and all(last[k] == inline[k] for k in ("bold", "italic", "code", "link"))):
            last["text"] += inline["text"]
        else:
            merged.append(dict(inline))
    return merged


def plain(inlines: list[Inline]) -> str:
    return "".join(i.get("text", "\n") for i in inlines)


def text_of(blocks: list[Block]) -> str:
    """All the text in blocks, for tests and search."""
    parts: list[str] = []
    for block in blocks:
        if "inlines" in block:
            parts.append(plain(block["inlines"]))
        for item in block.get("items", []):
            parts.append(text_of(item))
        if block.get("type") == "table":
            parts += [plain(c) for c in block["header"]] + [plain(c) for r in block["rows"] for c in r]
        if block.get("type") == "quote":
            parts.append(text_of(block["blocks"]))
        if block.get("type") == "code":
            parts.append(block["text"])
    return "\n".join(parts)
