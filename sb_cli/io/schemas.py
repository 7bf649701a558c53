"""Load the JSON Schemas of a repository into validators, one per document type."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from sb_cli.core.doctypes import TYPES
from sb_cli.errors import SbError

_BASE = "file:///sb/schemas/"


def validators(schema_dir: Path) -> dict[str, Any]:
    """Draft 2020-12 validators (jsonschema-rs). Refs between files resolve by file name, offline.
    The same schema files give the same validators, compiled once (the editor asks on every save)."""
    texts = []
    for path in sorted(schema_dir.glob("*.schema.json")):
        try:
            texts.append((path.name, path.read_bytes()))
        except OSError as exc:
            raise SbError(f"schemat {path} kan inte läsas: {exc}") from None
    return dict(_compiled(schema_dir, tuple(texts)))


@functools.lru_cache(maxsize=4)
def _compiled(schema_dir: Path, texts: tuple[tuple[str, bytes], ...]) -> dict[str, Any]:
    import jsonschema_rs

    schemas: dict[str, Any] = {}
    for name, text in texts:
        try:
            schemas[name] = json.loads(text.decode("utf-8"))
        except ValueError as exc:
            raise SbError(f"schemat {schema_dir / name} kan inte läsas: {exc}") from None

    def retrieve(uri: str) -> Any:
        name = uri.rsplit("/", 1)[-1]
        if name not in schemas:
            raise SbError(f"schemat hänvisar till {name}, som inte finns i {schema_dir}")
        return schemas[name]

    result: dict[str, Any] = {}
    wanted = {**{name: entry.schema for name, entry in TYPES.items()}, "organisation": "organisation.schema.json"}
    for name, file_name in wanted.items():
        if file_name in schemas:
            try:
                validator = jsonschema_rs.Draft202012Validator(
                    schemas[file_name],
                    retriever=retrieve,
                    validate_formats=True,
                    base_uri=_BASE + file_name,
                )
            except (ValueError, jsonschema_rs.ReferencingError) as exc:
                raise SbError(f"schemat {schema_dir / file_name} är ogiltigt: {exc}") from None
            result[name] = Validator(validator, schemas)
    return result


class Validator:
    """One document type's validator, with the schemas it was made from: a finding about an unknown
    key suggests a key that the schema knows at that place (core/rules/schema.py)."""

    __slots__ = ("_inner", "schemas")

    def __init__(self, inner: Any, schemas: dict[str, Any]) -> None:
        self._inner = inner
        self.schemas = schemas  # by file name, as read

    def is_valid(self, data: Any) -> bool:
        return bool(self._inner.is_valid(data))

    def iter_errors(self, data: Any) -> Any:
        return self._inner.iter_errors(data)
