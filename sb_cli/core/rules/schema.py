"""SB001 unreadable files (found by the loader), SB002 schema violations, and the typed record
that a schema-valid document becomes."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from sb_cli.core.doctypes import find, names
from sb_cli.core.model import Document, Finding, Path_, Severity, Source
from sb_cli.core.records import Record, RecordError, to_record
from sb_cli.core.rules.base import Rule, Scope
from sb_cli.core.words import shown

SB001 = Rule(
    "SB001",
    Severity.ERROR,
    "Filen kan inte läsas eller tolkas",
    "Filen går inte att läsa som ett dokument: trasig YAML, fel teckenkodning (UTF-16, cp1252), "
    "binär fil, dubbla nycklar, front matter som inte avslutas, alias-bomb, för djup nästling, för "
    "stor fil eller en länk utanför repositoriet.",
    "Rätta filen på raden som anges; spara den som UTF-8 och kontrollera indrag och citattecken.",
    Scope.FILE,
)

# What each pattern of the schemas means, in words (a message never shows a regular expression).
PATTERNS = {
    "^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$": "ett id: bokstäver a–z och A–Z, siffror, punkt, bindestreck och "
    "understreck, högst 80 tecken",
    "^([01][0-9]|2[0-3]):[0-5][0-9]$": 'ett klockslag TT:MM mellan 00:00 och 23:59, t.ex. "08:15"',
    "^[A-Za-z0-9][A-Za-z0-9._-]{0,79}( (§ ?)?[0-9]+[a-z]?)?$": "ett dokument-id, eventuellt med en punkt, "
    "t.ex. 'LSVO-2023-06-16 §64' eller 'att-aldras-2024-02 9'",
    "^[BID](/[BID])*$": "B, I, D eller kombinationer som I/D",
    "^[a-z]$": "en liten bokstav a–z",
    "^(19|2[0-9])[0-9]{2}-": "ett datum mellan åren 1900 och 2999",
}

_FORMATS = {
    "date": "datum (ÅÅÅÅ-MM-DD)",
    "date-time": "klockslag med datum",
    "email": "e-postadress",
    "uri": "webbadress",
    "uri-reference": "webbadress",
}
_TYPE_NAMES = {
    "string": "text",
    "integer": "heltal",
    "number": "tal",
    "object": "mappning",
    "array": "lista",
    "boolean": "sant eller falskt",
    "null": "tomt",
}


def findings(source: Source, schemas: Mapping[str, Any]) -> Iterator[Finding]:
    """SB002 for a document against its type's schema (which includes the styrdokument header)."""
    doc_type = source.type
    if doc_type is None or find(doc_type) is None:
        yield _bad_type(source)
        return
    validator = schemas.get(doc_type)
    if validator is not None:
        yield from validate(source, validator, doc_type)


SB002 = Rule(
    "SB002",
    Severity.ERROR,
    "Schemafel",
    "Dokumentet följer inte schemat för sin typ: en nyckel saknas eller är okänd, ett värde har fel "
    "typ eller form, eller ett datum är omöjligt.",
    "Rätta nyckeln som anges; schemat i schemas/ beskriver varje nyckel på svenska.",
    Scope.FILE,
)


def _bad_type(source: Source) -> Finding:
    hint = f"välj en av: {', '.join(names())}"
    value = source.data.get("type")
    if value is None:
        return SB002.at(source, "'type' saknas", hint=hint)
    return SB002.at(source, f"okänd dokumenttyp {shown(value)}", "type", hint=hint)


def validate(source: Source, validator: Any, schema_name: str) -> Iterator[Finding]:
    if validator.is_valid(source.data):
        return
    hint = f"se {schema_name}.schema.json i schemas/ (finns mappen inte: sb schemas --out schemas)"
    for error in validator.iter_errors(source.data):
        for path, message in explain(error):
            yield SB002.at(source, message, *path, hint=hint)


