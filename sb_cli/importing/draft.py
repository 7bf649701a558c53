"""A draft as the file a person goes on editing: YAML in the layout of the shipped documents (people
and short entries on one line, text as blocks), each note as a comment above the key or list entry
it concerns, and for a styrdokument the Markdown body after the front matter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sb_cli.errors import SbError
from sb_cli.importing.source import Draft
from sb_cli.io.yamlwrite import comment, dump, dump_flow

Path_ = tuple[str | int, ...]

# Only the list entries whose order says nothing (people, references, dates) go on one line.
_FLOW_WIDTH = 110
_NAME_LENGTH = 40


def draft_text(draft: Draft, *, header: str) -> str:
    """The whole file: YAML for a meeting document, Markdown with front matter for the others."""
    front = comment(header) + "".join(_unplaced(draft) + _mapping(draft.data, (), 0, draft.notes))
    if draft.body is None:
        return front
    return f"---\n{front}---\n\n{draft.body.strip()}\n"


def checked_size(text: str, *, max_bytes: int, source: Path) -> str:
    """The draft's text, refused when it is larger than sb reads a file (max_file_bytes in sb.toml)."""
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise SbError(
            f"{source}: utkastet blir för stort för sb ({size / 1e6:.1f} MB; högst {max_bytes / 1e6:.1f} MB, "
            "max_file_bytes i sb.toml)",
            hint="dela upp dokumentet och importera delarna var för sig, eller höj max_file_bytes i sb.toml",
        )
    return text


def _unplaced(draft: Draft) -> list[str]:
    """The notes about keys the draft leaves out (what the source does not say), after the header."""
    lines: list[str] = []
    for path, note in draft.notes.items():
        if not _present(draft.data, path):
            lines += _noted(note, "")
    return lines


def _present(data: Any, path: Path_) -> bool:
    for step in path:
        if isinstance(data, dict) and step in data:
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return False
    return True


def _mapping(data: dict[str, Any], path: Path_, indent: int, notes: dict[Path_, str]) -> list[str]:
    out: list[str] = []
    pad = " " * indent
    for key, value in data.items():
        here = (*path, key)
        out += _noted(notes.get(here), pad)
        if isinstance(value, dict) and value:
            out.append(f"{pad}{_key(key)}:\n")
            out += _mapping(value, here, indent + 2, notes)
        elif isinstance(value, list) and value and _inline(value, indent + len(str(key)) + 2):
            out.append(f"{pad}{_key(key)}: {dump_flow(value)}\n")
        elif isinstance(value, list) and value:
            out.append(f"{pad}{_key(key)}:\n")
            out += _sequence(value, here, indent + 2, notes)
        else:
            out += _indented(dump({key: value}), pad)
    return out


def _sequence(values: list[Any], path: Path_, indent: int, notes: dict[Path_, str]) -> list[str]:
    out: list[str] = []
    pad = " " * indent
    for index, value in enumerate(values):
        out += _noted(notes.get((*path, index)), pad)
        if isinstance(value, dict) and value and not (_flat(value) and len(dump_flow(value)) + indent < _FLOW_WIDTH):
            lines = _mapping(value, (*path, index), indent + 2, notes)
            first = next(i for i, line in enumerate(lines) if not line.lstrip().startswith("#"))
            lines[first] = f"{pad}- {lines[first][indent + 2 :]}"
            out += lines
        else:
            out.append(f"{pad}- {dump_flow(value)}\n")
    return out


def _flat(value: dict[str, Any]) -> bool:
    """Scalars only, or lists of scalars: fits a flow mapping."""
    return all(
        not isinstance(v, dict) and not (isinstance(v, str) and "\n" in v) and not _nested_list(v)
        for v in value.values()
    )


def _nested_list(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(v, dict | list) for v in value)


def _inline(values: list[Any], indent: int) -> bool:
    """A short list of names on the key's line: [Diariet, Ledamöter]; sentences (att-clauses) one
    to a line."""
    scalars = all(not isinstance(v, dict | list) and len(str(v)) <= _NAME_LENGTH for v in values)
    return scalars and len(dump_flow(values)) + indent < _FLOW_WIDTH


def _key(key: str) -> str:
    return dump(key).rstrip("\n").removesuffix("...").rstrip()


def _indented(text: str, pad: str) -> list[str]:
    return [f"{pad}{line}" if line.strip() else line for line in text.splitlines(keepends=True)]


def _noted(note: str | None, pad: str) -> list[str]:
    return _indented(comment(note), pad) if note else []
