"""Read document files into `Source` records; every failure becomes an SB001 finding."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

import msgspec

from sb_cli.core.model import Finding, Link, Position, Severity, Source
from sb_cli.core.rules.references import extract_links
from sb_cli.io.cache import active, key
from sb_cli.io.filememo import remembered_bytes
from sb_cli.io.yamlpos import YamlError, parse_yaml

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DOCUMENT_SUFFIXES = (".yaml", ".yml", ".md")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class Fail(Protocol):
    def __call__(
        self, message: str, line: int | None = 1, column: int | None = 1, hint: str | None = None
    ) -> Loaded: ...


@dataclass(frozen=True, slots=True)
class Loaded:
    source: Source | None
    finding: Finding | None


def load(root: Path, relpath: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Loaded:
    """Load one file; never raises for bad content."""
    raw = read_file(root, relpath, max_bytes=max_bytes)
    return raw if isinstance(raw, Loaded) else parse_bytes(relpath, raw)


def read_file(root: Path, relpath: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes | Loaded:
    """The bytes of one file of the repository, or (as a Loaded without source) why it cannot be read."""
    # A string path, not pathlib: the editor asks for every file of the repository on each save.
    raw = remembered_bytes(os.path.join(root, relpath), lambda: _read_file(root, relpath, max_bytes))
    if isinstance(raw, bytes) and len(raw) > max_bytes:  # kept under a larger limit
        return _read_file(root, relpath, max_bytes)
    return raw


def _read_file(root: Path, relpath: str, max_bytes: int) -> bytes | Loaded:
    def fail(message: str, line: int | None = 1, column: int | None = 1, hint: str | None = None) -> Loaded:
        return Loaded(None, Finding("SB001", Severity.ERROR, relpath, line, column, message, hint=hint))

    path = root / relpath
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return fail("filen kan inte läsas (trasig eller cirkulär länk)")
    if not real.is_relative_to(root.resolve()):
        return fail("länken pekar utanför repositoriet")
    try:
        kind = _special_kind(real.stat().st_mode)
        if kind:  # never opened: a FIFO would hang the run, a device could be read for ever
            return fail(f"ingen vanlig fil utan {kind}", hint="ta bort den ur dokumentmappen")
        raw = read_regular(real, max_bytes)
    except OSError as exc:
        return fail(f"filen kan inte läsas: {exc.strerror}")
    except TooLarge as exc:
        return fail(
            f"filen är för stor ({exc.size / 1e6:.1f} MB; högst {max_bytes / 1e6:.1f} MB)",
            hint="dela upp dokumentet eller höj max_file_bytes i sb.toml",
        )
    return raw


class TooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def _special_kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "en namngiven pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "ett uttag (socket)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "en enhetsfil"
    return "något annat än en fil"


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`, checked on the open file itself (so a
    file swapped for a FIFO after a first look cannot hang the read)."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(0, "ingen vanlig fil")
        if info.st_size > max_bytes:
            raise TooLarge(info.st_size)
        raw = stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise TooLarge(len(raw))
    return raw


def parse_bytes(relpath: str, raw: bytes) -> Loaded:
    """A document from the bytes of a file (also used for old versions from git). A file read
    before is taken from the run's cache (`sb_cli.io.cache.using`)."""
    last = _last_parsed.get(relpath)
    if last is not None and last[0] == raw:  # the file again, as its newest version in git
        return last[1]
    cache = active()
    made_of = key("källa", relpath, raw)
    stored = cache.get("källa", made_of)
    source = _decoded(relpath, stored, raw) if stored is not None else None
    if source is not None:
        loaded = Loaded(source, None)
    else:
        loaded = _parse(relpath, raw)
        encoded = _encoded(loaded.source) if loaded.source is not None else None
        if encoded is not None:
            cache.put("källa", made_of, encoded)
    _last_parsed.clear()
    _last_parsed[relpath] = (raw, loaded)
    return loaded


_last_parsed: dict[str, tuple[bytes, Loaded]] = {}  # the file read last, by its path


# A source as plain data: data, positions, body, body line, strings, links (its text is the file's).
_Stored = tuple[
    dict[str, Any],
    list[tuple[list[str | int], int, int]],
    str | None,
    int,
    list[tuple[list[str | int], str | None, int]],  # None: the text is the data's at that path
    list[tuple[str, int, int | None]],
]
_decoder = msgspec.msgpack.Decoder(_Stored)