def to_document(source: Source) -> Document[Record] | Finding:
    """The typed document of a schema-valid source, or the SB002 finding that says why not."""
    try:
        record = to_record(source.data, source.body)
    except RecordError as error:
        return SB002.at(source, error.message, *error.path)
    return Document(source.path, record, source.positions, source.links)


def explain(error: Any) -> list[tuple[Path_, str]]:
    """Swedish messages for one jsonschema-rs error, each with the key path it concerns."""
    path = tuple(error.instance_path)
    explain_kind = _EXPLAIN.get(type(error.kind).__name__, _not_schema)
    return explain_kind(path, error.kind, error.instance)


# One function per kind of jsonschema-rs error: (key path, the error's kind, the value) -> messages.
_Messages = list[tuple[Path_, str]]


def _no_branch(path: Path_, kind: Any, value: Any) -> _Messages:
    deepest = max((e for branch in kind.context for e in branch), key=lambda e: len(e.instance_path), default=None)
    if deepest is not None and len(deepest.instance_path) > len(path):
        return explain(deepest)
    if isinstance(value, dict) and len(value) == 1:
        return [(path, f"{shown(value)} där en text väntas: ett kolon följt av mellanslag gör texten till en nyckel")]
    return [(path, f"{shown(value)} har fel form")]


def _required(path: Path_, kind: Any, value: Any) -> _Messages:
    return [(path, f"'{kind.property}' saknas")]


def _unknown_keys(path: Path_, kind: Any, value: Any) -> _Messages:
    return [((*path, key), f"okänd nyckel '{key}'") for key in kind.unexpected]


def _wrong_type(path: Path_, kind: Any, value: Any) -> _Messages:
    types = " eller ".join(_TYPE_NAMES.get(str(t), str(t)) for t in kind.types)
    quote = " (sätt citattecken runt värdet)" if "string" in kind.types and value is not None else ""
    return [(path, f"{shown(value)} ska vara {types}{quote}")]


def _not_allowed(path: Path_, kind: Any, value: Any) -> _Messages:
    return [(path, f"{shown(value)} är inte tillåtet; välj en av: {', '.join(map(str, kind.options))}")]


def _not_constant(path: Path_, kind: Any, value: Any) -> _Messages:
    return [(path, f"{shown(value)} ska vara {shown(kind.expected_value)}")]


def _bad_format(path: Path_, kind: Any, value: Any) -> _Messages:
    wanted = _FORMATS.get(kind.format, f"värde i formatet {kind.format}")
    return [(path, f"{shown(value)} är inget giltigt {wanted}")]


def _bad_pattern(path: Path_, kind: Any, value: Any) -> _Messages:
    expected = PATTERNS.get(kind.pattern)
    return [(path, f"{shown(value)} har fel form" + (f": ska vara {expected}" if expected else ""))]


def _not_schema(path: Path_, kind: Any, value: Any) -> _Messages:
    return [(path, f"{shown(value)} följer inte schemat")]


_EXPLAIN: dict[str, Callable[[Path_, Any, Any], _Messages]] = {
    "AnyOf": _no_branch,
    "OneOfNotValid": _no_branch,
    "Required": _required,
    "AdditionalProperties": _unknown_keys,
    "UnevaluatedProperties": _unknown_keys,
    "Type": _wrong_type,
    "Enum": _not_allowed,
    "Constant": _not_constant,
    "Format": _bad_format,
    "Pattern": _bad_pattern,
    "MinItems": lambda path, kind, value: [(path, f"minst {kind.limit} värden krävs")],
    "Minimum": lambda path, kind, value: [(path, f"{shown(value)} är mindre än {kind.limit}")],
    "Maximum": lambda path, kind, value: [(path, f"{shown(value)} är större än {kind.limit}")],
    "MinLength": lambda path, kind, value: [(path, "värdet får inte vara tomt")],
    "MaxLength": lambda path, kind, value: [(path, f"värdet är längre än {kind.limit} tecken")],
    "UniqueItems": lambda path, kind, value: [(path, "samma värde står flera gånger")],
}
