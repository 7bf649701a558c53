"""YAML to plain data with the position of every key, built from parser events.

Building from events (instead of PyYAML's recursive composer) keeps deep nesting, alias bombs and
recursive aliases from crashing or hanging the process: each becomes a `YamlError` with a position.
Timestamps stay strings, as in JSON, so the schema checks them with `format: date`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from sb_cli.core.model import Path_, Position

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 64
MAX_NODES = 200_000
# Text that aliases may expand to, relative to the file's own size: an anchored long string
# aliased a thousand times would otherwise take gigabytes.
CHARS_PER_FILE_CHAR = 20
MIN_CHARS, MAX_CHARS = 1_000_000, 100_000_000

_TAG = "tag:yaml.org,2002:"


class YamlError(Exception):
    def __init__(self, message: str, line: int, column: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.hint = hint


@dataclass
class Parsed:
    data: Any
    positions: dict[Path_, Position] = field(default_factory=dict)
    strings: list[tuple[Path_, str, int]] = field(default_factory=list)


@dataclass
class _Frame:
    path: Path_
    value: dict[str, Any] | list[Any]
    anchor: str | None
    start_nodes: int
    start_chars: int = 0
    key: str | None = None  # a mapping's pending key
    key_mark: Any = None


_QUOTE = 'sätt citattecken runt texten, t.ex. title: "Beslut: godkänt"'
_INDENT = "rader på samma nivå ska börja i samma kolumn, med mellanslag"
# PyYAML's and libyaml's problems in words a secretary can act on: (part of the parser's text,
# message, hint), the first that the problem or its context contains.
_PROBLEMS = [
    ("tab character", "tabbtecken: YAML drar in med mellanslag", "ersätt tabben med mellanslag"),
    (
        "mapping values are not allowed",
        "ett kolon följt av mellanslag mitt i ett värde",
        f"{_QUOTE}, eller rätta indraget om raden är en egen nyckel",
    ),
    ("end of stream", "ett citattecken stängs aldrig", "avsluta texten med samma citattecken"),
    (
        "unknown escape character",
        "okänd kombination med \\ inom dubbla citattecken",
        "skriv \\\\ för ett omvänt snedstreck, eller använd enkla citattecken",
    ),
    ("expected ':'", "en rad utan kolon där en nyckel väntas", f"skriv nyckel: värde, eller {_QUOTE}"),
    ("expected key", "text efter ett värde, eller ett indrag som inte stämmer", f"{_QUOTE}; {_INDENT}"),
    ("expected <block end>", "indraget stämmer inte med raderna ovanför", _INDENT),
    ("expected '-' indicator", "indraget i listan stämmer inte", "varje punkt i listan börjar med - i samma kolumn"),
    ("line break", "text efter ett avslutat värde", "sätt citattecken runt hela texten"),
    ("',' or ']'", "en lista inom [ ] avslutas inte rätt", "kontrollera kommatecknen och ]"),
    ("',' or '}'", "en mappning inom { } avslutas inte rätt", "kontrollera kommatecknen och }"),
    ("node content", "ett värde saknas", _QUOTE),
    ("undefined alias", "ett alias (*namn) utan ankare (&namn)", _QUOTE),
    ("alphabetic or numeric character", "otillåtet tecken efter & eller *", _QUOTE),
    ("cannot start any token", "ett tecken som inte kan inleda ett värde", _QUOTE),
    ("single document", "filen har flera YAML-dokument", "ta bort raden --- mitt i filen"),
    ("duplicate anchor", "samma ankare (&namn) två gånger", "ge ankarna olika namn"),
]


def _explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, str | None, Any]:
    """Message, hint and the mark to point at (an unclosed quote: where it opens)."""
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    if "end of stream" in problem and "quoted" in context and exc.context_mark is not None:
        mark = exc.context_mark
    if mark is not None and "cannot start any token" in problem:
        lines = text.splitlines()
        if mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
            problem = "tab character"
    for part, message, hint in _PROBLEMS:
        if part in problem or part in context:
            return f"ogiltig YAML: {message}", hint, mark
    return "ogiltig YAML", None, mark


def parse_yaml(text: str, line_offset: int = 0) -> Parsed:
    """Parse one YAML document. `line_offset` shifts reported lines (front matter)."""
    loader = _Loader(text)
    try:
        budget = min(max(CHARS_PER_FILE_CHAR * len(text), MIN_CHARS), MAX_CHARS)
        return _build(loader, line_offset, budget)
    except yaml.reader.ReaderError as exc:
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        line = text.count("\n", 0, exc.position) + 1 + line_offset
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise YamlError(
            f"otillåtet tecken U+{ord(char):04X} (styrtecken får inte förekomma i YAML)", line, column
        ) from None
    except yaml.MarkedYAMLError as exc:
        message, hint, mark = _explain(exc, text)
        line = (mark.line + 1 if mark else 1) + line_offset
        column = mark.column + 1 if mark else 1
        raise YamlError(message, line, column, hint) from None
    except yaml.YAMLError:
        raise YamlError("ogiltig YAML", 1 + line_offset, 1) from None
    finally:
        loader.dispose()


def _pos(mark: Any, offset: int) -> Position:
    return Position(mark.line + 1 + offset, mark.column + 1)


def _scalar(loader: Any, event: yaml.ScalarEvent) -> Any:
    tag = event.tag
    if event.style and tag is None:  # quoted and block scalars are always strings
        return event.value
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == _TAG + "str" or tag == _TAG + "timestamp":
        return event.value
    start: Any = event.start_mark  # the C parser has a Mark class of its own
    end: Any = event.end_mark
    node = yaml.ScalarNode(tag, event.value, start, end, event.style)
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "bool":
        return loader.construct_yaml_bool(node)
    if tag == _TAG + "int":
        return loader.construct_yaml_int(node)
    if tag == _TAG + "float":
        return loader.construct_yaml_float(node)
    return event.value


def _build(loader: Any, offset: int, budget: int) -> Parsed:
    parsed = Parsed(data=None)
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int, int]] = {}  # anchor -> (value, node count, characters)
    open_anchors: set[str] = set()
    nodes = 0
    chars = 0
    documents = 0
    root_set = False

    def attach(value: Any, event: Any, size: int) -> None:
        nonlocal root_set
        if not stack:
            parsed.data, root_set = value, True
            return
        frame = stack[-1]
        if isinstance(frame.value, list):
            path = frame.path + (len(frame.value),)
            parsed.positions[path] = _pos(event.start_mark, offset)
            frame.value.append(value)
            return
        if frame.key is None:
            if not isinstance(value, (str, int, float, bool)) and value is not None:
                raise YamlError("en nyckel måste vara en enkel text", *_lc(event, offset))
            key = "null" if value is None else str(value)
            if key in frame.value:
                raise YamlError(f"nyckeln '{key}' förekommer två gånger", *_lc(event, offset))
            frame.key, frame.key_mark = key, event.start_mark
            return
        path = frame.path + (frame.key,)
        parsed.positions[path] = _pos(frame.key_mark, offset)
        frame.value[frame.key] = value
        frame.key = None

    def count(extra: int, event: Any, text: int = 0) -> None:
        nonlocal nodes, chars
        nodes += extra
        chars += text
        if nodes > MAX_NODES:
            raise YamlError(f"dokumentet har fler än {MAX_NODES} noder (alias-bomb?)", *_lc(event, offset))
        if chars > budget:
            raise YamlError(
                f"aliasen i dokumentet blir över {budget // 1_000_000} miljoner tecken text (alias-bomb?)",
                *_lc(event, offset),
            )

    def child_path() -> Path_:
        if not stack:
            return ()
        frame = stack[-1]
        if isinstance(frame.value, list):
            return frame.path + (len(frame.value),)
        return frame.path + ((frame.key,) if frame.key is not None else ("?",))

    while loader.check_event():
        event = loader.get_event()
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlError("filen innehåller flera YAML-dokument", *_lc(event, offset))
        elif isinstance(event, yaml.ScalarEvent):
            count(1, event, len(event.value))
            try:
                value = _scalar(loader, event)
            except ValueError:  # Python refuses to read integers of more than 4,300 digits
                raise YamlError("talet har för många siffror för att läsas", *_lc(event, offset)) from None
            in_key = bool(stack) and isinstance(stack[-1].value, dict) and stack[-1].key is None
            if isinstance(value, str) and not in_key:
                first = _lc(event, offset)[0]
                if event.style in ("|", ">"):
                    first += 1
                parsed.strings.append((child_path(), value, first))
            if event.anchor:
                anchors[event.anchor] = (value, 1, len(event.value))
            attach(value, event, 1)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            count(1, event)
            if len(stack) >= MAX_DEPTH:
                raise YamlError(f"för djup nästling (över {MAX_DEPTH} nivåer)", *_lc(event, offset))
            if stack and isinstance(stack[-1].value, dict) and stack[-1].key is None:
                raise YamlError("en nyckel måste vara en enkel text", *_lc(event, offset))
            container: dict[str, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
            path = child_path()
            if stack:
                attach(container, event, 1)
            else:
                parsed.data, root_set = container, True
            if event.anchor:
                open_anchors.add(event.anchor)
            stack.append(_Frame(path, container, event.anchor, nodes, chars))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = stack.pop()
            if frame.anchor:
                open_anchors.discard(frame.anchor)
                anchors[frame.anchor] = (frame.value, nodes - frame.start_nodes + 1, chars - frame.start_chars)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor in open_anchors:
                raise YamlError(f"rekursivt alias *{event.anchor}", *_lc(event, offset))
            if event.anchor not in anchors:
                raise YamlError(f"okänt alias *{event.anchor}", *_lc(event, offset))
            value, size, text = anchors[event.anchor]
            count(size, event, text)
            attach(value, event, size)
    if not root_set:
        parsed.data = None
    return parsed


def _lc(event: Any, offset: int) -> tuple[int, int]:
    return event.start_mark.line + 1 + offset, event.start_mark.column + 1
