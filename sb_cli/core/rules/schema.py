"""SB002: the document against its type's schema (which includes the styrdokument header)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sb_cli.core.model import DOCUMENT_TYPES, Corpus, Document, Finding, Severity
from sb_cli.core.rules import Context, finding

_TYPE_NAMES = {
    "string": "text", "integer": "heltal", "number": "tal", "object": "mappning",
    "array": "lista", "boolean": "sant eller falskt", "null": "tomt",
}


def check_organisation(organisation: Document, schemas: dict[str, Any]) -> Iterator[Finding]:
    if "organisation" in schemas:
        yield from _validate(organisation, schemas["organisation"], "organisation")


def check(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for document in corpus.documents:
        if not context.wants(document):
            continue
        doc_type = document.type
        if doc_type not in DOCUMENT_TYPES:
            yield _bad_type(document)
            continue
        validator = context.schemas.get(doc_type)
        if validator is not None:
            yield from _validate(document, validator, doc_type)


def _bad_type(document: Document) -> Finding:
    hint = f"välj en av: {', '.join(DOCUMENT_TYPES)}"
    value = document.get("type")
    if value is None:
        return finding(document, "SB002", Severity.ERROR, "'type' saknas", hint=hint)
    return finding(document, "SB002", Severity.ERROR, f"okänd dokumenttyp {_show(value)}", "type",
                   hint=hint)


def _validate(document: Document, validator: Any, schema_name: str) -> Iterator[Finding]:
    if validator.is_valid(document.data):
        return
    hint = f"se schemas/{schema_name}.schema.json"
    for error in validator.iter_errors(document.data):
        for path, message in explain(error):
            yield finding(document, "SB002", Severity.ERROR, message, *path, hint=hint)


def explain(error: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Swedish messages for one jsonschema-rs error, each with the key path it concerns."""
    path = tuple(error.instance_path)
    kind = error.kind
    name = type(kind).__name__
    value = error.instance
    if name in ("AnyOf", "OneOfNotValid"):
        deepest = max((e for branch in kind.context for e in branch),
                      key=lambda e: len(e.instance_path), default=None)
        if deepest is not None and len(deepest.instance_path) > len(path):
            return explain(deepest)
        return [(path, f"{_show(value)} har fel form")]
    if name == "Required":
        return [(path, f"'{kind.property}' saknas")]
    if name in ("AdditionalProperties", "UnevaluatedProperties"):
        return [(path + (key,), f"okänd nyckel '{key}'") for key in kind.unexpected]
    if name == "Type":
        shown = " eller ".join(_TYPE_NAMES.get(str(t), str(t)) for t in kind.types)
        quote = " (sätt citattecken runt värdet)" if "string" in kind.types and value is not None else ""
        return [(path, f"{_show(value)} ska vara {shown}{quote}")]
    if name == "Enum":
        return [(path, f"{_show(value)} är inte tillåtet; välj en av: {', '.join(map(str, kind.options))}")]
    if name == "Constant":
        return [(path, f"{_show(value)} ska vara {_show(kind.expected_value)}")]
    if name == "Format" and kind.format == "date":
        return [(path, f"{_show(value)} är inget giltigt datum (ÅÅÅÅ-MM-DD)")]
    if name == "Pattern":
        return [(path, f"{_show(value)} har fel form (ska matcha {kind.pattern})")]
    if name == "MinItems":
        return [(path, f"minst {kind.limit} värden krävs")]
    if name == "Minimum":
        return [(path, f"{value} är mindre än {kind.limit}")]
    if name == "Maximum":
        return [(path, f"{value} är större än {kind.limit}")]
    if name == "MinLength":
        return [(path, "värdet får inte vara tomt")]
    if name == "MaxLength":
        return [(path, f"värdet är längre än {kind.limit} tecken")]
    if name == "UniqueItems":
        return [(path, "samma värde står flera gånger")]
    return [(path, error.message)]


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"
