"""SB002: the document against the styrdokument schema and its type's schema."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sb_cli.core.model import DOCUMENT_TYPES, Corpus, Document, Finding, Severity
from sb_cli.core.rules import Context, finding

_TYPE_NAMES = {
    "string": "text", "integer": "heltal", "number": "tal", "object": "mappning",
    "array": "lista", "boolean": "sant eller falskt", "null": "tomt",
}
_QUOTED = re.compile(r"'([^']+)'")


def check(corpus: Corpus, context: Context) -> Iterator[Finding]:
    organisation = context.organisation_document
    if organisation is not None and context.wants(organisation) and "organisation" in context.schemas:
        yield from _validate(organisation, context.schemas["organisation"], "organisation")
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
    value = document.get("type")
    if value is None:
        return finding(document, "SB002", Severity.ERROR, "'type' saknas",
                       hint=f"välj en av: {', '.join(DOCUMENT_TYPES)}")
    return finding(document, "SB002", Severity.ERROR, f"okänd dokumenttyp {value!r}", "type",
                   hint=f"välj en av: {', '.join(DOCUMENT_TYPES)}")


def _validate(document: Document, validator: Any, schema_name: str) -> Iterator[Finding]:
    hint = f"se schemas/{schema_name}.schema.json"
    for error in validator.iter_errors(document.data):
        for path, message in _explain(error):
            yield finding(document, "SB002", Severity.ERROR, message, *path, hint=hint)


def _explain(error: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Swedish messages for one jsonschema error, each with the key path it concerns."""
    path = tuple(error.absolute_path)
    kind = error.validator
    value = error.instance
    if kind in ("oneOf", "anyOf") and error.context:
        deepest = max(error.context, key=lambda e: (len(e.absolute_path), -len(e.schema_path)))
        if len(deepest.absolute_path) > len(path):
            return _explain(deepest)
        return [(path, f"{_show(value)} har fel form")]
    if kind == "required":
        names = _QUOTED.findall(error.message)
        return [(path, f"'{names[0] if names else '?'}' saknas")]
    if kind in ("additionalProperties", "unevaluatedProperties"):
        unknown = _QUOTED.findall(error.message.split("(")[-1]) or ["?"]
        return [(path + (key,), f"okänd nyckel '{key}'") for key in unknown]
    if kind == "type":
        wanted = error.validator_value
        names = [wanted] if isinstance(wanted, str) else list(wanted)
        shown = " eller ".join(_TYPE_NAMES.get(n, n) for n in names)
        hint = " (sätt citattecken runt värdet)" if "string" in names and value is not None else ""
        return [(path, f"{_show(value)} ska vara {shown}{hint}")]
    if kind == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        return [(path, f"{_show(value)} är inte tillåtet; välj en av: {choices}")]
    if kind == "const":
        return [(path, f"{_show(value)} ska vara {_show(error.validator_value)}")]
    if kind == "format" and error.validator_value == "date":
        return [(path, f"{_show(value)} är inget giltigt datum (ÅÅÅÅ-MM-DD)")]
    if kind == "pattern":
        return [(path, f"{_show(value)} har fel form (ska matcha {error.validator_value})")]
    if kind == "minItems":
        return [(path, f"minst {error.validator_value} värden krävs")]
    if kind == "minimum":
        return [(path, f"{value} är mindre än {error.validator_value}")]
    if kind == "maximum":
        return [(path, f"{value} är större än {error.validator_value}")]
    if kind == "minLength":
        return [(path, "värdet får inte vara tomt")]
    if kind == "maxLength":
        return [(path, f"värdet är längre än {error.validator_value} tecken")]
    return [(path, error.message)]


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"
