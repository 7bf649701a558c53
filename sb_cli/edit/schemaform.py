"""A document's data as a form and back, with the Swedish titles of the schemas in schemas/ as labels.

Each value that a user types is one field named by its path in the data ("items.2.decisions.0.text");
an empty list or mapping is kept by a marker field, so a record → form → record is the identity. The
schema decides what each field is: text, long text, number, date, time, a choice, yes/no.
Pure functions: nothing here reads a request or writes a file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

Path_ = tuple[str | int, ...]
LIST_MARK = "_lista"  # the value is the path of a list that exists, even when it is empty
MAP_MARK = "_grupp"  # the same for a mapping
LONG_TEXT_KEYS = frozenset({"body", "text", "note", "description"})


@dataclass(frozen=True)
class Node:
    """One place in a schema with its $refs followed and its alternatives (anyOf) side by side."""

    title: str
    description: str
    kinds: frozenset[str]  # the JSON types it allows
    enum: tuple[Any, ...] = ()
    format: str = ""  # "date" or "time"
    properties: dict[str, dict[str, Any]] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    items: dict[str, Any] | None = None

    def primary(self) -> str | None:
        """The key a mapping shortens to when it holds nothing else ({name: X} → X, {text: Y} → Y),
        where the schema allows both."""
        if "string" in self.kinds and "object" in self.kinds and self.required:
            return self.required[0]
        return None


class Schemas:
    """The schemas of a repository (schemas/ as sb uses them), read once."""

    def __init__(self, folder: Path) -> None:
        self._files: dict[str, dict[str, Any]] = {
            path.name: _anchored(json.loads(path.read_text("utf-8")), path.name)
            for path in sorted(folder.glob("*.schema.json"))
        }
        self._nodes: dict[tuple[str, Path_], Node | None] = {}

    def root(self, doc_type: str) -> dict[str, Any] | None:
        return self._files.get(f"{doc_type}.schema.json")

    def node(self, doc_type: str, path: Path_) -> Node | None:
        """The schema of the value at `path` in a document of `doc_type`; None where it says nothing.
        Every entry of a list has the same schema, so it is looked up once per shape of path."""
        shape = (doc_type, tuple(0 if isinstance(step, int) else step for step in path))
        if shape not in self._nodes:
            self._nodes[shape] = self._node(doc_type, shape[1])
        return self._nodes[shape]

    def _node(self, doc_type: str, path: Path_) -> Node | None:
        current = self.root(doc_type)
        if current is None:
            return None
        node = self._resolved(current)
        for step in path:
            child = node.properties.get(step) if isinstance(step, str) else node.items
            if child is None:
                return None
            node = self._resolved(child)
        return node

    def _resolved(self, schema: dict[str, Any]) -> Node:
        """The schema with its $ref followed (the referring title wins) and its anyOf/oneOf/allOf merged."""
        parts = list(self._parts(schema))
        kinds: set[str] = set()
        properties: dict[str, dict[str, Any]] = {}
        required: list[str] = []
        items = None
        enum: tuple[Any, ...] = ()
        form = ""
        for part in parts:
            kinds |= _kinds(part)
            properties.update(part.get("properties", {}))
            required += [r for r in part.get("required", []) if r not in required]
            items = part.get("items", items)
            enum = enum or tuple(part.get("enum", ()))
            form = form or part.get("format", "") or ("time" if part.get("pattern", "").startswith("^([01]") else "")
        title = next((p["title"] for p in parts if "title" in p), "")
        description = next((p["description"] for p in parts if "description" in p), "")
        return Node(title, description, frozenset(kinds), enum, form, properties, tuple(required), items)

    def _parts(self, schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """The schema itself, then what it refers to and its alternatives, depth first."""
        yield schema
        if "$ref" in schema:
            target = self._target(schema["$ref"])
            if target is not None:
                yield from self._parts(target)
        for key in ("anyOf", "oneOf", "allOf"):
            for alternative in schema.get(key, []):
                yield from self._parts(alternative)
        for key in ("then", "else"):  # a meeting's date: a day, or a month when the day is unknown
            if isinstance(schema.get(key), dict):
                yield from self._parts(schema[key])

    def _target(self, ref: str) -> dict[str, Any] | None:
        file, _, pointer = ref.partition("#")
        document = self._files.get(Path(file).name) if file else None
        node: Any = document
        for step in [s for s in pointer.split("/") if s]:
            node = node.get(step) if isinstance(node, dict) else None
        return node if isinstance(node, dict) else None

    @cached_property
    def types(self) -> tuple[str, ...]:
        return tuple(name.removesuffix(".schema.json") for name in self._files)


def _anchored(schema: Any, file: str) -> Any:
    """The schema with each reference inside its own file ("#/$defs/x") named by the file."""
    if isinstance(schema, dict):
        return {
            key: f"{file}{value}" if key == "$ref" and isinstance(value, str) and value.startswith("#")
            else _anchored(value, file)
            for key, value in schema.items()
        }  # fmt: skip
    if isinstance(schema, list):
        return [_anchored(value, file) for value in schema]
    return schema


def _kinds(schema: dict[str, Any]) -> set[str]:
    kind = schema.get("type")
    if "const" in schema or "enum" in schema:
        return {"string"} if kind is None else {kind} if isinstance(kind, str) else set(kind)
    if kind is None:
        return set()
    return {kind} if isinstance(kind, str) else set(kind)


def label(schemas: Schemas, doc_type: str, path: Path_) -> str:
    """The Swedish title of the key at `path`, as the editor hover shows it; the key itself if none."""
    node = schemas.node(doc_type, path)
    if node is not None and node.title:
        return node.title
    last = next((step for step in reversed(path) if isinstance(step, str)), "")
    return last


# --- data ↔ fields ---------------------------------------------------------------------------------


def name_of(path: Path_) -> str:
    return ".".join(str(step) for step in path)


def field_id(name: str) -> str:
    """The HTML id of a field's element: its name without dots, which a CSS selector would read
    as classes."""
    return "f-" + name.replace(".", "-")


def path_of(name: str) -> Path_:
    return tuple(int(step) if step.isdigit() else step for step in name.split("."))


def to_fields(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Every value as (name, text), and a marker for each list and mapping, in the data's order."""
    fields: list[tuple[str, str]] = []
    _flatten(data, (), fields)
    return fields


