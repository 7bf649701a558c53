"""An edited document written back with the smallest change to its text: only the lines of what changed
change, and comments, blank lines, key order, quoting and block scalars elsewhere stay byte for byte.

New text comes from sb's own writer (`yamlwrite.dump`). The result is always read back: when the small
edit does not give exactly the new data, each changed top-level key is rewritten whole, then the whole
document (keeping the file's leading comments); text that does not read back is never returned.
The file's key order wins over the new data's: a dict compares equal in any order, and the editor's
order must not move lines that did not change.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

import yaml

from sb_cli.errors import SbError
from sb_cli.io.yamlpos import YamlError, parse_yaml
from sb_cli.io.yamlwrite import dump, dump_flow

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_UNLIMITED = 1_000
_BLOCK_STYLES = ("|", ">")
_KEEP_HEADER = re.compile(r"[|>](\d?\+|\+\d)$", re.MULTILINE)


class _Coarser(Exception):
    """The small edit cannot be made here with certainty: the caller rewrites more."""


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str


def edited_document(text: str, data: dict[str, Any], *, markdown: bool) -> str:
    """`text` changed to hold `data`; for Markdown the `body` key is the text after the front matter."""
    return _edited_markdown(text, data) if markdown else edited_yaml(text, data)


def edited_yaml(text: str, data: dict[str, Any]) -> str:
    """The YAML document `text` changed to hold `data`, touching only the lines of what changed."""
    old = _data_of(text)
    if isinstance(old, dict) and same(old, data):
        return text
    if isinstance(old, dict):
        for depth in (_UNLIMITED, 1):
            candidate = _minimal(text, old, data, depth)
            if candidate is not None and same(_data_of(candidate), data):
                return candidate
    try:
        whole = _leading_comments(text) + dump(data)
    except yaml.YAMLError:  # a value that is not plain data
        whole = ""
    if same(_data_of(whole), data):
        return whole
    raise SbError("dokumentet kan inte skrivas så att det läses tillbaka oförändrat", hint=_HINT)


_HINT = "kontrollera att värdena är text, tal, sant/falskt, listor eller mappningar"


def same(left: Any, right: Any) -> bool:
    """Equal as data, strictly: True is not 1 and 1 is not 1.0 (Python's == says they are)."""
    if isinstance(left, dict) or isinstance(right, dict):
        return _same_mappings(left, right)
    if isinstance(left, list) or isinstance(right, list):
        return _same_lists(left, right)
    if type(left) is not type(right):
        return False
    return bool(left == right) or (isinstance(left, float) and math.isnan(left) and math.isnan(right))


def _same_mappings(left: Any, right: Any) -> bool:
    if not isinstance(left, dict) or not isinstance(right, dict) or left.keys() != right.keys():
        return False
    return all(same(value, right[key]) for key, value in left.items())


def _same_lists(left: Any, right: Any) -> bool:
    if not isinstance(left, list) or not isinstance(right, list) or len(left) != len(right):
        return False
    return all(same(a, b) for a, b in zip(left, right, strict=True))


def _data_of(text: str) -> Any:
    try:
        return parse_yaml(text).data
    except YamlError:
        return _Unreadable


class _Unreadable:
    """What a text that does not parse holds."""


def _leading_comments(text: str) -> str:
    lines = text.splitlines(keepends=True)
    kept: list[str] = []
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            break
        kept.append(line if line.endswith("\n") else line + "\n")
    return "".join(kept)


# --- Markdown: front matter and body ---------------------------------------------------------------


def _edited_markdown(text: str, data: dict[str, Any]) -> str:
    body = data.get("body", "")
    if not isinstance(body, str):
        raise SbError("texten (body) i ett Markdown-dokument måste vara text")
    front = {key: value for key, value in data.items() if key != "body"}
    parts = _front_matter(text)
    if parts is not None and parts[3] == body and same(_data_of(parts[1]), front):
        return text
    if parts is None:
        result = "---\n" + edited_yaml("", front) + "---\n" + body
    else:
        opening, header, closing, _old_body = parts
        result = opening + edited_yaml(header, front) + closing + body
    written = _front_matter(result)
    if written is None or written[3] != body or not same(_data_of(written[1]), front):
        raise SbError("dokumentet kan inte skrivas så att det läses tillbaka oförändrat", hint=_HINT)
    return result


def _front_matter(text: str) -> tuple[str, str, str, str] | None:
    """Opening line, YAML, closing line and body, split as the loader splits them."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            header = "".join(line + "\n" for line in lines[1:index])
            return lines[0] + "\n", header, lines[index] + "\n", "\n".join(lines[index + 1 :])
    return None


# --- The small edit ----------------------------------------------------------------------------------


def _minimal(text: str, old: dict[str, Any], new: dict[str, Any], depth: int) -> str | None:
    """`text` with only the changed values rewritten, or None where the file is unusual (tabs,
    anchors, tags, a document in flow style) or the change cannot be made in place."""
    if "\t" in text:
        return None
    work = text if text.endswith("\n") else text + "\n"
    try:
        if not _plain_events(work):
            return None
        root = yaml.compose(work, Loader=_Loader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    try:
        edits = _Document(work, depth).mapping(root, old, new, 0)
        return None if edits is None else _applied(work, edits)
    except (_Coarser, yaml.YAMLError):
        return None


def _plain_events(text: str) -> bool:
    """No anchors, aliases or explicit tags, whose meaning a local edit could change."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) or getattr(event, "tag", None):
            return False
    return True


def _applied(text: str, edits: list[_Edit]) -> str:
    out: list[str] = []
    at = 0
    removed = False
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < at and not (removed and not edit.text):
            raise _Coarser  # overlapping edits, other than neighbours removed with a blank line between
        end, text_after = _past_blank_lines(text, edit) if _KEEP_HEADER.search(edit.text) else (edit.end, "")
        out.append(text[at : edit.start] + edit.text + text_after if edit.start >= at else "")
        at, removed = max(at, end), not edit.text and edit.end > edit.start
    return "".join(out) + text[at:]


def _past_blank_lines(text: str, edit: _Edit) -> tuple[int, str]:
    """Where an edit ending in a text kept with |+ ends: past the blank lines below it, which the
    text would otherwise take in as its own; and the line break to put back."""
    own_line_end = edit.end > edit.start  # a value replaced up to its line's end, not lines inserted
    start = min(edit.end + 1, len(text)) if own_line_end else edit.end
    after = start
    while after < len(text):
        line_end = text.find("\n", after)
        line_end = len(text) if line_end < 0 else line_end
        if text[after:line_end].strip():
            break
        after = min(line_end + 1, len(text))
    return (after, "\n" if own_line_end else "") if after > start else (edit.end, "")


def _rendered(value: Any, key: Any) -> list[str]:
    """`value` as sb's writer puts it under `key` (a list item when `key` is None), in lines."""
    lines = dump([value] if key is None else {key: value}).splitlines()
    return lines[:-1] if lines[-1] == "..." else lines  # the end mark after a text kept with |+


def _value_lines(value: Any) -> tuple[str, list[str]]:
    """What follows 'k:' on the key's line, and the lines below it with the key's column as 0."""
    first, *rest = _rendered(value, "k")
    return first[2:], [line[2:] for line in rest]


def _indented(lines: list[str], column: int) -> list[str]:
    return [" " * column + line if line else line for line in lines]


class _Document:
    """The text being edited and where each node's lines begin and end."""

    def __init__(self, text: str, depth: int) -> None:
        self.text, self.max_depth = text, depth
        self.header_end = len(_leading_comments(text))  # the file's own comments, above every key

    # Positions.
    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def line_end(self, index: int) -> int:
        end = self.text.find("\n", index)
        return len(self.text) if end < 0 else end

    def at_line_start(self, index: int) -> bool:
        return not self.text[self.line_start(index) : index].strip()

    def column(self, index: int) -> int:
        return index - self.line_start(index)

    def node_end(self, node: yaml.Node) -> int:
        """Just after the node's last character of content (not its trailing blank lines)."""
        if isinstance(node, yaml.ScalarNode):
            end = int(node.end_mark.index)
            if node.style in _BLOCK_STYLES:
                while end > node.start_mark.index and self.text[end - 1].isspace():
                    end -= 1
            return end
        if not isinstance(node, yaml.CollectionNode) or node.flow_style or not node.value:
            return int(node.end_mark.index)
        if isinstance(node, yaml.MappingNode):
            return max(max(self.node_end(key), self.node_end(value)) for key, value in node.value)
        return max(self.node_end(item) for item in node.value)

    def comments_above(self, start: int) -> int:
        """The start of the comment lines directly above the line starting at `start`, indented no
        deeper than it (a deeper '# …' is the last line of a text above, such as a heading)."""
        column = len(self.text[start : self.line_end(start)]) - len(self.text[start : self.line_end(start)].lstrip())
        while start > self.header_end:
            line = self.text[self.line_start(start - 1) : start - 1]
            if not line.lstrip().startswith("#") or len(line) - len(line.lstrip()) > column:
                break
            start = self.line_start(start - 1)
        return start

    def removal(self, first: int, node: yaml.Node) -> _Edit:
        """The lines from `first` (a key or a dash at the start of its line) to the node's last line,
        with their comments above; a blank line is kept on one side only."""
        if not self.at_line_start(first):
            raise _Coarser
        start = self.comments_above(self.line_start(first))
        end = min(self.line_end(self.node_end(node)) + 1, len(self.text))
        if self.blank_above(start) or self.opens_block_above(start):
            below = end
            while below < len(self.text) and not self.text[below : self.line_end(below)].strip():
                below = self.line_end(below) + 1
            if below > end:
                return _Edit(start, min(below, len(self.text)), "")
            while self.blank_above(start):  # the last of a block goes with the blank lines above it
                start = self.line_start(start - 1)
        return _Edit(start, end, "")

    def opens_block_above(self, start: int) -> bool:
        """Whether the line above is the key of the block that starts here (`items:`)."""
        return start > 0 and self.text[self.line_start(start - 1) : start].rstrip().endswith(":")

    def blank_above(self, start: int) -> bool:
        return start > self.header_end and not self.text[self.line_start(start - 1) : start].strip()

    def dash(self, item: yaml.Node) -> int:
        at = int(item.start_mark.index) - 1
        while at >= 0 and self.text[at] in " \n":
            at -= 1
        if at < 0 or self.text[at] != "-":
            raise _Coarser
        return at

    # Values.
    def edit(self, node: yaml.Node, old: Any, new: Any, depth: int) -> list[_Edit] | None:
        """Edits that turn `old` into `new` in place, or None when the caller should rewrite it."""
        if same(old, new):
            return []
        if depth >= self.max_depth:
            return None
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, new)
        if isinstance(node, yaml.CollectionNode) and node.flow_style:
            return self.flow(node, _in_order_of(old, new))
        if isinstance(node, yaml.MappingNode) and isinstance(old, dict) and isinstance(new, dict) and new:
            return self.mapping(node, old, new, depth)
        if isinstance(node, yaml.SequenceNode) and isinstance(old, list) and isinstance(new, list) and new:
            return self.sequence(node, old, new, depth)
        return None

    def scalar(self, node: yaml.ScalarNode, new: Any) -> list[_Edit] | None:
        start = int(node.start_mark.index)
        after, below = _value_lines(new)
        if node.style in _BLOCK_STYLES:
            end = self.line_end(self.node_end(node))
            if not below:
                return [_Edit(start, end, after.lstrip())]
            header = after.lstrip()
            if not header.startswith("|") or any(char.isdigit() for char in header):
                return None
            lines = self.text[start:end].split("\n")[1:]
            content = next((line for line in lines if line.strip()), "  ")
            column = len(content) - len(content.lstrip(" "))
            return [_Edit(start, end, "\n".join([header, *_indented(below, column)]))]
        if below or node.end_mark.index == start:
            return None
        return [_Edit(start, int(node.end_mark.index), after.lstrip())]

    def flow(self, node: yaml.Node, new: Any) -> list[_Edit] | None:
        """A value written [a, b] or {a: 1} is rewritten whole, still on one line."""
        if not isinstance(new, (dict, list)):
            return None
        return [_Edit(int(node.start_mark.index), int(node.end_mark.index), dump_flow(new))]

    def entry(self, key: yaml.Node, value: yaml.Node, new: Any) -> _Edit:
        """The key's whole entry rewritten, from the key to the value's last line."""
        start = int(key.start_mark.index)
        written_key = self.text[start : int(key.end_mark.index)]
        if "\n" in written_key:
            raise _Coarser
        first, *below = _rendered(new, "k")
        lines = [written_key + first[1:], *_indented(below, self.column(start))]
        return _Edit(start, self.line_end(self.node_end(value)), "\n".join(lines))

    def item(self, node: yaml.Node, new: Any) -> _Edit:
        """A list item rewritten whole, from its dash to its last line."""
        dash = self.dash(node)
        first, *below = _rendered(new, None)
        lines = [first, *_indented(below, self.column(dash))]
        return _Edit(dash, self.line_end(self.node_end(node)), "\n".join(lines))

    def mapping(
        self, node: yaml.MappingNode, old: dict[str, Any], new: dict[str, Any], depth: int
    ) -> list[_Edit] | None:
        keys = list(old)
        if len(keys) != len(node.value):
            raise _Coarser
        pairs = dict(zip(keys, node.value, strict=True))
        if not any(key in old for key in new):
            return None
        edits: list[_Edit] = []
        for key, (key_node, value_node) in pairs.items():
            if key not in new:
                if not self.at_line_start(int(key_node.start_mark.index)):
                    return None
                edits.append(self.removal(int(key_node.start_mark.index), value_node))
            else:
                inner = self.edit(value_node, old[key], new[key], depth + 1)
                edits.extend(inner if inner is not None else [self.entry(key_node, value_node, new[key])])
        added = self.added_keys(node, pairs, new)
        return None if added is None else edits + added

    def added_keys(
        self, node: yaml.MappingNode, pairs: dict[str, tuple[yaml.Node, yaml.Node]], new: dict[str, Any]
    ) -> list[_Edit] | None:
        """Each new key after the block of the key before it in the new data's order."""
        first_key = node.value[0][0]
        column = self.column(int(first_key.start_mark.index))
        edits: list[_Edit] = []
        previous: str | None = None
        for key, value in new.items():
            if key in pairs:
                previous = key
                continue
            if previous is not None:
                at = min(self.line_end(self.node_end(pairs[previous][1])) + 1, len(self.text))
            elif self.at_line_start(int(first_key.start_mark.index)):
                at = self.comments_above(self.line_start(int(first_key.start_mark.index)))
            else:
                return None
            edits.append(_Edit(at, at, "".join(line + "\n" for line in _indented(_rendered(value, key), column))))
        return edits

    def sequence(self, node: yaml.SequenceNode, old: list[Any], new: list[Any], depth: int) -> list[_Edit] | None:
        items: list[yaml.Node] = node.value
        if len(items) != len(old):
            raise _Coarser
        matcher = SequenceMatcher(a=[_fingerprint(x) for x in old], b=[_fingerprint(x) for x in new], autojunk=False)
        separated = self.separated(items)
        edits: list[_Edit] = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            paired = min(i2 - i1, j2 - j1)
            for offset in range(paired):
                item = items[i1 + offset]
                inner = self.edit(item, old[i1 + offset], new[j1 + offset], depth + 1)
                edits.extend(inner if inner is not None else [self.item(item, new[j1 + offset])])
            removed = items[i1 + paired : i2]
            if removed:  # one run, so that the blank lines around it are judged once
                edits.append(self.removal(self.dash(removed[0]), removed[-1]))
            if j2 - j1 > paired:
                edits.append(self.inserted(items, i1 + paired, new[j1 + paired : j2], separated))
        return edits

    def inserted(self, items: list[yaml.Node], before: int, values: list[Any], separated: bool) -> _Edit:
        """New items before old item `before` (after the one above it), at the list's column."""
        column = self.column(self.dash(items[0]))
        blocks = ["".join(line + "\n" for line in _indented(_rendered(value, None), column)) for value in values]
        if before > 0:
            at = min(self.line_end(self.node_end(items[before - 1])) + 1, len(self.text))
            return _Edit(at, at, "".join(("\n" if separated else "") + block for block in blocks))
        dash = self.dash(items[0])
        if not self.at_line_start(dash):
            raise _Coarser
        at = self.comments_above(self.line_start(dash))
        return _Edit(at, at, "".join(block + ("\n" if separated else "") for block in blocks))

    def separated(self, items: list[yaml.Node]) -> bool:
        """Whether the list's items stand apart with blank lines, as the items of a protocol do."""
        if len(items) < 2:
            return False
        for above, below in zip(items, items[1:], strict=False):
            gap = self.text[self.line_end(self.node_end(above)) + 1 : self.line_start(self.dash(below))]
            if not any(not line.strip() for line in gap.split("\n")[:-1]):
                return False
        return True


def _in_order_of(old: Any, new: Any) -> Any:
    """`new` with the keys it shares with `old` in the file's order, the others after them."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return new
    return {**{key: new[key] for key in old if key in new}, **new}


def _fingerprint(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=repr)
