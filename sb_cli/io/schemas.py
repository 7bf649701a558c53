"""Load the JSON Schemas of a repository into validators, one per document type."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sb_cli.core.model import DOCUMENT_TYPES
from sb_cli.errors import SbError


def validators(schema_dir: Path) -> dict[str, Any]:
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    schemas: dict[str, Any] = {}
    for path in sorted(schema_dir.glob("*.schema.json")):
        try:
            schemas[path.name] = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise SbError(f"schemat {path} kan inte läsas: {exc}") from None
    registry: Registry[Any] = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT202012))
        for name, schema in schemas.items()
    )
    checker = FormatChecker(["date"])
    result: dict[str, Any] = {}
    for name in (*DOCUMENT_TYPES, "organisation"):
        schema = schemas.get(f"{name}.schema.json")
        if schema is not None:
            result[name] = Draft202012Validator(schema, registry=registry, format_checker=checker)
    return result