def _flatten(value: Any, path: Path_, fields: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        if path:
            fields.append((MAP_MARK, name_of(path)))
        for key, child in value.items():
            _flatten(child, (*path, key), fields)
    elif isinstance(value, list):
        fields.append((LIST_MARK, name_of(path)))
        for index, child in enumerate(value):
            _flatten(child, (*path, index), fields)
    else:
        fields.append((name_of(path), _text(value)))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return str(value)


def from_fields(fields: list[tuple[str, str]], schemas: Schemas, doc_type: str) -> dict[str, Any]:
    """The data the fields describe: each text read as the schema says (numbers, yes/no, null), an
    empty optional text left out, and a mapping that holds only its primary key shortened."""
    data: dict[str, Any] = {}
    marked: set[Path_] = set()
    for name, text in fields:
        if name in (LIST_MARK, MAP_MARK):
            marked.add(path_of(text))
            _place(data, path_of(text), [] if name == LIST_MARK else {}, keep=True)
            continue
        if name.startswith("_"):
            continue  # the form's own fields (token, version, action)
        path = path_of(name)
        node = schemas.node(doc_type, path)
        value = _typed(text.replace("\r\n", "\n"), node)
        if value is not _LEFT_OUT:
            _place(data, path, value, keep=False)
    shortened: dict[str, Any] = _shortened(data, (), schemas, doc_type, marked)
    return shortened


_LEFT_OUT = object()


def _typed(text: str, node: Node | None) -> Any:
    kinds = node.kinds if node is not None else frozenset({"string"})
    if text == "":
        return None if "null" in kinds else _LEFT_OUT
    if "boolean" in kinds and text in ("ja", "nej"):
        return text == "ja"
    if "integer" in kinds and _is_integer(text):
        return int(text)
    if "number" in kinds and _is_number(text):
        return float(text) if "." in text else int(text)
    return text


def _is_integer(text: str) -> bool:
    return text.lstrip("-").isdigit() and len(text) < 20


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return len(text) < 30


def _place(data: dict[str, Any], path: Path_, value: Any, *, keep: bool) -> None:
    """Set the value at `path`, making the mappings and lists on the way; `keep`: an existing
    container stays as it is (a marker after its values)."""
    container: Any = data
    for step, following in zip(path, path[1:], strict=False):
        container = _child(container, step, [] if isinstance(following, int) else {})
    last = path[-1]
    if isinstance(container, list) and isinstance(last, int):
        while len(container) <= last:
            container.append(None)
        if not (keep and container[last] is not None):
            container[last] = value
    elif isinstance(container, dict) and not (keep and last in container):
        container[str(last)] = value


def _child(container: Any, step: str | int, empty: Any) -> Any:
    if isinstance(container, list) and isinstance(step, int):
        while len(container) <= step:
            container.append(None)
        if container[step] is None:
            container[step] = empty
        return container[step]
    if isinstance(container, dict):
        return container.setdefault(str(step), empty)
    raise ValueError(f"fältet {step} passar inte in i formuläret")


def _shortened(value: Any, path: Path_, schemas: Schemas, doc_type: str, marked: set[Path_]) -> Any:
    """Empty list entries dropped; a mapping that only its empty fields made (no marker: it was not
    in the document) dropped; a mapping that holds only its primary key written short."""
    if isinstance(value, list):
        entries = [_shortened(v, (*path, i), schemas, doc_type, marked) for i, v in enumerate(value) if v is not None]
        return [entry for entry in entries if entry is not _LEFT_OUT]
    if not isinstance(value, dict):
        return value
    shortened = {key: _shortened(child, (*path, key), schemas, doc_type, marked) for key, child in value.items()}
    shortened = {key: child for key, child in shortened.items() if child is not _LEFT_OUT}
    if path and path not in marked and all(child is None for child in shortened.values()):
        return _LEFT_OUT
    node = schemas.node(doc_type, path) if path else None
    primary = node.primary() if node is not None else None
    if primary is not None and list(shortened) == [primary] and isinstance(shortened[primary], str):
        return shortened[primary]
    return shortened
