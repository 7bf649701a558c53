"""YAML that people keep editing: new files with guiding comments, and changes that keep every
comment and the key order of the file (ruamel.yaml round trip)."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from io import StringIO
from pathlib import Path
from typing import Any

from sb_cli.errors import SbError
from sb_cli.io.atomic import write_atomic

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip: comments, order and quoting survive
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    yaml.allow_unicode = True
    return yaml


def _commented(data: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(data, dict):
        mapping = CommentedMap()
        for key, value in data.items():
            mapping[key] = _commented(value)
        return mapping
    if isinstance(data, list):
        return CommentedSeq(_commented(v) for v in data)
    if isinstance(data, str) and _ISO_DATE.match(data):
        return dt.date.fromisoformat(data)  # written as a plain YAML date, not a quoted string
    return data


def dump_new(data: dict[str, Any], *, header: str, comments: dict[str, str]) -> str:
    """A new document: `header` on top, a comment before each key named in `comments`."""
    document = _commented(data)
    for key, text in comments.items():
        if key in document:
            document.yaml_set_comment_before_after_key(key, before=text)
    stream = StringIO()
    _yaml().dump(document, stream)
    wrapped = [part for line in header.splitlines() for part in (textwrap.wrap(line, 96) or [""])]
    lines = "".join(f"# {line}\n" if line else "#\n" for line in wrapped)
    return lines + stream.getvalue()


def write_new(path: Path, text: str, *, force: bool) -> None:
    if path.exists() and not force:
        raise SbError(f"{path} finns redan", hint="ange --force för att skriva över den")
    write_atomic(path, text.encode("utf-8"))


def set_key(path: Path, key: str, value: Any, *, after: str | None = None) -> None:
    """Set one top-level key, keeping comments and order; a new key goes after `after` when present."""
    yaml = _yaml()
    text = path.read_text("utf-8")
    if text.startswith("---"):
        raise SbError(f"{path}: sb ändrar bara YAML-dokument")
    data = yaml.load(text)
    if key in data:
        data[key] = value
    else:
        keys = list(data)
        position = keys.index(after) + 1 if after in keys else len(keys)
        data.insert(position, key, value)
    stream = StringIO()
    yaml.dump(data, stream)
    write_atomic(path, stream.getvalue().encode("utf-8"))
