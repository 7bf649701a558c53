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
    "^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$": 'en månad ÅÅÅÅ-MM mellan åren 1900 och 2999, t.ex. "2024-02"',
    "^[0-9]{4}-[0-9]{2}$": 'en månad ÅÅÅÅ-MM, t.ex. "2024-02"',
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
    schemas = getattr(validator, "schemas", {})  # as read, by file name: what an unknown key is near
    for error in validator.iter_errors(source.data):
        for path, message in explain(error, schemas):
            yield SB002.at(source, message, *path, hint=hint)


def to_document(source: Source) -> Document[Record] | Finding:
    """The typed document of a schema-valid source, or the SB002 finding that says why not."""
    try:
        record = to_record(source.data, source.body)
    except RecordError as error:
        return SB002.at(source, error.message, *error.path)
    return Document(source.path, record, source.positions, source.links)


def explain(error: Any, schemas: Mapping[str, Any] | None = None) -> list[tuple[Path_, str]]:
    """Swedish messages for one jsonschema-rs error, each with the key path it concerns. `schemas`
    (the schema files as read, by name) lets a message about an unknown key suggest a known one."""
    path = tuple(error.instance_path)
    kind = type(error.kind).__name__
    if kind in ("AnyOf", "OneOfNotValid"):
        return _no_branch(path, error.kind, error.instance, schemas)
    if kind in ("AdditionalProperties", "UnevaluatedProperties"):
        known = known_keys(schemas or {}, error.absolute_keyword_location)
        return [((*path, key), unknown_key(key, known)) for key in error.kind.unexpected]
    explain_kind = _EXPLAIN.get(kind, _not_schema)
    return explain_kind(path, error.kind, error.instance)


# One function per kind of jsonschema-rs error: (key path, the error's kind, the value) -> messages.
_Messages = list[tuple[Path_, str]]


def _no_branch(path: Path_, kind: Any, value: Any, schemas: Mapping[str, Any] | None) -> _Messages:
    deepest = max((e for branch in kind.context for e in branch), key=lambda e: len(e.instance_path), default=None)
    if deepest is not None and len(deepest.instance_path) > len(path):
        return explain(deepest, schemas)
    if isinstance(value, dict) and len(value) == 1:
        return [(path, f"{shown(value)} där en text väntas: ett kolon följt av mellanslag gör texten till en nyckel")]
    return [(path, f"{shown(value)} har fel form")]


def _required(path: Path_, kind: Any, value: Any) -> _Messages:
    return [(path, f"'{kind.property}' saknas")]


def unknown_key(key: str, known: Mapping[str, str]) -> str:
    """The message for an unknown key, with the known key it most likely means."""
    nearest = nearest_key(key, known)
    return f"okänd nyckel '{key}'" + (f"; menade du '{nearest}'?" if nearest else "")


def nearest_key(word: str, known: Mapping[str, str]) -> str | None:
    """The known key (of `known`: key -> its Swedish title) closest to `word`, by the key's own
    spelling or by its title ("beslut" is the title "Beslut" of `decisions`, "ägare" ends the title
    "Dokumentägare" of `owner`); None when none is close or the title's ending fits several keys."""
    import difflib

    spellings: dict[str, str] = {}
    for key, title in known.items():
        spellings.setdefault(key.casefold(), key)
        if title:
            spellings.setdefault(title.casefold(), key)
    folded = word.strip().casefold()
    if folded in spellings:
        return spellings[folded]
    # The last part of a Swedish compound: "ägare" for "Dokumentägare", "datum" for "Mötesdatum".
    compound = [key for spelling, key in spellings.items() if len(folded) >= 4 and spelling.endswith(folded)]
    if len(set(compound)) == 1:
        return compound[0]
    close = difflib.get_close_matches(folded, list(spellings), n=1, cutoff=0.75)
    return spellings[close[0]] if close else None


def known_keys(schemas: Mapping[str, Any], location: str) -> dict[str, str]:
    """The keys (each with its Swedish title) of the schema object that holds the keyword at
    `location` (".../common.schema.json#/$defs/meeting/additionalProperties"), through its
    `$ref`s and `allOf`s."""
    address, _, pointer = location.partition("#")
    file_name = address.rsplit("/", 1)[-1]
    keys: dict[str, str] = {}
    _collect(schemas, file_name, _at(schemas.get(file_name), pointer.rsplit("/", 1)[0]), keys, depth=0)
    return keys


def _collect(schemas: Mapping[str, Any], file_name: str, node: Any, keys: dict[str, str], *, depth: int) -> None:
    if not isinstance(node, dict) or depth > 8:
        return
    for key, sub in (node.get("properties") or {}).items():
        title = sub.get("title") if isinstance(sub, dict) else None
        keys.setdefault(key, title if isinstance(title, str) else "")
    for branch in node.get("allOf") or ():
        _collect(schemas, file_name, branch, keys, depth=depth + 1)
    ref = node.get("$ref")
    if isinstance(ref, str):
        target, _, pointer = ref.partition("#")
        target_file = target.rsplit("/", 1)[-1] or file_name
        _collect(schemas, target_file, _at(schemas.get(target_file), pointer), keys, depth=depth + 1)


def _at(schema: Any, pointer: str) -> Any:
    """The part of `schema` that a JSON pointer ("/$defs/meeting") names, or None."""
    node = schema
    for part in pointer.split("/")[1:] if pointer else ():
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


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
    "Required": _required,
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