def _encoded(source: Source) -> bytes | None:
    stored = (
        source.data,
        [(list(path), p.line, p.column) for path, p in source.positions.items()],
        source.body,
        source.body_line,
        [(list(path), None if _at(source.data, path) == text else text, line) for path, text, line in source.strings],
        [tuple(link) for link in source.links],
    )
    try:
        return msgspec.msgpack.encode(stored)
    except (TypeError, OverflowError, ValueError):  # e.g. an integer too large for msgpack
        return None


def _at(data: Any, path: list[str | int] | tuple[str | int, ...]) -> Any:
    """The value at a path of the data (a string the data holds is stored once, not twice)."""
    for step in path:
        data = data[step]
    return data


def _decoded(relpath: str, stored: bytes, raw: bytes) -> Source | None:
    text = decode(raw)
    if not isinstance(text, str):
        return None
    try:
        data, positions, body, body_line, stored_strings, links = _decoder.decode(stored)
        strings = tuple((tuple(path), _at(data, path) if t is None else t, line) for path, t, line in stored_strings)
    except (msgspec.DecodeError, LookupError, TypeError):  # not what sb stores: made anew
        return None
    return Source(
        path=relpath,
        data=data,
        positions={tuple(path): Position(line, column) for path, line, column in positions},
        body=body,
        body_line=body_line,
        strings=strings,
        links=tuple(Link(*link) for link in links),
        text=text.replace("\r\n", "\n"),
    )


def _parse(relpath: str, raw: bytes) -> Loaded:
    def fail(message: str, line: int | None = 1, column: int | None = 1, hint: str | None = None) -> Loaded:
        return Loaded(None, Finding("SB001", Severity.ERROR, relpath, line, column, message, hint=hint))

    decoded = decode(raw)
    if isinstance(decoded, tuple):
        message, line, column = decoded
        return fail(message, line, column, hint="spara filen som UTF-8")
    text = decoded.replace("\r\n", "\n")
    loaded = (
        _load_markdown(relpath, text, fail) if relpath.endswith(".md") else _from_yaml(relpath, text, 0, None, 1, fail)
    )
    return Loaded(replace(loaded.source, text=text), None) if loaded.source is not None else loaded


def decode(raw: bytes) -> str | tuple[str, int, int]:
    """UTF-8 text (BOM removed), or (message, line, column) saying why not."""
    if raw.startswith(_UTF16_BOMS):
        return ("filen är kodad som UTF-16, inte UTF-8", 1, 1)
    if b"\x00" in raw[:8192]:
        return ("filen är binär, inte text", 1, 1)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return (f"filen är inte giltig UTF-8 (byte 0x{raw[exc.start]:02x})", line, column)


def _load_markdown(relpath: str, text: str, fail: Fail) -> Loaded:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return fail("Markdown-dokumentet saknar front matter (ska börja med en rad '---')")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            header = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return _from_yaml(relpath, header, 1, body, index + 2, fail)
    return fail("front matter avslutas aldrig med en rad '---'")


def _from_yaml(relpath: str, text: str, offset: int, body: str | None, body_line: int, fail: Fail) -> Loaded:
    try:
        parsed = parse_yaml(text, offset)
    except YamlError as exc:
        return fail(exc.message, exc.line, exc.column, exc.hint)
    if parsed.data is None:
        return fail("dokumentet är tomt")
    if not isinstance(parsed.data, dict):
        return fail("dokumentet måste vara en YAML-mappning (nyckel: värde)", 1 + offset, 1)
    source = Source(
        path=relpath,
        data=parsed.data,
        positions=parsed.positions,
        body=body,
        body_line=body_line,
        strings=tuple(parsed.strings),
    )
    return Loaded(replace(source, links=extract_links(source)), None)


def discover(root: Path, documents_dir: str) -> list[str]:
    """Document files under the documents folder, sorted, relative to `root` (symlinks not followed)."""
    base = root / documents_dir
    found: list[str] = []
    for folder, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        inside = Path(folder).relative_to(root).as_posix()  # once per folder: pathlib is slow per file
        prefix = "" if inside == "." else f"{inside}/"
        found += [prefix + name for name in files if name.endswith(DOCUMENT_SUFFIXES) and not name.startswith(".")]
    return sorted(found)
