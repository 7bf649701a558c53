"""YAML to plain data with the position of every key, built from parser events.

Building from events (instead of PyYAML's recursive composer) keeps deep nesting, alias bombs and
recursive aliases from crashing or hanging the process: each becomes a `YamlError` with a position.
Timestamps stay strings, as in JSON, so the schema checks them with `format: date`.
"""

from __future__ import annotations

from collections.abc import Callable
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


@dataclass(slots=True)
class _Frame:
    path: Path_
    value: dict[str, Any] | list[Any]
    anchor: str | None
    start_nodes: int
    start_chars: int = 0
    key: str | None = None  # a mapping's pending key
    key_mark: Any = None
    is_list: bool = False


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
    mark = _mark_of(exc, problem, context)
    if mark is not None and "cannot start any token" in problem and _is_tab(text, mark):
        problem = "tab character"
    for part, message, hint in _PROBLEMS:
        if part in problem or part in context:
            return f"ogiltig YAML: {message}", hint, mark
    return "ogiltig YAML", None, mark


def _mark_of(exc: yaml.MarkedYAMLError, problem: str, context: str) -> Any:
    """Where the problem is, except an unclosed quote: where it opens."""
    if "end of stream" in problem and "quoted" in context and exc.context_mark is not None:
        return exc.context_mark
    return exc.problem_mark or exc.context_mark


def _is_tab(text: str, mark: yaml.Mark) -> bool:
    lines = text.splitlines()
    return mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t"


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


_new_tuple = tuple.__new__  # a NamedTuple's own __new__ is a Python function, twice as slow


def _pos(mark: Any, offset: int) -> Position:
    return _new_tuple(Position, (mark.line + 1 + offset, mark.column + 1))


def _scalar(loader: Any, event: yaml.ScalarEvent) -> Any:
    tag = event.tag
    if event.style and tag is None:  # quoted and block scalars are always strings
        return event.value
    if tag is None or tag == "!":
        tag = _tag_of(loader, event.value, event.implicit)
    construct = _CONSTRUCTORS.get(tag)
    if construct is None:  # text, and dates (kept as written: the schema checks them)
        return event.value
    start: Any = event.start_mark  # the C parser has a Mark class of its own
    end: Any = event.end_mark
    return construct(loader, yaml.ScalarNode(tag, event.value, start, end, event.style))


_TAGS: dict[tuple[str, Any], str] = {}  # short plain scalars (keys above all) and the tag each resolves to
_TAGS_HELD = 20_000


def _tag_of(loader: Any, value: str, implicit: Any) -> str:
    """The tag PyYAML's resolver gives a plain scalar, looked up once per short text: the resolver
    depends only on the text (SafeLoader has no path resolvers), and keys repeat in every file."""
    if len(value) > 64:
        return str(loader.resolve(yaml.ScalarNode, value, implicit))
    found = _TAGS.get((value, implicit))
    if found is None:
        found = str(loader.resolve(yaml.ScalarNode, value, implicit))
        if len(_TAGS) < _TAGS_HELD:
            _TAGS[(value, implicit)] = found
    return found


_CONSTRUCTORS: dict[str, Callable[[Any, yaml.ScalarNode], Any]] = {
    _TAG + "null": lambda loader, node: None,
    _TAG + "bool": lambda loader, node: loader.construct_yaml_bool(node),
    _TAG + "int": lambda loader, node: loader.construct_yaml_int(node),
    _TAG + "float": lambda loader, node: loader.construct_yaml_float(node),
}


# The first characters of a plain scalar that PyYAML's resolver may read as something other than
# text ('' for the empty scalar); any other plain scalar is text without asking it. (SafeLoader
# has no resolver for every first character, the key None, and sb adds none.)
_RESOLVED_FIRST = frozenset(_Loader.yaml_implicit_resolvers)


def _build(loader: Any, offset: int, budget: int) -> Parsed:
    builder = _Builder(loader, offset, budget)
    scalar, others = builder.scalar, builder.handlers()
    get_event = loader.get_event
    while (event := get_event()) is not None:
        if event.__class__ is yaml.ScalarEvent:  # most events: the hot path of loading a repository
            scalar(event)
            continue
        handle = others.get(event.__class__)
        if handle is not None:
            handle(event)
    return builder.parsed


