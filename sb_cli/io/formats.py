"""The output formats of one family (findings, rows, renders) as one table.

Each family's table is the only list of its formats: the CLI's `--format` choices, the suffixes
that `--out FIL` is read by, and the help text all come from it, and every writer of a family has
the same signature, so the commands never name a format.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Generic, TypeVar

W = TypeVar("W")  # the family's writer
S = TypeVar("S")  # how the family shows a format on standard out, where that differs from writing it


@dataclass(frozen=True, slots=True)
class OutputFormat(Generic[W, S]):
    name: str  # what --format takes
    suffix: str  # the file suffix that chooses it for --out FIL, and that its files get
    help: str  # what it is, in Swedish: one short phrase for the help text
    write: W
    binary: bool = False  # never written to a terminal
    show: S | None = None  # on standard out, instead of writing the bytes
    more_suffixes: tuple[str, ...] = ()  # other suffixes that choose it (".markdown")

    @property
    def suffixes(self) -> tuple[str, ...]:
        return (self.suffix, *self.more_suffixes)


class Formats(Mapping[str, OutputFormat[W, S]]):
    """One family's formats by name, in the order the help lists them."""

    def __init__(self, *formats: OutputFormat[W, S]) -> None:
        self._by_name = {f.name: f for f in formats}
        if len(self._by_name) != len(formats):
            raise ValueError("two formats with the same name")
        suffixes = [s for f in formats for s in f.suffixes]
        if len(set(suffixes)) != len(suffixes):
            raise ValueError("two formats with the same suffix")

    def __getitem__(self, name: str) -> OutputFormat[W, S]:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    def by_suffix(self, path: PurePath) -> OutputFormat[W, S] | None:
        """The format whose suffix the file has (upper or lower case), None if none has it."""
        suffix = path.suffix.lower()
        return next((f for f in self._by_name.values() if suffix in f.suffixes), None)

    def suffix_list(self, *, every: bool = False) -> str:
        """ ".txt, .json, .csv": the suffixes that choose a format (`every`: the other spellings too)."""
        return ", ".join(s for f in self._by_name.values() for s in (f.suffixes if every else (f.suffix,)))

    def described(self) -> str:
        """ "table (tabell), json (JSON-lista)": every name with what it is, for the help text."""
        return ", ".join(f"{f.name} ({f.help})" for f in self._by_name.values())
