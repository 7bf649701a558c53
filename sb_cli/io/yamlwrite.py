"""YAML that people keep editing: new files with guiding comments, and changes that touch only the
lines they must.

sb reads YAML with PyYAML's YAML 1.1 rules, so it writes with them too, and quotes every text that
some YAML reader (1.1 or 1.2) would take for something else: a time such as 12:00 (sexagesimal
720 in YAML 1.1), yes/no/on/off, 0123, 1e3, null. Dates are written plain; sb reads them as text.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import yaml

from sb_cli.errors import SbError
from sb_cli.io.atomic import create_atomic, write_atomic
from sb_cli.io.yamlpos import Parsed, YamlError, parse_yaml

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Line breaks YAML 1.1 knows besides \n (NEL, LS, PS), and what it cannot hold unescaped.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
# What a YAML 1.2 reader (editors, other tools) takes for a number, a boolean or null, and times.
_NOT_TEXT_IN_YAML_12 = re.compile(
    r"~|null|Null|NULL|true|True|TRUE|false|False|FALSE"
    r"|[-+]?[0-9][0-9_]*|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
    r"|[0-9]{1,2}(:[0-9]{2})+"
)


class _Dumper(yaml.SafeDumper):
    """Block style with list items indented under their key, as the shipped documents are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _UNPRINTABLE.search(value):  # escaped inside double quotes, or YAML would read another text
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    if _DATE.fullmatch(value):  # plain, as a date reads; sb keeps it as text
        return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value)
    if _NOT_TEXT_IN_YAML_12.fullmatch(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'")
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_str(value)


_Dumper.add_representer(str, _text)


def dump(data: Any) -> str:
    return yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1_000_000
    )


def dump_flow(value: Any) -> str:
    """`value` on one line, in flow style: {name: Bodil Sundlöf, party: region-blekinge}."""
    text = yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=True, width=10**6)
    return text.removesuffix("\n...\n").rstrip("\n")


def dump_new(data: dict[str, Any], *, header: str, comments: dict[str, str]) -> str:
    """A new document: `header` on top, a comment before each top-level key named in `comments`."""
    lines = dump(data).splitlines(keepends=True)
    out = [comment(header)]
    for line in lines:
        key = line.split(":", 1)[0] if not line[:1].isspace() else None
        if key in comments:
            out.append(comment(comments[key]))
        out.append(line)
    return "".join(out)


def comment(text: str) -> str:
    """`text` as YAML comment lines, wrapped at 96 columns."""
    wrapped = [part for line in text.splitlines() for part in (textwrap.wrap(line, 96) or [""])]
    return "".join(f"# {line}\n" if line else "#\n" for line in wrapped)


def write_new(path: Path, text: str, *, force: bool, within: Path | None = None) -> None:
    """Create `path` with `text`; never over an existing file unless `force` (then atomically).
    `within`: the folder the file must stay in (see write_atomic)."""
    if force:
        write_atomic(path, text.encode("utf-8"), within=within)
        return
    try:
        create_atomic(path, text.encode("utf-8"), within=within)
    except FileExistsError:
        raise SbError(f"{path} finns redan", hint="ange --force för att skriva över den") from None


def add_key(path: Path, key: str, value: str, *, after: str) -> None:
    """Add one top-level `key: value` line after the block of `after` (or at the end), and change
    nothing else in the file: comments, quoting, wrapping and order stay as they are."""
    text = path.read_text("utf-8")
    parsed = _mapping_without(path, text, key)
    opening = _flow_mapping_start(text)
    if opening is not None:
        changed = _with_flow_key(text, opening, key, value)
    else:
        changed = _with_block_key(text, parsed, key, value, after)
    write_atomic(path, changed.encode("utf-8"))


def _mapping_without(path: Path, text: str, key: str) -> Parsed:
    """The file parsed, when it is a mapping that has no `key` yet."""
    try:
        parsed = parse_yaml(text)
    except YamlError as exc:
        raise SbError(f"{path}:{exc.line}: {exc.message}") from None
    if not isinstance(parsed.data, dict) or key in parsed.data:
        raise SbError(f"{path}: '{key}' finns redan eller filen är ingen YAML-mappning")
    return parsed


def _with_flow_key(text: str, opening: int, key: str, value: str) -> str:
    """Written as {…} (JSON is YAML too): the key goes first inside the braces."""
    entry = dump({key: value}).rstrip("\n")
    rest = text[opening + 1 :]
    separator = "" if rest.lstrip().startswith("}") else ", "
    return text[: opening + 1] + entry + separator + rest


def _with_block_key(text: str, parsed: Parsed, key: str, value: str, after: str) -> str:
    lines = text.splitlines(keepends=True)
    at = _end_of_block(lines, parsed, after) if after in parsed.data else len(lines)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    lines.insert(at, dump({key: value}))
    return "".join(lines)


def _end_of_block(lines: list[str], parsed: Parsed, after: str) -> int:
    """The line after the block of the top-level key `after`."""
    top = sorted(position.line for keys, position in parsed.positions.items() if len(keys) == 1)
    start = parsed.positions[(after,)].line
    following = [line for line in top if line > start]
    at = following[0] - 1 if following else len(lines)
    while at > start and (not lines[at - 1].strip() or lines[at - 1].lstrip().startswith("#")):
        at -= 1  # blank lines and comments before the next key belong to it
    return at


def _flow_mapping_start(text: str) -> int | None:
    """Where the '{' of a document written as one flow mapping stands, or None for block style."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.MappingStartEvent):
            mark: Any = event.start_mark
            return int(mark.index) if event.flow_style else None
    return None
