"""Text as a reader sees it once Markdown is rendered: emphasis, escapes and entities resolved.

`**850709**-9805`, `850709\\-9805` and `850709&#45;9805` all show as 850709-9805 in the HTML and
PDF, so what a rule looks for in what people read it must also look for here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

# The characters by which Markdown changes what is shown within a line: escapes, emphasis, code,
# entities, autolinks, links and images, strikethrough, tables.
MARKUP = re.compile(r"[\\*_`&<\[\]!~|]")


@cache
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")


# A link target, stopping at the next "](" so that a text full of unclosed targets is read in linear time.
_LINK_TARGET = re.compile(r"\]\((?:[^)\]]++|\](?!\())*+\)")


def unmarked(text: str) -> str:
    """The text with every markup character removed, entities decoded and link targets dropped:
    all that Markdown could take away between two characters a reader sees, and a little more."""
    import html

    if not MARKUP.search(text):
        return text
    return MARKUP.sub("", _LINK_TARGET.sub("", html.unescape(text)))


def link_targets(text: str) -> list[tuple[int, int]]:
    """Where the targets of the Markdown links in `text` are: what `unmarked` drops besides markup."""
    return [match.span() for match in _LINK_TARGET.finditer(text)]


def as_read(text: str) -> Iterator[tuple[str, int]]:
    """Each block's text as shown, with the 0-based line of the source where the block starts.
    Line breaks inside a block are kept, so a position's line can be counted."""
    for token in _parser().parse(text):
        if token.type == "inline" and token.children is not None:
            shown = "".join(_shown(child) for child in token.children)
            yield shown, token.map[0] if token.map else 0
        elif token.type in ("fence", "code_block"):
            yield (
                token.content,
                (token.map[0] + 1 if token.map and token.type == "fence" else token.map[0] if token.map else 0),
            )


def _shown(token: Any) -> str:
    if token.type in ("text", "code_inline"):
        return str(token.content)
    if token.type in ("softbreak", "hardbreak"):
        return "\n"
    return ""
