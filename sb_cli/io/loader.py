"""Read document files into `Source` records; every failure becomes an SB001 finding."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from sb_cli.core.model import Finding, Severity, Source
from sb_cli.core.rules.references import extract_links
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
    return parse_bytes(relpath, raw)


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
    """A document from the bytes of a file (also used for old versions from git)."""

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
        for name in files:
            if name.endswith(DOCUMENT_SUFFIXES) and not name.startswith("."):
                found.append(Path(folder, name).relative_to(root).as_posix())
    return sorted(found)
