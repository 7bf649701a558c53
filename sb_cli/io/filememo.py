"""The editor's memory of the files it reads again and again: a file's bytes by its identity, and
values derived from those bytes (their digests), so that an unchanged file is neither read nor
hashed again. Nothing uses it outside `remembering` (the CLI never does)."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar, cast

R = TypeVar("R")
Identity = tuple[int, int, int, int, int]


class FileMemo:
    """The bytes of files read before, by the file's identity: device, inode, size and the times of
    its last change. A hit is the very file that was read and checked before (never a symbolic
    link: those are checked every time), so the checks made when it was read hold for it still."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[Identity, bytes]] = {}
        self._held: dict[int, bytes] = {}  # the bytes kept in _known, by id
        self._derived: dict[tuple[Hashable, int], Any] = {}  # (what, id of bytes in _held) → value

    def read(self, path: str | Path, read: Callable[[], R]) -> bytes | R:
        """The file's bytes from memory, or what `read` gives, kept when it is the file's bytes and
        the file did not change while it was read."""
        known = self._known.get(str(path))
        identity = _identity(path)
        if known is not None and identity is not None and identity == known[0]:
            return known[1]
        raw = read()
        if isinstance(raw, bytes) and identity is not None and identity == _identity(path):
            if known is not None:
                self._forget(known[1])
            self._known[str(path)] = (identity, raw)
            self._held[id(raw)] = raw
        return raw

    def _forget(self, data: bytes) -> None:
        del self._held[id(data)]
        for what in [key for key in self._derived if key[1] == id(data)]:
            del self._derived[what]

    def derived(self, what: Hashable, data: bytes, make: Callable[[bytes], R]) -> R:
        """`make(data)`, made once for bytes this memory holds (for other bytes, every time)."""
        if self._held.get(id(data)) is not data:
            return make(data)
        if (what, id(data)) not in self._derived:
            self._derived[(what, id(data))] = make(data)
        return cast(R, self._derived[(what, id(data))])


def _identity(path: str | Path) -> Identity | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


# A context variable, not a global: the editor's threads each choose (or not) their own memory, and
# a block that ends in one thread never puts back what another thread chose.
_memo: ContextVar[FileMemo | None] = ContextVar("sb_file_memo", default=None)


@contextmanager
def remembering(memo: FileMemo) -> Iterator[FileMemo]:
    """Within this block, and in this thread, files are read through `memo`."""
    token = _memo.set(memo)
    try:
        yield memo
    finally:
        _memo.reset(token)


def remembered_bytes(path: str | Path, read: Callable[[], R]) -> bytes | R:
    """What `read` gives for the file, or its bytes as read before within `remembering`."""
    memo = _memo.get()
    return read() if memo is None else memo.read(path, read)


def derived(what: Hashable, data: bytes, make: Callable[[bytes], R]) -> R:
    """`make(data)`, remembered within `remembering` for bytes read through it."""
    memo = _memo.get()
    return make(data) if memo is None else memo.derived(what, data, make)