class _Builder:
    """The data of a stream of YAML events with the position of each value, one method per kind
    of event; it counts nodes and characters as aliases expand, against alias bombs."""

    def __init__(self, loader: Any, offset: int, budget: int) -> None:
        self.loader, self.offset, self.budget = loader, offset, budget
        self.parsed = Parsed(data=None)
        self.stack: list[_Frame] = []
        self.frame: _Frame | None = None  # the innermost open collection
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # anchor -> (value, node count, characters)
        self.open_anchors: set[str] = set()
        self.nodes = self.chars = self.documents = 0

    def handlers(self) -> dict[type[Any], Callable[[Any], None]]:
        return {
            yaml.DocumentStartEvent: self.document_start,
            yaml.MappingStartEvent: self.collection_start,
            yaml.SequenceStartEvent: self.collection_start,
            yaml.MappingEndEvent: self.collection_end,
            yaml.SequenceEndEvent: self.collection_end,
            yaml.AliasEvent: self.alias,
        }

    def document_start(self, event: yaml.DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            raise YamlError("filen innehåller flera YAML-dokument", *_lc(event, self.offset))

    def scalar(self, event: yaml.ScalarEvent) -> None:
        text = event.value
        self.nodes += 1
        self.chars += len(text)
        if self.nodes > MAX_NODES or self.chars > self.budget:
            self.count(0, 0, event)
        if event.tag is None and (event.style or text[:1] not in _RESOLVED_FIRST):
            value = text  # quoted and block scalars are always text, and so is most plain text
        else:
            try:
                value = _scalar(self.loader, event)
            except ValueError:  # Python refuses to read integers of more than 4,300 digits
                raise YamlError("talet har för många siffror för att läsas", *_lc(event, self.offset)) from None
        if event.anchor:
            self.anchors[event.anchor] = (value, 1, len(text))
        path = self.place(value, event)
        if path is not _KEY and value.__class__ is str:
            line = _lc(event, self.offset)[0] + (1 if event.style in ("|", ">") else 0)
            self.parsed.strings.append((path, value, line))

    def collection_start(self, event: yaml.MappingStartEvent | yaml.SequenceStartEvent) -> None:
        self.count(1, 0, event)
        if len(self.stack) >= MAX_DEPTH:
            raise YamlError(f"för djup nästling (över {MAX_DEPTH} nivåer)", *_lc(event, self.offset))
        is_list = event.__class__ is yaml.SequenceStartEvent
        container: dict[str, Any] | list[Any] = [] if is_list else {}
        path = self.place(container, event)  # a collection as a key is refused there
        if event.anchor:
            self.open_anchors.add(event.anchor)
        self.frame = _Frame(path, container, event.anchor, self.nodes, self.chars, is_list=is_list)
        self.stack.append(self.frame)

    def collection_end(self, event: yaml.MappingEndEvent | yaml.SequenceEndEvent) -> None:
        done = self.stack.pop()
        self.frame = self.stack[-1] if self.stack else None
        if done.anchor:
            self.open_anchors.discard(done.anchor)
            size = (self.nodes - done.start_nodes + 1, self.chars - done.start_chars)
            self.anchors[done.anchor] = (done.value, *size)

    def alias(self, event: yaml.AliasEvent) -> None:
        if event.anchor in self.open_anchors:
            raise YamlError(f"rekursivt alias *{event.anchor}", *_lc(event, self.offset))
        if event.anchor not in self.anchors:
            raise YamlError(f"okänt alias *{event.anchor}", *_lc(event, self.offset))
        value, size, text = self.anchors[event.anchor]
        self.count(size, text, event)
        self.place(value, event)

    def place(self, value: Any, event: Any) -> Path_:
        """Put a value into the open collection (or at the top): its path, or `_KEY` when it is a
        mapping's key."""
        frame = self.frame
        if frame is None:
            self.parsed.data = value
            return ()
        if frame.is_list:
            path = frame.path + (len(frame.value),)
            self.parsed.positions[path] = _pos(event.start_mark, self.offset)
            frame.value.append(value)  # type: ignore[union-attr]
            return path
        key = frame.key
        if key is None:
            frame.key, frame.key_mark = self.key_of(value, frame, event), event.start_mark
            return _KEY
        path = frame.path + (key,)
        self.parsed.positions[path] = _pos(frame.key_mark, self.offset)
        frame.value[key] = value  # type: ignore[call-overload]
        frame.key = None
        return path

    def key_of(self, value: Any, frame: _Frame, event: Any) -> str:
        if not isinstance(value, (str, int, float, bool)) and value is not None:
            raise YamlError("en nyckel måste vara en enkel text", *_lc(event, self.offset))
        key = "null" if value is None else str(value)
        if key in frame.value:
            raise YamlError(f"nyckeln '{key}' förekommer två gånger", *_lc(event, self.offset))
        return key

    def count(self, nodes: int, chars: int, event: Any) -> None:
        self.nodes += nodes
        self.chars += chars
        if self.nodes > MAX_NODES:
            raise YamlError(f"dokumentet har fler än {MAX_NODES} noder (alias-bomb?)", *_lc(event, self.offset))
        if self.chars > self.budget:
            raise YamlError(
                f"aliasen i dokumentet blir över {self.budget // 1_000_000} miljoner tecken text (alias-bomb?)",
                *_lc(event, self.offset),
            )


_KEY: Path_ = ("<nyckel>",)  # what `place` returns for a value that is a mapping's key


def _lc(event: Any, offset: int) -> tuple[int, int]:
    return event.start_mark.line + 1 + offset, event.start_mark.column + 1
